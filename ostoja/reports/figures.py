"""Every figure Ostoja reports, defined once (issue #18): the dashboards, the annual report and
the exports all call these, so two screens can never disagree.

A figure is a read-only aggregate over one organisation and one period (``Period``: a range
of days, both ends included, in the organisation's time zone). It answers a ``Table`` of
``Row`` s — a category's key, its label in the active language, and a number — and a
``total``: the number of distinct things counted (contacts, people, stays …), which is *not*
the sum of the rows when one thing may fall into several rows (a contact in two languages, a
person exploited in two forms). Nothing here returns an identity: people are read only to
compute their age and are counted, never listed.

Each ``Figure`` says in words what counts, which date puts a record in the period and how a
record or person met twice is handled; the annual report prints those words under each table.

People assisted (``victims``) are the clients (not related persons, not records merged into
another) of the cases that were open on any day of the period (opened on or before its last
day, not closed before its first), from the day they joined the case — one selector with the
exports, ``reports.exports.victims``. A person is counted
once per period however many cases they had; a person assisted in two years counts once in
each. Their identification status is the one at the end of the period, and the statuses are
exclusive, so that presumed and formally identified victims are kept apart and add up to the
registered victims as Eurostat requires (DOMAIN.md §4.1):

* ``identified`` — an identification decision "identified victim" by the Police, the Border
  Guard or a prosecutor (formal identification, DOMAIN.md §5.5) on or before the period's
  end, not followed by a decision that the person is not a victim;
* ``presumed`` — otherwise, a decision "possible victim", or "identified" by the centre or
  another organisation, or a preliminary identification that applied victim standards, on
  or before the period's end (local time);
* ``not_victim`` — the latest decision says the person is not a victim;
* ``undetermined`` — no decision recorded yet.

A person presumed in one year and formally identified in the next is presumed in the first
year's report and identified in the second's; within one report they are counted once.
"""

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ostoja.accounts.models import Organisation
from ostoja.cases import vocabulary as v
from ostoja.cases.models import Case, CaseClient, Deadline, Service
from ostoja.helpline.models import Contact, ContactTally, FollowUp
from ostoja.identification.models import Decision
from ostoja.interventions.models import Intervention
from ostoja.lib.iso import country_name, language_name
from ostoja.network.models import Booking, Consultation, Referral, Training
from ostoja.network.vocabulary import PartnerKind, Voivodeship
from ostoja.people.models import ADULT_AGE, Person
from ostoja.prevention.models import Counselling
from ostoja.reports.exports.victims import assisted_once
from ostoja.shelter.models import Bed, Facility, Placement, nights_between

Number = int | Decimal

# The key of a row for "nothing recorded" (a blank field, no language, no form …).
NOT_RECORDED = "-"
NOT_RECORDED_LABEL = _("Not recorded")

