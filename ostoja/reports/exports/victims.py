"""The people assisted in a period, as the official exports count them — read-only, never
a name or any identity (DOMAIN.md §3–4).

**Who counts.** A client (not a related person, not a record merged into another) of a
case of the organisation that was open on at least one day of the period: from the later of
the case's opening and the day the client joined it, to its closing (or still open).

**Years.** Eurostat counts the victims of a reference year, so a person is one ``Victim``
row for each calendar year of the period in which one of their cases was open — a person
assisted in two years counts once in each, and once only in a year however many cases
they had in it (their cases' forms of exploitation, industries, means of control and
recruitment of that year are merged). Exports of one row per person take the person's
first year (``first_years``).

**Identification status**, kept apart as Eurostat requires (§4.1), as it stood at the end
of the year (or of the period, if sooner), as ``reports.figures`` defines it: *not a
victim* when the latest decision says so; otherwise formally *identified* after a decision
"identified victim" by the Police, the Border Guard or a prosecutor (§5.5); otherwise
*presumed* after any other decision (a possible victim, or identified by the centre or
another organisation) or a preliminary identification that applied victim standards; *not
assessed* without any. Registered victims = presumed + identified.

**Age** is the age on the first day the person was assisted in the year (from the date of
birth, else the estimate); a possible minor counts as a child (§0.3).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from enum import StrEnum

from django.db.models import F, Q

from ostoja.accounts.models import Organisation
from ostoja.cases.models import Case, CaseClient, RouteEvent
from ostoja.identification.models import Assessment, Decision, Preliminary
from ostoja.people.models import Person


class Status(StrEnum):
    IDENTIFIED = "identified"
    PRESUMED = "presumed"
    NOT_A_VICTIM = "not_a_victim"
    NOT_ASSESSED = "not_assessed"


REGISTERED = frozenset({Status.IDENTIFIED, Status.PRESUMED})


@dataclass(frozen=True)
class Victim:
    """One person assisted in one year (or, for ``assisted_in_cases``, in one case)."""

    person: int  # the primary key, to count people: never exported
    year: int
    gender: str  # Person.Gender (HTCDS prs_Gender)
    age: int | None
    minor: bool
    age_at_exploitation: int | None
    citizenship: str  # ISO 3166 alpha-2 or ""
    forms: frozenset[str]  # cases.vocabulary.FORMS keys
    industries: frozenset[str]
    control_methods: frozenset[str]
    recruitment: frozenset[str]
    exploitation_country: str  # ISO 3166 alpha-2 or ""
    status: Status
    decision: str  # Decision.Status of the latest decision, or ""
    decided_by: str  # Decision.DecidedBy of it, or "" (the centre for a preliminary one)
    case_status: str = ""  # Case.Status (assisted_in_cases only)
    case_stage: str = ""
    close_reason: str = ""
    # The records' codes, never exported: keyed pseudonyms are made from them (pseudonyms.py).
    person_code: str = ""
    case_code: str = ""  # assisted_in_cases only


@dataclass(frozen=True)
class _Link:
    person: Person
    case: Case
    start: dt.date
    end: dt.date | None


def _links(organisation: Organisation, start: dt.date, end: dt.date) -> list[_Link]:
    rows = (
        CaseClient.objects.filter(
            case__organisation=organisation,
            case__opened_on__lte=end,
            added_on__lte=end,
            person__kind=Person.Kind.CLIENT,
            person__merged_into__isnull=True,
        )
        .filter(Q(case__closed_on__isnull=True) | Q(case__closed_on__gte=start))
        .select_related("case", "person")
        .order_by("case__opened_on", "pk")
    )
    return [
        _Link(row.person, row.case, max(row.case.opened_on, row.added_on), row.case.closed_on)
        for row in rows
    ]


class _Context:
    """What the rows need beside the cases, read once for all the people."""

    def __init__(self, links: list[_Link]) -> None:
        people = {link.person.pk for link in links}
        cases = {link.case.pk for link in links}
        self.decisions: dict[int, list[Decision]] = defaultdict(list)
        for decision in Decision.objects.filter(person__in=people).order_by(
            "decided_on", "recorded_at"
        ):
            self.decisions[decision.person_id].append(decision)
        self.preliminary: dict[int, list[dt.date]] = defaultdict(list)
        for person, at in Preliminary.objects.filter(
            person__in=people, apply_standards=True
        ).values_list("person", "decided_at"):
            self.preliminary[person].append(at.date())
        self.ages: dict[int, int] = {
            person: age
            for person, age in Assessment.objects.filter(person__in=people)
            .order_by("created_at")
            .values_list("person", "age_at_exploitation")
            if age is not None
        }
        self.countries: dict[int, str] = {}
        for case, country in (
            RouteEvent.objects.filter(case__in=cases, kind=RouteEvent.Kind.EXPLOITATION)
            .order_by(F("start").asc(nulls_first=True), "pk")  # the latest stop last
            .values_list("case", "country")
        ):
            self.countries[case] = country.upper()

    def status(self, person: int, on: dt.date) -> tuple[Status, str, str]:
        """Status, the latest decision's status and who decided, on the day ``on``."""
        decisions = [d for d in self.decisions[person] if d.decided_on <= on]
        if decisions:
            latest = decisions[-1]
            formal = [d for d in decisions if d.status == Decision.Status.ACTUAL and d.is_formal]
            if latest.status == Decision.Status.NOT_A_VICTIM:
                return Status.NOT_A_VICTIM, latest.status, latest.decided_by
            if formal:
                return Status.IDENTIFIED, formal[-1].status, formal[-1].decided_by
            return Status.PRESUMED, latest.status, latest.decided_by
        if any(day <= on for day in self.preliminary[person]):
            return Status.PRESUMED, "", Decision.DecidedBy.CENTRE
        return Status.NOT_ASSESSED, "", ""


