"""Sealing and opening values with AES-256-GCM, bound to where they are stored.

A sealed value is ``0x01 | key id (2 bytes) | nonce (12 bytes) | ciphertext + tag``. The
associated data binds it to its table, column and row and to the key id, so a ciphertext
copied to another row or column, or relabelled with another key id, does not open.
Opening never returns anything but the exact plaintext: any failure raises
``DecryptionError`` (fail closed, SECURITY.md §3.2).

Nonces are 96 random bits per value under a per-column key: far below GCM's 2^32 limit
for random nonces at our volumes (ASVS 11.3.4).
"""

import os
import struct
from typing import TypedDict

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ostoja.lib.crypto.keys import Keyring, derive, keyring

VERSION = 1
_HEADER = struct.Struct(">BH")  # version, key id
_NONCE = 12
OVERHEAD = _HEADER.size + _NONCE + 16


class Place(TypedDict):
    """Where a value is stored: what its ciphertext is bound to."""

    table: str
    column: str
    row: str


class DecryptionError(Exception):
    """A sealed value could not be opened: wrong place, wrong or missing key, or damage."""


class MissingKeyError(DecryptionError):
    """The key that sealed a value is not configured."""


def _aad(table: str, column: str, row: str, key_id: int) -> bytes:
    return "\x1f".join(("ostoja", str(VERSION), table, column, row, str(key_id))).encode()


def key_id_of(sealed: bytes) -> int:
    """The id of the root key that sealed ``sealed``."""
    if len(sealed) < OVERHEAD or sealed[0] != VERSION:
        raise DecryptionError("not a sealed value of a known version")
    return int(_HEADER.unpack_from(sealed)[1])


def seal(
    plaintext: bytes, *, table: str, column: str, row: str, keys: Keyring | None = None
) -> bytes:
    """Encrypt ``plaintext`` for ``table.column`` of the row identified by ``row``."""
    keys = keys or keyring()
    key_id = keys.newest
    key = derive(keys.field_keys[key_id], "field", f"{table}.{column}")
    nonce = os.urandom(_NONCE)
    body = AESGCM(key).encrypt(nonce, plaintext, _aad(table, column, row, key_id))
    return _HEADER.pack(VERSION, key_id) + nonce + body


def open_sealed(
    sealed: bytes, *, table: str, column: str, row: str, keys: Keyring | None = None
) -> bytes:
    """Decrypt what ``seal`` made for exactly this table, column and row."""
    keys = keys or keyring()
    key_id = key_id_of(sealed)
    root = keys.field_keys.get(key_id)
    if root is None:
        raise MissingKeyError(f"key {key_id} is not configured (OSTOJA_FIELD_KEYS)")
    key = derive(root, "field", f"{table}.{column}")
    nonce = sealed[_HEADER.size : _HEADER.size + _NONCE]
    try:
        return AESGCM(key).decrypt(
            nonce, sealed[_HEADER.size + _NONCE :], _aad(table, column, row, key_id)
        )
    except InvalidTag:
        raise DecryptionError(f"{table}.{column} of row {row} does not open") from None
