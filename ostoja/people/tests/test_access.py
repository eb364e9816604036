"""The people's and cases' access functions, branch by branch (the HTTP views' contracts
are in test_people.py and cases/tests/test_cases.py)."""

import pytest
from django.http import Http404

from ostoja.accounts.policy import TeamRole
from ostoja.accounts.roles import Role
from ostoja.cases.access import access_case
from ostoja.cases.models import Case
from ostoja.cases.services import case_open, team_set
from ostoja.people.access import access_person, people_visible_to, person_scope
from ostoja.people.models import Person
from ostoja.test import Persona

pytestmark = pytest.mark.django_db


def test_roles_without_client_work_get_nothing(
    centre: dict[Role, Persona], client_person: Person, case: Case
) -> None:
    for role in (Role.SHELTER_STAFF, Role.ANALYST, Role.DPO, Role.ADMINISTRATOR):
        user = centre[role].user
        with pytest.raises(Http404):
            access_person(user, client_person.code)
        assert not people_visible_to(user).exists()
    with pytest.raises(Http404):  # no case work: no case, not even its existence
        access_case(centre[Role.COUNSELLOR].user, case.code)


def test_a_person_on_several_cases_keeps_the_strongest_role(
    centre: dict[Role, Persona], client_person: Person, case: Case
) -> None:
    manager = centre[Role.CASE_MANAGER].user
    assert manager.organisation is not None
    second = case_open(
        organisation=manager.organisation,
        clients=[client_person],
        manager=centre[Role.COORDINATOR].user,
        data={},
        acting_user=manager,
    )
    # The case manager of the first case is a mere member of the second.
    team_set(case=second, user=manager, role=TeamRole.MEMBER, acting_user=manager)
    team = person_scope(client_person).team
    assert team[manager.pk] == TeamRole.CASE_MANAGER
    assert team[centre[Role.SPECIALIST].user.pk] == TeamRole.SPECIALIST
    assert team[centre[Role.COORDINATOR].user.pk] == TeamRole.CASE_MANAGER
