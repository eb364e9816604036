"""Read-only views of the shelter: who holds which bed on a night (the occupancy board),
nights of accommodation in a year, and the stays other apps show (``accounts.records``).

A night is counted by the morning rule (``models``): the night of day D is held by whoever
is in the bed at 06:00 local on D + 1 (admitted then or before, not yet discharged)."""

import datetime as dt
import statistics
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from django.db import connection
from django.db.models import CharField, FilteredRelation, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ostoja.accounts.models import User
from ostoja.accounts.records import Event, register_history
from ostoja.shelter.access import PLACEMENT, placements_visible_to
from ostoja.shelter.models import (
    ACTIVE,
    Absence,
    Bed,
    Facility,
    Placement,
    ShiftEntry,
    WaitingEntry,
    first_night,
    morning_after,
    nights_between,
)


@dataclass(slots=True)
class BedState:
    """A bed on one night: free, taken, reserved or out of use, and the stay holding it
    (its page's address) — plain values, so a board of thousands of beds stays cheap."""

    FREE = "free"
    TAKEN = "taken"
    RESERVED = "reserved"
    OUT = "out"

    bed_code: str
    label: str  # "room/bed"
    state: str
    url: str = ""  # the placement's page, for a taken or reserved bed


@dataclass
class FacilityRow:
    """One facility of the board: its beds on the night, how many are free, and how many
    are in use (not out of use: the forecast's capacity)."""

    facility: Facility
    beds: list[BedState] = field(default_factory=list)
    usable: int = 0

    @property
    def free(self) -> int:
        return sum(1 for b in self.beds if b.state == BedState.FREE)

    @property
    def taken(self) -> int:
        return sum(1 for b in self.beds if b.state == BedState.TAKEN)


def held_on(day: dt.date, time_zone: str, prefix: str = "") -> Q:
    """The placements holding a bed on the night of ``day``: stays under way at the next
    morning, and — tonight or later — reservations expected by then (``prefix``: the
    path to the placement, for a condition on a relation)."""
    morning = morning_after(day, time_zone)

    def on(**lookups: Any) -> Q:
        return Q(**{prefix + name: value for name, value in lookups.items()})

    staying = on(admitted_at__lte=morning) & (
        on(discharged_at__isnull=True) | on(discharged_at__gt=morning)
    )
    if day < timezone.localdate():
        return staying
    # Tonight or later: only stays under way now can hold a bed (a discharge is never
    # dated in the future), which the partial index of active stays answers — however
    # long the history.
    staying &= on(status__in=ACTIVE)
    reserved = on(status=Placement.Status.RESERVED) & (
        on(expected_at__isnull=True) | on(expected_at__lte=morning)
    )
    return staying | reserved


def _dashed(code: str) -> str:
    """A code cast to text in the database, as a URL writes it: PostgreSQL's uuid text has
    its dashes, SQLite's stored hex does not."""
    return code if "-" in code else str(uuid.UUID(code))


def board(facilities: QuerySet[Facility], day: dt.date, time_zone: str) -> list[FacilityRow]:
    """Facilities × beds on the night of ``day``, in two queries whatever the number of
    placements: the facilities, then each bed with the stay holding it that night (a
    bed holds one stay at a time: a left join), as plain values."""
    rows = {
        f.pk: FacilityRow(f) for f in facilities.filter(active=True).defer("address", "house_rules")
    }
    beds = (
        Bed.objects.filter(room__facility__in=list(rows))
        .annotate(
            held=FilteredRelation("placements", condition=held_on(day, time_zone, "placements__"))
        )
        # Codes as text: the page prints them, no need to parse thousands of UUIDs.
        .annotate(bed_code=Cast("code", CharField()), stay=Cast("held__code", CharField()))
        .order_by("room__facility__name", "room__name", "label")
        .values_list(
            "bed_code",
            "room__facility_id",
            "room__name",
            "label",
            "out_of_use",
            "stay",
            "held__status",
        )
    )
    zero = str(uuid.UUID(int=0))
    before, after = reverse("shelter:placement", args=[zero]).split(zero)
    dashed = _dashed if connection.vendor != "postgresql" else str
    for code, facility_id, room, label, out_of_use, placement, status in beds:
        row = rows[facility_id]
        if not out_of_use:
            row.usable += 1
        if placement is not None:
            state = BedState.RESERVED if status == Placement.Status.RESERVED else BedState.TAKEN
            url = before + dashed(placement) + after
            cell = BedState(dashed(code), f"{room}/{label}", state, url)
        else:
            state = BedState.OUT if out_of_use else BedState.FREE
            cell = BedState(dashed(code), f"{room}/{label}", state)
        row.beds.append(cell)
    return list(rows.values())


