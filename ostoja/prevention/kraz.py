"""KRAZ, Poland's register of employment agencies: importing the CSV the register
publishes, and looking an agency up by its register number or its name.

The register's export is read by its column headings, not their positions, since the
published file's columns have changed over the years: the register number is the column
whose heading names a number ("Numer wpisu", "Nr rejestru"…), the name the one that says
"Nazwa", the town "Miejscowość"/"Miasto", the tax number "NIP". Semicolon- or
comma-separated, UTF-8 or Windows-1250 (both occur in files exported from Polish public
registers)."""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ostoja.prevention.models import Agency

# Heading fragments (of a heading folded to ASCII lower case) -> our column.
_HEADINGS = (
    ("number", ("numer", "nr ")),
    ("name", ("nazwa",)),
    ("city", ("miejscowosc", "miasto")),
    ("tax_number", ("nip",)),
)
LOOKUP_LIMIT = 20


class KrazFormatError(ValueError):
    """The file is not a KRAZ export we can read (no number or no name column)."""


def name_key(name: str) -> str:
    """How a name is matched: lower case, one space between words, no quotes."""
    name = re.sub(r"[\"'„”“]", "", name.casefold())
    return " ".join(name.split())


def _fold(heading: str) -> str:
    decomposed = unicodedata.normalize("NFKD", heading.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1250")


def _columns(headings: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, heading in enumerate(headings):
        folded = _fold(heading) + " "
        for column, fragments in _HEADINGS:
            if column not in found and any(
                folded.startswith(f) or f" {f}" in folded for f in fragments
            ):
                found[column] = index
                break
    if "number" not in found or "name" not in found:
        raise KrazFormatError(
            "no register number or no name column in the headings: " + "; ".join(headings)
        )
    return found


@dataclass(frozen=True)
class Imported:
    created: int
    updated: int
    skipped: int


@transaction.atomic
def kraz_import(raw: bytes) -> Imported:
    """Add or update the agencies of a KRAZ export (by register number). Agencies no longer
    in the file are kept: a counselling record may refer to them, and the register's
    removals are entries too."""
    text = _decode(raw)
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    rows = csv.reader(io.StringIO(text), dialect)
    columns = _columns(next(rows, []))
    now = timezone.now()
    created = updated = skipped = 0
    for row in rows:
        values = {c: row[i].strip() if i < len(row) else "" for c, i in columns.items()}
        if not values["number"] or not values["name"]:
            skipped += 1
            continue
        _agency, was_created = Agency.objects.update_or_create(
            number=values["number"],
            defaults={
                "name": values["name"],
                "name_key": name_key(values["name"]),
                "city": values.get("city", "")[:120],
                "tax_number": values.get("tax_number", "")[:20],
                "imported_at": now,
            },
        )
        created += was_created
        updated += not was_created
    return Imported(created, updated, skipped)


def agencies_matching(query: str) -> QuerySet[Agency]:
    """Agencies whose register number is ``query`` or whose name contains it (at most
    ``LOOKUP_LIMIT``, exact number first)."""
    query = query.strip()
    if not query:
        return Agency.objects.none()
    by_number = Agency.objects.filter(number=query)
    if by_number.exists():
        return by_number
    return Agency.objects.filter(name_key__contains=name_key(query)).order_by("name")[:LOOKUP_LIMIT]


def agency_by_number(number: str) -> Agency | None:
    return Agency.objects.filter(number=number.strip()).first() if number.strip() else None
