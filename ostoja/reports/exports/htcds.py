"""The cases of a period as IOM HTCDS v2.0 records (DOMAIN.md §3.1): one row per client of
each case open in the period, with the standard's own field names and values, read from
its published field list (``standards/htcds-2.0/fields.json``, copied unchanged) — every
row is checked against it before it goes out.

Only fields that identify nobody are written: the person's gender and citizenship, their
trafficking status and who decided it, and the case's trafficking context and status. No
name, date, place, number or free text — and small cells suppressed (citizenship first,
then the forms of exploitation, then gender). A multi-select field's values are separated
by ``;``; an empty cell is a value not recorded. ``vic_ForcedLabourIndustry`` is a single
choice: of several industries, the first in ISIC order.

**Identifiers.** A record of HTCDS has its person and its case; the standard's field list
names no identifier for them (its implementations use their own record ids). Ours are two
columns beside the standard's, ``prs_Pseudonym`` and ``cas_Pseudonym``: keyed pseudonyms of
the organisation's statistics domain (``pseudonyms.py``), the same for the same person or
case in every export, never the case number or a record's code.
"""

import functools
import json
from pathlib import Path
from typing import Any

import pycountry
from django.utils.translation import gettext_lazy as _

from ostoja.cases import vocabulary as v
from ostoja.cases.models import Case
from ostoja.identification.models import Decision
from ostoja.people.models import Person
from ostoja.reports.exports.pseudonyms import Pseudonyms
from ostoja.reports.exports.suppression import Row, Step, Suppressed, suppress
from ostoja.reports.exports.victims import Victim

STANDARD = Path(__file__).parent / "standards" / "htcds-2.0" / "fields.json"
SEPARATOR = ";"
# Ours, beside the standard's fields (the module's docstring says why).
PSEUDONYMS = ["prs_Pseudonym", "cas_Pseudonym"]
COLUMNS = [
    *PSEUDONYMS,
    "prs_Gender",
    "prs_Citizenship",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    "vic_MethodOfRecruitment",
    "vic_MethodsOfControl",
    "vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry",
    "vic_TypeOfSexExploitation",
    "cas_Status",
]
# The case's means of control (CTDC's names) whose HTCDS value is spelled otherwise.
CONTROL = {
    "Threats": "PhysicalThreats",
    "ThreatOfLawEnforcement": "ThreatsLawEnforcement",
    "PsychoactiveSubstances": "PsychoactiveSubstance",
    "RestrictsMovement": "Other",
    "UsesChildren": "Other",
}
SEXUAL = {"prostitution": "Prostitution", "pornography": "Pornography"}
EXPLOITATION = ["vic_TypeOfExploitation", "vic_ForcedLabourIndustry", "vic_TypeOfSexExploitation"]
QUASI_IDENTIFIERS = ["prs_Gender", "prs_Citizenship", *EXPLOITATION]
STEPS = [
    Step(_("citizenship"), {"prs_Citizenship": ""}),
    Step(_("form of exploitation"), dict.fromkeys(EXPLOITATION, "")),
    Step(_("sex"), {"prs_Gender": Person.Gender.UNKNOWN.value}),
]


@functools.cache
def standard() -> dict[str, dict[str, Any]]:
    """The standard's fields by name."""
    fields = json.loads(STANDARD.read_text(encoding="utf-8"))["fields"]
    return {field["field"]: field for field in fields}


def _allowed(field: dict[str, Any], value: str) -> bool:
    values: list[str] = field["values"]
    if values and values[0].startswith("Use ISO 3166"):
        return pycountry.countries.get(alpha_2=value) is not None
    return not values or value in values


def check(row: Row) -> None:
    """Refuse (``ValueError``) a field the standard does not have or a value it does not
    allow."""
    fields = standard()
    for name, cell in row.items():
        if name in PSEUDONYMS:
            continue
        if name not in fields:
            raise ValueError(f"HTCDS v2.0 has no field {name}")
        field = fields[name]
        multiple = field["type"].startswith("Multiselect")
        for value in cell.split(SEPARATOR) if multiple and cell else [cell] if cell else []:
            if not _allowed(field, value):
                raise ValueError(f"{value!r} is not a value of HTCDS {name}")


def _join(values: set[str], order: list[str]) -> str:
    return SEPARATOR.join(value for value in order if value in values)


def _case_status(victim: Victim) -> str:
    if victim.case_status == Case.Status.CLOSED:
        return "ClosedReferred" if victim.close_reason == Case.CloseReason.REFERRED else "Closed"
    return "FollowUp" if victim.case_stage == Case.Stage.FOLLOW_UP else "Active"


def row(victim: Victim, pseudonyms: Pseudonyms) -> Row:
    """The HTCDS row of one client of one case, before suppression."""
    fields = standard()
    industries = [i for i in v.INDUSTRIES if i in victim.industries]
    return {
        "prs_Pseudonym": pseudonyms.of("person", victim.person_code),
        "cas_Pseudonym": pseudonyms.of("case", victim.case_code),
        "prs_Gender": victim.gender,
        "prs_Citizenship": victim.citizenship,
        "vic_TraffickingStatus": victim.decision,
        "vic_TraffickingStatusDecisionMakingOrg": Decision.HTCDS_ORG.get(victim.decided_by, "")
        if victim.decision
        else "",
        "vic_MethodOfRecruitment": _join(
            set(victim.recruitment), fields["vic_MethodOfRecruitment"]["values"]
        ),
        "vic_MethodsOfControl": _join(
            {CONTROL.get(m, m) for m in victim.control_methods},
            fields["vic_MethodsOfControl"]["values"],
        ),
        "vic_TypeOfExploitation": _join(
            {v.FORMS[f].htcds for f in victim.forms if f in v.FORMS},
            fields["vic_TypeOfExploitation"]["values"],
        ),
        "vic_ForcedLabourIndustry": industries[0] if industries else "",
        "vic_TypeOfSexExploitation": _join(
            {SEXUAL[f] for f in victim.forms if f in SEXUAL},
            fields["vic_TypeOfSexExploitation"]["values"],
        ),
        "cas_Status": _case_status(victim),
    }


def htcds(clients: list[Victim], *, k: int, pseudonyms: Pseudonyms) -> Suppressed:
    """The HTCDS rows of the cases' clients, small cells suppressed, each row checked."""
    rows = [row(client, pseudonyms) for client in clients]
    for one in rows:
        check(one)
    return suppress(rows, [c.person for c in clients], columns=QUASI_IDENTIFIERS, steps=STEPS, k=k)