def nights_in_year(facilities: QuerySet[Facility], year: int, time_zone: str) -> dict[int, int]:
    """Nights of accommodation in ``year`` by facility (its pk), by the morning rule; in the
    year under way, up to tonight (a stay not ended has no nights in the future yet)."""
    first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), timezone.localdate())
    start, end = morning_after(first, time_zone), morning_after(last, time_zone)
    stays = Placement.objects.filter(
        bed__room__facility__in=facilities, admitted_at__lte=end
    ).filter(Q(discharged_at__isnull=True) | Q(discharged_at__gt=start))
    nights: Counter[int] = Counter()
    rows = stays.values_list("bed__room__facility_id", "admitted_at", "discharged_at")
    for facility_id, admitted_at, discharged_at in rows:
        nights[facility_id] += nights_between(admitted_at, discharged_at, first, last, time_zone)
    return dict(nights)


def _stays(field: str) -> Callable[[User, Any], Iterator[Event]]:
    """A person's, a case's or an intervention's stays (``accounts.records`` history), as
    far as the user may open them: the facility's name, never its address."""

    def provider(user: User, record: Any) -> Iterator[Event]:
        statuses = dict(Placement.Status.choices)
        stays = placements_visible_to(user).filter(**{field: record})
        for stay in stays.select_related("bed__room__facility"):
            yield Event(
                stay.admitted_at or stay.reserved_at,
                str(_("Shelter")),
                f"{stay.bed.room.facility.name} · {statuses[stay.status]}",
                reverse("shelter:placement", args=[stay.code]),
                record_type=PLACEMENT,
            )

    return provider


register_history("people.person", _stays("person"))
register_history("cases.case", _stays("case"))
register_history("interventions.intervention", _stays("intervention"))


def staff_panel(user: User) -> dict[str, Any]:
    """The shelter staff's dashboard: in the facilities they work in, tonight's residents,
    free beds, residents out (and those not back), the shift book since yesterday, and the
    admissions and discharges expected by tomorrow."""
    facilities = Facility.objects.filter(staff=user, active=True)
    today = timezone.localdate()
    assert user.organisation is not None  # noqa: S101  # staff of a facility: a member
    stays = list(
        placements_visible_to(user)
        .filter(bed__room__facility__in=facilities, status__in=ACTIVE)
        .order_by("bed__room__facility__name", "bed__room__name", "bed__label")
    )
    residents = [p for p in stays if p.status == Placement.Status.ADMITTED]
    tomorrow = today + dt.timedelta(days=1)
    return {
        "rows": board(facilities, today, user.organisation.time_zone),
        "residents": residents,
        "arriving": [p for p in stays if p.status == Placement.Status.RESERVED],
        "leaving": [
            p for p in residents if p.expected_departure and p.expected_departure <= tomorrow
        ],
        "absences": list(
            Absence.objects.filter(
                placement__in=[p.pk for p in residents], returned_at__isnull=True
            ).select_related("placement__person")
        ),
        "entries": list(
            ShiftEntry.objects.filter(
                facility__in=facilities,
                written_at__gte=timezone.now() - dt.timedelta(hours=24),
            ).select_related("facility", "written_by", "placement__person")[:20]
        ),
    }


