"""The cases' access module, rule by rule (the branch-coverage gate of ``make test``)."""

import uuid

import pytest
from django.http import Http404

from ostoja.accounts.roles import Role
from ostoja.cases.access import access_case, access_case_record, cases_visible_to
from ostoja.cases.models import Case, Goal
from ostoja.test import Persona

pytestmark = pytest.mark.django_db


def test_roles_that_do_not_work_cases_see_none(centre: dict[Role, Persona], case: Case) -> None:
    for role in (Role.COUNSELLOR, Role.SHELTER_STAFF, Role.ANALYST, Role.DPO):
        assert not cases_visible_to(centre[role].user).exists()
        with pytest.raises(Http404):
            access_case(centre[role].user, case.code)
    assert list(cases_visible_to(centre[Role.CASE_MANAGER].user)) == [case]


def test_a_missing_record_of_a_case_is_missing(centre: dict[Role, Persona], case: Case) -> None:
    manager = centre[Role.CASE_MANAGER].user
    with pytest.raises(Http404):
        access_case(manager, uuid.uuid4())
    with pytest.raises(Http404):
        access_case_record(manager, Goal, uuid.uuid4())
