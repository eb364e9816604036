"""``manage.py report_annual --year Y --format pdf|xlsx --output FILE [--language pl|en]`` —
the annual report for the ministry, as the page's downloads make it; audited."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from ostoja.accounts.models import Organisation
from ostoja.audit import trail
from ostoja.reports import report as r
from ostoja.reports.figures import Period


class Command(BaseCommand):
    help = "Write the annual report (PDF or XLSX) for a calendar year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["pdf", "xlsx"], required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--language", choices=["pl", "en"], default="pl")
        parser.add_argument("--organisation", help="its short code (e.g. KCIK)")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["organisation"]
        found = Organisation.objects.filter(short_code=code) if code else Organisation.objects
        if found.count() != 1:
            raise CommandError("Name the organisation: --organisation SHORT_CODE")
        organisation = found.get()
        if not 1900 < options["year"] < 10000:
            raise CommandError("Give a year such as 2025.")
        with translation.override(options["language"]):
            report = r.build(organisation, Period.year(options["year"]))
            content = r.pdf(report) if options["format"] == "pdf" else r.xlsx(report)
        options["output"].write_bytes(content)
        trail.record(
            "report.generated",
            actor=None,
            organisation=organisation,
            data={
                "from": report.period.start.isoformat(),
                "to": report.period.end.isoformat(),
                "format": options["format"],
                "language": options["language"],
                "figures": report.figure_keys,
            },
        )
        self.stdout.write(f"{options['output']}: {len(content)} bytes")
