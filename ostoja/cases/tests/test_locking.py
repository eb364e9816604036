"""Two members of a case's team edit it at once (issue #20, ostoja.lib.locking): the second
save does not overwrite the first — it gets the conflict page with both versions, and
saving again puts the second user's changes on top of the first's."""

import pytest
from django.test import Client
from django.utils import translation

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Action, Case, Goal
from ostoja.cases.services import case_update, goal_status, plan_action_status
from ostoja.lib.locking import Conflict
from ostoja.test import Persona, force_sign_in, form_fields, text

pytestmark = pytest.mark.django_db


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


def test_it_shows_the_conflict_page_to_the_second_of_two_editors(
    centre: dict[Role, Persona], case: Case
) -> None:
    manager, coordinator = centre[Role.CASE_MANAGER], centre[Role.COORDINATOR]
    a, b = _client(manager), _client(coordinator)
    url = f"/cases/{case.code}/edit/"
    # Both open the form.
    form_a = form_fields(text(a.get(url)))
    form_b = form_fields(text(b.get(url)))
    assert form_a["version"] == form_b["version"] == "1"
    # A changes the summary and the stage, and saves.
    form_a |= {"summary": "Wersja A: paszport odzyskany.", "stage": "support"}
    assert a.post(url, form_a).status_code == 302
    # B, from the form opened before, changes the summary and the referral, and saves.
    form_b |= {"summary": "Wersja B: klientka w schronisku.", "referred_by": "police"}
    response = b.post(url, form_b)
    assert response.status_code == 409
    page = text(response)
    # Nothing of A's is lost.
    case.refresh_from_db()
    assert case.summary == "Wersja A: paszport odzyskany." and case.stage == "support"
    assert case.referred_by != "police" and case.version == 2
    # The page shows both versions of the fields that differ, and who saved in between.
    assert 'id="conflict"' in page
    assert "Wersja A: paszport odzyskany." in page and "Wersja B: klientka w schronisku." in page
    assert str(manager.user) in page
    # The form holds A's version with B's changes on top, at the new version.
    again = form_fields(page)
    assert again["version"] == "2"
    assert again["summary"] == "Wersja B: klientka w schronisku."
    assert again["referred_by"] == "police"
    assert again["stage"] == "support"  # A's change, which B did not touch, is kept
    # B saves again: B's changes on top of A's.
    assert b.post(url, again).status_code == 302
    case.refresh_from_db()
    assert case.summary == "Wersja B: klientka w schronisku."
    assert case.referred_by == "police" and case.stage == "support" and case.version == 3
    saves = AuditEntry.objects.filter(action="case.updated", target_code=str(case.code))
    assert saves.count() == 2


def test_it_lets_the_second_editor_discard_their_changes(
    centre: dict[Role, Persona], case: Case
) -> None:
    a, b = _client(centre[Role.CASE_MANAGER]), _client(centre[Role.SPECIALIST])
    url = f"/cases/{case.code}/edit/"
    form_a, form_b = form_fields(text(a.get(url))), form_fields(text(b.get(url)))
    a.post(url, form_a | {"summary": "A"})
    page = text(b.post(url, form_b | {"summary": "B"}))
    assert f'href="/cases/{case.code}/"' in page  # "Discard my changes": back to the case
    case.refresh_from_db()
    assert case.summary == "A"


def test_a_save_that_changes_nothing_is_no_conflict(
    centre: dict[Role, Persona], case: Case
) -> None:
    a, b = _client(centre[Role.CASE_MANAGER]), _client(centre[Role.COORDINATOR])
    url = f"/cases/{case.code}/edit/"
    form_a, form_b = form_fields(text(a.get(url))), form_fields(text(b.get(url)))
    a.post(url, form_a | {"summary": "A"})
    assert b.post(url, form_b).status_code == 302
    case.refresh_from_db()
    assert case.summary == "A"


def test_the_service_refuses_a_stale_version(centre: dict[Role, Persona], case: Case) -> None:
    manager = centre[Role.CASE_MANAGER].user
    case_update(case=case, data={"summary": "one"}, version=1, acting_user=manager)
    stale = Case.objects.get(pk=case.pk)
    stale.version = 1
    with pytest.raises(Conflict) as raised:
        case_update(case=stale, data={"summary": "two"}, version=1, acting_user=manager)
    assert raised.value.stored.summary == "one"  # type: ignore[attr-defined]
    case.refresh_from_db()
    assert case.summary == "one" and case.version == 2


def test_plan_status_changes_from_a_stale_page_conflict(
    centre: dict[Role, Persona], case: Case
) -> None:
    """The support plan: a goal's or a step's status changed from a page opened before
    someone else changed it is not applied; the case page says so, naming both."""
    manager, specialist = centre[Role.CASE_MANAGER], centre[Role.SPECIALIST]
    goal = Goal.objects.create(case=case, domain="safety", text="Cel", created_by=manager.user)
    action = Action.objects.create(goal=goal, text="Krok")
    goal_status(goal=goal, status="achieved", version=1, acting_user=manager.user)
    with pytest.raises(Conflict):
        goal_status(goal=goal, status="dropped", version=1, acting_user=specialist.user)
    plan_action_status(action=action, status="done", version=1, acting_user=manager.user)
    with pytest.raises(Conflict):
        plan_action_status(action=action, status="cancelled", version=1, acting_user=manager.user)
    goal.refresh_from_db()
    action.refresh_from_db()
    assert goal.status == "achieved" and action.status == "done"
    # Over HTTP: the stale button's version is refused with a message naming both statuses.
    b = _client(specialist)
    response = b.post(
        f"/cases/actions/{action.code}/status/", {"status": "in_progress", "version": "1"}
    )
    assert response.status_code == 302
    page = text(b.get(response["Location"]))
    with translation.override("pl"):
        labels = (str(Action.Status.IN_PROGRESS.label), str(Action.Status.DONE.label))
    assert all(f"{label}”" in page for label in labels)  # „…” in Polish
    assert str(manager.user) in page
    action.refresh_from_db()
    assert action.status == "done"
    # The current version applies.
    b.post(f"/cases/actions/{action.code}/status/", {"status": "in_progress", "version": "2"})
    action.refresh_from_db()
    assert action.status == "in_progress"
