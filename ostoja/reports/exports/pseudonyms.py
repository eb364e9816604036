"""Keyed pseudonyms for the statistics exports: the pseudonymisation domain of EDPB
Guidelines 01/2025 on pseudonymisation.

An export that has one row per person (HTCDS) must let its recipient tell rows of the same
person apart from rows of two people — also across exports, year after year — without
telling them who it is, and without anything they could turn back into our records. So a
row carries, for the person and the case, ``HMAC-SHA256(key, "<domain>:<record code>")``
(80 bits, base32): never a name, a case number, a date or the record's UUID code.

**The key is one the reporting side does not hold.** It is derived with HKDF from the
blind-index key (``OSTOJA_INDEX_KEY``, held outside the database, never shown to anyone)
under its own purpose (``statistics-pseudonym``) and the organisation's code as context:
the pseudonyms reveal nothing about the blind indexes and the blind indexes nothing about
them; an analyst or a recipient with every export and the whole database still cannot
compute one, nor undo one (a keyed one-way function of a random UUID). Another centre's
pseudonyms of the same person differ (its own context), so two centres' exports cannot be
joined. A key of its own (another variable to generate, escrow and rotate) would have
bought only independent rotation: rotating the index key (``rotate_keys --reindex``) also
renews every pseudonym, so the next export's people look new to the recipient — say so when
sending it.

**What the recipient can still do**, and why it is accepted: join the rows of one person
across exports (the point of a stable pseudonym). Suppression (``suppression.py``) works per
export; a value suppressed in one export may appear in another. The exports are therefore
pseudonymised personal data for their recipient, handed over as such (the disclosure
ledger records each), not anonymous data.
"""

import base64
import hashlib
import hmac

from ostoja.accounts.models import Organisation
from ostoja.lib.crypto.keys import derive, keyring

PURPOSE = "statistics-pseudonym"
BYTES = 10  # 80 bits: no two of a centre's records collide in practice


class Pseudonyms:
    """The pseudonyms of one organisation's statistics domain."""

    def __init__(self, organisation: Organisation, *, root: bytes | None = None) -> None:
        self._key = derive(
            root or keyring().index_key, PURPOSE, f"organisation:{organisation.code}"
        )

    def of(self, domain: str, code: str) -> str:
        """The pseudonym of the record ``code`` in ``domain`` (``person``, ``case``): the
        same every time, for this organisation and key."""
        if not code:
            return ""
        mac = hmac.new(self._key, f"{domain}:{code}".encode(), hashlib.sha256).digest()
        return base64.b32encode(mac[:BYTES]).decode("ascii").lower()
