"""Erase the portal's abandoned anonymous reports now: ``manage.py portal_retention
[--dry-run]`` — the retention job (``retention_run``) for that one kind of record, with the
period of the DPO's schedule (90 days by default). The nightly job does it too."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from ostoja.accounts.models import Organisation
from ostoja.privacy import retention
from ostoja.privacy.models import RecordKind

KIND = RecordKind.PORTAL


class Command(BaseCommand):
    help = "Erase anonymous portal reports with no message for their period (--dry-run: count)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count, erase nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        for organisation in Organisation.objects.order_by("pk"):
            schedule = retention.schedule_for(organisation, KIND)
            if schedule is None:
                continue
            period = f"{schedule.length} {schedule.unit}"
            if options["dry_run"]:
                abandoned = len(retention.plan(organisation, kinds=[KIND]))
                self.stdout.write(f"{abandoned} reports with no message for {period}.")
                continue
            counts = retention.run_for(organisation, today=timezone.localdate(), kinds=[KIND]).get(
                KIND, {}
            )
            erased, kept = counts.get("done", 0), counts.get("kept", 0)
            self.stdout.write(
                f"{erased} reports with no message for {period} erased, {kept} kept "
                "(linked to other records)."
            )
