"""Legal holds, read (``models.LegalHold``): which records a hold keeps now, and until
when a record's clock is paused. A hold on a case keeps the case and its clients; a hold
on a person keeps the person and every case they are a client of."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from ostoja.cases.models import Case, CaseClient
from ostoja.people.models import Person
from ostoja.privacy.models import LegalHold


def _not_lifted_by(on: dt.date) -> Q:
    start = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time()))
    return Q(lifted_at__isnull=True) | Q(lifted_at__gte=start)


def holds_active(on: dt.date | None = None) -> QuerySet[LegalHold]:
    """The holds that apply on ``on`` (today)."""
    on = on or timezone.localdate()
    return LegalHold.objects.filter(_not_lifted_by(on), starts_on__lte=on, ends_on__gte=on)


def _holds_touching_case(case: Case) -> Q:
    clients = CaseClient.objects.filter(case=case).values("person_id")
    return Q(case=case) | Q(person_id__in=clients)


def _holds_touching_person(person: Person) -> Q:
    cases = CaseClient.objects.filter(person=person).values("case_id")
    return Q(person=person) | Q(case_id__in=cases)


def holds_on(*, case: Case | None = None, person: Person | None = None) -> QuerySet[LegalHold]:
    """Every hold, past, present or future, that keeps this case (or this person)."""
    if case is not None:
        return LegalHold.objects.filter(_holds_touching_case(case))
    assert person is not None  # noqa: S101  # one or the other, by the signature's promise
    return LegalHold.objects.filter(_holds_touching_person(person))


def active_hold_for_case(case: Case, on: dt.date | None = None) -> LegalHold | None:
    return holds_active(on).filter(_holds_touching_case(case)).order_by("-ends_on").first()


def active_hold_for(person: Person, on: dt.date | None = None) -> LegalHold | None:
    """The hold that keeps the person now (the one that ends last), if any."""
    return holds_active(on).filter(_holds_touching_person(person)).order_by("-ends_on").first()


def paused_until(holds: QuerySet[LegalHold], on: dt.date | None = None) -> dt.date | None:
    """The last day the clock of a record was paused by holds that have begun (a record
    due meanwhile goes the day after): ``None`` when none ever applied."""
    on = on or timezone.localdate()
    days = [hold.last_day for hold in holds.filter(starts_on__lte=on)]
    return max(days) if days else None
