"""Checkpoints: the chain's head, signed, kept outside the database (SECURITY.md §4.4 item 5).

The chain proves that no entry was changed, but not that none was cut from the end: whoever
can delete the last entries as the database owner can also set the head row to the new last
entry, and the chain then verifies. A checkpoint — ``{seq, link, at}`` of the head, with an
HMAC from a key derived from ``OSTOJA_AUDIT_KEY`` (domain-separated from the chain's own key,
so a signature can never pass for a link) — is written where the database cannot reach:

* every hour, a line appended to ``OSTOJA_AUDIT_CHECKPOINT_DIR/checkpoints.jsonl`` (the
  directory 0700, the file 0600; put it on another volume or copy it off the server);
* every day, when ``OSTOJA_AUDIT_CHECKPOINT_MAIL`` is on, an e-mail holding nothing but the
  line to each data protection officer (``ostoja.privacy.checkpoints``);
* on demand, ``manage.py audit_checkpoint``.

``manage.py audit_verify`` reads the file (and lines pasted from the e-mails), refuses a
checkpoint whose signature does not hold, and has the walk compare the chain with the rest.
A checkpoint holds no personal data: a number, a link and a time.
"""

import datetime as dt
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ostoja.audit.models import AuditHead
from ostoja.lib.crypto.keys import derive, keyring

FILE_NAME = "checkpoints.jsonl"


@dataclass(frozen=True)
class Checkpoint:
    """The head of the chain at ``at`` (ISO 8601, UTC): its last number and link."""

    seq: int
    link: str
    at: str
    sig: str

    @property
    def authentic(self) -> bool:
        """Signed with this instance's audit key (not forged, not damaged)."""
        return hmac.compare_digest(self.sig, _signature(self.seq, self.link, self.at))

    def line(self) -> str:
        """The checkpoint as one line of JSON, as written to the file and the e-mail."""
        fields = {"seq": self.seq, "link": self.link, "at": self.at, "sig": self.sig}
        return json.dumps(fields, separators=(",", ":"))


def _signature(seq: int, link: str, at: str) -> str:
    key = derive(keyring().audit_key, "audit", "checkpoint")
    body = json.dumps({"at": at, "link": link, "seq": seq}, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def take() -> Checkpoint:
    """A signed checkpoint of the head as it is now. The head is one row, written in the
    transaction that appends an entry, so its number and link always belong together."""
    head = AuditHead.objects.get(pk=1)
    at = timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds")
    return Checkpoint(head.seq, head.link, at, _signature(head.seq, head.link, at))


def parse(text: str) -> Checkpoint:
    """A checkpoint from its line; ``ValueError`` (saying why) if it is not one."""
    try:
        fields = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError("not JSON") from None
    if not isinstance(fields, dict) or set(fields) != {"seq", "link", "at", "sig"}:
        raise ValueError("not a checkpoint: seq, link, at and sig are expected")
    seq, link, at, sig = fields["seq"], fields["link"], fields["at"], fields["sig"]
    if type(seq) is not int or seq < 0 or not all(isinstance(v, str) for v in (link, at, sig)):
        raise ValueError("not a checkpoint: a number and three texts are expected")
    return Checkpoint(seq, link, at, sig)


def path(directory: Path | None = None) -> Path:
    """The checkpoint file (of ``OSTOJA_AUDIT_CHECKPOINT_DIR`` unless told otherwise)."""
    return Path(directory or settings.OSTOJA_AUDIT_CHECKPOINT_DIR) / FILE_NAME


def read(file: Path) -> Iterator[tuple[int, Checkpoint | str]]:
    """Each line of a checkpoint file: its number, and the checkpoint or why it is not one
    (``FileNotFoundError`` if there is no file)."""
    with file.open(encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                yield number, parse(text)
            except ValueError as error:
                yield number, str(error)


def append(checkpoint: Checkpoint, directory: Path | None = None) -> Path:
    """Add the checkpoint's line to the file, creating the directory (0700) and the file
    (0600) when missing. One ``write`` of a short line to a file opened for appending, so
    two processes writing at once do not interleave; synced, as it is evidence."""
    file = path(directory)
    if not file.parent.is_dir():
        file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        file.parent.chmod(0o700)  # whatever the umask
    descriptor = os.open(file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
        os.write(descriptor, (checkpoint.line() + "\n").encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return file


def checkpoint_write() -> tuple[Checkpoint, Path]:
    """Take a checkpoint and append it to the file: the checkpoint and the file. (The
    DPO's copy by e-mail is ``ostoja.privacy.checkpoints``.)"""
    checkpoint = take()
    return checkpoint, append(checkpoint)
