"""What the three export commands share: the organisation, the period, writing the files."""

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ostoja.accounts.models import Organisation
from ostoja.reports.exports.services import SUPPRESSION_FILE, export_files


def _organisation(short_code: str | None) -> Organisation:
    found = (
        Organisation.objects.filter(short_code=short_code)
        if short_code
        else Organisation.objects.all()
    )
    if found.count() != 1:
        raise CommandError("Name the organisation: --organisation SHORT_CODE")
    return found.get()


class ExportCommand(BaseCommand):
    """``manage.py export_<kind> TARGET [--start D --end D] [--organisation CODE]``: the
    period defaults to the last calendar year. One-file exports write the suppression
    report beside the file (``<name>-suppression.csv``); a folder export writes it in."""

    kind = ""
    folder = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", type=Path, help="folder" if self.folder else "CSV file")
        parser.add_argument("--organisation", help="its short code (e.g. KCIK)")
        parser.add_argument("--start", type=dt.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--end", type=dt.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument(
            "--recipient",
            required=True,
            help="to whom the export is given (recorded in the disclosure ledger)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year = timezone.localdate().year - 1
        start = options["start"] or dt.date(year, 1, 1)
        end = options["end"] or dt.date(year, 12, 31)
        try:
            files = export_files(
                kind=self.kind,
                organisation=_organisation(options["organisation"]),
                start=start,
                end=end,
                recipient=options["recipient"],
                acting_user=None,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        target: Path = options["target"]
        if self.folder:
            target.mkdir(parents=True, exist_ok=True)
            paths = {name: target / name for name in files}
        else:
            suppression = target.with_name(f"{target.stem}-suppression.csv")
            paths = {name: suppression if name == SUPPRESSION_FILE else target for name in files}
        for name, path in paths.items():
            path.write_text(files[name], encoding="utf-8")
        self.stdout.write("\n".join(str(path) for path in paths.values()))
