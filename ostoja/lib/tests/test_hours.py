"""Office hours: weekdays in hours, evenings, weekends and Polish public holidays."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from ostoja.lib.hours import is_holiday, is_office_time, validate_office_hours

WARSAW = ZoneInfo("Europe/Warsaw")


def at(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=WARSAW)


@pytest.mark.parametrize(
    ("moment", "office"),
    [
        (at(2026, 11, 10, 10, 0), True),  # Tuesday morning
        (at(2026, 11, 10, 8, 59), False),  # before opening
        (at(2026, 11, 10, 19, 0), False),  # closing time is off
        (at(2026, 11, 13, 13, 59), True),  # Friday, short day
        (at(2026, 11, 13, 14, 0), False),
        (at(2026, 11, 14, 11, 0), False),  # Saturday
        (at(2026, 11, 15, 11, 0), False),  # Sunday
        (at(2026, 11, 11, 11, 0), False),  # Wednesday, Independence Day
        (at(2026, 12, 24, 11, 0), False),  # Christmas Eve, a public holiday from 2025
        (at(2026, 6, 4, 11, 0), False),  # Corpus Christi 2026 (a Thursday)
        (at(2026, 6, 5, 11, 0), True),  # the Friday after: a working day
    ],
)
def test_office_hours_follow_the_week_and_polish_holidays(
    moment: dt.datetime, office: bool
) -> None:
    assert is_office_time(moment) is office


def test_a_utc_moment_is_judged_in_warsaw_time() -> None:
    assert is_office_time(dt.datetime(2026, 11, 10, 8, 30, tzinfo=dt.UTC))  # 9:30 in Warsaw
    assert not is_office_time(dt.datetime(2026, 11, 10, 7, 30, tzinfo=dt.UTC))  # 8:30


def test_hours_are_configurable_per_organisation() -> None:
    weekend_team = {"5": ["10:00", "12:00"]}
    assert is_office_time(at(2026, 11, 14, 11, 0), hours=weekend_team)
    assert not is_office_time(at(2026, 11, 10, 11, 0), hours=weekend_team)
    assert is_holiday(dt.date(2026, 5, 3))


@pytest.mark.parametrize(
    "hours", [{"7": ["09:00", "17:00"]}, {"1": ["17:00", "09:00"]}, {"1": ["09:00"]}]
)
def test_bad_office_hours_are_refused(hours: dict[str, list[str]]) -> None:
    with pytest.raises(ValueError):
        validate_office_hours(hours)
