"""Who may see and change cases (ARCHITECTURE.md §2–3): the case's team, coordinators for
unrestricted cases, and anyone who broke the glass. Missing and forbidden look the same
(404), except to those who may break the glass, who are offered it (403)."""

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from ostoja.accounts.models import AccessGrant, User
from ostoja.accounts.policy import Scope, register_scope, require_view
from ostoja.accounts.roles import Capability
from ostoja.cases.models import Case

TARGET = "cases.case"


def case_scope(case: Case) -> Scope:
    team = {m.user_id: m.role for m in case.team.all()}
    return Scope(
        organisation_id=case.organisation_id,
        target_type=TARGET,
        target_code=str(case.code),
        team=team,
        restricted=case.restricted,
        named=frozenset(team),
        url=reverse("cases:case_detail", args=[case.code]),
    )


def granted_codes(user: User, target_type: str) -> QuerySet[AccessGrant, str]:
    """Codes of the records ``user`` broke the glass on, while the grants run."""
    return AccessGrant.objects.filter(
        user=user, target_type=target_type, expires_at__gt=timezone.now()
    ).values_list("target_code", flat=True)


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The cases the user may open: the policy's rule as a query."""
    if not user.can(Capability.WORK_CASES):
        return Case.objects.none()
    mine = Q(team__user=user)
    reach = (Q(restricted=False) | mine) if user.can(Capability.SEE_ALL_CASES) else mine
    granted = Q(code__in=[uuid.UUID(c) for c in granted_codes(user, TARGET)])
    return Case.objects.filter(reach | granted, organisation=user.organisation).distinct()


def cases_in_organisation(user: User) -> QuerySet[Case]:
    """Every case of the user's organisation, for roles that work on cases: what the
    record-level check (``require_view``) then narrows."""
    if not user.can(Capability.WORK_CASES):
        return Case.objects.none()
    return Case.objects.filter(organisation=user.organisation)


def access_case(user: User, code: uuid.UUID) -> tuple[Case, Scope]:
    """One case and its scope, for a user whose role works on cases; 404 if it is not
    theirs to see, 403 with the break-the-glass offer if they may break the glass."""
    case = cases_in_organisation(user).filter(code=code).first()
    if case is None:
        raise Http404
    scope = case_scope(case)
    require_view(user, scope)
    return case, scope


def _finder(user: User, code: str) -> Scope | None:
    case = Case.objects.filter(code=code).first()
    return case_scope(case) if case is not None else None


register_scope(TARGET, _finder)
