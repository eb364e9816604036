"""Indicator catalogues as data: check a version a coordinator uploads, load it, and give it
back for download and editing (DOMAIN.md §1.7). The shipped version 1 is
``reference/ilo_2009.json``; its sources and what is unverified are in the file itself.

The data format (one JSON object)::

    {"version": 1, "name": "…", "source": "…", "notes": "…",
     "rules": {"dimension": [{"S": 2}, {"S": 1, "MW": 1}, …],
               "adult": [[dimension, …], …], "child": [[dimension, …], …], "source": "…"},
     "lists": {"adult_labour": [{"dimension", "code", "strength", "text_en", "text_pl",
                                 "verification", "note", "screening",
                                 "question_en", "question_pl"}, …], …}}

An indicator is keyed by (list, dimension, code): the same code may occur at recruitment
and at destination with different strengths.
"""

import json
import re
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from ostoja.identification.engine import COMBINATION_KEYS
from ostoja.identification.models import (
    Catalogue,
    Dimension,
    Indicator,
    ListCode,
    Strength,
    Verification,
)

SHIPPED = Path(__file__).resolve().parent / "reference" / "ilo_2009.json"

RULE_GROUPS = ("adult", "child")
INDICATOR_FIELDS = (
    "dimension",
    "code",
    "strength",
    "text_en",
    "text_pl",
    "verification",
    "note",
    "screening",
    "question_en",
    "question_pl",
)
CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_CODE = 80
MAX_TEXT = 300


def read_shipped() -> dict[str, Any]:
    """The shipped catalogue (version 1, ILO/EC 2009)."""
    data: dict[str, Any] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return data


def validate_catalogue(data: Any) -> list[str]:
    """Every problem with ``data`` as a catalogue, in words a coordinator can act on;
    an empty list means it can be loaded."""
    if not isinstance(data, dict):
        return [gettext("The catalogue must be a JSON object.")]
    errors: list[str] = []
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        errors.append(gettext("The version must be a whole number, 1 or more."))
    for field in ("name", "source"):
        if not isinstance(data.get(field), str) or not data[field].strip():
            errors.append(gettext("The catalogue needs a “{field}”.").format(field=field))
    if not isinstance(data.get("notes", ""), str):
        errors.append(gettext("The “notes” must be text."))
    errors += _validate_rules(data.get("rules"))
    errors += _validate_lists(data.get("lists"))
    return errors


def _validate_rules(rules: Any) -> list[str]:
    if not isinstance(rules, dict):
        return [gettext("The catalogue needs “rules”.")]
    errors: list[str] = []
    combinations = rules.get("dimension")
    if not isinstance(combinations, list) or not combinations:
        errors.append(gettext("The rules need at least one dimension combination."))
    else:
        for number, combination in enumerate(combinations, start=1):
            if not _is_combination(combination):
                errors.append(
                    gettext(
                        "Dimension combination {number} is malformed: use counts of S, M, W "
                        "or MW, each a whole number of 1 or more, e.g. {example}."
                    ).format(number=number, example='{"S": 1, "MW": 1}')
                )
    known = set(Dimension.values)
    for rule in RULE_GROUPS:
        groups = rules.get(rule)
        if not isinstance(groups, list) or not groups:
            errors.append(gettext("The rules need a “{rule}” rule.").format(rule=rule))
            continue
        for number, group in enumerate(groups, start=1):
            if not isinstance(group, list) or not group:
                errors.append(
                    gettext(
                        "Group {number} of the “{rule}” rule must be a list of dimensions."
                    ).format(number=number, rule=rule)
                )
                continue
            for dimension in group:
                if dimension not in known:
                    errors.append(
                        gettext(
                            "Group {number} of the “{rule}” rule refers to an unknown "
                            "dimension “{dimension}”."
                        ).format(number=number, rule=rule, dimension=dimension)
                    )
    return errors


def _is_combination(combination: Any) -> bool:
    return (
        isinstance(combination, dict)
        and bool(combination)
        and all(key in COMBINATION_KEYS for key in combination)
        and all(
            isinstance(count, int) and not isinstance(count, bool) and count >= 1
            for count in combination.values()
        )
    )


def _validate_lists(lists: Any) -> list[str]:
    if not isinstance(lists, dict):
        return [gettext("The catalogue needs “lists”.")]
    errors: list[str] = []
    for list_code in lists:
        if list_code not in ListCode.values:
            errors.append(gettext("Unknown list “{list}”.").format(list=list_code))
    for list_code in ListCode.values:
        indicators = lists.get(list_code)
        if not isinstance(indicators, list) or not indicators:
            errors.append(gettext("The list “{list}” is missing or empty.").format(list=list_code))
            continue
        seen: set[tuple[str, str]] = set()
        for number, indicator in enumerate(indicators, start=1):
            errors += _validate_indicator(list_code, number, indicator, seen)
    return errors


