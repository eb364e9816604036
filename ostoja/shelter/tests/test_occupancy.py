"""Occupancy on a night and nights of accommodation in a year, exact on a hand-made fixture
(the morning rule of ``shelter.models``: a night counts for each 06:00, local time, that
finds the person in the bed)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from ostoja.accounts.roles import Role
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.shelter.models import Facility, Placement, WaitingEntry
from ostoja.shelter.selectors import BedState, board, forecast, nights_in_year, year_figures
from ostoja.shelter.services import bed_set_use, placement_admit, placement_reserve
from ostoja.shelter.tests.conftest import bed_of
from ostoja.test import Persona

pytestmark = pytest.mark.django_db
WARSAW = "Europe/Warsaw"


def at(year: int, month: int, day: int, hour: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=ZoneInfo(WARSAW))


@pytest.fixture
def stays(
    centre: dict[Role, Persona], women: Facility, men: Facility, woman: Person
) -> dict[str, Placement]:
    """Stays written as they were, around the year 2025."""
    staff = centre[Role.SHELTER_STAFF].user
    resident = person_create(
        organisation=woman.organisation, data={"name": "Jan"}, acting_user=staff
    )
    rows = {
        # Admitted and discharged the same day: no night.
        "A": (woman, bed_of(women, 0), at(2025, 3, 10, 14), at(2025, 3, 10, 18)),
        # Brought at 02:00 on a Saturday, gone by 11:00: the night of Friday.
        "B": (woman, bed_of(women, 1), at(2025, 3, 15, 2), at(2025, 3, 15, 11)),
        # Across the year end: two nights in 2025, one in 2026.
        "C": (woman, bed_of(men, 0), at(2025, 12, 30, 15), at(2026, 1, 2, 10)),
        # From December 2024: twelve nights in 2024, four in 2025.
        "D": (woman, bed_of(women, 0), at(2024, 12, 20, 12), at(2025, 1, 5, 9)),
        # Exactly at 06:00 in, exactly at 06:00 out a day later: one night.
        "F": (woman, bed_of(women, 2), at(2025, 4, 1, 6), at(2025, 4, 2, 6)),
        # Still staying since 1 June 2025.
        "E": (resident, bed_of(men, 1), at(2025, 6, 1, 20), None),
    }
    return {
        name: Placement.objects.create(
            organisation=women.organisation,
            person=person,
            bed=bed,
            status="admitted" if out is None else "discharged",
            reserved_at=in_,
            admitted_at=in_,
            discharged_at=out,
            destination=DESTINATIONS.get(name, ""),
            reason="" if out is None else "plan_completed",
            placed_by=staff,
        )
        for name, (person, bed, in_, out) in rows.items()
    }


DESTINATIONS = {
    "A": "unknown",
    "B": "family",
    "C": "hospital",
    "D": "return_home",
    "F": "return_home",
}


def test_nights_by_the_morning_rule(stays: dict[str, Placement]) -> None:
    year = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert {name: stay.nights(*year, WARSAW) for name, stay in stays.items()} == {
        "A": 0,
        "B": 1,
        "C": 2,
        "D": 4,
        "F": 1,
        "E": 30 + 31 + 31 + 30 + 31 + 30 + 31,  # June to December
    }
    assert stays["C"].nights(dt.date(2026, 1, 1), dt.date(2026, 12, 31), WARSAW) == 1
    assert stays["D"].nights(dt.date(2024, 1, 1), dt.date(2024, 12, 31), WARSAW) == 12


def test_nights_in_a_year_by_facility(
    stays: dict[str, Placement], women: Facility, men: Facility
) -> None:
    facilities = Facility.objects.all()
    assert nights_in_year(facilities, 2025, WARSAW) == {women.pk: 0 + 1 + 4 + 1, men.pk: 2 + 214}
    assert nights_in_year(facilities, 2024, WARSAW) == {women.pk: 12}
    # The year under way: up to tonight.
    with time_machine.travel(at(2026, 3, 1, 12), tick=False):
        assert nights_in_year(facilities, 2026, WARSAW)[men.pk] == 1 + 31 + 28 + 1
    assert nights_in_year(facilities, 2023, WARSAW) == {}


def _states(rows: list, facility: Facility) -> list[str]:  # type: ignore[type-arg]
    row = next(r for r in rows if r.facility == facility)
    return [b.state for b in row.beds]


def test_the_board_on_a_night(
    stays: dict[str, Placement],
    women: Facility,
    men: Facility,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    facilities = Facility.objects.all()
    free, taken = BedState.FREE, BedState.TAKEN
    # The day of A (in and out by 18:00): nobody's night.
    assert _states(board(facilities, dt.date(2025, 3, 10), WARSAW), women) == [free] * 4
    # The Friday night of B (brought at 02:00 on Saturday).
    assert _states(board(facilities, dt.date(2025, 3, 14), WARSAW), women) == [
        free,
        taken,
        free,
        free,
    ]
    assert _states(board(facilities, dt.date(2025, 3, 15), WARSAW), women) == [free] * 4
    # New Year's Eve: C and E in the men's shelter; D in the women's the year before.
    assert _states(board(facilities, dt.date(2025, 12, 31), WARSAW), men) == [taken, taken, free]
    assert _states(board(facilities, dt.date(2024, 12, 31), WARSAW), women)[0] == taken
    # Two queries however many stays: facilities, beds with the stays holding them.
    with django_assert_num_queries(2):
        rows = board(facilities, dt.date(2026, 1, 1), WARSAW)
    assert [(r.facility.name, r.free, r.taken) for r in rows] == [
        ("Schronisko Dąb", 1, 2),
        ("Schronisko Lipa", 4, 0),
    ]


def test_reservations_and_beds_out_of_use_tonight_and_later_not_before(
    centre: dict[Role, Persona], women: Facility, woman: Person
) -> None:
    staff = centre[Role.SHELTER_STAFF].user
    placement_reserve(person=woman, bed=bed_of(women, 0), acting_user=staff)
    bed_set_use(bed=bed_of(women, 3), out_of_use=True, acting_user=staff)
    facilities = Facility.objects.all()
    today = timezone.localdate()
    expected = [BedState.RESERVED, BedState.FREE, BedState.FREE, BedState.OUT]
    assert _states(board(facilities, today, WARSAW), women) == expected
    assert _states(board(facilities, today + dt.timedelta(days=3), WARSAW), women) == expected
    yesterday = _states(board(facilities, today - dt.timedelta(days=1), WARSAW), women)
    assert yesterday[0] == BedState.FREE


def test_the_30_day_forecast_from_planned_arrivals_and_departures(
    centre: dict[Role, Persona], women: Facility, men: Facility, woman: Person
) -> None:
    staff = centre[Role.SHELTER_STAFF].user
    today = timezone.localdate()
    # A resident leaving in five days (her last night is the fourth), …
    staying = placement_reserve(person=woman, bed=bed_of(women, 0), acting_user=staff)
    placement_admit(
        placement=staying,
        at=timezone.now(),
        brought_by="self",
        arrived_with="",
        expected_departure=today + dt.timedelta(days=5),
        acting_user=staff,
    )
    # … someone expected the evening three days on, and a bed out of use.
    other = person_create(
        organisation=woman.organisation,
        data={"name": "Ewa", "gender": Person.Gender.FEMININE},
        acting_user=staff,
    )
    evening = dt.datetime.combine(
        today + dt.timedelta(days=3), dt.time(20), tzinfo=ZoneInfo(WARSAW)
    )
    placement_reserve(person=other, bed=bed_of(women, 1), expected_at=evening, acting_user=staff)
    bed_set_use(bed=bed_of(women, 3), out_of_use=True, acting_user=staff)
    nights, rows = forecast(board(Facility.objects.all(), today, WARSAW), today, WARSAW)
    assert len(nights) == 30 and nights[0] == today
    free = {facility.name: counts for facility, counts in rows}
    assert free["Schronisko Dąb"] == [3] * 30
    assert free["Schronisko Lipa"][:7] == [2, 2, 2, 1, 1, 2, 2]
    assert free["Schronisko Lipa"][29] == 2


def test_the_years_figures(
    centre: dict[Role, Persona], stays: dict[str, Placement], woman: Person
) -> None:
    WaitingEntry.objects.create(
        organisation=woman.organisation,
        person=woman,
        priority=1,
        outcome="refused",
        added_at=at(2025, 5, 1, 1),
        ended_at=at(2025, 5, 1, 12),
        added_by=centre[Role.COUNSELLOR].user,
    )
    figures = year_figures(Facility.objects.all(), 2025, WARSAW)
    # Admitted in 2025 (by the morning rule): A, B, F, E and C; D came in 2024.
    assert figures.admissions == 5
    # Ended in 2025: A, B, F and D (C ends in 2026).
    assert figures.discharges == {"unknown": 1, "family": 1, "return_home": 2}
    # Their whole stays: 0, 1, 1 and 16 nights.
    assert figures.mean_stay == 4.5 and figures.median_stay == 1.0
    assert figures.nights == 222
    assert figures.occupancy == pytest.approx(222 / (7 * 365))
    assert figures.refused == 1
    empty = year_figures(Facility.objects.none(), 2025, WARSAW)
    assert (empty.admissions, empty.mean_stay, empty.occupancy) == (0, 0.0, 0.0)
