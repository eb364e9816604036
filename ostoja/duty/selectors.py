"""What the roster shows: who is on duty now (every dashboard, the intervention board, the
roster and the JSON api) and a month of the roster."""

import calendar
import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from ostoja.accounts.models import Organisation, User
from ostoja.accounts.policy import works_with_people
from ostoja.duty import roster
from ostoja.duty.models import Shift, SwapRequest


def duty_now(user: User) -> dict[str, Any]:
    """Who answers now: the office, or the shift's people (names only)."""
    assert user.organisation is not None  # noqa: S101  # staff have one
    now = timezone.now()
    duty = roster.on_duty(user.organisation, now)
    return {
        "office": duty.office,
        "primary": duty.primary.full_name if duty.primary else None,
        "backup": duty.backup.full_name if duty.backup else None,
        "until": duty.shift.end if duty.shift else None,
        "handover": duty.shift.handover if duty.shift and works_with_people(user) else "",
    }


def month_days(organisation: Organisation, first: dt.date) -> list[dict[str, Any]]:
    """Each day of the month beginning ``first`` with the shifts that touch it."""
    last_day = calendar.monthrange(first.year, first.month)[1]
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time(0), zone)
    end = dt.datetime.combine(first.replace(day=last_day), dt.time(0), zone) + dt.timedelta(days=1)
    shifts = list(
        Shift.objects.filter(
            organisation=organisation, end__gt=start, start__lt=end
        ).select_related("primary", "backup")
    )
    days = []
    for number in range(1, last_day + 1):
        day = first.replace(day=number)
        day_start = dt.datetime.combine(day, dt.time(0), zone)
        day_end = day_start + dt.timedelta(days=1)
        days.append(
            {
                "date": day,
                "shifts": [s for s in shifts if s.start < day_end and s.end > day_start],
                "weekend": day.weekday() >= 5,
            }
        )
    return days


def roster_month(user: User, first: dt.date) -> dict[str, Any]:
    """The month's shifts, the uncovered hours of the next 30 days, the user's next shifts
    and the swaps waiting for them, and who is on duty now."""
    assert user.organisation is not None  # noqa: S101  # staff have one
    organisation = user.organisation
    return {
        "first": first,
        "previous": (first - dt.timedelta(days=1)).strftime("%Y-%m"),
        "next": (first + dt.timedelta(days=32)).strftime("%Y-%m"),
        "days": month_days(organisation, first),
        "gaps": roster.uncovered(organisation, timezone.now()),
        "mine": Shift.objects.filter(
            Q(primary=user) | Q(backup=user),
            organisation=organisation,
            end__gt=timezone.now(),
        ).order_by("start")[:10],
        "swaps": SwapRequest.objects.filter(
            asked=user, status=SwapRequest.Status.OPEN
        ).select_related("shift", "requested_by"),
        "duty": duty_now(user),
    }
