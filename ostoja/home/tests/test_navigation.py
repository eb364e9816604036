"""Each role sees only the navigation it may use, and its own dashboard."""

import re

import pytest
from django.test import Client

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import CAPABILITIES, SEES_IDENTITIES, Capability, Role
from ostoja.test import Persona, make_user, sign_in, text

pytestmark = pytest.mark.django_db

# What each role's top bar holds — written out, not derived, so a policy change shows here.
EXPECTED = {role: ["Dashboard"] for role in Role} | {
    Role.COUNSELLOR: [
        "Dashboard",
        "Helpline",
        "People",
        "Interventions",
        "Prevention",
        "Partners",
        "Shelter",
    ],
    Role.CASE_MANAGER: [
        "Dashboard",
        "Helpline",
        "Cases",
        "People",
        "Interventions",
        "Prevention",
        "Partners",
        "Shelter",
    ],
    Role.SHELTER_STAFF: ["Dashboard", "Partners", "Shelter"],
    Role.SPECIALIST: ["Dashboard", "Cases", "People", "Partners"],
    Role.COORDINATOR: [
        "Dashboard",
        "Helpline",
        "Cases",
        "People",
        "Interventions",
        "Prevention",
        "Partners",
        "Shelter",
    ],
    Role.ANALYST: ["Dashboard", "Reports"],
    Role.ADMINISTRATOR: ["Dashboard", "Users and roles"],
    Role.DPO: ["Dashboard", "Audit trail", "Find a record", "GDPR records"],
}
# Capabilities that open client data (people, cases, contacts, shelter).
CLIENT_DATA = {
    Capability.LOG_CONTACTS,
    Capability.WORK_CASES,
    Capability.SEE_ALL_CASES,
    Capability.WORK_SHELTER,
}


def _navigation(html: str) -> list[str]:
    nav = html.split('data-testid="navigation">', 1)[1].split("</ul>", 1)[0]
    return [label.strip() for label in re.findall(r"<a [^>]*>([^<]+)</a>", nav)]


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_only_its_navigation_and_dashboard(
    client: Client, centre: dict[Role, Persona], role: Role
) -> None:
    sign_in(client, centre[role])
    page = text(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert _navigation(page) == EXPECTED[role]
    assert f'data-testid="role">{role.label}<' in page


def test_a_user_without_a_role_sees_a_plain_explanation(client: Client) -> None:
    persona = make_user(None, None)
    sign_in(client, persona)
    page = text(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "no role in an organisation yet" in page
    assert _navigation(page) == ["Dashboard"]
    assert client.get("/users/").status_code == 403


def test_administrator_and_analyst_hold_no_capability_over_client_data() -> None:
    for role in (Role.ADMINISTRATOR, Role.ANALYST, Role.DPO):
        assert not CAPABILITIES[role] & CLIENT_DATA, role
        assert role not in SEES_IDENTITIES


def test_an_unknown_role_grants_nothing(db: None) -> None:
    persona = make_user(Organisation.objects.create(short_code="Z"), Role.COUNSELLOR)
    persona.user.membership.role = "superuser"
    assert not persona.user.can(Capability.LOG_CONTACTS)
    persona.user.is_active = False
    persona.user.membership.role = Role.COUNSELLOR
    assert not persona.user.can(Capability.LOG_CONTACTS)