# Citizenship groups (Eurostat crim_thb): the reporting country, another EU member state,
# a country outside the EU.
REPORTING_COUNTRY = "PL"
EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()  # noqa: SIM905
)
CITIZENSHIP_GROUPS: dict[str, Promise] = {
    "national": _("Polish citizens"),
    "eu": _("Citizens of another EU country"),
    "non_eu": _("Citizens of a non-EU country"),
    NOT_RECORDED: NOT_RECORDED_LABEL,
}
# Age groups at the first day the person was assisted in the period.
AGE_GROUPS: dict[str, Promise] = {
    "0-17": _("under 18"),
    "18-24": _("18–24"),
    "25-34": _("25–34"),
    "35-44": _("35–44"),
    "45-54": _("45–54"),
    "55+": _("55 and over"),
    NOT_RECORDED: _("Age unknown"),
}
_AGE_BOUNDS = [(ADULT_AGE, "0-17"), (25, "18-24"), (35, "25-34"), (45, "35-44"), (55, "45-54")]
# Eurostat crim_thb's age: child (under 18, or possibly so) / adult / unknown.
EUROSTAT_AGE: dict[str, Promise] = {
    "child": _("Children"),
    "adult": _("Adults"),
    NOT_RECORDED: _("Age unknown"),
}
EUROSTAT_FORMS: dict[str, Promise] = {
    "SEX_EXP": _("Sexual exploitation"),
    "LAB_EXP": _("Forced labour or services"),
    "OTH": _("Other forms of exploitation"),
    NOT_RECORDED: NOT_RECORDED_LABEL,
}
IDENTIFICATION: dict[str, Promise] = {
    "identified": _("Formally identified victim"),
    "presumed": _("Presumed victim"),
    "not_victim": _("Found not to be victims"),
    "undetermined": _("No identification decision yet"),
}
# Minutes from the first contact to the first action of an intervention.
FIRST_ACTION_BANDS: list[tuple[int | None, str, Promise]] = [
    (15, "0-15", _("within 15 minutes")),
    (60, "15-60", _("15 minutes to an hour")),
    (240, "60-240", _("1 to 4 hours")),
    (None, "240+", _("more than 4 hours")),
]
RESPONSE_BANDS: list[tuple[int | None, str, Promise]] = [
    (0, "0-1", _("within the hour")),
    (23, "1-24", _("the same day (up to 24 hours)")),
    (71, "24-72", _("within 3 days")),
    (None, "72+", _("more than 3 days")),
]
CONSULTATION_OUTCOMES: list[tuple[str, Promise]] = [
    ("case", _("a case was opened")),
    ("intervention", _("an emergency intervention")),
    ("advice", _("advice only")),
]
STAY_BANDS: list[tuple[int | None, str, Promise]] = [
    (7, "0-7", _("up to a week")),
    (30, "8-30", _("8 to 30 nights")),
    (90, "31-90", _("31 to 90 nights")),
    (None, "91+", _("more than 90 nights")),
]
OWN_FACILITIES = (Facility.Kind.SHELTER, Facility.Kind.APARTMENT)


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends after it starts")

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self, time_zone: str) -> tuple[dt.datetime, dt.datetime]:
        """The instants from the first day's midnight to the midnight after the last day
        (the second excluded), local time."""
        zone = ZoneInfo(time_zone)
        return (
            dt.datetime.combine(self.start, dt.time(), tzinfo=zone),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=zone),
        )

    def __str__(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    value: Number


@dataclass
class Table:
    """One figure's answer: rows in a stable order (a vocabulary's own order, or the
    largest first for open lists) and the distinct things counted."""

    figure: "Figure"
    rows: list[Row]
    total: Number

    @property
    def empty(self) -> bool:
        return not self.total and not any(row.value for row in self.rows)

    @property
    def key(self) -> str:
        return self.figure.key

    @property
    def title(self) -> Promise:
        return self.figure.title

    @property
    def unit(self) -> Promise:
        return self.figure.unit

    @property
    def note(self) -> str:
        """What counts, which date decides, what is counted twice — in words."""
        return f"{self.figure.counts} {self.figure.date} {self.figure.once}"

    def values(self) -> dict[str, Number]:
        """``{key: value}`` of the rows that are not zero (what tests compare)."""
        return {row.key: row.value for row in self.rows if row.value}

    def as_dict(self) -> dict[str, Any]:
        return {
            "figure": self.figure.key,
            "rows": [{"key": r.key, "label": r.label, "value": r.value} for r in self.rows],
            "total": self.total,
        }


Compute = Callable[[Organisation, Period], tuple[list[Row], Number]]


@dataclass(frozen=True)
class Figure:
    """One figure: its name, what it counts, the date that decides its period, and how
    something met twice is handled."""

    # A template reading ``table.figure`` shows the figure, it does not compute it again.
    do_not_call_in_templates: ClassVar[bool] = True

    key: str
    section: str
    title: Promise
    unit: Promise
    counts: Promise
    date: Promise
    once: Promise
    compute: Compute = field(repr=False)

    def __call__(self, organisation: Organisation, period: Period) -> Table:
        rows, total = self.compute(organisation, period)
        return Table(self, rows, total)


# --- helpers -----------------------------------------------------------------------------


def _grouped(qs: QuerySet[Any], by: str, value: Any = None) -> dict[Any, Number]:
    """``{value of by: count of rows (or value)}`` over ``qs``, with no ordering in the
    GROUP BY (``qs`` joins nothing that repeats its rows)."""
    value = value if value is not None else Count("pk")
    return {k: n or 0 for k, n in qs.order_by().values_list(by).annotate(n=value)}


def _rows(counts: dict[Any, Number], labels: Iterable[tuple[str, Any]]) -> list[Row]:
    """Rows for every label in order, zeros included; then keys the labels do not know, as
    they are, and "not recorded" (blank keys) if there are any."""
    known = dict(labels)
    rows = [Row(str(key), str(label), counts.get(key, 0)) for key, label in known.items()]
    missing = sum(n for k, n in counts.items() if k in ("", None, NOT_RECORDED))
    others = [(k, n) for k, n in counts.items() if k not in known and k not in ("", None)]
    rows += [Row(str(k), str(k), n) for k, n in others if k != NOT_RECORDED]
    if missing and NOT_RECORDED not in known:
        rows.append(Row(NOT_RECORDED, str(NOT_RECORDED_LABEL), missing))
    return rows


def _open_rows(counts: dict[Any, Number], name: Callable[[str], str]) -> list[Row]:
    """Rows of an open list (languages, countries): largest first, then by key."""
    ordered = sorted(((k, n) for k, n in counts.items() if n), key=lambda kn: (-kn[1], str(kn[0])))
    return [
        Row(
            NOT_RECORDED if k in ("", None) else str(k),
            str(NOT_RECORDED_LABEL) if k in ("", None, NOT_RECORDED) else name(str(k)),
            n,
        )
        for k, n in ordered
    ]


def _between(org: Organisation, period: Period) -> tuple[dt.datetime, dt.datetime]:
    return period.bounds(org.time_zone)


def _in(field_name: str, org: Organisation, period: Period) -> Q:
    """``field_name`` (a datetime) within the period, local time."""
    start, end = _between(org, period)
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


def _on(field_name: str, period: Period) -> Q:
    """``field_name`` (a date) within the period."""
    return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lte": period.end})


def _banded(
    values: Iterable[int | None], bands: list[tuple[int | None, str, Promise]]
) -> list[Row]:
    counts: Counter[str] = Counter()
    for value in values:
        if value is None:
            counts[NOT_RECORDED] += 1
            continue
        key = next(k for limit, k, _l in bands if limit is None or value <= limit)
        counts[key] += 1
    return _rows(dict(counts), [(k, label) for _l, k, label in bands])


# --- helpline ----------------------------------------------------------------------------


def contacts(org: Organisation, period: Period) -> QuerySet[Contact]:
    """Contacts counted: completed contacts that began in the period (a draft still being
    written is not counted until it is completed). The contact figures read these from
    the roll-up ``ContactTally`` (``ostoja.helpline.rollups``: a count per local day and
    value, kept in step by every helpline service and proved equal to this query in
    ``reports/tests/test_rollups.py``)."""
    return Contact.objects.filter(
        _in("started_at", org, period), organisation=org, status=Contact.Status.COMPLETED
    )


def _tallied(org: Organisation, period: Period, dimension: str) -> dict[str, int]:
    """``{value: contacts}`` of one dimension of the roll-up over the period's days."""
    rows = ContactTally.objects.filter(
        _on("day", period), organisation=org, dimension=dimension
    ).exclude(count=0)
    return {k: n or 0 for k, n in rows.order_by().values_list("value").annotate(n=Sum("count"))}


def today(org: Organisation) -> Period:
    """Today in the organisation's time zone."""
    day = timezone.localtime(timezone.now(), ZoneInfo(org.time_zone)).date()
    return Period(day, day)


def this_week(org: Organisation) -> Period:
    """This week so far (Monday to today), the organisation's time zone."""
    day = today(org).end
    return Period(day - dt.timedelta(days=day.weekday()), day)


def open_follow_ups(org: Organisation, assignee: Any = None) -> QuerySet[FollowUp]:
    """Follow-ups of the organisation's contacts not done yet (now, not a period), of
    drafts too: a task is a task whatever its contact's state; ``assignee``'s only when
    given."""
    found = FollowUp.objects.filter(contact__organisation=org, done_at__isnull=True)
    return found.filter(assignee=assignee) if assignee is not None else found


def _contacts_total(org: Organisation, period: Period) -> int:
    return sum(_tallied(org, period, ContactTally.Dimension.TOTAL).values())


def _contacts_by(dimension: str, labels: Iterable[tuple[str, Any]]) -> Compute:
    def compute(org: Organisation, period: Period) -> tuple[list[Row], Number]:
        counts: dict[Any, Number] = dict(_tallied(org, period, dimension))
        return _rows(counts, labels), _contacts_total(org, period)

    return compute


def _contacts_by_language(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    counts: dict[Any, Number] = dict(_tallied(org, period, ContactTally.Dimension.LANGUAGE))
    return _open_rows(counts, language_name), _contacts_total(org, period)


def _contacts_by_purpose(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    counts: dict[Any, Number] = dict(_tallied(org, period, ContactTally.Dimension.PURPOSE))
    counts[""] = counts.get("", 0)
    return _rows(counts, Contact.Purpose.choices), _contacts_total(org, period)


def _month_rows(counts: dict[dt.date, Number], period: Period) -> list[Row]:
    """Rows of ``{first day of a month: n}``, every month of the period."""
    rows = []
    month = period.start.replace(day=1)
    while month <= period.end:
        label = f"{MONTHS[month.month]} {month.year}"
        rows.append(Row(f"{month:%Y-%m}", str(label), counts.get(month, 0)))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return rows


def _by_month(qs: QuerySet[Any], field: str, org: Organisation, period: Period) -> list[Row]:
    """Rows of ``qs`` by the local month of ``field``, every month of the period."""
    zone = ZoneInfo(org.time_zone)
    counts = {
        month.date() if isinstance(month, dt.datetime) else month: n
        for month, n in _grouped(qs.annotate(m=TruncMonth(field, tzinfo=zone)), "m").items()
    }
    return _month_rows(counts, period)


def _contacts_by_month(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    days = ContactTally.objects.filter(
        _on("day", period), organisation=org, dimension=ContactTally.Dimension.TOTAL
    ).values_list("day", "count")
    counts: Counter[dt.date] = Counter()
    for day, n in days:
        counts[day.replace(day=1)] += n
    return _month_rows(dict(counts), period), sum(counts.values())


def _contacts_by_hour(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    counts = _tallied(org, period, ContactTally.Dimension.HOUR)
    rows = [Row(f"{h:02d}", f"{h:02d}:00–{h:02d}:59", counts.get(f"{h:02d}", 0)) for h in range(24)]
    return rows, sum(counts.values())


# --- institutions, prevention ------------------------------------------------------------


def _consultations(org: Organisation, period: Period) -> QuerySet[Consultation]:
    return Consultation.objects.filter(_in("asked_at", org, period), organisation=org)


def _consultations_by_kind(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    qs = _consultations(org, period)
    return _rows(_grouped(qs, "partner__kind"), PartnerKind.choices), qs.count()


def _consultations_by_topic(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    qs = _consultations(org, period)
    return _rows(_grouped(qs, "topic"), Consultation.Topic.choices), qs.count()


def _consultations_by_voivodeship(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    qs = _consultations(org, period)
    return _rows(_grouped(qs, "partner__voivodeship"), Voivodeship.choices), qs.count()


def _consultations_by_month(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    qs = _consultations(org, period)
    return _by_month(qs, "asked_at", org, period), qs.count()


def _consultations_response(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    """Hours from the question to the advice; "not recorded" while it waits for one."""
    times = _consultations(org, period).values_list("asked_at", "answered_at")
    hours = [
        None if answered is None else max(0, int((answered - asked).total_seconds() // 3600))
        for asked, answered in times
    ]
    return _banded(hours, RESPONSE_BANDS), len(hours)


def _consultations_outcome(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    """What each consultation led to: a case, an emergency intervention (without a case),
    or advice only."""
    counts: Counter[str] = Counter()
    for case_id, intervention_id in _consultations(org, period).values_list(
        "case_id", "intervention_id"
    ):
        counts["case" if case_id else "intervention" if intervention_id else "advice"] += 1
    return _rows(dict(counts), CONSULTATION_OUTCOMES), sum(counts.values())


def _trainings(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    qs = Training.objects.filter(_on("held_on", period), organisation=org)
    return _rows(_grouped(qs, "kind"), Training.Kind.choices), qs.count()


def _training_participants(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    qs = Training.objects.filter(_on("held_on", period), organisation=org)
    counts = _grouped(qs, "kind", Sum("participants"))
    rows = _rows(counts, Training.Kind.choices)
    return rows, sum(row.value for row in rows)


def _counselling(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    qs = Counselling.objects.filter(_in("created_at", org, period), organisation=org)
    return _rows(_grouped(qs, "work"), Counselling.Work.choices), qs.count()


# --- people assisted ---------------------------------------------------------------------


@dataclass(frozen=True)
class Victim:
    """One person assisted in the period, without identity: what the statistics and the
    exports need (DOMAIN.md §3.2–3.4, §4.1)."""

    gender: str
    age: int | None
    age_group: str
    eurostat_age: str
    citizenship: str  # the first citizenship recorded (ISO 3166), or NOT_RECORDED
    citizenship_group: str
    forms: tuple[str, ...]  # Polish legal categories (cases.vocabulary.FORMS)
    eurostat_forms: tuple[str, ...]
    harms: tuple[str, ...]  # the centre's broader harm types (cases.vocabulary.HARMS)
    status: str  # IDENTIFICATION
    identified_by: str  # Decision.DecidedBy, or NOT_RECORDED
    first_day: dt.date  # the first day the person was assisted in the period


def cases_open_in(org: Organisation, period: Period) -> QuerySet[Case]:
    """The cases open on any day of the period."""
    return Case.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.start),
        organisation=org,
        opened_on__lte=period.end,
    )


def _age_group(age: int | None, minor: bool) -> tuple[str, str]:
    if age is None:
        return ("0-17", "child") if minor else (NOT_RECORDED, NOT_RECORDED)
    if minor:
        return "0-17", "child"
    group = next((key for bound, key in _AGE_BOUNDS if age < bound), "55+")
    return group, "child" if group == "0-17" else "adult"


def _citizenship_group(country: str) -> str:
    if country == NOT_RECORDED:
        return NOT_RECORDED
    if country == REPORTING_COUNTRY:
        return "national"
    return "eu" if country in EU_COUNTRIES else "non_eu"


# The selector's statuses (``reports.exports.victims.Status``) under the figures' keys.
_STATUS = {
    "identified": "identified",
    "presumed": "presumed",
    "not_a_victim": "not_victim",
    "not_assessed": "undetermined",
}


def victims(org: Organisation, period: Period) -> list[Victim]:
    """The people assisted in the period, once each (the module's docstring): the exports'
    own selector (``reports.exports.victims.assisted_once``: who counts, the status at the
    period's end, the age on the first day), in the figures' categories."""
    result = []
    for person in assisted_once(org, period.start, period.end):
        group, child = _age_group(person.age, person.minor)
        country = person.citizenship or NOT_RECORDED
        person_forms = tuple(sorted(f for f in person.forms if f in v.FORMS))
        assert person.first_day is not None  # noqa: S101  # assisted_once sets it
        result.append(
            Victim(
                gender=person.gender,
                age=person.age,
                age_group=group,
                eurostat_age=child,
                citizenship=country,
                citizenship_group=_citizenship_group(country),
                forms=person_forms,
                eurostat_forms=tuple(sorted({v.FORMS[f].eurostat for f in person_forms})),
                harms=tuple(sorted(h for h in person.harms if h in v.HARMS)),
                status=_STATUS[person.status],
                identified_by=person.decided_by or NOT_RECORDED,
                first_day=person.first_day,
            )
        )
    return result


def _victims_by(attribute: str, labels: Iterable[tuple[str, Any]] | None = None) -> Compute:
    """People assisted by one attribute of ``Victim`` (a tuple attribute: once per value,
    "not recorded" when empty)."""

    def compute(org: Organisation, period: Period) -> tuple[list[Row], Number]:
        people = victims(org, period)
        counts: Counter[str] = Counter()
        for person in people:
            value = getattr(person, attribute)
            if isinstance(value, tuple):
                counts.update(value or (NOT_RECORDED,))
            else:
                counts[value or NOT_RECORDED] += 1
        if labels is None:
            return _open_rows(dict(counts), country_name), len(people)
        return _rows(dict(counts), labels), len(people)

    return compute


# --- cases -------------------------------------------------------------------------------


def caseload_by_status(cases: QuerySet[Case]) -> list[Row]:
    """Cases by status now, over ``cases`` (the cases a user may see): what the case list
    shows when filtered by each status. A case is counted once."""
    counts = _grouped(Case.objects.filter(pk__in=cases.values("pk")), "status")
    return _rows(counts, Case.Status.choices)


def caseload_by_stage(cases: QuerySet[Case]) -> list[Row]:
    """Cases not closed, by stage now."""
    open_cases = Case.objects.filter(pk__in=cases.values("pk")).exclude(status=Case.Status.CLOSED)
    return _rows(_grouped(open_cases, "stage"), Case.Stage.choices)


def missed_deadlines(cases: QuerySet[Case]) -> QuerySet[Deadline]:
    """Deadlines of open cases that passed unmet (today excluded)."""
    return Deadline.objects.filter(
        case__in=cases.exclude(status=Case.Status.CLOSED).values("pk"),
        met_at__isnull=True,
        due__lt=timezone.localdate(),
    )


def _cases_opened(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    qs = Case.objects.filter(_on("opened_on", period), organisation=org)
    return _rows(_grouped(qs, "referred_by"), v.Referrer.choices), qs.count()


def _cases_closed(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    qs = Case.objects.filter(_on("closed_on", period), organisation=org)
    return _rows(_grouped(qs, "close_reason"), Case.CloseReason.choices), qs.count()


def _services(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    qs = Service.objects.filter(_on("delivered_on", period), case__organisation=org)
    return _rows(_grouped(qs, "kind"), v.ServiceKind.choices), qs.count()


def _referrals(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    qs = Referral.objects.filter(_in("sent_at", org, period), organisation=org)
    return _rows(_grouped(qs, "partner__kind"), PartnerKind.choices), qs.count()


def _interpreting(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    qs = Booking.objects.filter(_in("starts_at", org, period), organisation=org)
    counts: dict[Any, Number] = {
        k: _hours(n) for k, n in _grouped(qs, "language", Sum("hours")).items()
    }
    return _open_rows(counts, language_name), _hours(qs.aggregate(h=Sum("hours"))["h"])


def _hours(value: Number | None) -> Decimal:
    """Hours to the hundredth, whatever the database returns a sum of decimals as."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


# --- interventions -----------------------------------------------------------------------


def _interventions(org: Organisation, period: Period) -> QuerySet[Intervention]:
    return Intervention.objects.filter(_in("opened_at", org, period), organisation=org)


def _interventions_by(by: str, labels: Iterable[tuple[str, Any]]) -> Compute:
    def compute(org: Organisation, period: Period) -> tuple[list[Row], Number]:
        qs = _interventions(org, period)
        return _rows(_grouped(qs, by), labels), qs.count()

    return compute


def minutes_to_first_action(org: Organisation, period: Period) -> list[int | None]:
    """Whole minutes from the first contact to the first action, per intervention opened
    in the period (None: no action recorded yet)."""
    return [
        None if delay is None else int(delay.total_seconds() // 60)
        for delay in _interventions(org, period)
        .annotate(delay=F("first_action_at") - F("first_contact_at"))
        .values_list("delay", flat=True)
    ]


def _first_action(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    minutes = minutes_to_first_action(org, period)
    return _banded(minutes, FIRST_ACTION_BANDS), len(minutes)


def median_minutes_to_first_action(org: Organisation, period: Period) -> float | None:
    minutes = [m for m in minutes_to_first_action(org, period) if m is not None]
    return statistics.median(minutes) if minutes else None


# --- shelter -----------------------------------------------------------------------------


def _placements(org: Organisation, period: Period) -> QuerySet[Placement]:
    """Placements that were in a bed at some moment of the period."""
    start, end = _between(org, period)
    return Placement.objects.filter(
        Q(discharged_at__isnull=True) | Q(discharged_at__gt=start),
        organisation=org,
        admitted_at__isnull=False,
        admitted_at__lt=end,
    )


def _nights(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    counts: Counter[str] = Counter()
    for placement in _placements(org, period).select_related("bed__room__facility"):
        counts[placement.bed.room.facility.kind] += placement.nights(
            period.start, period.end, org.time_zone
        )
    rows = _rows(dict(counts), Facility.Kind.choices)
    return rows, sum(row.value for row in rows)


def _housed(org: Organisation, period: Period) -> list[tuple[Placement, int]]:
    """Each placement with the nights of the period it spent in a bed (none left out: a
    stay without a night of the period counts nothing)."""
    placements = _placements(org, period).select_related("bed__room__facility", "person")
    rows = [(p, p.nights(period.start, period.end, org.time_zone)) for p in placements]
    return [(p, nights) for p, nights in rows if nights]


def _nights_by(
    value: Callable[[Placement, dict[int, set[str]]], str | tuple[str, ...]],
    labels: Iterable[tuple[str, Any]] | None = None,
    name: Callable[[str], str] = country_name,
) -> Compute:
    """Nights in accommodation by what is known of the person housed (issue #15's figures
    for the ministry): the nights of a stay count under its value — under each value if
    there are several (the forms of exploitation), "not recorded" if none; the total counts
    each night once. ``value`` gets the placement and the forms of exploitation of the
    person's cases open in the period (as ``people_by_form``: a stay is not always tied to
    a case)."""

    def compute(org: Organisation, period: Period) -> tuple[list[Row], Number]:
        housed = _housed(org, period)
        forms: dict[int, set[str]] = defaultdict(set)
        for person_id, case_forms in CaseClient.objects.filter(
            person_id__in={p.person_id for p, _nights in housed},
            case__in=cases_open_in(org, period),
        ).values_list("person_id", "case__forms"):
            forms[person_id].update(f for f in case_forms or () if f in v.FORMS)
        counts: Counter[str] = Counter()
        for placement, nights in housed:
            got = value(placement, forms)
            for key in (got or (NOT_RECORDED,)) if isinstance(got, tuple) else (got,):
                counts[key or NOT_RECORDED] += nights
        total = sum(nights for _placement, nights in housed)
        if labels is None:
            return _open_rows(dict(counts), name), total
        return _rows(dict(counts), labels), total

    return compute


def _age_at_admission(placement: Placement, _forms: dict[int, set[str]]) -> str:
    """The age group on the day this placement began (a move to another bed is a new
    placement: the age on the day of the move)."""
    return _age_group(placement.age_at_admission(), placement.person.possible_minor)[0]


def _people_housed(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    """People who spent at least one night of the period in a bed, once each."""
    counts: dict[str, set[int]] = defaultdict(set)
    everyone: set[int] = set()
    for placement in _placements(org, period).select_related("bed__room__facility"):
        if placement.nights(period.start, period.end, org.time_zone):
            counts[placement.bed.room.facility.kind].add(placement.person_id)
            everyone.add(placement.person_id)
    rows = _rows({k: len(p) for k, p in counts.items()}, Facility.Kind.choices)
    return rows, len(everyone)


def _admissions(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    qs = Placement.objects.filter(
        _in("admitted_at", org, period), organisation=org, moved_from__isnull=True
    )
    return _rows(_grouped(qs, "brought_by"), Placement.BroughtBy.choices), qs.count()


def _discharges(org: Organisation, period: Period) -> QuerySet[Placement]:
    return Placement.objects.filter(_in("discharged_at", org, period), organisation=org).exclude(
        reason=Placement.Reason.MOVED
    )


def _discharges_by_destination(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    qs = _discharges(org, period)
    return _rows(_grouped(qs, "destination"), Placement.Destination.choices), qs.count()


def _length_of_stay(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    """Nights of each stay that ended in the period, moves between beds included."""
    lengths = []
    for placement in _discharges(org, period):
        first = placement
        while first.moved_from_id is not None:
            first = Placement.objects.get(pk=first.moved_from_id)
        lengths.append(
            nights_between(
                first.admitted_at, placement.discharged_at, dt.date.min, dt.date.max, org.time_zone
            )
            if first.admitted_at
            else None
        )
    return _banded(lengths, STAY_BANDS), len(lengths)


def _occupancy(org: Organisation, period: Period) -> tuple[list[Row], Number]:
    """Nights in the own facilities' beds as a percentage of their beds in use × nights."""
    rows = []
    nights_total = beds_total = 0
    for kind, label in Facility.Kind.choices:
        if kind not in OWN_FACILITIES:
            continue
        beds = Bed.objects.filter(
            room__facility__organisation=org, room__facility__kind=kind, out_of_use=False
        ).count()
        nights = sum(
            p.nights(period.start, period.end, org.time_zone)
            for p in _placements(org, period).filter(bed__room__facility__kind=kind)
        )
        nights_total += nights
        beds_total += beds
        rows.append(Row(kind, str(label), _percent(nights, beds * period.days)))
    return rows, _percent(nights_total, beds_total * period.days)


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1")) if whole else Decimal(0)


# --- the figures -------------------------------------------------------------------------

_CONTACT_DATE = _("The day the contact began (local time).")
_CONTACT_ONCE = _("Each contact once; a caller who calls again is a new contact.")
_SEVERAL = _("A contact with several values counts under each; the total counts it once.")
_PERSON_DATE = _("A person is counted if a case of theirs was open on any day of the period.")
_PERSON_ONCE = _(
    "Each person once per period, whatever the number of their cases; a person assisted "
    "in two years counts in each year."
)
_PERSON_SEVERAL = _(
    "Each person once per period; a person with several values counts under each, the "
    "total counts them once."
)
_HOUSED_DATE = _(
    "Nights by the morning rule: a night counts if the person was in the bed at 06:00 the "
    "next morning; a stay over the year's end is split between the years."
)


def _figure(
    key: str,
    section: str,
    title: Promise,
    unit: Promise,
    counts: Promise,
    date: Promise,
    once: Promise,
    compute: Compute,
) -> Figure:
    return Figure(key, section, title, unit, counts, date, once, compute)


_CONTACTS = _("contacts")
_PEOPLE = _("people")
FIGURES: dict[str, Figure] = {
    f.key: f
    for f in [
        _figure(
            "contacts_by_channel",
            "contacts",
            _("Contacts by channel"),
            _CONTACTS,
            _(
                "Completed helpline contacts: calls, SMS, e-mails, letters, web messages and "
                "meetings."
            ),
            _CONTACT_DATE,
            _CONTACT_ONCE,
            _contacts_by(ContactTally.Dimension.CHANNEL, Contact.Channel.choices),
        ),
        _figure(
            "contacts_by_line",
            "contacts",
            _("Contacts by line"),
            _CONTACTS,
            _("Completed contacts on the office line and on the duty mobile out of hours."),
            _CONTACT_DATE,
            _CONTACT_ONCE,
            _contacts_by(ContactTally.Dimension.LINE, Contact.Line.choices),
        ),
        _figure(
            "contacts_by_caller",
            "contacts",
            _("Contacts by caller"),
            _CONTACTS,
            _("Completed contacts by who contacted the centre, as the counsellor recorded."),
            _CONTACT_DATE,
            _CONTACT_ONCE,
            _contacts_by(ContactTally.Dimension.CALLER, Contact.CallerType.choices),
        ),
        _figure(
            "contacts_by_language",
            "contacts",
            _("Contacts by language"),
            _CONTACTS,
            _("Completed contacts by the languages used in them."),
            _CONTACT_DATE,
            _SEVERAL,
            _contacts_by_language,
        ),
        _figure(
            "contacts_by_purpose",
            "contacts",
            _("Contacts by purpose"),
            _CONTACTS,
            _("Completed contacts by their purposes."),
            _CONTACT_DATE,
            _SEVERAL,
            _contacts_by_purpose,
        ),
        _figure(
            "contacts_by_month",
            "contacts",
            _("Contacts by month"),
            _CONTACTS,
            _("Completed contacts by the month they began in."),
            _CONTACT_DATE,
            _CONTACT_ONCE,
            _contacts_by_month,
        ),
        _figure(
            "contacts_by_hour",
            "contacts",
            _("Contacts by hour of the day"),
            _CONTACTS,
            _("Completed contacts by the hour they began at (local time)."),
            _CONTACT_DATE,
            _CONTACT_ONCE,
            _contacts_by_hour,
        ),
        _figure(
            "consultations_by_kind",
            "institutions",
            _("Consultations for institutions by kind of institution"),
            _("consultations"),
            _("Consultations given to institutions and organisations, by the kind of each."),
            _("The day the institution asked."),
            _("Each consultation once."),
            _consultations_by_kind,
        ),
        _figure(
            "consultations_by_topic",
            "institutions",
            _("Consultations for institutions by topic"),
            _("consultations"),
            _("Consultations given to institutions and organisations."),
            _("The day the institution asked."),
            _("Each consultation once."),
            _consultations_by_topic,
        ),
        _figure(
            "consultations_by_voivodeship",
            "institutions",
            _("Consultations for institutions by voivodeship"),
            _("consultations"),
            _("Consultations given to institutions, by the voivodeship of the institution."),
            _("The day the institution asked."),
            _("Each consultation once."),
            _consultations_by_voivodeship,
        ),
        _figure(
            "consultations_by_month",
            "institutions",
            _("Consultations for institutions by month"),
            _("consultations"),
            _("Consultations given to institutions, by the month of the question."),
            _("The day the institution asked."),
            _("Each consultation once."),
            _consultations_by_month,
        ),
        _figure(
            "consultations_response",
            "institutions",
            _("Consultations for institutions by response time"),
            _("consultations"),
            _(
                "Time from the institution's question to the centre's advice; not recorded "
                "while a question waits for an answer."
            ),
            _("The day the institution asked."),
            _("Each consultation once."),
            _consultations_response,
        ),
        _figure(
            "consultations_outcome",
            "institutions",
            _("Consultations for institutions by what came of them"),
            _("consultations"),
            _(
                "Consultations that opened a case, an emergency intervention (without a "
                "case), or gave advice only."
            ),
            _("The day the institution asked."),
            _("Each consultation once."),
            _consultations_outcome,
        ),
        _figure(
            "trainings",
            "institutions",
            _("Trainings and presentations"),
            _("trainings"),
            _("Trainings and presentations the centre gave."),
            _("The day it was held."),
            _("Each training once."),
            _trainings,
        ),
        _figure(
            "training_participants",
            "institutions",
            _("Participants of trainings and presentations"),
            _("participants"),
            _("The participants recorded for each training."),
            _("The day it was held."),
            _("A participant of two trainings counts twice."),
            _training_participants,
        ),
        _figure(
            "preventive_consultations",
            "prevention",
            _("Preventive consultations by kind of work offered"),
            _("consultations"),
            _("Pre-departure counselling of people considering work abroad."),
            _("The day the counselling was recorded."),
            _("Each counselling once; a person counselled twice counts twice."),
            _counselling,
        ),
        _figure(
            "people_by_sex",
            "people",
            _("People assisted by sex"),
            _PEOPLE,
            _("Clients of the cases open in the period."),
            _PERSON_DATE,
            _PERSON_ONCE,
            _victims_by("gender", Person.Gender.choices),
        ),
        _figure(
            "people_by_age",
            "people",
            _("People assisted by age group"),
            _PEOPLE,
            _(
                "Clients of the cases open in the period, by age on the first day they were "
                "assisted in it; a possible minor counts as under 18."
            ),
            _PERSON_DATE,
            _PERSON_ONCE,
            _victims_by("age_group", AGE_GROUPS.items()),
        ),
        _figure(
            "people_by_citizenship",
            "people",
            _("People assisted by citizenship"),
            _PEOPLE,
            _("Clients of the cases open in the period, by the first citizenship recorded."),
            _PERSON_DATE,
            _PERSON_ONCE,
            _victims_by("citizenship"),
        ),
        _figure(
            "people_by_citizenship_group",
            "people",
            _("People assisted: Polish, EU and non-EU citizens"),
            _PEOPLE,
            _(
                "Clients of the cases open in the period, by the first citizenship recorded "
                "(Eurostat's groups)."
            ),
            _PERSON_DATE,
            _PERSON_ONCE,
            _victims_by("citizenship_group", CITIZENSHIP_GROUPS.items()),
        ),
        _figure(
            "people_by_form",
            "people",
            _("People assisted by form of exploitation (Criminal Code, art. 115 § 22)"),
            _PEOPLE,
            _(
                "Clients of the cases open in the period, by the forms of exploitation of "
                "those cases."
            ),
            _PERSON_DATE,
            _PERSON_SEVERAL,
            _victims_by("forms", [(k, f.label) for k, f in v.FORMS.items()]),
        ),
        _figure(
            "people_by_eurostat_form",
            "people",
            _("People assisted by form of exploitation (Eurostat)"),
            _PEOPLE,
            _("The forms of exploitation grouped as Eurostat publishes them."),
            _PERSON_DATE,
            _PERSON_SEVERAL,
            _victims_by(
                "eurostat_forms", [(k, t) for k, t in EUROSTAT_FORMS.items() if k != NOT_RECORDED]
            ),
        ),
        _figure(
            "people_by_harm",
            "people",
            _("People assisted by other harm"),
            _PEOPLE,
            _(
                "The harm other than trafficking recorded in their cases (violation of "
                "workers' rights, domestic violence …)."
            ),
            _PERSON_DATE,
            _PERSON_SEVERAL,
            _victims_by("harms", v.HARMS.items()),
        ),
        _figure(
            "people_by_identification",
            "people",
            _("People assisted by identification status"),
            _PEOPLE,
            _(
                "Each person once, as a formally identified victim (Police, Border Guard, "
                "prosecutor) or a presumed victim; the two together are the registered victims."
            ),
            _("The status at the end of the period, from the decisions made by then."),
            _("Each person once, in one status only."),
            _victims_by("status", IDENTIFICATION.items()),
        ),
        _figure(
            "people_by_identifier",
            "people",
            _("People assisted by who identified them"),
            _PEOPLE,
            _("Who made the decision behind each person's identification status."),
            _("The status at the end of the period, from the decisions made by then."),
            _("Each person once."),
            _victims_by("identified_by", Decision.DecidedBy.choices),
        ),
        _figure(
            "cases_opened",
            "cases",
            _("Cases opened, by who referred them"),
            _("cases"),
            _("Cases opened in the period."),
            _("The day the case was opened."),
            _("Each case once; a group of clients is one case."),
            _cases_opened,
        ),
        _figure(
            "cases_closed",
            "cases",
            _("Cases closed, by reason"),
            _("cases"),
            _("Cases closed in the period."),
            _("The day the case was closed."),
            _("Each case once."),
            _cases_closed,
        ),
        _figure(
            "interventions_by_situation",
            "interventions",
            _("Interventions by situation"),
            _("interventions"),
            _("Emergency interventions opened in the period."),
            _("The moment the intervention was opened."),
            _("Each intervention once."),
            _interventions_by("situation", Intervention.Situation.choices),
        ),
        _figure(
            "interventions_by_outcome",
            "interventions",
            _("Interventions by outcome"),
            _("interventions"),
            _("Emergency interventions opened in the period; one still open has no outcome."),
            _("The moment the intervention was opened."),
            _("Each intervention once."),
            _interventions_by("outcome", Intervention.Outcome.choices),
        ),
        _figure(
            "interventions_first_action",
            "interventions",
            _("Time from the first contact to the first action"),
            _("interventions"),
            _("Emergency interventions opened in the period, by the time their first action took."),
            _("The moment the intervention was opened."),
            _("Each intervention once."),
            _first_action,
        ),
        _figure(
            "shelter_nights",
            "shelter",
            _("Nights in accommodation, by kind of place"),
            _("nights"),
            _("Nights people spent in the centre's shelters, apartments and the places it used."),
            _HOUSED_DATE,
            _("Each night of each person once."),
            _nights,
        ),
        _figure(
            "shelter_people",
            "shelter",
            _("People accommodated, by kind of place"),
            _PEOPLE,
            _("People who spent at least one night of the period in a bed."),
            _HOUSED_DATE,
            _(
                "Each person once; one who stayed in two kinds of place counts under each, "
                "the total counts them once."
            ),
            _people_housed,
        ),
        _figure(
            "shelter_nights_by_facility",
            "shelter",
            _("Nights in accommodation, by place"),
            _("nights"),
            _("Nights people spent in each of the places the centre used (by its name)."),
            _HOUSED_DATE,
            _("Each night of each person once."),
            _nights_by(lambda p, _forms: p.bed.room.facility.name, name=str),
        ),
        _figure(
            "shelter_nights_by_sex",
            "shelter",
            _("Nights in accommodation, by sex"),
            _("nights"),
            _("Nights people spent in accommodation, by the sex of the person housed."),
            _HOUSED_DATE,
            _("Each night of each person once."),
            _nights_by(lambda p, _forms: p.person.gender, Person.Gender.choices),
        ),
        _figure(
            "shelter_nights_by_age",
            "shelter",
            _("Nights in accommodation, by age group"),
            _("nights"),
            _("Nights people spent in accommodation, by their age group when placed."),
            _HOUSED_DATE,
            _("Each night of each person once."),
            _nights_by(_age_at_admission, AGE_GROUPS.items()),
        ),
        _figure(
            "shelter_nights_by_citizenship",
            "shelter",
            _("Nights in accommodation, by citizenship"),
            _("nights"),
            _("Nights people spent in accommodation, by their first recorded citizenship."),
            _HOUSED_DATE,
            _("Each night of each person once."),
            _nights_by(lambda p, _forms: (p.person.citizenships or [NOT_RECORDED])[0]),
        ),
        _figure(
            "shelter_nights_by_form",
            "shelter",
            _("Nights in accommodation, by form of exploitation"),
            _("nights"),
            _(
                "Nights people spent in accommodation, by the forms of exploitation of their "
                "cases open in the period."
            ),
            _HOUSED_DATE,
            _(
                "Each night once; the nights of a person exploited in several forms count "
                "under each, the total counts them once."
            ),
            _nights_by(
                lambda p, forms: tuple(sorted(forms[p.person_id])),
                [(k, f.label) for k, f in v.FORMS.items()],
            ),
        ),
        _figure(
            "shelter_admissions",
            "shelter",
            _("Admissions, by who brought the person"),
            _("admissions"),
            _("Stays that began in the period (a move to another bed is not an admission)."),
            _("The moment of admission."),
            _("Each stay once; a person admitted twice counts twice."),
            _admissions,
        ),
        _figure(
            "shelter_discharges",
            "shelter",
            _("Discharges, by where the person went"),
            _("discharges"),
            _("Stays that ended in the period (a move to another bed does not end a stay)."),
            _("The moment of discharge."),
            _("Each stay once."),
            _discharges_by_destination,
        ),
        _figure(
            "shelter_length_of_stay",
            "shelter",
            _("Length of the stays that ended"),
            _("stays"),
            _(
                "Stays that ended in the period, by their nights from admission, moves "
                "between beds included."
            ),
            _("The moment of discharge."),
            _("Each stay once."),
            _length_of_stay,
        ),
        _figure(
            "shelter_occupancy",
            "shelter",
            _("Occupancy of the centre's own places (%)"),
            _("%"),
            _(
                "Nights spent in the beds of the own shelters and apartments, as a share of "
                "their beds in use times the nights of the period."
            ),
            _HOUSED_DATE,
            _("Beds counted as they are now."),
            _occupancy,
        ),
        _figure(
            "services_by_kind",
            "services",
            _("Services delivered, by kind"),
            _("services"),
            _("Services delivered to clients by staff or partners."),
            _("The day the service was delivered."),
            _("Each service once."),
            _services,
        ),
        _figure(
            "referrals_by_partner",
            "services",
            _("Referrals to partners, by kind of partner"),
            _("referrals"),
            _("Clients referred to a partner's service."),
            _("The moment the referral was sent."),
            _("Each referral once."),
            _referrals,
        ),
        _figure(
            "interpreting_hours",
            "services",
            _("Interpreting hours, by language"),
            _("hours"),
            _("Hours of the interpreters booked."),
            _("The moment the booking starts."),
            _("Each booking once."),
            _interpreting,
        ),
    ]
}

SECTIONS: dict[str, Promise] = {
    "contacts": _("Helpline contacts"),
    "institutions": _("Consultations and trainings for institutions"),
    "prevention": _("Preventive consultations"),
    "people": _("People assisted"),
    "cases": pgettext_lazy("report section", "Cases"),
    "interventions": pgettext_lazy("report section", "Interventions"),
    "shelter": _("Shelter"),
    "services": _("Services, referrals and interpreting"),
}


def figure(key: str, organisation: Organisation, period: Period) -> Table:
    """One figure by its key."""
    return FIGURES[key](organisation, period)


def section_figures(section: str) -> list[Figure]:
    return [f for f in FIGURES.values() if f.section == section]
