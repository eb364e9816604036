"""Who is on duty: office hours belong to the team (the counsellors' queue); every other
hour to a duty shift's primary and backup worker (ARCHITECTURE.md §5)."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from ostoja.accounts.models import Organisation, User
from ostoja.duty.models import Shift

# Uncovered hours are looked for this far ahead.
HORIZON_DAYS = 30


@dataclass(frozen=True)
class OnDuty:
    """Who answers at a moment: the office (``shift`` None) or a shift's people."""

    office: bool
    shift: Shift | None

    @property
    def primary(self) -> User | None:
        return self.shift.primary if self.shift else None

    @property
    def backup(self) -> User | None:
        return self.shift.backup if self.shift else None


def shifts_at(organisation: Organisation, at: dt.datetime) -> QuerySet[Shift]:
    return Shift.objects.filter(organisation=organisation, start__lte=at, end__gt=at)


def on_duty(organisation: Organisation, at: dt.datetime) -> OnDuty:
    """Office hours, or the shift covering ``at`` (the latest planned, if two overlap)."""
    if organisation.is_office_time(at):
        return OnDuty(office=True, shift=None)
    shift = shifts_at(organisation, at).select_related("primary", "backup").order_by("-pk").first()
    return OnDuty(office=False, shift=shift)


def uncovered(
    organisation: Organisation, start: dt.datetime, days: int = HORIZON_DAYS
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The spans outside office hours with no shift, from ``start`` for ``days`` days, to
    the hour (merged into spans): each is an hour when a call would reach nobody."""
    zone = ZoneInfo(organisation.time_zone)
    # To the local hour, then stepped in UTC: wall-clock arithmetic breaks at DST changes.
    begin = start.astimezone(zone).replace(minute=0, second=0, microsecond=0).astimezone(dt.UTC)
    end = begin + dt.timedelta(days=days)
    shifts = list(
        Shift.objects.filter(organisation=organisation, end__gt=begin, start__lt=end).values_list(
            "start", "end"
        )
    )
    gaps: list[tuple[dt.datetime, dt.datetime]] = []
    hour = begin
    while hour < end:
        following = hour + dt.timedelta(hours=1)
        office = organisation.is_office_time(hour) and organisation.is_office_time(
            following - dt.timedelta(minutes=1)
        )
        covered = office or any(s <= hour and e >= following for s, e in shifts)
        if not covered:
            if gaps and gaps[-1][1] == hour:
                gaps[-1] = (gaps[-1][0], following)
            else:
                gaps.append((hour, following))
        hour = following
    return gaps