FORECAST_DAYS = 30


def forecast(
    rows: list[FacilityRow], today: dt.date, time_zone: str, days: int = FORECAST_DAYS
) -> tuple[list[dt.date], list[tuple[Facility, list[int]]]]:
    """Free beds of each facility of the board's ``rows`` on each of the next ``days``
    nights, from the stays under way (until their expected departure: the night before it
    is their last) and the reservations (from the night of their expected arrival). Beds
    out of use now are counted out for the whole period. One query."""
    nights = [today + dt.timedelta(days=n) for n in range(days)]
    chosen = [row.facility for row in rows]
    # How many more (or fewer) beds are taken from each night on: a stay adds one from its
    # first night and takes it back on its departure — linear in stays, not stays × nights.
    change: dict[int, list[int]] = {f.pk: [0] * (days + 1) for f in chosen}
    stays = (
        Placement.objects.filter(bed__room__facility__in=chosen, status__in=ACTIVE)
        .order_by()
        .values_list("bed__room__facility", "status", "expected_at", "expected_departure")
    )
    for facility_id, status, expected_at, departure in stays:
        first = today
        if status == Placement.Status.RESERVED and expected_at is not None:
            first = max(today, first_night(expected_at, time_zone))
        start = min((first - today).days, days)
        end = days if departure is None else max(0, min((departure - today).days, days))
        if start < end:
            change[facility_id][start] += 1
            change[facility_id][end] -= 1
    taken = {pk: list(accumulate(steps[:days])) for pk, steps in change.items()}
    return nights, [(r.facility, [r.usable - t for t in taken[r.facility.pk]]) for r in rows]


@dataclass(frozen=True)
class YearFigures:
    """What the shelter feeds the year's statistics (the Statistics issue builds the
    reports): admissions, discharges by where people went, nights, length of stay in
    nights (of the stays ended in the year), occupancy rate, refusals for lack of places."""

    admissions: int
    discharges: dict[str, int]
    nights: int
    mean_stay: float
    median_stay: float
    occupancy: float  # nights ÷ (beds in use × nights of the year so far)
    refused: int


def year_figures(facilities: QuerySet[Facility], year: int, time_zone: str) -> YearFigures:
    """The year's figures for ``facilities`` by the morning rule. A move to another bed is
    neither an admission nor a discharge: the stay goes on."""
    first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), timezone.localdate())
    start, end = (
        morning_after(first, time_zone) - dt.timedelta(days=1),
        morning_after(last, time_zone),
    )
    stays = Placement.objects.filter(bed__room__facility__in=facilities)
    admissions = (
        stays.filter(admitted_at__gte=start, admitted_at__lt=end, moved_from__isnull=True)
        .order_by()
        .count()
    )
    ended = list(
        stays.filter(discharged_at__gte=start, discharged_at__lt=end)
        .exclude(reason=Placement.Reason.MOVED)
        .order_by()
        .values_list("destination", "admitted_at", "discharged_at")
    )
    discharges = dict(Counter(destination for destination, _in, _out in ended))
    lengths = sorted(
        nights_between(admitted, left, dt.date.min, dt.date.max, time_zone)
        for _destination, admitted, left in ended
    )
    nights = sum(nights_in_year(facilities, year, time_zone).values())
    beds = Bed.objects.filter(room__facility__in=facilities, out_of_use=False).count()
    capacity = beds * ((last - first).days + 1)
    organisations = facilities.values("organisation")
    refused = WaitingEntry.objects.filter(
        organisation__in=organisations,
        outcome=WaitingEntry.Outcome.REFUSED,
        ended_at__gte=start,
        ended_at__lt=end,
    ).count()
    return YearFigures(
        admissions=admissions,
        discharges=discharges,
        nights=nights,
        mean_stay=statistics.fmean(lengths) if lengths else 0.0,
        median_stay=statistics.median(lengths) if lengths else 0.0,
        occupancy=nights / capacity if capacity else 0.0,
        refused=refused,
    )
