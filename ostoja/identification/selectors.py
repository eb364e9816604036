"""Read-only views of identification records for the other apps: a person's assessments,
preliminary identifications and decisions in their history (``accounts.records``)."""

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ostoja.accounts.models import User
from ostoja.accounts.policy import works_with_people
from ostoja.accounts.records import Event, register_history
from ostoja.identification.models import Assessment, Decision
from ostoja.people.access import TARGET as PERSON
from ostoja.people.models import Person


def _identification_of(user: User, person: Person) -> Iterator[Event]:
    """The person's assessments and identification decisions, for those who work with
    people (the person's page has already decided they may open the person)."""
    if not works_with_people(user):
        return
    modes = dict(Assessment.Mode.choices)
    page = reverse("identification:person", args=[person.code])
    for assessment in person.assessments.all():
        yield Event(
            assessment.created_at,
            str(_("Indicator assessment")),
            str(modes[assessment.mode]),
            reverse("identification:assessment", args=[assessment.code]),
        )
    statuses, deciders = dict(Decision.Status.choices), dict(Decision.DecidedBy.choices)
    for decision in person.identification_decisions.all():
        yield Event(
            timezone.make_aware(dt.datetime.combine(decision.decided_on, dt.time(12))),
            str(_("Identification decision")),
            f"{statuses[decision.status]} · {deciders[decision.decided_by]}",
            page,
        )
    for preliminary in person.preliminary_identifications.all():
        yield Event(preliminary.decided_at, str(_("Preliminary identification")), "", page)


register_history(PERSON, _identification_of)
