"""Erase the portal's abandoned anonymous reports now (the task queue does it every
night): ``manage.py portal_retention [--dry-run]``."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ostoja.portal.selectors import ABANDONED_AFTER
from ostoja.portal.services import reports_abandoned_erase


class Command(BaseCommand):
    help = "Erase anonymous portal reports with no message for 90 days (--dry-run: count)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count, erase nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        abandoned, erased = reports_abandoned_erase(dry_run=options["dry_run"])
        days = ABANDONED_AFTER.days
        if options["dry_run"]:
            self.stdout.write(f"{abandoned} reports with no message for {days} days.")
        else:
            kept = abandoned - erased
            self.stdout.write(
                f"{erased} reports with no message for {days} days erased, {kept} kept "
                "(linked to other records)."
            )
