"""Office hours and the duty line (ARCHITECTURE.md §5; the seed: "Monday to Friday a team
… at other times a mobile phone is on duty").

Office hours are set per organisation by weekday; Polish public holidays (``holidays``) are
off like a weekend. Every other moment belongs to the duty line.
"""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

# KCIK's published hours (DOMAIN.md §6, 2013): Mon–Thu 9:00–19:00, Fri 9:00–14:00.
DEFAULT_OFFICE_HOURS: dict[str, list[str]] = {
    "0": ["09:00", "19:00"],
    "1": ["09:00", "19:00"],
    "2": ["09:00", "19:00"],
    "3": ["09:00", "19:00"],
    "4": ["09:00", "14:00"],
}


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, years=year)


def is_holiday(day: dt.date, country: str = "PL") -> bool:
    return day in _holidays(country, day.year)


def validate_office_hours(hours: dict[str, list[str]]) -> None:
    """Raise ``ValueError`` unless ``hours`` maps weekdays 0–6 to [opens, closes]."""
    for weekday, span in hours.items():
        if weekday not in {str(n) for n in range(7)} or len(span) != 2:
            raise ValueError(f"weekday {weekday!r}: give [opens, closes]")
        opens, closes = (dt.time.fromisoformat(t) for t in span)
        if opens >= closes:
            raise ValueError(f"weekday {weekday}: opens at or after it closes")


def is_office_time(
    at: dt.datetime,
    *,
    hours: dict[str, list[str]] | None = None,
    time_zone: str = "Europe/Warsaw",
    country: str = "PL",
) -> bool:
    """Whether ``at`` (aware) falls in office hours of an organisation in ``time_zone``."""
    local = at.astimezone(ZoneInfo(time_zone))
    if is_holiday(local.date(), country):
        return False
    span = (hours if hours is not None else DEFAULT_OFFICE_HOURS).get(str(local.weekday()))
    if not span:
        return False
    opens, closes = (dt.time.fromisoformat(t) for t in span)
    return opens <= local.time() < closes
