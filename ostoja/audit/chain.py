"""The audit chain: ``link_n = HMAC(K_audit, link_{n-1} | canonical(entry_n))``.

``K_audit`` (``OSTOJA_AUDIT_KEY``) lives outside the database, so someone who can write to
the database cannot recompute the chain after editing a row (SECURITY.md §4.4). The entry's
``data`` enters the link only through ``data_hash``, so it can be redacted later.
"""

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ostoja.audit.models import AuditEntry, AuditHead
from ostoja.lib.crypto.keys import derive, keyring

REDACTED = {"redacted": True}


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


def verify(batch: int = 2000) -> Iterator[Break]:
    """Walk the chain from the first entry; yield each place where it breaks."""
    previous, expected = "", 1
    last = 0
    entries = AuditEntry.objects.order_by("seq")
    for entry in entries.iterator(chunk_size=batch):
        if entry.seq != expected:
            yield Break(expected, f"entry {expected} is missing (next is {entry.seq})")
        elif entry.data != REDACTED and data_hash(entry.data) != entry.data_hash:
            yield Break(entry.seq, "its data was changed")
        elif not hmac.compare_digest(link_of(entry, previous), entry.link):
            yield Break(entry.seq, "it does not follow from the entry before it")
        previous, expected, last = entry.link, entry.seq + 1, entry.seq
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.seq != last:
        yield Break(last + 1, f"the chain ends at {last} but its head says {head.seq}")
    elif head is not None and head.link != previous:
        yield Break(last, "the head does not match the last entry")
