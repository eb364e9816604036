"""Key material for field encryption, blind indexes and the audit chain.

Three independent secrets, all held outside the database (environment or ``*_FILE``), all
distinct from ``SECRET_KEY`` and from each other (SECURITY.md §3, ASVS 13.3):

* ``OSTOJA_FIELD_KEYS`` — one or more *root keys* for field encryption, as
  ``id:base64,id:base64`` (ids are whole numbers; the highest seals, all of them open).
  Rotation: add a key with a higher id, restart, run ``manage.py rotate_keys``, then drop
  the old key.
* ``OSTOJA_INDEX_KEY`` — the key of the blind indexes (base64).
* ``OSTOJA_AUDIT_KEY`` — the key of the audit chain's HMAC (base64).

Per-column keys are derived from a root key with HKDF-SHA256, domain-separated by purpose
and by ``table.column`` (CipherSweet's design), so no two columns share a key.
"""

import base64
import binascii
import secrets
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32


class KeyMaterialError(ValueError):
    """Key material is missing, malformed or unsafe."""


def generate_key() -> str:
    """A new random 256-bit key, base64-encoded (for ``*_KEY`` variables)."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def parse_key(name: str, text: str) -> bytes:
    """Decode one base64 key of at least 256 bits."""
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise KeyMaterialError(f"{name} is not valid base64") from None
    if len(key) < KEY_BYTES:
        raise KeyMaterialError(
            f"{name} is too short: at least {KEY_BYTES} bytes (base64) are needed"
        )
    return key


def parse_keyring(name: str, text: str) -> dict[int, bytes]:
    """Decode ``id:base64,id:base64`` into ``{id: key}``."""
    ring: dict[int, bytes] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key_id, separator, encoded = item.partition(":")
        if not separator or not key_id.isdigit() or not 0 < int(key_id) < 65536:
            raise KeyMaterialError(
                f"{name}: each key must be written id:base64 with an id of 1-65535"
            )
        if int(key_id) in ring:
            raise KeyMaterialError(f"{name}: key id {key_id} is given twice")
        ring[int(key_id)] = parse_key(f"{name} key {key_id}", encoded)
    if not ring:
        raise KeyMaterialError(f"{name} holds no key")
    return ring


def check_distinct(secret_key: str, keys: dict[str, tuple[str, bytes]]) -> None:
    """Refuse key material that repeats ``SECRET_KEY`` or another key: ``keys`` maps each
    name to the text it was given as and the key it decodes to."""
    seen: dict[bytes, str] = {secret_key.encode(): "SECRET_KEY"}
    for name, (text, key) in keys.items():
        if secret_key in (text.strip(), key.decode("latin-1")):
            raise KeyMaterialError(f"{name} must differ from SECRET_KEY")
        if key in seen:
            raise KeyMaterialError(f"{name} must differ from {seen[key]}")
        seen[key] = name


@dataclass(frozen=True)
class Keyring:
    field_keys: dict[int, bytes]
    index_key: bytes
    audit_key: bytes

    @property
    def newest(self) -> int:
        return max(self.field_keys)


@lru_cache(maxsize=4096)
def derive(root: bytes, purpose: str, context: str) -> bytes:
    """A 256-bit key for ``purpose`` (e.g. ``field``) and ``context`` (``table.column``)."""
    hkdf = HKDF(
        algorithm=SHA256(),
        length=KEY_BYTES,
        salt=b"ostoja/" + purpose.encode(),
        info=context.encode(),
    )
    return hkdf.derive(root)


def keyring() -> Keyring:
    """The keys configured in settings (validated at start-up by ``settings.py``)."""
    from django.conf import settings

    return Keyring(settings.FIELD_KEYS, settings.INDEX_KEY, settings.AUDIT_KEY)
