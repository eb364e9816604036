"""The red-flag checklist as data (like the identification's indicator catalogue): check a
version, load it, and read a set of ticked flags as a risk level with its advice. The
shipped version 1 is ``reference/red_flags_1.json``; its sources are in the file itself.

The data format (one JSON object)::

    {"version": 1, "name": "…", "source": "…", "notes": "…",
     "medium_from": 3, "high_from": 6,
     "flags": [{"code": "fee-in-advance", "weight": 3,
                "text": {"en": "…", "pl": "…"}, "question": {…}, "advice": {…}}, …]}

A flag's wording is given in the staff's languages (``LANGUAGES``); its question and advice
also in the public portal's (``PUBLIC_LANGUAGES``: the job-offer self-check asks them). A
score is the sum of the weights ticked; the level is medium from ``medium_from`` and high
from ``high_from``.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ostoja.prevention.models import Flag, FlagCatalogue

SHIPPED = Path(__file__).resolve().parent / "reference" / "red_flags_1.json"
LANGUAGES = ("en", "pl")
PUBLIC_LANGUAGES = ("en", "pl", "uk", "ru", "vi")
# Each text and the languages it must be given in.
TEXTS = {"text": LANGUAGES, "question": PUBLIC_LANGUAGES, "advice": PUBLIC_LANGUAGES}
FLAG_FIELDS = frozenset({"code", "weight", *TEXTS})
CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_TEXT = 400


class Level(models.TextChoices):
    LOW = "low", _("Low risk")
    MEDIUM = "medium", _("Medium risk")
    HIGH = "high", _("High risk")


def read_shipped() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return data


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def validate_catalogue(data: Any) -> list[str]:
    """Every problem with ``data`` as a checklist; an empty list means it can be loaded."""
    if not isinstance(data, dict):
        return [gettext("The checklist must be a JSON object.")]
    errors: list[str] = []
    if not _whole(data.get("version")):
        errors.append(gettext("The version must be a whole number, 1 or more."))
    for field in ("name", "source"):
        if not isinstance(data.get(field), str) or not data[field].strip():
            errors.append(gettext("The checklist needs a “{field}”.").format(field=field))
    medium, high = data.get("medium_from"), data.get("high_from")
    ordered = isinstance(medium, int) and isinstance(high, int) and medium < high
    if not (_whole(medium) and _whole(high) and ordered):
        errors.append(
            gettext("“medium_from” and “high_from” must be whole numbers, the first smaller.")
        )
    flags = data.get("flags")
    if not isinstance(flags, list) or not flags:
        return [*errors, gettext("The checklist needs at least one flag.")]
    seen: set[str] = set()
    for number, flag in enumerate(flags, start=1):
        errors += _validate_flag(number, flag, seen)
    return errors


def _validate_flag(number: int, flag: Any, seen: set[str]) -> list[str]:
    where = gettext("Flag {number}").format(number=number)
    if not isinstance(flag, dict):
        return [gettext("{where}: must be a JSON object.").format(where=where)]
    errors: list[str] = []
    code = flag.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.match(code) or len(code) > 80:
        errors.append(
            gettext(
                "{where}: the code “{value}” must be lower-case letters, digits and hyphens."
            ).format(where=where, value=code)
        )
    elif code in seen:
        errors.append(gettext("{where}: “{code}” occurs twice.").format(where=where, code=code))
    else:
        seen.add(code)
    if not _whole(flag.get("weight")):
        errors.append(
            gettext("{where}: the weight must be a whole number, 1 or more.").format(where=where)
        )
    for field, languages in TEXTS.items():
        texts = flag.get(field)
        for language in languages:
            value = texts.get(language) if isinstance(texts, dict) else None
            if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
                errors.append(
                    gettext(
                        "{where}: “{field}” needs its “{language}” text (at most {max} characters)."
                    ).format(where=where, field=field, language=language, max=MAX_TEXT)
                )
    unknown = set(flag) - FLAG_FIELDS
    if unknown:
        errors.append(
            gettext("{where}: unknown fields {fields}.").format(
                where=where, fields=", ".join(sorted(unknown))
            )
        )
    return errors


@transaction.atomic
def load_catalogue(
    data: dict[str, Any], *, catalogue_model: Any = None, flag_model: Any = None
) -> FlagCatalogue:
    """Create the checklist and its flags from checked data (a data migration passes its
    historical models). Raises ``ValueError`` listing every problem; nothing is written
    then."""
    errors = validate_catalogue(data)
    if errors:
        raise ValueError("\n".join(errors))
    catalogue_class = catalogue_model or FlagCatalogue
    flag_class = flag_model or Flag
    catalogue = catalogue_class.objects.create(
        version=data["version"],
        name=data["name"],
        source=data["source"],
        notes=data.get("notes", ""),
        medium_from=data["medium_from"],
        high_from=data["high_from"],
    )
    flag_class.objects.bulk_create(
        flag_class(catalogue=catalogue, order=order, **{f: row[f] for f in FLAG_FIELDS})
        for order, row in enumerate(data["flags"], start=1)
    )
    result: FlagCatalogue = catalogue
    return result


@dataclass(frozen=True)
class Risk:
    """What a set of ticked flags says: the score, the level and the advice to give, in
    the catalogue's order."""

    score: int
    level: Level
    flags: tuple[Flag, ...]

    @property
    def advice(self) -> list[str]:
        return [flag.advice_text for flag in self.flags]


def risk_of(catalogue: FlagCatalogue, flags: Iterable[Flag]) -> Risk:
    """The risk of the flags ticked (flags of ``catalogue`` only)."""
    ticked = tuple(sorted((f for f in flags if f.catalogue_id == catalogue.pk), key=_order))
    score = sum(flag.weight for flag in ticked)
    if score >= catalogue.high_from:
        level = Level.HIGH
    elif score >= catalogue.medium_from:
        level = Level.MEDIUM
    else:
        level = Level.LOW
    return Risk(score, level, ticked)


def _order(flag: Flag) -> int:
    return flag.order
