"""The stay and the case plan, a partner's referral as the source of a stay, and what the
statistics count a stay by.

* A step taken during the stay (safety, health, legal) is a step of the case plan — added
  from the stay through the case's own service, listed by the stay and, on the case page,
  under the stay it belongs to; it goes on with the person when they move.
* An institution's referral, once accepted, is where a stay may come from: the stay names
  the partner, the referral lists its stays.
"""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Action, Case, Goal
from ostoja.cases.selectors import case_clients
from ostoja.cases.services import case_open
from ostoja.network.services import (
    incoming_referral_decide,
    incoming_referral_receive,
    partner_add,
)
from ostoja.people.models import Person
from ostoja.shelter.models import Facility, Placement, StayStep
from ostoja.shelter.services import (
    placement_admit,
    placement_move,
    placement_reserve,
    stay_step_add,
)
from ostoja.shelter.tests.conftest import bed_of
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def stay(centre: dict[Role, Persona], women: Facility, case: Case) -> Placement:
    """The case's client, staying at the women's shelter for the case."""
    manager = centre[Role.CASE_MANAGER].user
    person = case_clients(case)[0]
    placement = placement_reserve(person=person, bed=bed_of(women), case=case, acting_user=manager)
    placement_admit(
        placement=placement,
        at=timezone.now() - dt.timedelta(days=2),
        brought_by="staff",
        arrived_with="",
        expected_departure=None,
        acting_user=centre[Role.SHELTER_STAFF].user,
    )
    return placement


@pytest.fixture
def goals(centre: dict[Role, Persona], case: Case) -> dict[str, Goal]:
    manager = centre[Role.CASE_MANAGER].user
    made = {
        domain: Goal.objects.create(case=case, domain=domain, text=text_, created_by=manager)
        for domain, text_ in (
            ("safety", "Bezpieczeństwo w schronisku"),
            ("physical_health", "Leczenie"),
        )
    }
    made["done"] = Goal.objects.create(
        case=case, domain="criminal", text="Zeznania", status="achieved", created_by=manager
    )
    return made


def test_a_step_of_the_stay_is_a_step_of_the_case_plan(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    stay: Placement,
    goals: dict[str, Goal],
) -> None:
    assert stay.case is not None
    path = f"/shelter/placements/{stay.code}/steps/"
    data = {"step-goal": str(goals["safety"].pk), "step-text": "Plan wyjść z opiekunem"}
    # Whoever may change the case; the shelter's staff read the stay, not the case plan.
    team = {Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}
    assert_access(path, centre, other_centre, allowed=team, method="post", data=data)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_sign_in(client, centre[Role.CASE_MANAGER].user)
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        path,
        {"step-goal": str(goals["physical_health"].pk), "step-text": "Wizyta u lekarza"}
        | {"step-due": due},
    )
    assert response.status_code == 302 and response["Location"].endswith("#steps")
    step = StayStep.objects.latest("pk")
    assert step.action.text == "Wizyta u lekarza"
    assert step.placement == stay and step.action.goal == goals["physical_health"]
    assert step.action.due == dt.date.fromisoformat(due)
    # Audited twice: on the case (its plan's own entry) and on the stay.
    assert AuditEntry.objects.filter(
        action="case.action_added", target_code=str(stay.case.code)
    ).exists()
    entry = AuditEntry.objects.filter(action="placement.plan_item_added").latest("seq")
    assert entry.target_code == str(stay.code)
    assert entry.data == {
        "action": str(step.action.code),
        "goal": str(goals["physical_health"].code),
        "domain": "physical_health",
    }
    page = text(client.get(f"/shelter/placements/{stay.code}/"))
    assert "Plan of the stay" in page and "Wizyta u lekarza" in page
    # Done in the case plan: no longer an open step of the stay.
    Action.objects.filter(pk=step.action.pk).update(status="done")
    assert "Wizyta u lekarza" not in text(client.get(f"/shelter/placements/{stay.code}/"))
    # The case page's shelter panel lists the stay's steps under the stay.
    panel = text(client.get(f"/shelter/cases/{stay.case.code}/"))
    assert "Plan wyjść z opiekunem" in panel and "Wizyta u lekarza" in panel
    # The shelter's staff see the stay, not the case's plan.
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_sign_in(staff, centre[Role.SHELTER_STAFF].user)
    assert "Plan wyjść z opiekunem" not in text(staff.get(f"/shelter/placements/{stay.code}/"))


