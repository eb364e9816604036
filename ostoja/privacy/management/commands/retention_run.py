"""Run the retention job now (the task queue runs it every night):
``manage.py retention_run [--dry-run]``. The dry run lists what would be warned about,
anonymised, deleted or redacted — kinds, case numbers or codes, due dates — and changes
nothing."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ostoja.accounts.models import Organisation
from ostoja.privacy import retention


class Command(BaseCommand):
    help = "Apply the retention schedules now (--dry-run: list what would go, change nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            for organisation in Organisation.objects.order_by("pk"):
                items = retention.plan(organisation)
                self.stdout.write(f"{organisation.short_code}: {len(items)}")
                for item in items:
                    self.stdout.write(
                        f"  {item.kind}\t{item.label}\t{item.due.isoformat()}\t{item.state}"
                        + (f"\t{item.held_until.isoformat()}" if item.held_until else "")
                    )
            return
        for organisation_pk, counts in retention.run().items():
            short = Organisation.objects.get(pk=organisation_pk).short_code
            done = ", ".join(
                f"{kind}: " + " ".join(f"{k}={n}" for k, n in sorted(by.items()))
                for kind, by in sorted(counts.items())
            )
            self.stdout.write(f"{short}: {done or '-'}")
