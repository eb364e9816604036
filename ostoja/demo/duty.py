"""Demo roster (``manage.py demo``): every hour outside office hours in the next 30 days has
a duty worker and a backup, and staff have (invented) duty phones."""

import datetime as dt

from django.utils import timezone

from ostoja.accounts.models import Organisation, User
from ostoja.duty import roster
from ostoja.duty.models import DutyPhone, Shift

DAYS = 31


def build(organisation: Organisation, staff: list[User], coordinator: User) -> int:
    """Returns the number of shifts planned."""
    for number, user in enumerate(staff, start=1):
        DutyPhone.objects.get_or_create(user=user, defaults={"number": f"+4850000000{number}"})
    start = timezone.now() - dt.timedelta(days=1)  # uncovered() rounds to the hour
    made = 0
    # With no shift planned yet, the uncovered spans are all the hours outside office hours.
    for index, (begin, end) in enumerate(roster.uncovered(organisation, start, DAYS)):
        # Long spans (weekends) are cut into days, so the duty rotates.
        cut = begin
        while cut < end:
            until = min(end, cut + dt.timedelta(hours=24))
            primary = staff[(index + made) % len(staff)]
            backup = staff[(index + made + 1) % len(staff)]
            Shift.objects.create(
                organisation=organisation,
                start=cut,
                end=until,
                primary=primary,
                backup=backup,
                created_by=coordinator,
            )
            made += 1
            cut = until
    return made
