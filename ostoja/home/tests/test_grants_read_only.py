"""A break-the-glass grant opens a record to read, never to change (ARCHITECTURE.md §3):
every view that changes a person, a case or an identification record refuses a grant
holder (403), while the pages that only show them let the holder in."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver
from django.utils import timezone

from ostoja.accounts.models import AccessGrant, User
from ostoja.accounts.policy import TeamRole
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Action, Case, Consent, Deadline, Goal
from ostoja.identification.services import assessment_start
from ostoja.people.models import Person
from ostoja.people.services import person_create, relation_add
from ostoja.test import Persona, force_sign_in

pytestmark = pytest.mark.django_db

# Views that only show records: a grant holder gets in.
READS = {
    "people:person_detail",
    "people:person_history",
    "cases:case_detail",
    "cases:case_timeline",
    "cases:case_section",
    "identification:person",
    "identification:assessment",
}
# Views that are not about one record (lists, new records, searches, catalogues) or whose
# reading is itself an export (tested in test_exports.py).
ELSEWHERE = {
    "people:person_list",
    "people:person_new",
    "people:person_matches",
    "cases:case_list",
    "cases:my_tasks",
    "cases:case_summary",
    "cases:document_download",
    "identification:summary",
    "identification:catalogues",
    "identification:catalogue_download",
}


def _grant(user: User, target_type: str, code: object) -> None:
    now = timezone.now()
    assert user.organisation is not None
    AccessGrant.objects.create(
        user=user,
        organisation=user.organisation,
        target_type=target_type,
        target_code=str(code),
        reason=AccessGrant.Reason.EMERGENCY,
        explanation="Dyżur nocny",
        expires_at=now + dt.timedelta(hours=1),
    )


@pytest.fixture
def holder(centre: dict[Role, Persona], case: Case, client_person: Person) -> Client:
    """The centre's specialist, taken off the case, with grants on the case and its
    client: they may read both, and nothing more."""
    specialist = centre[Role.SPECIALIST].user
    case.team.filter(user=specialist).delete()
    _grant(specialist, "cases.case", case.code)
    _grant(specialist, "people.person", client_person.code)
    client = Client()
    force_sign_in(client, specialist)
    return client


def _writes(centre: dict[Role, Persona], case: Case, person: Person) -> dict[str, list[str]]:
    """A URL (and whether to POST it) for every view that changes these records."""
    manager = centre[Role.CASE_MANAGER].user
    goal = Goal.objects.create(
        case=case, domain="safety", text="Bezpieczne mieszkanie", created_by=manager
    )
    action = Action.objects.create(goal=goal, text="Zadzwonić do schroniska")
    consent = Consent.objects.create(
        case=case,
        client=person,
        scope="processing",
        method="written",
        given_on=timezone.localdate(),
        created_by=manager,
    )
    deadline = Deadline.objects.create(
        case=case, kind="other", due=timezone.localdate(), created_by=manager
    )
    assert manager.organisation is not None
    other = person_create(
        organisation=manager.organisation, data={"name": "Iwan Petrenko"}, acting_user=manager
    )
    relation = relation_add(person=person, other=other, kind="family", note="", acting_user=manager)
    assessment = assessment_start(
        person=person,
        mode="full",
        exploitation=["labour"],
        age_at_exploitation=30,
        acting_user=manager,
    )
    c, p, a = case.code, person.code, assessment.code
    return {
        "cases:case_new": [f"/cases/new/?person={p}", "get"],
        "cases:case_edit": [f"/cases/{c}/edit/", "get"],
        "cases:case_status": [f"/cases/{c}/status/", "post"],
        "cases:team_set": [f"/cases/{c}/team/", "post"],
        "cases:team_remove": [f"/cases/{c}/team/remove/", "post"],
        "cases:client_add": [f"/cases/{c}/clients/", "post"],
        "cases:record_add": [f"/cases/{c}/add/note/", "post"],
        "cases:case_form": [f"/cases/{c}/form/note/", "get"],
        "cases:document_add": [f"/cases/{c}/documents/", "post"],
        "cases:action_add": [f"/cases/goals/{goal.code}/actions/", "post"],
        "cases:goal_status": [f"/cases/goals/{goal.code}/status/", "post"],
        "cases:action_status": [f"/cases/actions/{action.code}/status/", "post"],
        "cases:consent_withdraw": [f"/cases/consents/{consent.code}/withdraw/", "post"],
        "cases:deadline_met": [f"/cases/deadlines/{deadline.code}/met/", "post"],
        "people:person_edit": [f"/people/{p}/edit/", "get"],
        "people:person_merge": [f"/people/{p}/merge/?duplicate={other.code}", "get"],
        "people:relation_add": [f"/people/{p}/relations/", "post"],
        "people:relation_form": [f"/people/{p}/relations/form/", "get"],
        "people:relation_remove": [f"/people/relations/{relation.code}/remove/", "post"],
        "identification:assessment_new": [f"/identification/people/{p}/assessments/", "post"],
        "identification:preliminary_add": [f"/identification/people/{p}/preliminary/", "post"],
        "identification:decision_add": [f"/identification/people/{p}/decisions/", "post"],
        "identification:answer": [f"/identification/assessments/{a}/answer/", "post"],
        "identification:continue": [f"/identification/assessments/{a}/continue/", "post"],
        "identification:discard": [f"/identification/assessments/{a}/discard/", "post"],
    }


def test_every_view_that_changes_a_record_is_listed(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    names = set()
    for namespace in ("people", "cases", "identification"):
        for pattern in get_resolver(f"ostoja.{namespace}.urls").url_patterns:
            assert isinstance(pattern, URLPattern)
            names.add(f"{namespace}:{pattern.name}")
    writes = set(_writes(centre, case, client_person))
    assert names == writes | READS | ELSEWHERE, names ^ (writes | READS | ELSEWHERE)


def test_a_grant_holder_reads_but_every_change_is_refused(
    centre: dict[Role, Persona], case: Case, client_person: Person, holder: Client
) -> None:
    assert holder.get(f"/cases/{case.code}/").status_code == 200
    assert holder.get(f"/people/{client_person.code}/").status_code == 200
    writes = _writes(centre, case, client_person)
    changes = AuditEntry.objects.exclude(action__endswith="viewed").exclude(
        action__endswith="listed"
    )
    before = changes.count()
    for name, (url, method) in writes.items():
        data = {"status": "closed", "text": "x"} if method == "post" else None
        status = getattr(holder, method)(url, data).status_code
        assert status == 403, f"{name}: {status}"
    assert changes.count() == before, list(changes.values_list("action", flat=True))
    case.team.create(user=centre[Role.SPECIALIST].user, role=TeamRole.SPECIALIST)
    assert holder.get(f"/cases/{case.code}/edit/").status_code == 200  # on the team again
