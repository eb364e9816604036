"""The policy's DPO rule (``policy.can_see_existence``, ``policy.existence``), branch by
branch: the data protection officer of the record's organisation learns that it exists,
with its codes and reference — never its label (a name) — and nobody else does by it."""

import dataclasses

import pytest

from ostoja.accounts.policy import (
    Existence,
    Scope,
    TeamRole,
    can_see_existence,
    can_view,
    existence,
    may_break_glass,
)
from ostoja.accounts.roles import Role
from ostoja.test import Persona, make_user

pytestmark = pytest.mark.django_db


def _scope(centre: dict[Role, Persona], **changes: object) -> Scope:
    manager = centre[Role.CASE_MANAGER].user
    assert manager.organisation is not None
    scope = Scope(
        organisation_id=manager.organisation.pk,
        target_type="cases.case",
        target_code="c0de",
        team={manager.pk: TeamRole.CASE_MANAGER},
        named=frozenset({manager.pk}),
        label="Olena Shevchenko",
        reference="KCIK/2026/0042",
    )
    return dataclasses.replace(scope, **changes)  # type: ignore[arg-type]  # keywords of Scope


def test_the_dpo_learns_that_a_record_exists_and_its_codes(
    centre: dict[Role, Persona],
) -> None:
    dpo = centre[Role.DPO].user
    scope = _scope(centre)
    assert can_see_existence(dpo, scope)
    known = existence(dpo, scope)
    assert known == Existence("cases.case", "c0de", "KCIK/2026/0042")
    # What it holds is all there is: no label, nothing else to show by mistake.
    assert {f.name for f in dataclasses.fields(Existence)} == {
        "target_type",
        "target_code",
        "reference",
    }
    assert "Olena" not in repr(known)
    # … and it is not a way in: the DPO still may not open it nor break the glass.
    assert not can_view(dpo, scope) and not may_break_glass(dpo, scope)


def test_restricted_records_are_no_exception(centre: dict[Role, Persona]) -> None:
    assert can_see_existence(centre[Role.DPO].user, _scope(centre, restricted=True))


def test_a_person_is_known_by_code_alone(centre: dict[Role, Persona]) -> None:
    person = _scope(centre, target_type="people.person", reference="")
    assert existence(centre[Role.DPO].user, person) == Existence("people.person", "c0de", "")


def test_another_organisations_dpo_learns_nothing(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    other_dpo = make_user(other_centre[Role.ADMINISTRATOR].user.organisation, Role.DPO).user
    assert not can_see_existence(other_dpo, _scope(centre))
    assert existence(other_dpo, _scope(centre)) is None


def test_a_dpo_no_longer_active_learns_nothing(centre: dict[Role, Persona]) -> None:
    dpo = centre[Role.DPO].user
    dpo.is_active = False
    assert not can_see_existence(dpo, _scope(centre))


@pytest.mark.parametrize("role", [role for role in Role if role != Role.DPO])
def test_no_other_role_is_given_existence_by_this_rule(
    centre: dict[Role, Persona], role: Role
) -> None:
    """Those who may open the record know it by ``can_view``; the rest not at all."""
    assert not can_see_existence(centre[role].user, _scope(centre))
    assert existence(centre[role].user, _scope(centre)) is None


def test_nobody_without_a_role_learns_anything(centre: dict[Role, Persona]) -> None:
    assert not can_see_existence(make_user(None, None).user, _scope(centre))
