"""Receipt codes (SECURITY.md §2.2, GlobaLeaks' model): 16 random digits, shown once, easy
to keep as if it were a phone number. The server keeps only ``lookup(code)``: scrypt of the
digits with a pepper derived from the index key, so a database alone cannot test guesses,
and each guess costs the server (and so an attacker) tens of milliseconds."""

import hashlib
import re
import secrets

from ostoja.lib.crypto.keys import derive, keyring

DIGITS = 16
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32, "maxmem": 64 * 2**20}


def new_code() -> str:
    """16 digits from the system's CSPRNG (about 53 bits)."""
    return "".join(secrets.choice("0123456789") for _ in range(DIGITS))


def normalise(typed: str) -> str | None:
    """The digits of what was typed (spaces and dashes allowed); ``None`` if not a code."""
    digits = re.sub(r"[\s-]", "", typed)
    return digits if len(digits) == DIGITS and digits.isascii() and digits.isdigit() else None


def grouped(code: str) -> str:
    """``1234 5678 9012 3456``: easier to copy by hand."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def lookup(code: str) -> str:
    pepper = derive(keyring().index_key, "portal", "receipt")
    return hashlib.scrypt(code.encode(), salt=pepper, **_SCRYPT).hex()
