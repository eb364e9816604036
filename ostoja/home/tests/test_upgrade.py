"""An upgrade keeps a centre's data (issue #20, README "Upgrading"): a database built and
filled by the PREVIOUS release — its own code, its own migrations, its own demo — is
migrated by this release's code; then the audit chain verifies, every table keeps its rows,
and the pages open on the old data.

The previous release is ``PREVIOUS`` (a commit of main that landed before this test was
written), taken from the repository's history with ``git archive`` (CI clones with history).
It runs with this checkout's virtualenv. The database is a scratch SQLite file, or a scratch
PostgreSQL database beside the test database when the suite runs on PostgreSQL. Bounded:
each step has a timeout (the previous demo takes about a minute on two busy cores)."""

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from psycopg.conninfo import make_conninfo

# Not the test database, but the suite's session needs it set up (conftest's sample table).
pytestmark = pytest.mark.django_db

# The last commit of main before the optimistic-locking and upgrade work of issue #20.
# At each release, set it to the release before (a tag, once releases are tagged).
PREVIOUS = "edfc1ce"
STEP_TIMEOUT = 600
BASE = Path(settings.BASE_DIR)

# Run by this checkout's code after its migrate: the pages a centre opens first, as a
# coordinator of the demo, signed in as the tests sign in; prints what it found as JSON.
PAGES = """
import json
from django.test import Client
from ostoja.accounts.models import User
from ostoja.cases.models import Case
from ostoja.test import force_sign_in

user = User.objects.get(email="coordinator@demo.ostoja.invalid")
client = Client(SERVER_NAME="localhost")
force_sign_in(client, user)
case = Case.objects.order_by("pk").first()
person = case.clients.first().person
paths = ["/", "/cases/", f"/cases/{case.code}/", f"/cases/{case.code}/edit/",
         f"/people/{person.code}/", "/helpline/", "/shelter/", "/cases/tasks/"]
statuses = {path: client.get(path).status_code for path in paths}
versions = sorted(set(Case.objects.values_list("version", flat=True)))
print(json.dumps({"statuses": statuses, "versions": versions}))
"""


def run(cwd: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603  # our own manage.py, with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"{' '.join(args)} in {cwd}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """The previous release's files, from the repository's history."""
    assert (BASE / ".git").exists(), "the upgrade test needs the repository's history"
    folder = tmp_path / "previous"
    folder.mkdir()
    archive = subprocess.run(  # noqa: S603
        ["git", "-C", str(BASE), "archive", "--format=tar", PREVIOUS],  # noqa: S607
        capture_output=True,
        timeout=120,
        check=True,
    )
    subprocess.run(  # noqa: S603
        ["tar", "-x", "-C", str(folder)],  # noqa: S607
        input=archive.stdout,
        timeout=120,
        check=True,
    )
    return folder


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    """A scratch database of the suite's kind: its URL."""
    test = settings.DATABASES["default"]
    if test["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path / 'upgraded.sqlite3'}"
        return
    name = f"ostoja_upgrade_{uuid.uuid4().hex[:8]}"
    host, port = test["HOST"] or "127.0.0.1", test["PORT"] or 5432
    server = make_conninfo(
        host=host, port=port, user=test["USER"], password=test["PASSWORD"], dbname="postgres"
    )
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    password = f":{test['PASSWORD']}" if test["PASSWORD"] else ""
    try:
        yield f"postgres://{test['USER']}{password}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def counts(url: str) -> dict[str, int]:
    """Every table's row count."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            tables = [
                row[0]
                for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {
                table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in tables
            }
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
        ]
        found = {}
        for table in tables:
            row = connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()  # noqa: S608
            found[table] = row[0] if row else 0
        return found


def test_the_previous_releases_demo_upgrades(previous: Path, database: str, tmp_path: Path) -> None:
    var = tmp_path / "var"  # keys and sealed files, shared by both releases like a server's
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OSTOJA_", "DATABASE_URL", "DJANGO_"))
    } | {"OSTOJA_VAR_DIR": str(var), "DATABASE_URL": database}
    # The previous release builds its database and fills it with its demo.
    run(previous, env, "migrate", "--no-input", "-v", "0")
    run(previous, env, "demo")
    before = counts(database)
    assert before["cases_case"] > 0 and before["audit_auditentry"] > 0
    # This release migrates it.
    run(BASE, env, "migrate", "--no-input", "-v", "0")
    run(BASE, env, "migrate", "--check")  # nothing left unapplied
    after = counts(database)
    # Nothing was lost: every table keeps its rows (new tables may appear; a migration may
    # add reference rows, never remove a centre's).
    kept = {table: (before[table], after.get(table)) for table in before}
    assert all(new is not None and new >= old for old, new in kept.values()), kept
    # The audit chain written by the previous release verifies under this one.
    run(BASE, env, "audit_verify")
    # The pages open on the old data, and the old rows have their first version.
    found = json.loads(run(BASE, env, "shell", "--no-imports", "-c", PAGES).splitlines()[-1])
    failed = {path: status for path, status in found["statuses"].items() if status != 200}
    assert failed == {}
    assert found["versions"] == [1]
