"""The prevention access module, rule by rule (the branch-coverage gate)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ostoja.accounts.roles import Role
from ostoja.prevention.access import access_counselling, counselling_visible_to
from ostoja.prevention.models import Counselling, FlagCatalogue
from ostoja.prevention.services import counselling_save
from ostoja.test import Persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def counselling(centre: dict[Role, Persona]) -> Counselling:
    counsellor = centre[Role.COUNSELLOR].user
    return counselling_save(
        data={"city": "Berlin"},
        flags=[],
        organisation=counsellor.organisation,
        catalogue=FlagCatalogue.current(),
        acting_user=counsellor,
    )


def test_only_the_helplines_staff_see_counselling(
    centre: dict[Role, Persona], counselling: Counselling
) -> None:
    for role in (Role.SPECIALIST, Role.SHELTER_STAFF, Role.ANALYST, Role.DPO, Role.ADMINISTRATOR):
        assert not counselling_visible_to(centre[role].user).exists()
        with pytest.raises(Http404):
            access_counselling(centre[role].user, counselling.code)
    for role in (Role.COUNSELLOR, Role.CASE_MANAGER, Role.COORDINATOR):
        assert access_counselling(centre[role].user, counselling.code) == counselling


def test_another_organisations_counselling_is_missing(
    other_centre: dict[Role, Persona], counselling: Counselling
) -> None:
    with pytest.raises(Http404):
        access_counselling(other_centre[Role.COORDINATOR].user, counselling.code)


def test_its_counsellor_and_coordinators_change_it(
    centre: dict[Role, Persona], counselling: Counselling
) -> None:
    for role in (Role.COUNSELLOR, Role.COORDINATOR):
        assert access_counselling(centre[role].user, counselling.code, write=True) == counselling
    with pytest.raises(PermissionDenied):
        access_counselling(centre[Role.CASE_MANAGER].user, counselling.code, write=True)
