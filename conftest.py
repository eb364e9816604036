"""pytest fixtures shared by every app: the personas of ``ostoja.test`` and a test queue."""

import datetime as dt
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.db.models.signals import pre_delete, pre_save
from django.test import Client
from huey.contrib.djhuey import HUEY
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.fixtures import Settings

from ostoja.accounts.policy import SCOPE_FINDERS, Scope, TeamRole, register_scope
from ostoja.accounts.roles import Role
from ostoja.audit import guards
from ostoja.cases.models import Case
from ostoja.cases.services import case_open, team_set
from ostoja.lib.crypto.tests.sample import Sample
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.prevention.models import FlagCatalogue
from ostoja.prevention.reference import load_catalogue, read_shipped
from ostoja.test import Axe, Persona, make_organisation, make_user, sign_in


@pytest.fixture(scope="session", autouse=True)
def sample_table(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The table of ``Sample``, a client-like record for testing the data protection layer
    before the apps that hold client data exist."""
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Sample)
        yield
        with connection.schema_editor() as editor:
            editor.delete_model(Sample)


@pytest.fixture
def audit_flushable(transactional_db: None) -> Iterator[None]:
    """For tests on a committed database: lift the audit guards before the flush that ends
    the test (they are installed again after it, by ``post_migrate``)."""
    yield
    guards.suspend(connection)


# Apps whose records are audited: every write of them goes through a service that writes
# its audit entry (STYLE.md). Bookkeeping with no personal data is left out.
AUDITED_APPS = {
    "helpline",
    "people",
    "cases",
    "identification",
    "interventions",
    "duty",
    "prevention",
    "network",
    "shelter",
}
NOT_AUDITED = {
    "interventions.notification",  # delivery bookkeeping of an alert
    "shelter.absencealert",  # delivery bookkeeping of an alert
    "prevention.agency",  # the public register of employment agencies (KRAZ)
    "prevention.flagcatalogue",  # reference data
    "prevention.flag",
}
# Where a write enters the system: a request, a webhook, a task. A write reached from one of
# these without a service in between bypassed the service layer.
_ENTRY = re.compile(r"^(ostoja\.\w+\.(views|webhooks|tasks)|django\.core\.handlers\.)")
_SERVICE = re.compile(r"^ostoja\.\w+\.services$")


def _audited(model: type[Model]) -> bool:
    label = model._meta.label_lower
    if label in NOT_AUDITED:
        return False
    return model._meta.app_label in AUDITED_APPS or label == "accounts.accessgrant"


def _written_by_a_service(sender: type[Model], **kwargs: Any) -> None:
    """Fail a save or delete of an audited record that no service made: walking out from
    the write, a service must come before any entry point (a view, webhook or task). Test
    set-up writing rows directly reaches its test without passing an entry point."""
    if not _audited(sender):
        return
    frame = sys._getframe(1)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if _SERVICE.match(module):
            return
        if _ENTRY.match(module):
            raise AssertionError(
                f"{sender._meta.label} written outside a service (from {module}, line "
                f"{frame.f_lineno}): every write of an audited record goes through a service"
            )
        frame = frame.f_back  # type: ignore[assignment]


@pytest.fixture(scope="session", autouse=True)
def writes_go_through_services() -> Iterator[None]:
    """The service layer's promise, checked on every test: no view, webhook or task saves
    or deletes an audited record except through a service."""
    signals = (pre_save, pre_delete)
    for signal in signals:
        signal.connect(_written_by_a_service, dispatch_uid="ostoja-writes")
    yield
    for signal in signals:
        signal.disconnect(dispatch_uid="ostoja-writes")


@pytest.fixture(autouse=True)
def _isolated(settings: Settings) -> Iterator[None]:
    """Each test: tasks run at once in-process, throttling counters start at zero, and
    passwords hash fast (the slow production hasher is tested on its own)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    HUEY.immediate = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def red_flags(db: None) -> FlagCatalogue:
    """The red-flag checklist the migrations ship, loaded again if the flush that ends an
    earlier test on a committed database (browser, worker) took it."""
    return FlagCatalogue.current() or load_catalogue(read_shipped())


@pytest.fixture
def centre(db: None) -> dict[Role, Persona]:
    """One member of staff per role in the centre under test."""
    organisation = make_organisation()
    return {role: make_user(organisation, role) for role in Role}


@pytest.fixture
def other_centre(db: None) -> dict[Role, Persona]:
    """Another organisation: its people are outsiders to the first."""
    organisation = make_organisation("OTHER", "Inne centrum")
    return {role: make_user(organisation, role) for role in (Role.ADMINISTRATOR, Role.COORDINATOR)}


@pytest.fixture
def signed_in(client: Client, centre: dict[Role, Persona]) -> "SignIn":
    return SignIn(client, centre)


class SignIn:
    """``signed_in(Role.COUNSELLOR)`` signs the test client in as that persona."""

    def __init__(self, client: Client, centre: dict[Role, Persona]) -> None:
        self.client = client
        self.centre = centre

    def __call__(self, role: Role) -> Persona:
        persona = self.centre[role]
        sign_in(self.client, persona)
        return persona


@pytest.fixture
def sample(centre: dict[Role, Persona]) -> Iterator[Sample]:
    """A client record of the centre whose case manager is the centre's, registered with
    the access policy as ``home.sample`` (what people and cases will be)."""
    organisation = centre[Role.CASE_MANAGER].user.organisation
    record = Sample.objects.create(organisation=organisation, name="Klientka")

    def finder(user: Any, code: str) -> Scope | None:
        found = Sample.objects.filter(code=code).first()
        if found is None or found.organisation_id is None:
            return None
        return Scope(
            organisation_id=found.organisation_id,
            target_type="home.sample",
            target_code=str(found.code),
            team={centre[Role.CASE_MANAGER].user.pk: TeamRole.CASE_MANAGER},
            url=f"/?record={found.code}",
        )

    register_scope("home.sample", finder)
    yield record
    SCOPE_FINDERS.pop("home.sample")


@pytest.fixture
def client_person(centre: dict[Role, Persona]) -> Person:
    """A client registered by the centre's case manager (in Cyrillic, with a Latin form)."""
    manager = centre[Role.CASE_MANAGER].user
    assert manager.organisation is not None
    return person_create(
        organisation=manager.organisation,
        data={
            "name": "Олена Шевченко",
            "name_latin": "Olena Shevchenko",
            "birth_date": dt.date(1994, 5, 1),
            "citizenships": ["UA"],
            "phone": "+48 600 100 200",
            "code_word": "słonecznik",
            "phone_controlled": True,
        },
        acting_user=manager,
    )


@pytest.fixture
def case(centre: dict[Role, Persona], client_person: Person) -> Case:
    """An open case of ``client_person``, managed by the centre's case manager, with the
    centre's specialist on its team."""
    manager = centre[Role.CASE_MANAGER].user
    assert manager.organisation is not None
    opened = case_open(
        organisation=manager.organisation,
        clients=[client_person],
        manager=manager,
        data={"summary": "Praca w szklarni, paszport zabrany."},
        acting_user=manager,
    )
    team_set(
        case=opened,
        user=centre[Role.SPECIALIST].user,
        role=TeamRole.SPECIALIST,
        acting_user=manager,
    )
    return opened


# The browser tests' Chromium (Debian's, never a downloaded one) and page.
CHROMIUM = os.environ.get("OSTOJA_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install chromium"
    # Playwright runs its own event loop; Django's ORM calls in these tests are made from
    # the test thread between browser steps, never concurrently.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def _launch() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(
    browser: Browser, live_server: object, audit_flushable: None, settings: Settings
) -> Iterator[Page]:
    # One page at a time: on SQLite the live server shares the test's in-memory
    # connection between its threads, so a background poll racing a click can fail. The
    # pop-up's poll is tested through the test client (helpline/tests/test_telephony.py).
    settings.OSTOJA_INCOMING_POLL_SECONDS = 0
    # Reduced motion: no colour transitions, so axe-core's contrast check never measures a
    # button halfway through one (Bootstrap turns them off for this preference).
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="pl-PL", reduced_motion="reduce"
    )
    page = context.new_page()
    # Our machines are shared: a page can take seconds when another job holds the cores.
    expect.set_options(timeout=15_000)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console",
        lambda message: (
            requested.append("console:" + message.text) if message.type == "error" else None
        ),
    )
    # axe-core checks every page the test loads, and the last page as the test left it
    # (with what htmx swapped in): no serious or critical accessibility violation.
    axe = Axe(page, on_load=True)
    yield page
    if not page.is_closed():
        axe.check()
    base = str(live_server)
    strangers = [url for url in requested if not url.startswith(base)]
    context.close()
    # No request to another host, no CSP violation or script error in the console.
    assert not strangers, strangers
    assert not axe.found and not axe.errors, "axe-core:\n" + axe.report()
    assert axe.checked, "axe-core checked no page"