def test_bad_steps_are_refused_and_nothing_typed_is_lost(
    centre: dict[Role, Persona], stay: Placement, goals: dict[str, Goal], woman: Person
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_sign_in(client, centre[Role.CASE_MANAGER].user)
    path = f"/shelter/placements/{stay.code}/steps/"
    achieved = client.post(
        path, {"step-goal": str(goals["done"].pk), "step-text": "Rozprawa w sądzie"}
    )
    assert achieved.status_code == 400 and "Rozprawa w sądzie" in text(achieved)
    blank = client.post(path, {"step-goal": str(goals["safety"].pk), "step-text": " "})
    assert blank.status_code == 400 and "This field is required." in text(blank)
    assert not StayStep.objects.exists()
    manager = centre[Role.CASE_MANAGER].user
    other = Goal.objects.create(
        case=case_open(
            organisation=stay.organisation,
            clients=[woman],
            manager=manager,
            data={"summary": "Inna"},
            acting_user=manager,
        ),
        domain="safety",
        text="Inna sprawa",
        created_by=manager,
    )
    with pytest.raises(Exception, match="open goal of the stay's case"):
        stay_step_add(placement=stay, goal=other, text="Nie tu", due=None, acting_user=manager)
    no_case = Placement.objects.filter(pk=stay.pk)
    no_case.update(case=None)
    stay.refresh_from_db()
    assert client.post(path, {"step-goal": str(goals["safety"].pk)}).status_code == 404


def test_the_steps_go_on_with_a_move(
    centre: dict[Role, Persona], stay: Placement, goals: dict[str, Goal], women: Facility
) -> None:
    manager = centre[Role.CASE_MANAGER].user
    step = stay_step_add(
        placement=stay, goal=goals["safety"], text="Alarm w pokoju", due=None, acting_user=manager
    )
    moved = placement_move(
        placement=stay, bed=bed_of(women, 2), at=timezone.now(), acting_user=manager
    )
    step.refresh_from_db()
    assert step.placement == moved
    # The case page's panel: the stay now (with its step) and the one before, in history.
    assert stay.case is not None
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_sign_in(client, manager)
    panel = client.get(f"/shelter/cases/{stay.case.code}/").content.decode()
    now, before = panel.split(f"/shelter/placements/{stay.code}/")
    assert f"/shelter/placements/{moved.code}/" in now and "Alarm w pokoju" in now
    assert "Discharged" in before


def test_a_partners_referral_is_the_source_of_a_stay_and_shows_it(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], women: Facility
) -> None:
    manager = centre[Role.CASE_MANAGER].user
    assert manager.organisation is not None
    police = partner_add(
        organisation=manager.organisation,
        data={"name": "KPP w Grójcu", "kind": "police"},
        acting_user=manager,
    )
    incoming = incoming_referral_receive(
        organisation=manager.organisation,
        partner=police,
        referrer="asp. Nowak",
        received_at=timezone.now() - dt.timedelta(hours=3),
        summary="Kobieta z plantacji, potrzebuje schronienia.",
        acting_user=manager,
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_sign_in(client, manager)
    # Not accepted yet: nobody to place.
    assert "Add the person" in text(client.get(f"/shelter/reserve/?referral={incoming.code}"))
    case = incoming_referral_decide(
        incoming=incoming,
        accept=True,
        people=[{"name": "Anna Nowak", "gender": Person.Gender.FEMININE}],
        manager=manager,
        acting_user=manager,
    )
    assert case is not None
    detail = text(client.get(f"/network/incoming/{incoming.code}/"))
    assert "Place in a shelter" in detail
    path = f"/shelter/reserve/?referral={incoming.code}"
    page = text(client.get(path))
    assert "KPP w Grójcu" in page and "Anna Nowak" in page
    person = case_clients(case)[0]
    response = client.post(
        "/shelter/reserve/",
        {
            "referral": str(incoming.code),
            "bed-person": person.pk,
            "bed-facility": women.pk,
            "bed-bed": bed_of(women).pk,
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get(person=person)
    assert placement.referral == incoming and placement.case == case
    entry = AuditEntry.objects.get(action="placement.reserved", target_code=str(placement.code))
    assert entry.data["from"] == "referral" and entry.data["referral"] == str(incoming.code)
    stay_page = text(client.get(f"/shelter/placements/{placement.code}/"))
    assert "Referred by a partner" in stay_page and "KPP w Grójcu" in stay_page
    listed = client.get(f"/network/incoming/{incoming.code}/")
    assert f"/shelter/placements/{placement.code}/" in listed.content.decode()
    # A referral one may not see is missing, as any record.
    outsider = Client()
    force_sign_in(outsider, other_centre[Role.COORDINATOR].user)
    assert outsider.get(path).status_code == 404


def test_a_stay_is_counted_by_sex_age_at_admission_citizenship_and_form_of_exploitation(
    centre: dict[Role, Persona], stay: Placement, case: Case
) -> None:
    """What the statistics read (``ostoja.reports``): the person's sex and citizenships,
    their age on the day the stay began (the date of birth is sealed: computed, not
    queried), and the forms of exploitation of the stay's case."""
    Case.objects.filter(pk=case.pk).update(forms=["labour"])
    Person.objects.filter(pk=stay.person_id).update(gender=Person.Gender.FEMININE)
    row = (
        Placement.objects.filter(pk=stay.pk)
        .values_list("person__gender", "person__citizenships", "case__forms")
        .get()
    )
    assert row == (Person.Gender.FEMININE, ["UA"], ["labour"])
    stay.refresh_from_db()
    admitted = timezone.localdate(stay.admitted_at)
    born = dt.date(1994, 5, 1)  # the client's date of birth (conftest)
    expected = admitted.year - born.year - ((admitted.month, admitted.day) < (5, 1))
    assert stay.age_at_admission() == expected
    reserved = Placement(person=stay.person, admitted_at=None)
    assert reserved.age_at_admission() is None
