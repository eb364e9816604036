"""Blind indexes: keyed, truncated hashes of normalised values (SECURITY.md §3.1).

``blind_index(value, domain, bits)`` is HMAC-SHA256 under a key derived for ``domain`` from
``OSTOJA_INDEX_KEY``, truncated to ``bits``. Truncation is the point: many values share an
index value, so the index narrows a search to a handful of candidate rows, which are then
decrypted and compared, without the index fingerprinting anyone. ``planner_bits`` chooses
``bits`` by CipherSweet's rule: expected coincidences ``C = R / 2^bits`` with
``2 <= C <= sqrt(R)`` for ``R`` expected rows.

Normalisers make equal things equal before hashing: phone numbers to E.164
(``phonenumbers``), e-mail addresses to lower case, names to lower-case ASCII tokens in
sorted order (``unidecode``: Олександр → oleksandr, Nguyễn → nguyen; "Nowak Anna" equals
"Anna Nowak").
"""

import hashlib
import hmac
import math
import re
from collections.abc import Callable

import phonenumbers
from unidecode import unidecode

from ostoja.lib.crypto.keys import derive, keyring

DEFAULT_REGION = "PL"


def blind_index(normalised: str, *, domain: str, bits: int) -> int:
    """The ``bits``-bit index of an already normalised value in ``domain``."""
    if not 1 <= bits <= 32:
        raise ValueError("a blind index has 1 to 32 bits")
    key = derive(keyring().index_key, "index", domain)
    digest = hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") >> (32 - bits)


def planner_bits(rows: int, entropy_bits: float = 64.0) -> int:
    """The most bits that still leave at least 2 expected coincidences among ``rows`` rows
    (and at most sqrt(rows)), capped by the entropy of the value space."""
    if rows < 16:
        raise ValueError("too few rows to plan a blind index (CipherSweet: R >= 16)")
    most = math.floor(math.log2(rows / 2))  # C >= 2
    least = math.ceil(math.log2(math.sqrt(rows)))  # C <= sqrt(R)
    return max(least, min(most, math.floor(entropy_bits)))


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """E.164 (``+48221234567``) for anything that parses as a possible number, else the
    digits alone, so that an unusual number still matches itself."""
    try:
        number = phonenumbers.parse(str(raw), region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_possible_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return re.sub(r"\D", "", str(raw))


def normalise_email(raw: str) -> str:
    return str(raw).strip().lower()


def name_tokens(raw: str) -> list[str]:
    """Lower-case ASCII word tokens of a name, in any script."""
    return re.findall(r"[a-z0-9]+", unidecode(str(raw)).lower())


def normalise_name(raw: str) -> str:
    """Tokens in sorted order: order, case, diacritics and script do not matter."""
    return " ".join(sorted(name_tokens(raw)))


NORMALISERS: dict[str, Callable[[str], str]] = {
    "phone": normalise_phone,
    "email": normalise_email,
    "name": normalise_name,
}
