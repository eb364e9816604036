"""``manage.py audit_checkpoint`` — anchor the audit chain's head outside the database now.

Appends a signed checkpoint to the checkpoint file (as the hourly task does), mails it to
the DPOs when ``OSTOJA_AUDIT_CHECKPOINT_MAIL`` is on (as the daily task does), and prints
it: keep the line anywhere the server cannot reach, and pass it to ``audit_verify
--checkpoint`` later. Run it, say, before and after maintenance of the database."""

from typing import Any

from django.core.management.base import BaseCommand

from ostoja.privacy.checkpoints import checkpoint_share


class Command(BaseCommand):
    help = "Write a signed checkpoint of the audit chain's head to the file (and the DPOs)."

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint, file, sent = checkpoint_share()
        self.stdout.write(checkpoint.line())
        self.stderr.write(f"Checkpoint of entry {checkpoint.seq} appended to {file}.")
        if sent:
            self.stderr.write(f"Mailed to {sent} data protection officer(s).")
