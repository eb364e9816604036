"""Eurostat's trafficking in human beings tables (``crim_thb``; DOMAIN.md §4.1): registered
victims by sex and age group (``crim_thb_vsage``), by citizenship group (``crim_thb_vctz``)
and by form of exploitation (``crim_thb_vexp``), for each year of the period.

Registered victims are the presumed and the formally identified (``victims.Status``),
reported apart (``leg_stat`` ``PRESUMED``, ``IDENTIFIED``) and together (``REGISTERED``).
Each person counts once a year. Age: child (under 18, a possible minor included), adult,
unknown. Citizenship: the reporting country (Poland), another EU Member State, a country
outside the EU, unknown (a person's first citizenship). Form: the Eurostat group of the
case's forms (``cases.vocabulary.FORMS``); a person exploited in forms of more than one
group counts under "other forms" (each victim is counted once).

The dimensions are Eurostat's; its exact code lists were not verified (§4.1), so the codes
(``F``/``M``/``UNK``, ``Y_LT18``/``Y_GE18``, ``NAT``/``EU_FOR``/``NEU_FOR``, ``SEX_EXP``/
``LAB_EXP``/``OTH``) are to be checked against the national rapporteur's template.

Small cells: the tables are sums of the victim rows after ``suppression.suppress`` (the
quasi-identifiers: year, status, sex, age group, citizenship group, form), so no cell but
zero counts fewer than ``k`` people; values generalised go to ``UNK``. The people withheld
entirely are the ``SUPPRESSED`` row of ``REGISTERED``, so that in every block the categories
and ``SUPPRESSED`` add up to ``TOTAL``.
"""

import datetime as dt
import itertools
from collections import Counter

from django.utils.translation import gettext_lazy as _

from ostoja.cases import vocabulary as v
from ostoja.people.models import Person
from ostoja.reports.exports.suppression import Report, Row, Step, suppress
from ostoja.reports.exports.victims import REGISTERED, Status, Victim

GEO = "PL"  # the reporting country
# The 27 Member States (since 1 February 2020).
EU = frozenset(
    ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"]
    + ["IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]
)
SEX_OF: dict[str, str] = {Person.Gender.FEMININE: "F", Person.Gender.MASCULINE: "M"}
UNKNOWN = "UNK"
TOTAL = "TOTAL"
SUPPRESSED = "SUPPRESSED"
LEG_STATS = {Status.PRESUMED: "PRESUMED", Status.IDENTIFIED: "IDENTIFIED"}
ALL_REGISTERED = "REGISTERED"
SEXES = ["F", "M", UNKNOWN]
AGES = ["Y_LT18", "Y_GE18", UNKNOWN]
CITIZENS = ["NAT", "EU_FOR", "NEU_FOR", UNKNOWN]
FORMS = ["SEX_EXP", "LAB_EXP", "OTH", UNKNOWN]
TABLES: dict[str, list[tuple[str, list[str]]]] = {
    "crim_thb_vsage": [("sex", SEXES), ("age", AGES)],
    "crim_thb_vctz": [("citizen", CITIZENS)],
    "crim_thb_vexp": [("exploitation", FORMS)],
}
QUASI_IDENTIFIERS = ["time_period", "leg_stat", "sex", "age", "citizen", "exploitation"]
STEPS = [
    Step(_("citizenship"), {"citizen": UNKNOWN}),
    Step(_("age group"), {"age": UNKNOWN}),
    Step(_("form of exploitation"), {"exploitation": UNKNOWN}),
    Step(_("sex"), {"sex": UNKNOWN}),
]


def _citizen(code: str) -> str:
    if not code:
        return UNKNOWN
    if code == GEO:
        return "NAT"
    return "EU_FOR" if code in EU else "NEU_FOR"


def _form(forms: frozenset[str]) -> str:
    groups = {v.FORMS[form].eurostat for form in forms if form in v.FORMS}
    if not groups:
        return UNKNOWN
    return groups.pop() if len(groups) == 1 else "OTH"


def row(victim: Victim) -> Row:
    return {
        "time_period": str(victim.year),
        "leg_stat": LEG_STATS[victim.status],
        "sex": SEX_OF.get(victim.gender, UNKNOWN),
        "age": "Y_LT18" if victim.minor else UNKNOWN if victim.age is None else "Y_GE18",
        "citizen": _citizen(victim.citizenship),
        "exploitation": _form(victim.forms),
    }


def tables(
    victims: list[Victim], *, start: dt.date, end: dt.date, k: int
) -> tuple[dict[str, list[list[str]]], Report]:
    """The three tables as CSV rows (header first), and what was suppressed."""
    registered = [victim for victim in victims if victim.status in REGISTERED]
    rows = [row(victim) for victim in registered]
    done = suppress(
        rows, [victim.person for victim in registered], columns=QUASI_IDENTIFIERS, steps=STEPS, k=k
    )
    kept = set(done.kept)
    withheld = Counter(rows[i]["time_period"] for i in range(len(rows)) if i not in kept)
    years = [str(year) for year in range(start.year, end.year + 1)]
    out: dict[str, list[list[str]]] = {}
    for name, dimensions in TABLES.items():
        columns = [column for column, _values in dimensions]
        counts = Counter(
            (r["time_period"], r["leg_stat"], *(r[c] for c in columns)) for r in done.rows
        )
        lines = [["geo", "time_period", "leg_stat", *columns, "obs_value"]]
        for year in years:
            for leg_stat in [*LEG_STATS.values(), ALL_REGISTERED]:
                stats = list(LEG_STATS.values()) if leg_stat == ALL_REGISTERED else [leg_stat]
                total = 0
                for combination in itertools.product(*(values for _c, values in dimensions)):
                    count = sum(counts[year, stat, *combination] for stat in stats)
                    total += count
                    lines.append([GEO, year, leg_stat, *combination, str(count)])
                if leg_stat == ALL_REGISTERED:
                    total += withheld[year]
                    lines.append(
                        [GEO, year, leg_stat, *[SUPPRESSED] * len(columns), str(withheld[year])]
                    )
                lines.append([GEO, year, leg_stat, *[TOTAL] * len(columns), str(total)])
        out[name] = lines
    return out, done.report
