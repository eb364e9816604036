"""``manage.py restore_drill`` — restore the latest backup to a scratch cluster and prove it.

README "Deployment". As root or the postgres user (the cluster runs as postgres): the newest
complete base backup of ``OSTOJA_BACKUP_DIR`` (``deploy/backup.sh``) is unpacked into a scratch
folder, every archived WAL segment after it is replayed (``deploy/archive-wal.sh``), and the
restored database is started on ``--port`` (127.0.0.1 only). Then ``audit_verify`` runs
against it, the row count of every table is compared with this database's, and the drill
reports the restore time and the RPO: how much older the restored database's newest audit
entry is than this database's.

With the keys this process was given (``OSTOJA_FIELD_KEYS`` / ``_FILE``: point them at the
escrowed copy to prove it), a random sample (``--sample`` rows of every table with sealed
fields, and as many of the backup's sealed files) is opened: a value or a file that does not
open fails the drill — the backup would be useless. The sampled rows' and files' checksums
are compared with this database's and this server's files (a difference is reported: a row
may have changed since the backup, a file only by ``rotate_keys``).

Exit status 1 if anything fails. The scratch cluster is stopped and removed at the end.
"""

import hashlib
import os
import secrets
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections

from ostoja.home.management.commands.rotate_keys import protected_models
from ostoja.lib.crypto.aead import DecryptionError
from ostoja.lib.crypto.files import EncryptedStorage

ALIAS = "restore_drill"

# Debian's server programs, of the newest PostgreSQL installed (15 on Debian 12).
PG_BIN = max(Path("/usr/lib/postgresql").glob("*/bin"), default=Path("/usr/lib/postgresql/15/bin"))


def _as_postgres(*command: str) -> None:
    """Run a PostgreSQL program as the postgres user (we are it, or root)."""
    prefix = ["/usr/sbin/runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    done = subprocess.run(  # noqa: S603 — our own command line
        [*prefix, *command],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise CommandError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-500:]}")


def latest_backup(folder: Path) -> Path:
    done = sorted(p.parent for p in folder.glob("*/DONE"))
    if not done:
        raise CommandError(f"No complete backup in {folder}")
    return done[-1]


def table_counts(cursor: Any) -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        table = model._meta.db_table
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 — our own table names
        counts[table] = int(cursor.fetchone()[0])
    return counts


def newest_audit_entry(cursor: Any) -> Any:
    cursor.execute("SELECT max(at) FROM audit_auditentry")
    return cursor.fetchone()[0]


