"""Fixtures of the audit trail's tests."""

import importlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from pytest_django.fixtures import Settings

from ostoja.accounts.roles import Role
from ostoja.audit.trail import record
from ostoja.cases.models import Case
from ostoja.cases.services import case_open
from ostoja.helpline.models import Contact
from ostoja.helpline.services import contact_link, contact_start
from ostoja.identification.models import Assessment
from ostoja.identification.services import assessment_start
from ostoja.interventions.models import Intervention
from ostoja.interventions.services import intervention_open
from ostoja.people.models import Person
from ostoja.people.services import person_create, person_merge
from ostoja.test import Persona, make_user


@pytest.fixture(autouse=True)
def checkpoint_dir(settings: Settings, tmp_path: Path) -> Path:
    """Each test its own (not yet existing) checkpoint directory, and no checkpoint mail
    unless the test turns it on: never the instance's own ``var/``."""
    settings.OSTOJA_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    settings.OSTOJA_AUDIT_CHECKPOINT_MAIL = False
    return tmp_path / "checkpoints"


@pytest.fixture
def default_schedules(db: None) -> None:
    """The instance's default retention schedules, seeded again if the flush that ends an
    earlier test on a committed database took them."""
    migration = importlib.import_module("ostoja.privacy.migrations.0002_retention_defaults")
    migration.seed(apps, None)


@pytest.fixture
def other_dpo(other_centre: dict[Role, Persona]) -> Persona:
    """The data protection officer of the other centre."""
    return make_user(other_centre[Role.ADMINISTRATOR].user.organisation, Role.DPO)


@dataclass
class World:
    """A client with records in every app, and a stranger whose records must stay out."""

    person: Person  # Олена Шевченко / Olena Shevchenko, born 1994-05-01
    duplicate: Person  # merged into ``person``
    case: Case  # managed by the centre's case manager, the specialist on its team
    restricted: Case  # the person's second case: restricted, the coordinator's alone
    contact: Contact  # linked to the person
    case_contact: Contact  # linked to the case
    intervention: Intervention  # the person was involved in it
    assessment: Assessment
    stranger: Person
    stranger_case: Case


@pytest.fixture
def world(centre: dict[Role, Persona], client_person: Person, case: Case) -> World:
    manager = centre[Role.CASE_MANAGER].user
    counsellor = centre[Role.COUNSELLOR].user
    coordinator = centre[Role.COORDINATOR].user
    organisation = manager.organisation
    assert organisation is not None
    duplicate = person_create(
        organisation=organisation, data={"name": "Olena Szewczenko"}, acting_user=manager
    )
    record("person.viewed", actor=counsellor, target=duplicate)  # before the merge
    person_merge(keep=client_person, duplicate=duplicate, acting_user=manager)
    restricted = case_open(
        organisation=organisation,
        clients=[client_person],
        manager=coordinator,
        data={"restricted": True},
        acting_user=coordinator,
    )
    contact = contact_start(organisation=organisation, acting_user=counsellor)
    contact_link(
        contact=contact,
        target_type="people.person",
        target_code=str(client_person.code),
        acting_user=manager,
    )
    case_contact = contact_start(organisation=organisation, acting_user=counsellor)
    contact_link(
        contact=case_contact,
        target_type="cases.case",
        target_code=str(case.code),
        acting_user=manager,
    )
    intervention = intervention_open(
        organisation=organisation,
        data={"situation": "danger"},
        acting_user=counsellor,
        people=[client_person],
    )
    assessment = assessment_start(
        person=client_person,
        mode="full",
        exploitation=["labour"],
        age_at_exploitation=30,
        case=case,
        acting_user=manager,
    )
    stranger = person_create(
        organisation=organisation, data={"name": "Jan Obcy"}, acting_user=coordinator
    )
    stranger_case = case_open(
        organisation=organisation,
        clients=[stranger],
        manager=coordinator,
        data={},
        acting_user=coordinator,
    )
    return World(
        client_person,
        duplicate,
        case,
        restricted,
        contact,
        case_contact,
        intervention,
        assessment,
        stranger,
        stranger_case,
    )
