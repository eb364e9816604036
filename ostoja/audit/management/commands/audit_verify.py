"""``manage.py audit_verify`` — prove the audit chain; name the first broken entry.

Exit status 0 when the whole chain verifies, 1 at the first break (run it nightly and
after every restore)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.audit.chain import verify
from ostoja.audit.models import AuditHead


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="list every break, not the first")

    def handle(self, *args: Any, all: bool = False, **options: Any) -> None:  # noqa: A002
        breaks = []
        for found in verify():
            breaks.append(found)
            self.stderr.write(f"Audit entry {found.seq} is broken: {found.reason}.")
            if not all:
                break
        if breaks:
            raise CommandError(f"The audit chain is broken at entry {breaks[0].seq}.")
        head = AuditHead.objects.get(pk=1)
        self.stdout.write(f"The audit chain verifies: {head.seq} entries.")
