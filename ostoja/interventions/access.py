"""Who may see and change emergency interventions: everyone in the organisation who takes
calls or works cases (an emergency at 2 a.m. belongs to whoever is on duty, not to a case
team). Who the people involved are is the policy's emergency rule
(``policy.can_view_in_emergency``): those who may open them anyway, and — while it is
open — the people working the intervention."""

import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from ostoja.accounts.models import User
from ostoja.accounts.policy import (
    INNER_CLASSES,
    Access,
    Emergency,
    FieldClass,
    Scope,
    TeamRole,
    can_view,
    can_view_in_emergency,
    find_scope,
    may_break_glass,
    works_with_people,
)
from ostoja.accounts.records import Source, register_source
from ostoja.duty.roster import on_duty
from ostoja.interventions.models import Intervention
from ostoja.people.access import Worker, person_scopes, register_reach
from ostoja.people.models import Person

TARGET = "interventions.intervention"
_READABLE = frozenset(FieldClass) - INNER_CLASSES


def interventions_visible_to(user: User) -> QuerySet[Intervention]:
    """The organisation's interventions, for whoever may be on duty."""
    # Only roles whose work is with clients are on duty.
    if not works_with_people(user):
        return Intervention.objects.none()
    return Intervention.objects.filter(organisation=user.organisation)


def intervention_scope(intervention: Intervention) -> Scope:
    return Scope(
        organisation_id=intervention.organisation_id,
        target_type=TARGET,
        target_code=str(intervention.code),
        url=reverse("interventions:detail", args=[intervention.code]),
        label=intervention.reference,
        reference=intervention.reference,
    )


def access_intervention(
    user: User, code: uuid.UUID, *, write: bool = False
) -> Access[Intervention]:
    """One intervention of the organisation: 404 for anyone who may not be on duty or for
    another organisation's. Everyone on duty may act on it (``write``)."""
    intervention = (
        interventions_visible_to(user).filter(code=code).select_related("contact").first()
    )
    # Not the organisation's, or a role that is never on duty: missing.
    if intervention is None:
        raise Http404
    return Access(intervention, intervention_scope(intervention), True, _READABLE)


def emergency(intervention: Intervention) -> Emergency:
    """The intervention as the policy's emergency rule sees it: open or not, and who works
    it — who opened it, acknowledged it or was alerted, and who is on duty now."""
    workers = {intervention.opened_by_id, intervention.acknowledged_by_id}
    workers |= set(intervention.notifications.values_list("recipient_id", flat=True))
    is_open = intervention.status == Intervention.Status.OPEN
    if is_open:
        duty = on_duty(intervention.organisation, timezone.now())
        workers |= {duty.shift.primary_id, duty.shift.backup_id} if duty.shift else set()
    return Emergency(intervention.organisation_id, is_open, frozenset(w for w in workers if w))


@dataclass(frozen=True)
class Involved:
    """A person involved in an intervention, as one user may see them."""

    person: Person
    visible: bool  # their name and safe-contact warning may be shown
    may_break_glass: bool


def people_involved(user: User, intervention: Intervention) -> list[Involved]:
    """The people involved, each with whether ``user`` may see who they are."""
    people = list(intervention.people.all())
    scopes = person_scopes(people)
    rule = emergency(intervention)
    found = []
    for person in people:
        visible = can_view_in_emergency(user, scopes[person.pk], rule)
        offer = not visible and may_break_glass(user, scopes[person.pk])
        found.append(Involved(person, visible, offer))
    return found


def opened_case(user: User, intervention: Intervention) -> Scope | None:
    """The case opened from the intervention, if there is one the user may open."""
    if intervention.case is None:
        return None
    scope = find_scope(user, "cases.case", str(intervention.case.code))
    return scope if scope is not None and can_view(user, scope) else None


class HandoverReach:
    """The case manager an intervention is handed over to works with its people from then
    on (``people.access.Reach``): they can see them and open their case."""

    def workers(self, person_ids: Collection[int]) -> Iterator[Worker]:
        rows = Intervention.people.through.objects.filter(
            person_id__in=person_ids, intervention__handover_to__isnull=False
        ).values_list("person_id", "intervention__handover_to_id")
        for person_id, user_id in rows:
            yield Worker(person_id, user_id, TeamRole.MEMBER, False)

    def attached(self) -> Exists:
        return Exists(Intervention.objects.filter(people=OuterRef("pk"), handover_to__isnull=False))

    def on_team(self, user: User) -> Exists:
        return Exists(Intervention.objects.filter(people=OuterRef("pk"), handover_to=user))

    def restricted(self) -> Exists:
        return Exists(Intervention.objects.none())


register_reach(HandoverReach())


def _intervention_source(user: User, code: uuid.UUID) -> Source:
    """An intervention as the source of a case (``?intervention=``): the case is linked to
    it (``services.intervention_case_link``), and each shows the other."""
    from ostoja.interventions.services import intervention_case_link

    intervention = access_intervention(user, code).record

    def link(target_type: str, target_code: str, acting_user: User) -> None:
        # Only the case page takes ``?intervention=`` (``cases.views.case_new``).
        intervention_case_link(
            intervention=intervention, case_code=target_code, acting_user=acting_user
        )

    return Source("intervention", intervention.code, intervention, {}, link)


register_source("intervention", _intervention_source)