def _validate_indicator(
    list_code: str, number: int, indicator: Any, seen: set[tuple[str, str]]
) -> list[str]:
    where = gettext("List “{list}”, indicator {number}").format(list=list_code, number=number)
    if not isinstance(indicator, dict):
        return [gettext("{where}: must be a JSON object.").format(where=where)]
    errors: list[str] = []
    dimension = indicator.get("dimension")
    code = indicator.get("code")
    if dimension not in Dimension.values:
        errors.append(
            gettext("{where}: unknown dimension “{value}”.").format(where=where, value=dimension)
        )
    if not isinstance(code, str) or not CODE_PATTERN.match(code) or len(code) > MAX_CODE:
        errors.append(
            gettext(
                "{where}: the code “{value}” must be lower-case letters, digits and hyphens "
                "(at most {max} characters)."
            ).format(where=where, value=code, max=MAX_CODE)
        )
    elif isinstance(dimension, str):
        if (dimension, code) in seen:
            errors.append(
                gettext("{where}: “{code}” occurs twice in the dimension “{dimension}”.").format(
                    where=where, code=code, dimension=dimension
                )
            )
        seen.add((dimension, code))
    if indicator.get("strength") not in Strength.values:
        errors.append(
            gettext("{where}: unknown strength “{value}” (use S, M or W).").format(
                where=where, value=indicator.get("strength")
            )
        )
    if indicator.get("verification") not in Verification.values:
        errors.append(
            gettext("{where}: unknown verification “{value}” (use V, S or U).").format(
                where=where, value=indicator.get("verification")
            )
        )
    # Whole sentences per language: a translated language name does not decline.
    missing_text = {
        "text_en": gettext("{where}: the English wording is missing."),
        "text_pl": gettext("{where}: the Polish wording is missing."),
    }
    for field, message in missing_text.items():
        if not _filled(indicator.get(field)):
            errors.append(message.format(where=where))
    for field in ("text_en", "text_pl", "note", "question_en", "question_pl"):
        value = indicator.get(field, "")
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            errors.append(
                gettext("{where}: “{field}” must be text of at most {max} characters.").format(
                    where=where, field=field, max=MAX_TEXT
                )
            )
    screening = indicator.get("screening", False)
    if not isinstance(screening, bool):
        errors.append(gettext("{where}: “screening” must be true or false.").format(where=where))
    elif screening:
        missing_question = {
            "question_en": gettext("{where}: a screening indicator needs the English question."),
            "question_pl": gettext("{where}: a screening indicator needs the Polish question."),
        }
        for field, message in missing_question.items():
            if not _filled(indicator.get(field)):
                errors.append(message.format(where=where))
    unknown = set(indicator) - set(INDICATOR_FIELDS)
    if unknown:
        errors.append(
            gettext("{where}: unknown fields {fields}.").format(
                where=where, fields=", ".join(sorted(unknown))
            )
        )
    return errors


def _filled(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


@transaction.atomic
def load_catalogue(
    data: dict[str, Any],
    *,
    created_by: Any = None,
    catalogue_model: Any = None,
    indicator_model: Any = None,
) -> Catalogue:
    """Create the catalogue and its indicators from checked data.

    A data migration passes its historical models (``apps.get_model``) as
    ``catalogue_model``/``indicator_model``. Raises ``ValueError`` listing every problem
    when ``validate_catalogue`` finds any; nothing is written then."""
    errors = validate_catalogue(data)
    if errors:
        raise ValueError("\n".join(errors))
    catalogue_class = catalogue_model or Catalogue
    indicator_class = indicator_model or Indicator
    catalogue = catalogue_class.objects.create(
        version=data["version"],
        name=data["name"],
        source=data["source"],
        notes=data.get("notes", ""),
        rules=data["rules"],
        created_by=created_by,
    )
    indicator_class.objects.bulk_create(
        indicator_class(
            catalogue=catalogue,
            list_code=list_code,
            dimension=row["dimension"],
            code=row["code"],
            strength=row["strength"],
            text_en=row["text_en"],
            text_pl=row["text_pl"],
            verification=row["verification"],
            note=row.get("note", ""),
            screening=row.get("screening", False),
            question_en=row.get("question_en", ""),
            question_pl=row.get("question_pl", ""),
            order=order,
        )
        for list_code in ListCode.values
        for order, row in enumerate(data["lists"][list_code], start=1)
    )
    result: Catalogue = catalogue
    return result


def catalogue_as_data(catalogue: Catalogue) -> dict[str, Any]:
    """The catalogue in the format ``load_catalogue`` reads, for download and editing."""
    lists: dict[str, list[dict[str, Any]]] = {list_code: [] for list_code in ListCode.values}
    for indicator in catalogue.indicators.order_by("list_code", "order", "pk"):
        lists.setdefault(indicator.list_code, []).append(
            {field: getattr(indicator, field) for field in INDICATOR_FIELDS}
        )
    return {
        "version": catalogue.version,
        "name": catalogue.name,
        "source": catalogue.source,
        "notes": catalogue.notes,
        "rules": catalogue.rules,
        "lists": lists,
    }
