"""Backups and the restore drill (README "Deployment"), for real: a PostgreSQL 15 cluster of
the test's own with WAL archiving through ``deploy/archive-wal.sh``, a base backup by
``deploy/backup.sh``, writes after it that only the archived WAL holds, then ``manage.py
restore_drill`` restores all of it to a scratch cluster: the audit chain verifies, every
table has as many rows as the source, and nothing is lost (RPO 0 s once the last segment
is archived). As root, with the postgres user, like the server; PostgreSQL only."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from ostoja.interventions.tests.test_notify import free_port
from ostoja.lib.crypto.keys import generate_key

PG_BIN = Path("/usr/lib/postgresql/15/bin")
DEPLOY = Path(settings.BASE_DIR) / "deploy"
MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
# Seconds; the server's is 60 (deploy/install.sh).
ARCHIVE_TIMEOUT = 4

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the restore drill needs PostgreSQL"
)

WRITE = """
import django, sys
django.setup()
from ostoja.accounts.models import Organisation, User
from ostoja.audit import trail
from ostoja.test import make_user
org = Organisation.objects.get_or_create(short_code="KCIK", defaults={"name": "Centrum"})[0]
user = make_user(org, None, email=sys.argv[1])
trail.record("user.created", actor=user.user, data={"for": "the drill"})
# Sealed fields (a person's name, phone) and a sealed file.
import uuid
from django.core.files.base import ContentFile
from ostoja.lib.crypto.files import EncryptedStorage
from ostoja.people.services import person_create
person_create(
    organisation=org, data={"name": "Anna " + sys.argv[1], "phone": "+48 600 100 200"},
    acting_user=user.user,
)
EncryptedStorage().save(f"cases/{uuid.uuid4().hex}.txt", ContentFile(sys.argv[1].encode()))
"""


def as_postgres(*command: str) -> str:
    done = subprocess.run(  # noqa: S603
        ["/usr/sbin/runuser", "-u", "postgres", "--", *command],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def cluster() -> Iterator[tuple[Path, int]]:
    """A source cluster archiving its WAL into <folder>/backups/wal."""
    folder = Path(tempfile.mkdtemp(prefix="ostoja-drill-"))
    folder.chmod(0o755)
    port = free_port()
    backups = folder / "backups"
    (backups / "wal").mkdir(parents=True)
    shutil.chown(backups, "postgres", "postgres")
    shutil.chown(backups / "wal", "postgres", "postgres")
    (folder / "src").mkdir()
    shutil.chown(folder / "src", "postgres", "postgres")
    data = folder / "src" / "data"
    as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust")
    with (data / "postgresql.auto.conf").open("a", encoding="utf-8") as conf:
        conf.write(
            f"port = {port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{folder / 'src'}'\n"
            "wal_level = replica\narchive_mode = on\n"
            f"archive_command = '{DEPLOY / 'archive-wal.sh'} %p %f {backups / 'wal'}'\n"
            f"archive_timeout = {ARCHIVE_TIMEOUT}\n"
        )
    pg_ctl = str(PG_BIN / "pg_ctl")
    as_postgres(pg_ctl, "-D", str(data), "-l", str(folder / "src" / "log"), "-w", "start")
    # What deploy/postgresql-archive-timeout.conf does after every start on the server.
    as_postgres(pg_ctl, "-D", str(data), "reload")
    try:
        yield folder, port
    finally:
        as_postgres(pg_ctl, "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def test_a_commit_is_archived_within_the_archive_timeout(
    db: None, cluster: tuple[Path, int]
) -> None:
    """The recovery point: with archive_timeout set (60 s on the server, a few seconds
    here) a committed write reaches the archive that long after at most, without anyone
    switching the segment — on a server just started too (PostgreSQL 15's checkpointer
    needs the reload deploy/postgresql-archive-timeout.conf does, or it first sleeps for
    checkpoint_timeout, 5 minutes). bench/load.py measures it under load."""
    folder, port = cluster
    psql = ["/usr/bin/psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-tAc"]
    time.sleep(1)  # the start's own segment switch, if any, is behind us
    committed = time.monotonic()
    segment = as_postgres(
        *psql,
        "CREATE TABLE written (at timestamptz); INSERT INTO written VALUES (now());"
        "SELECT pg_walfile_name(pg_current_wal_insert_lsn())",
    ).split()[-1]
    while not (folder / "backups" / "wal" / segment).exists():
        waited = time.monotonic() - committed
        assert waited < ARCHIVE_TIMEOUT * 3, f"not archived after {waited:.0f} s"
        time.sleep(0.2)


def test_the_latest_backup_restores_with_everything_written_since(
    db: None, cluster: tuple[Path, int]
) -> None:
    folder, port = cluster
    psql = ["/usr/bin/psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-tAc"]
    as_postgres(*psql, "CREATE DATABASE ostoja_prod_drill")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OSTOJA_")} | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/ostoja_prod_drill",
        "OSTOJA_VAR_DIR": str(folder / "var"),
        "OSTOJA_FILES_DIR": str(folder / "var" / "files"),
        "OSTOJA_BACKUP_DIR": str(folder / "backups"),
        "PGHOST": str(folder / "src"),
        "PGPORT": str(port),
    }

    def run(*command: str) -> str:
        done = subprocess.run(  # noqa: S603
            command, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    run(sys.executable, MANAGE, "migrate", "--no-input", "-v0")
    run(sys.executable, "-c", WRITE, "before@staff.test")
    (folder / "var" / "files").mkdir(exist_ok=True)
    run(str(DEPLOY / "backup.sh"))
    latest = (folder / "backups" / "LATEST").read_text(encoding="utf-8").strip()
    assert (folder / "backups" / latest / "DONE").exists()
    # Written after the base backup: only the archived WAL has it.
    run(sys.executable, "-c", WRITE, "after@staff.test")
    segment = as_postgres(*psql, "SELECT pg_walfile_name(pg_current_wal_lsn())").strip()
    as_postgres(*psql, "SELECT pg_switch_wal()")
    deadline = time.monotonic() + 60
    while not (folder / "backups" / "wal" / segment).exists():
        assert time.monotonic() < deadline, "the segment was not archived"
        time.sleep(0.2)

    report = run(
        sys.executable, MANAGE, "restore_drill", "--port", str(free_port()),
        "--backup-dir", str(folder / "backups"),
    )  # fmt: skip
    print(report)  # the figures, for whoever runs it with -s
    assert "audit_verify on the restored database: passed." in report, report
    assert "Rows differ" not in report, report
    assert "RPO: 0 s" in report, report
    # The sealed sample opened with the keys, identical to the source.
    opened = re.search(r"Sealed values opened: (\d+) in (\d+) sampled rows", report)
    assert opened is not None, report
    assert int(opened[1]) > 0 and int(opened[2]) >= 2, report
    assert f"Sampled rows identical to this database: {opened[2]} of {opened[2]}." in report
    assert "Sealed files opened: 1 of 1." in report, report
    assert "Sampled files identical to this server's: 1 of 1." in report, report
    assert "does not open" not in report, report

    # Without the right keys the backup is useless, and the drill says so.
    env["OSTOJA_FIELD_KEYS"] = "1:" + generate_key()
    failed = subprocess.run(  # noqa: S603
        [
            sys.executable, MANAGE, "restore_drill", "--port", str(free_port()),
            "--backup-dir", str(folder / "backups"),
        ],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "a sealed value does not open." in failed.stdout
    assert "the sealed file does not open." in failed.stdout
    assert "Sealed data of the backup does not open with these keys." in failed.stderr
