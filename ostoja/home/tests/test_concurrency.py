"""The embedded default holds a few people working at once: concurrent requests that each
read and audit (and so write) get their pages, never "database is locked"."""

import stat
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.test import Client

from ostoja.accounts.roles import Role
from ostoja.cases.models import Case
from ostoja.people.models import Person
from ostoja.test import Persona, force_sign_in, make_user

SQLITE = {"ENGINE": "django.db.backends.sqlite3", "OPTIONS": {}, "TEST": {}, "HOST": "", "PORT": ""}
USERS = 4
REQUESTS = 12  # per user, four at a time each


def _cookie(persona: Persona) -> str:
    client = Client()
    force_sign_in(client, persona.user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.django_db(transaction=True)
def test_concurrent_staff_requests_all_succeed(
    live_server: object,
    audit_flushable: None,
    centre: dict[Role, Persona],
    case: Case,
    client_person: Person,
) -> None:
    organisation = centre[Role.CASE_MANAGER].user.organisation
    coordinators = [
        make_user(organisation, Role.COORDINATOR, email=f"coordinator{n}@staff.test")
        for n in range(USERS)
    ]
    cookies = [_cookie(persona) for persona in coordinators]
    pages = [f"/cases/{case.code}/", f"/people/{client_person.code}/", "/helpline/", "/"]

    def get(n: int) -> int:
        request = urllib.request.Request(  # noqa: S310  # the test's own live server
            f"{live_server}{pages[n % len(pages)]}",
            headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookies[n % USERS]}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    with ThreadPoolExecutor(max_workers=USERS * 4) as pool:
        statuses = list(pool.map(get, range(USERS * REQUESTS)))
    assert statuses == [200] * len(statuses), sorted(set(statuses))


def test_the_embedded_database_files_are_for_their_owner_only(tmp_path: Path) -> None:
    """Made world-readable by an earlier version (or another umask), they are closed when
    Ostoja connects; new ones are created so."""
    database = tmp_path / "ostoja.sqlite3"
    database.touch(mode=0o644)
    database.chmod(0o644)
    embedded = SQLiteWrapper({**connection.settings_dict, "NAME": str(database)} | SQLITE)
    embedded.ensure_connection()
    with embedded.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("CREATE TABLE t (x)")
    embedded.close()
    again = SQLiteWrapper({**connection.settings_dict, "NAME": str(database)} | SQLITE)
    again.ensure_connection()
    again.close()
    for path in tmp_path.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
