"""What the portal reads: the centre's helpline numbers and office hours (from the
organisation's own settings, as the staff side keeps them), and a report's thread."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.functional import Promise
from django.utils.text import format_lazy

from ostoja.accounts.models import Organisation
from ostoja.helpline.models import Contact
from ostoja.portal.models import Report
from ostoja.portal.receipt import lookup


@dataclass(frozen=True)
class Helpline:
    phones: tuple[str, ...]
    email: str
    # (days, opens, closes): a weekday or a run of them with the same hours, named lazily
    # (in the language of the page that shows them).
    hours: tuple[tuple[str | Promise, str, str], ...]


def _days(first: int, last: int) -> str | Promise:
    if first == last:
        return WEEKDAYS[first]
    return format_lazy("{} – {}", WEEKDAYS[first], WEEKDAYS[last])


def organisation() -> Organisation | None:
    code = settings.OSTOJA_PORTAL_ORGANISATION
    found = Organisation.objects.filter(short_code=code) if code else Organisation.objects.all()
    return found.order_by("pk").first()


def helpline() -> Helpline:
    centre = organisation()
    week = centre.office_hours if centre else {}
    runs: list[tuple[int, int, str, str]] = []
    for day in range(7):
        opens_closes = week.get(str(day))
        if not opens_closes:
            continue
        opens, closes = opens_closes
        if runs and runs[-1][1] == day - 1 and runs[-1][2:] == (opens, closes):
            runs[-1] = (runs[-1][0], day, opens, closes)
        else:
            runs.append((day, day, opens, closes))
    hours = tuple(
        (
            WEEKDAYS[first]
            if first == last
            else format_lazy("{} – {}", WEEKDAYS[first], WEEKDAYS[last]),
            opens,
            closes,
        )
        for first, last, opens, closes in runs
    )
    return Helpline(tuple(settings.OSTOJA_PORTAL_PHONES), settings.OSTOJA_PORTAL_EMAIL, hours)


def report_by_code(code: str) -> Report | None:
    return (
        Report.objects.select_related("first", "organisation").filter(lookup=lookup(code)).first()
    )


def thread(report: Report) -> list[Contact]:
    """The report's messages, oldest first: the sender's (the first and those added to it)
    and the helpline's answers to any of them."""
    first = report.first
    found = Contact.objects.filter(
        Q(pk=first.pk) | Q(in_reply_to=first) | Q(in_reply_to__in_reply_to=first)
    ).filter(organisation=report.organisation, channel=Contact.Channel.WEB)
    return list(found.order_by("started_at", "pk"))


# An anonymous report nobody has written in for this long is erased (SECURITY.md §2.2:
# keep the public zone's data no longer than it serves).
ABANDONED_AFTER = dt.timedelta(days=90)


def reports_abandoned(
    now: dt.datetime | None = None,
    *,
    after: dt.timedelta = ABANDONED_AFTER,
    organisation: Organisation | None = None,
) -> list[Report]:
    """Reports whose last message, the sender's or the centre's, is older than ``after``
    (the DPO's retention schedule, ``ABANDONED_AFTER`` by default), oldest first; of one
    organisation if given."""
    cutoff = (now or timezone.now()) - after
    candidates = Report.objects.select_related("first", "organisation").filter(
        first__started_at__lt=cutoff
    )
    if organisation is not None:
        candidates = candidates.filter(organisation=organisation)
    return [
        report
        for report in candidates.order_by("first__started_at", "pk")
        if max(contact.started_at for contact in thread(report)) < cutoff
    ]