def _victim(
    links: list[_Link], context: _Context, year: int, first_day: dt.date, last_day: dt.date
) -> Victim:
    person = links[0].person
    age = person.age(first_day)
    status, decision, decided_by = context.status(person.pk, last_day)
    countries = [
        context.countries[link.case.pk] for link in links if link.case.pk in context.countries
    ]
    return Victim(
        person=person.pk,
        year=year,
        gender=person.gender,
        age=age,
        minor=person.is_minor(first_day),
        age_at_exploitation=context.ages.get(person.pk),
        citizenship=(person.citizenships or [""])[0].upper(),
        forms=frozenset(f for link in links for f in link.case.forms),
        industries=frozenset(i for link in links for i in link.case.industries),
        control_methods=frozenset(m for link in links for m in link.case.control_methods),
        recruitment=frozenset(r for link in links for r in link.case.recruitment),
        exploitation_country=countries[-1] if countries else "",
        status=status,
        decision=decision,
        decided_by=decided_by,
        person_code=str(person.code),
    )


def assisted(organisation: Organisation, start: dt.date, end: dt.date) -> list[Victim]:
    """One row per person and year of the period in which they were assisted, ordered by
    year (the module's docstring says what counts)."""
    links = _links(organisation, start, end)
    context = _Context(links)
    by_year: dict[tuple[int, int], list[_Link]] = defaultdict(list)
    for link in links:
        first = max(link.start, start)
        last = min(link.end or end, end)
        for year in range(first.year, last.year + 1):
            by_year[year, link.person.pk].append(link)
    rows = []
    for (year, _person), year_links in sorted(by_year.items(), key=lambda item: item[0]):
        first_day = max(dt.date(year, 1, 1), start, min(link.start for link in year_links))
        last_day = min(dt.date(year, 12, 31), end)
        rows.append(_victim(year_links, context, year, first_day, last_day))
    return rows


def first_years(victims: list[Victim]) -> list[Victim]:
    """Each person once: their row of the first year of the period they were assisted in."""
    seen: set[int] = set()
    first = []
    for victim in victims:  # ordered by year
        if victim.person not in seen:
            seen.add(victim.person)
            first.append(victim)
    return first


def assisted_in_cases(organisation: Organisation, start: dt.date, end: dt.date) -> list[Victim]:
    """One row per client of each case open in the period, with the case's own context
    and status; the identification status as it stood at the end of the period."""
    links = _links(organisation, start, end)
    context = _Context(links)
    rows = []
    for link in links:
        victim = _victim([link], context, max(link.start, start).year, max(link.start, start), end)
        rows.append(
            replace(
                victim,
                case_status=link.case.status,
                case_stage=link.case.stage,
                close_reason=link.case.close_reason,
                case_code=str(link.case.code),
            )
        )
    return rows
