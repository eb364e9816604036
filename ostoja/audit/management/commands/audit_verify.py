"""``manage.py audit_verify`` — prove the audit chain; name the first broken entry.

Exit status 0 when the whole chain verifies, 1 at the first break (run it nightly and
after every restore).

The chain is also compared with its checkpoints (``ostoja.audit.checkpoints``): those in
the checkpoint file, in any ``--checkpoint-file``, and any ``--checkpoint '<line>'`` pasted
from a DPO's e-mail. A checkpoint whose signature does not hold (forged, or damaged) is a
failure too. No checkpoint file is a warning only — a new instance has none until the
hourly task has run — but it says that the chain's end is then not anchored.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.audit import checkpoints
from ostoja.audit.chain import verify
from ostoja.audit.checkpoints import Checkpoint
from ostoja.audit.models import AuditHead


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain, and compare it with its checkpoints."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="list every break, not the first")
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="LINE",
            help="a checkpoint line, as mailed to the DPO (may be repeated)",
        )
        parser.add_argument(
            "--checkpoint-file",
            action="append",
            default=[],
            type=Path,
            metavar="PATH",
            help="another checkpoint file, e.g. a copy kept elsewhere (may be repeated)",
        )

    def handle(
        self,
        *args: Any,
        all: bool = False,  # noqa: A002  # the option's name
        checkpoint: list[str],
        checkpoint_file: list[Path],
        **options: Any,
    ) -> None:
        anchors, forged = self._anchors(checkpoint, checkpoint_file)
        breaks = []
        for found in verify(anchors=anchors):
            breaks.append(found)
            self.stderr.write(f"Audit entry {found.seq} is broken: {found.reason}.")
            if not all:
                break
        if breaks:
            raise CommandError(f"The audit chain is broken at entry {breaks[0].seq}.")
        if forged:
            raise CommandError(f"{forged} checkpoint(s) are not signed with the audit key.")
        head = AuditHead.objects.get(pk=1)
        self.stdout.write(f"The audit chain verifies: {head.seq} entries.")
        if anchors:
            newest = max(anchors, key=lambda anchor: anchor.seq)
            self.stdout.write(
                f"It matches {len(anchors)} checkpoint(s), the newest of {newest.at} "
                f"at entry {newest.seq}."
            )

    def _anchors(self, lines: list[str], files: list[Path]) -> tuple[list[Checkpoint], int]:
        """The authentic checkpoints of every source, and how many were not."""
        found: list[tuple[str, Checkpoint | str]] = []
        for file in [checkpoints.path(), *files]:
            try:
                found += [(f"{file}:{n}", cp) for n, cp in checkpoints.read(file)]
            except FileNotFoundError:
                self.stderr.write(
                    self.style.WARNING(
                        f"Warning: there is no checkpoint file {file}, so the end of the chain "
                        "is not anchored outside the database (a cut tail would go unseen). "
                        "On a new instance the hourly task writes it; `manage.py "
                        "audit_checkpoint` writes one now."
                    )
                )
        for number, line in enumerate(lines, start=1):
            try:
                found.append((f"--checkpoint {number}", checkpoints.parse(line)))
            except ValueError as error:
                found.append((f"--checkpoint {number}", str(error)))
        anchors: list[Checkpoint] = []
        forged = 0
        for where, anchor in found:
            if isinstance(anchor, Checkpoint) and anchor.authentic:
                anchors.append(anchor)
                continue
            forged += 1
            why = (
                anchor
                if isinstance(anchor, str)
                else f"the checkpoint of {anchor.at} for entry {anchor.seq} is not signed "
                "with this instance's audit key"
            )
            self.stderr.write(f"Checkpoint {where} is forged or damaged: {why}.")
        return anchors, forged
