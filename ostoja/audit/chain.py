"""The audit chain: ``link_n = HMAC(K_audit, link_{n-1} | canonical(entry_n))``.

``K_audit`` (``OSTOJA_AUDIT_KEY``) lives outside the database, so someone who can write to
the database cannot recompute the chain after editing a row (SECURITY.md §4.4). The entry's
``data`` enters the link only through ``data_hash``, so it can be redacted later — by
``ostoja.audit.services.entries_redact``, which writes an ``audit.entry_redacted`` entry
naming it. A redacted entry that no later entry names was redacted behind the
application's back (the database guards let the role do exactly that), and is a break.

What the chain alone cannot show is a tail cut off together with a head row rewritten to
match the new last entry. Checkpoints (``ostoja.audit.checkpoints``), signed copies of the
head kept outside the database, close that gap: ``verify`` is given them and reports an
entry that does not match one, or a chain that ends before the newest.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ostoja.audit.models import ENTRY_TARGET, REDACTED, REDACTION, AuditEntry, AuditHead
from ostoja.lib.crypto.keys import derive, keyring

if TYPE_CHECKING:
    from ostoja.audit.checkpoints import Checkpoint

__all__ = ["REDACTED", "Break", "data_hash", "link_of", "verify"]


def _canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


def data_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(_canonical(data)).hexdigest()


def link_of(entry: AuditEntry, previous: str) -> str:
    fields = {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": entry.actor_id,
        "organisation": entry.organisation_id,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_code": entry.target_code,
        "purpose": entry.purpose,
        "request_id": entry.request_id,
        "data_hash": entry.data_hash,
    }
    key = derive(keyring().audit_key, "audit", "chain")
    return hmac.new(key, previous.encode() + b"|" + _canonical(fields), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


def verify(batch: int = 2000, *, anchors: Iterable["Checkpoint"] = ()) -> Iterator[Break]:
    """Walk the chain from the first entry; yield each place where it breaks.

    ``anchors`` are checkpoints whose signatures the caller has checked. The walk streams
    the table in batches; what it keeps in memory is the anchors, and the numbers of the
    redacted entries it has passed whose redaction entry (later in the chain) it has not
    reached yet — as a bitmap, so a trail of ten million entries needs 1.25 MB for them
    however many were redacted.
    """
    previous, expected, last = "", 1, 0
    unexplained = _Numbers()
    wanted: dict[int, list[Checkpoint]] = {}
    for anchor in anchors:
        wanted.setdefault(anchor.seq, []).append(anchor)
    entries = AuditEntry.objects.order_by("seq")
    for entry in entries.iterator(chunk_size=batch):
        if entry.seq != expected:
            yield Break(expected, f"entry {expected} is missing (next is {entry.seq})")
        elif entry.data != REDACTED and data_hash(entry.data) != entry.data_hash:
            yield Break(entry.seq, "its data was changed")
        elif not hmac.compare_digest(link_of(entry, previous), entry.link):
            yield Break(entry.seq, "it does not follow from the entry before it")
        elif entry.action == REDACTION:
            # Only a sound redaction entry explains a redaction.
            yield from _explain(entry, unexplained)
        if entry.data == REDACTED:
            unexplained.add(entry.seq)
        for anchor in wanted.pop(entry.seq, []):
            if not hmac.compare_digest(anchor.link, entry.link):
                yield Break(entry.seq, f"it differs from the checkpoint of {anchor.at}")
        previous, expected, last = entry.link, entry.seq + 1, entry.seq
    for seq in unexplained:
        yield Break(
            seq,
            "its data was redacted, but no redaction entry names it "
            "(done behind the application's back)",
        )
    yield from _beyond(wanted, last)
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.seq != last:
        yield Break(last + 1, f"the chain ends at {last} but its head says {head.seq}")
    elif head is not None and head.link != previous:
        yield Break(last, "the head does not match the last entry")


def _explain(entry: AuditEntry, unexplained: "_Numbers") -> Iterator[Break]:
    """A redaction entry names the one entry it redacted, earlier in the chain and still
    redacted; that entry's redaction is then explained."""
    named = int(entry.target_code) if entry.target_code.isdecimal() else 0
    if entry.target_type != ENTRY_TARGET or not unexplained.discard(named):
        yield Break(
            entry.seq,
            f"it records the redaction of entry {entry.target_code or '?'}, "
            "which is not a redacted entry before it",
        )


def _beyond(wanted: dict[int, list["Checkpoint"]], last: int) -> Iterator[Break]:
    """Checkpoints whose entry the walk never met: missing from the middle of the chain
    (a gap, already reported as such), or past its end — a cut tail."""
    for seq in sorted(s for s in wanted if 0 < s <= last):
        yield Break(seq, f"it is missing, and the checkpoint of {wanted[seq][0].at} names it")
    after = sorted((s for s in wanted if s > last), reverse=True)
    if after:
        newest = wanted[after[0]][0]
        yield Break(
            last + 1,
            f"the chain ends at entry {last}, but the checkpoint of {newest.at} names entry "
            f"{newest.seq} with link {newest.link[:12]}…: its tail was cut",
        )


class _Numbers:
    """A set of entry numbers kept as a bitmap (one bit per number up to the largest),
    iterated in ascending order."""

    def __init__(self) -> None:
        self.bits = bytearray()

    def add(self, number: int) -> None:
        index, bit = divmod(number, 8)
        if index >= len(self.bits):
            self.bits.extend(bytes(max(index + 1 - len(self.bits), len(self.bits))))
        self.bits[index] |= 1 << bit

    def discard(self, number: int) -> bool:
        """Remove ``number``; whether it was there."""
        index, bit = divmod(number, 8)
        if index >= len(self.bits) or not self.bits[index] >> bit & 1:
            return False
        self.bits[index] &= ~(1 << bit) & 0xFF
        return True

    def __iter__(self) -> Iterator[int]:
        for index, byte in enumerate(self.bits):
            if byte:
                yield from (index * 8 + bit for bit in range(8) if byte >> bit & 1)
