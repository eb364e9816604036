"""The interventions' access module, rule by rule (the branch-coverage gate)."""

import pytest
from django.http import Http404

from ostoja.accounts.roles import Role
from ostoja.interventions.access import access_intervention, interventions_visible_to
from ostoja.interventions.services import intervention_open
from ostoja.test import Persona

pytestmark = pytest.mark.django_db


def test_only_those_who_may_be_on_duty_see_interventions(centre: dict[Role, Persona]) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    assert counsellor.organisation is not None
    intervention = intervention_open(
        organisation=counsellor.organisation, data={"situation": "danger"}, acting_user=counsellor
    )
    for role in (Role.SHELTER_STAFF, Role.ANALYST, Role.DPO, Role.ADMINISTRATOR):
        assert not interventions_visible_to(centre[role].user).exists()
        with pytest.raises(Http404):
            access_intervention(centre[role].user, intervention.code)
    for role in (Role.COUNSELLOR, Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR):
        access = access_intervention(centre[role].user, intervention.code, write=True)
        assert access.record == intervention and access.writable