def _checksums(database: Any, table: str, key: str, keys: list[Any]) -> dict[Any, str]:
    """md5 of each row's text, by primary key (the same query on both clusters)."""
    with database.cursor() as cursor:
        cursor.execute(
            f'SELECT t."{key}", md5(t::text) FROM "{table}" t WHERE t."{key}" = ANY(%s)',  # noqa: S608 — our own table names
            [keys],
        )
        return dict(cursor.fetchall())


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Command(BaseCommand):
    help = "Restore the latest backup to a scratch cluster, verify it, report RPO and time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--backup-dir", type=Path, default=None)
        parser.add_argument("--port", type=int, default=5440)
        parser.add_argument("--pg-bin", type=Path, default=PG_BIN)
        parser.add_argument(
            "--sample", type=int, default=20, help="rows per sealed table, and files, to open"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The restore drill needs PostgreSQL.")
        folder = options["backup_dir"] or Path(settings.OSTOJA_BACKUP_DIR or "")
        if not str(folder) or not folder.is_dir():
            raise CommandError("Give --backup-dir or set OSTOJA_BACKUP_DIR.")
        backup = latest_backup(folder)
        pg_bin: Path = options["pg_bin"]
        port: int = options["port"]
        started = time.monotonic()
        scratch = Path(tempfile.mkdtemp(prefix="ostoja-restore-"))
        data = scratch / "data"
        try:
            shutil.chown(scratch, "postgres", "postgres")
            data.mkdir(mode=0o700)
            with tarfile.open(backup / "base.tar.gz") as tar:
                tar.extractall(data, filter="data")
            with tarfile.open(backup / "pg_wal.tar.gz") as tar:
                tar.extractall(data / "pg_wal", filter="data")
            files = scratch / "files"
            if (backup / "files.tar.gz").exists():
                with tarfile.open(backup / "files.tar.gz") as tar:
                    tar.extractall(files, filter="data")
            wal = folder / "wal"
            # Replay every archived segment; then promote (open for writes: a copy).
            with (data / "postgresql.auto.conf").open("a", encoding="utf-8") as conf:
                conf.write(
                    f"\nrestore_command = 'cp {wal}/%f %p'\n"
                    f"port = {port}\nlisten_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{scratch}'\n"
                    "archive_mode = off\n"
                )
            (data / "recovery.signal").touch()
            subprocess.run(["/usr/bin/chown", "-R", "postgres:postgres", str(scratch)], check=True)  # noqa: S603
            _as_postgres(
                str(pg_bin / "pg_ctl"), "-D", str(data), "-l", str(scratch / "log"),
                "-w", "-t", "600", "start",
            )  # fmt: skip
            name = connection.settings_dict["NAME"]
            restored = psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname=name)
            deadline = time.monotonic() + 600
            with restored, restored.cursor() as cursor:
                while True:
                    cursor.execute("SELECT pg_is_in_recovery()")
                    row = cursor.fetchone()
                    if row is not None and not row[0]:
                        break
                    if time.monotonic() > deadline:
                        raise CommandError("The restored cluster did not finish its recovery.")
                    time.sleep(0.2)
                restore_seconds = time.monotonic() - started
                restored_counts = table_counts(cursor)
                restored_newest = newest_audit_entry(cursor)
            with connection.cursor() as cursor:
                source_counts = table_counts(cursor)
                source_newest = newest_audit_entry(cursor)
            verified = self._audit_verify(port, name)
            sealed = self._open_rows(port, name, options["sample"])
            sealed += self._open_files(files, options["sample"])
        finally:
            if (data / "postmaster.pid").exists():
                _as_postgres(str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "fast", "stop")
            shutil.rmtree(scratch, ignore_errors=True)

        out = self.stdout.write
        out(f"Backup: {backup.name}, restored with its WAL in {restore_seconds:.1f} s.")
        if source_newest and restored_newest:
            rpo = (source_newest - restored_newest).total_seconds()
            newest = f"{restored_newest:%Y-%m-%d %H:%M:%S %z}"
            out(f"RPO: {rpo:.0f} s (newest audit entry restored: {newest}).")
        differ = {
            t: (source_counts[t], c) for t, c in restored_counts.items() if source_counts[t] != c
        }
        for table, (now, then) in sorted(differ.items()):
            out(f"Rows differ in {table}: {now} now, {then} restored.")
        equal = len(restored_counts) - len(differ)
        out(f"Row counts: {equal} of {len(restored_counts)} tables equal.")
        out("audit_verify on the restored database: " + ("passed." if verified else "FAILED."))
        for problem in sealed:
            out(problem)
        if not verified:
            raise CommandError("The restored audit trail does not verify.")
        if sealed:
            raise CommandError("Sealed data of the backup does not open with these keys.")

    def _open_rows(self, port: int, name: str, size: int) -> list[str]:
        """Open every sealed field of a random sample of each sealed table's restored rows;
        compare the sampled rows' checksums with this database's. What does not open."""
        connections.settings[ALIAS] = connection.settings_dict | {
            "HOST": "127.0.0.1", "PORT": str(port), "USER": "postgres", "PASSWORD": "",
            "NAME": name,
        }  # fmt: skip
        problems: list[str] = []
        opened = rows = same = 0
        try:
            for model, fields, _indexes in protected_models():
                sample = list(model._default_manager.using(ALIAS).order_by("?")[:size])
                for row in sample:
                    for field in fields:
                        try:
                            getattr(row, field.attname)
                            opened += 1
                        except DecryptionError:
                            problems.append(
                                f"{model._meta.label} {getattr(row, 'code', row.pk)}: "
                                "a sealed value does not open."
                            )
                table, key = model._meta.db_table, str(model._meta.pk.column)
                keys = [row.pk for row in sample]
                restored = _checksums(connections[ALIAS], table, key, keys)
                source = _checksums(connection, table, key, keys)
                rows += len(restored)
                same += sum(source.get(pk) == digest for pk, digest in restored.items())
        finally:
            connections[ALIAS].close()
            del connections[ALIAS]
            del connections.settings[ALIAS]
        self.stdout.write(f"Sealed values opened: {opened} in {rows} sampled rows.")
        self.stdout.write(f"Sampled rows identical to this database: {same} of {rows}.")
        return problems

    def _open_files(self, files: Path, size: int) -> list[str]:
        """Open a random sample of the backup's sealed files; compare each with this
        server's copy. What does not open."""
        folders = [path for path in files.iterdir() if path.is_dir()] if files.exists() else []
        if not folders:
            self.stdout.write("Sealed files: none in the backup.")
            return []
        root = folders[0]
        names = sorted(
            str(path.relative_to(root))
            for path in root.rglob("*")
            if path.is_file() and not path.name.endswith(".tmp")
        )
        sample = secrets.SystemRandom().sample(names, min(size, len(names)))
        storage = EncryptedStorage(location=str(root))
        live = Path(settings.PRIVATE_FILES_ROOT)
        problems, same = [], 0
        for stored in sample:
            try:
                with storage.open(stored) as file:
                    file.read()
            except DecryptionError:
                problems.append(f"files {stored}: the sealed file does not open.")
            here = live / stored
            if here.is_file() and _digest(here) == _digest(root / stored):
                same += 1
        self.stdout.write(f"Sealed files opened: {len(sample) - len(problems)} of {len(sample)}.")
        self.stdout.write(f"Sampled files identical to this server's: {same} of {len(sample)}.")
        return problems

    def _audit_verify(self, port: int, name: str) -> bool:
        env = os.environ | {"DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/{name}"}
        done = subprocess.run(  # noqa: S603 — our own manage.py
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "audit_verify"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        self.stdout.write(done.stdout.strip())
        return done.returncode == 0
