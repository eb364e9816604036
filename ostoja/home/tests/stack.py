"""Ostoja's production stack on this machine, for the load and fault tests (issue #20;
README "Load and faults"): a PostgreSQL cluster of its own (``initdb`` in a scratch folder,
on a free port: stopping it with ``-m immediate`` touches no other database), a Redis
server, a local SMTP server that keeps what it receives, gunicorn with ``deploy/
gunicorn_conf.py``, a task worker and the scheduler as ``deploy/systemd`` runs them, and
Caddy with ``deploy/Caddyfile`` — its TLS from Caddy's own local authority instead of Let's
Encrypt, its host names ``ostoja.localhost`` and ``portal.localhost`` on free ports.

Every process runs in a session of its own, so that ``kill()`` ends a service the way
systemd ends a unit (SIGKILL to every process of it: gunicorn's master and its workers) and
``start()`` starts it again. Plain Python: ``bench/load.py`` uses it without Django; the
tests use it from pytest. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[3]
MANAGE = str(ROOT / "manage.py")
BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
STAFF_HOST = "ostoja.localhost"
PORTAL_HOST = "portal.localhost"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(what: str, condition: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _key() -> str:
    # ostoja.lib.crypto.keys.generate_key, without importing Django here.
    import base64
    import secrets

    return base64.b64encode(secrets.token_bytes(32)).decode()


def _as_postgres(*command: str) -> list[str]:
    """PostgreSQL refuses to run as root: as root, its programs run as the postgres user."""
    as_root = ["/usr/sbin/runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return [*as_root, *command]


def _run(command: list[str], env: dict[str, str] | None = None, timeout: float = 600) -> str:
    done = subprocess.run(  # noqa: S603  # our own programs
        command, env=env, capture_output=True, text=True, timeout=timeout, check=False, cwd=ROOT
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:2])}… failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Service:
    """One long-running program, in a process group of its own (like a systemd unit)."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.command, self.env, self.log_path = name, command, env, log
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[str] | None = None
        self.starts = 0

    def start(self) -> None:
        self._log = self.log_path.open("a", encoding="utf-8")
        self._log.write(f"--- {self.name} started at {time.strftime('%H:%M:%S')}\n")
        self._log.flush()
        self.process = subprocess.Popen(  # noqa: S603  # our own command line
            self.command,
            env=self.env,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.starts += 1

    def kill(self) -> None:
        """SIGKILL to every process of the service (systemd's ``KillMode=control-group``)."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _signal(self, sig: signal.Signals) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(30)
        if sig == signal.SIGKILL:
            # The workers are in the group too; wait until none is left.
            wait_for(f"{self.name} gone", lambda: not _group_alive(self.process), 30)
        if self._log is not None:
            self._log.close()
        self.process = None


def _group_alive(process: subprocess.Popen[bytes] | None) -> bool:
    if process is None:
        return False
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return False
    return True


class Postgres:
    """A cluster of our own in ``folder/pg``, on a free port of 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "pg"
        self.data = self.folder / "data"
        self.port = free_port()
        self.folder.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            folder.chmod(0o755)
        initdb = [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust"]
        _run(_as_postgres(*initdb))
        # WAL archived as deploy/install.sh sets it up (archive_timeout = 60 s), into
        # folder/pg/wal: what bench/load.py measures the recovery point on.
        self.wal = self.folder / "wal"
        self.wal.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.wal, "postgres", "postgres")
        archive = ROOT / "deploy/archive-wal.sh"
        with (self.data / "postgresql.auto.conf").open("a", encoding="utf-8") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.folder}'\nmax_connections = 200\n"
                "wal_level = replica\narchive_mode = on\narchive_timeout = 60\n"
                f"archive_command = '{archive} %p %f {self.wal}'\n"
            )

    def _ctl(self, *args: str) -> None:
        pg_ctl = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log")]
        _run(_as_postgres(*pg_ctl, *args))

    def start(self) -> None:
        self._ctl("-w", "-t", "120", "start")
        # As deploy/postgresql-archive-timeout.conf does on the server: PostgreSQL 15's
        # checkpointer heeds archive_timeout only once woken after the start.
        self._ctl("reload")

    def stop_immediate(self) -> None:
        """``pg_ctl stop -m immediate``: every backend ends at once, nothing is flushed but
        what was already committed to the WAL (the next start recovers from it)."""
        self._ctl("-m", "immediate", "stop")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def psql(self, sql: str, database: str = "postgres") -> str:
        command = ["/usr/bin/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        return _run([*command, "-d", database, "-tAc", sql])

    def wal_position(self) -> str:
        """The WAL segment the last commit is in (its name: they sort in order)."""
        return self.psql("SELECT pg_walfile_name(pg_current_wal_insert_lsn())").strip()

    def archived(self, segment: str) -> bool:
        """Whether ``segment`` (and so everything before it) is in the archive."""
        return (self.wal / segment).exists()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


class Inbox:
    """A local SMTP server (aiosmtpd) that keeps every message it receives."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[email.message.EmailMessage] = []
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())
        self.port = self.controller.port

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    @property
    def running(self) -> bool:
        return self.controller._thread is not None

    def start(self) -> None:
        if not self.running:
            self.controller.start()

    def stop(self) -> None:
        if self.running:
            self.controller.stop()


class Stack:
    """Everything a deployment runs, on this machine, in ``folder``."""

    def __init__(
        self,
        folder: Path,
        *,
        web_workers: int | None = None,
        settings_module: str = "ostoja.settings",
    ) -> None:
        self.folder = folder
        self.logs = folder / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.postgres = Postgres(folder)
        self.redis_port = free_port()
        self.web_port = free_port()
        self.https_port = free_port()
        self.inbox = Inbox()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("OSTOJA_", "DATA"))}
        self.env |= {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "PYTHONPATH": str(ROOT),
            "OSTOJA_ENV": "production",
            "OSTOJA_SECRET_KEY": _key() + _key(),
            "OSTOJA_FIELD_KEYS": "1:" + _key(),
            "OSTOJA_INDEX_KEY": _key(),
            "OSTOJA_AUDIT_KEY": _key(),
            "OSTOJA_ALLOWED_HOSTS": f"{STAFF_HOST},{PORTAL_HOST},127.0.0.1",
            "OSTOJA_BASE_URL": f"https://{STAFF_HOST}:{self.https_port}",
            "DATABASE_URL": self.postgres.url("ostoja"),
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "OSTOJA_EMAIL_HOST": "127.0.0.1",
            "OSTOJA_EMAIL_PORT": str(self.inbox.port),
            "OSTOJA_EMAIL_STARTTLS": "false",
            "OSTOJA_VAR_DIR": str(folder / "var"),
            "OSTOJA_STATIC_DIR": str(folder / "static"),
            "OSTOJA_AUDIT_CHECKPOINT_MAIL": "false",
            "OSTOJA_LOG_LEVEL": "WARNING",
        }
        if web_workers is not None:
            self.env["OSTOJA_WEB_WORKERS"] = str(web_workers)
        python = sys.executable
        self.redis = Service(
            "redis",
            [shutil.which("redis-server") or "redis-server", "--port", str(self.redis_port)]
            + ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
            self.env,
            self.logs / "redis.log",
        )
        self.web = Service(
            "web",
            [str(BIN / "gunicorn"), "--config", str(ROOT / "deploy/gunicorn_conf.py")]
            + ["--bind", f"127.0.0.1:{self.web_port}", "--no-control-socket"]
            + ["ostoja.wsgi:application"],
            self.env,
            self.logs / "web.log",
        )
        # deploy/systemd/ostoja-worker@.service and ostoja-scheduler.service.
        self.worker = Service(
            "worker",
            [python, MANAGE, "run_huey", "--workers", "2", "--no-periodic"],
            self.env,
            self.logs / "worker.log",
        )
        self.scheduler = Service(
            "scheduler",
            [python, MANAGE, "run_huey", "--workers", "1"],
            self.env,
            self.logs / "scheduler.log",
        )
        self.caddy = Service(
            "caddy",
            [shutil.which("caddy") or "caddy", "run", "--config", str(self._caddyfile())]
            + ["--adapter", "caddyfile"],
            self.env | {"XDG_DATA_HOME": str(folder / "caddy"), "XDG_CONFIG_HOME": str(folder)},
            self.logs / "caddy.log",
        )

    def _caddyfile(self) -> Path:
        """deploy/Caddyfile with Caddy's local authority for TLS, free ports, local names."""
        text = (ROOT / "deploy/Caddyfile").read_text(encoding="utf-8")
        options = (
            f"\tadmin off\n\tlocal_certs\n\tskip_install_trust\n"
            f"\thttp_port {free_port()}\n\thttps_port {self.https_port}"
        )
        text = (
            text.replace("\temail admin@example.org", options, 1)
            .replace("ostoja.example.org", STAFF_HOST)
            .replace("portal.example.org", PORTAL_HOST)
            .replace("127.0.0.1:8000", f"127.0.0.1:{self.web_port}")
            .replace("/var/lib/ostoja-static", str(self.folder / "static"))
        )
        path = self.folder / "Caddyfile"
        path.write_text(text, encoding="utf-8")
        return path

    # --- setting up ---------------------------------------------------------------------

    def prepare(self, seed: str = "", **args: Any) -> str:
        """Start PostgreSQL, Redis and the mail inbox, create and migrate the database,
        collect the static files, and run ``seed`` (Python, with ``args``; ``manage.py
        demo`` refuses production, so it runs with the same keys and database in
        development mode)."""
        self.postgres.start()
        self.redis.start()
        self.inbox.start()  # the demo e-mails its referrals
        self.postgres.psql("CREATE DATABASE ostoja")
        _run([sys.executable, MANAGE, "migrate", "--no-input", "-v0"], self.env)
        _run([sys.executable, MANAGE, "collectstatic", "--no-input", "-v0"], self.env)
        if not seed:
            return ""
        return self.django(seed, production=False, **args)

    def django(self, code: str, *, production: bool = True, **args: Any) -> str:
        """Run ``code`` in a Python process set up with this stack's settings; ``args`` are
        in the dict ``args``; returns what it printed."""
        env = self.env if production else self.env | {"OSTOJA_ENV": "development"}
        env = env | {"OSTOJA_TASK_QUEUE": "redis", "OSTOJA_DEBUG": "false"}
        prelude = (
            "import json, sys\nimport django\ndjango.setup()\nargs = json.loads(sys.argv[1])\n"
        )
        return _run([sys.executable, "-c", prelude + code, json.dumps(args)], env)

    def manage(self, *command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603  # our own manage.py
            [sys.executable, MANAGE, *command],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            cwd=ROOT,
        )

    # --- running ------------------------------------------------------------------------

    def start(self) -> None:
        self.inbox.start()  # unless the demo's seed started it
        for service in (self.web, self.worker, self.scheduler, self.caddy):
            service.start()
        wait_for("the web server", self.web_up)
        wait_for("the proxy's certificate", self.proxy_up)

    def web_up(self) -> bool:
        conn = http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=5)
        try:
            conn.request("GET", "/health/", headers={"Host": "127.0.0.1"})
            return conn.getresponse().status == 200
        except (OSError, http.client.HTTPException):
            return False
        finally:
            conn.close()

    def tls(self) -> ssl.SSLContext:
        """A client context trusting Caddy's local authority only."""
        root = self.folder / "caddy/caddy/pki/authorities/local/root.crt"
        return ssl.create_default_context(cafile=str(root))

    def proxy_up(self) -> bool:
        try:
            context = self.tls()
            with (
                socket.create_connection(("127.0.0.1", self.https_port), timeout=5) as sock,
                context.wrap_socket(sock, server_hostname=STAFF_HOST),
            ):
                return True
        except (OSError, ssl.SSLError):
            return False

    def postgres_up(self) -> bool:
        try:
            self.postgres.psql("SELECT 1", "ostoja")
        except RuntimeError:
            return False
        return True

    def stop(self) -> None:
        """Stop everything still running (in any state a failed test left it)."""
        for service in (self.caddy, self.web, self.worker, self.scheduler):
            service.stop()
        self.inbox.stop()
        self.redis.stop()
        with contextlib.suppress(RuntimeError):  # already stopped
            self.postgres.stop()

    def tracebacks(self) -> str:
        """Every Python traceback the services logged (web, worker, scheduler)."""
        found = []
        for name in ("web", "worker", "scheduler"):
            text = (self.logs / f"{name}.log").read_text(encoding="utf-8", errors="replace")
            if "Traceback" in text:
                found.append(f"--- {name}.log\n{text[-4000:]}")
        return "\n".join(found)


# The demo centre (``manage.py demo``), every hour outside its office hours (so that an
# emergency opened now reaches the duty worker at once, whatever the hour of the run), a
# duty shift now, and ``args["roles"]`` more members of staff invited through the accounts
# service, each then given a password and an authenticator app. Prints the world as JSON.
SEED = """
import datetime as dt, os
from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.core.management import call_command
from django.utils import timezone
from ostoja.accounts.mfa import totp_enrol
from ostoja.accounts.models import Organisation, User
from ostoja.accounts.roles import Role
from ostoja.accounts.services import user_invite
from ostoja.cases.models import Case, CaseClient
from ostoja.duty.models import Shift
from ostoja.duty.services import shift_add

admin = coordinator = None
if args["demo"]:
    with open(os.devnull, "w") as quiet:
        call_command("demo", stdout=quiet)
    admin = User.objects.get(email="administrator@demo.ostoja.invalid")
    coordinator = User.objects.get(email="coordinator@demo.ostoja.invalid")
else:  # only the centre: a quicker start for the fault test
    Organisation.objects.create(short_code="KCIK", name="Centrum")
org = Organisation.objects.get(short_code="KCIK")
Organisation.objects.filter(pk=org.pk).update(office_hours={})
staff = []
for number, role in enumerate(args["roles"], start=1):
    email = f"load{number:02d}@staff.test"
    user = user_invite(organisation=org, email=email, full_name=f"Pracownik {number}",
                       role=Role(role), acting_user=admin)
    user.set_password(args["password"])  # as the invitation's link would have it set
    user.save(update_fields=["password"])
    secret = generate_totp_secret()
    totp_enrol(user, secret)
    staff.append({"email": email, "password": args["password"], "secret": secret,
                  "role": role})
    admin = admin or user  # without the demo, the first one invites the others
    coordinator = coordinator or (user if role == "coordinator" else None)
now = timezone.now()
if not Shift.objects.filter(organisation=org, start__lte=now,
                            end__gte=now + dt.timedelta(hours=2)).exists():
    on_duty = [User.objects.get(email=s["email"]) for s in staff if s["role"] == "counsellor"]
    shift_add(organisation=org, acting_user=coordinator,
              data={"start": now - dt.timedelta(hours=1), "end": now + dt.timedelta(hours=4),
                    "primary": on_duty[0], "backup": on_duty[1]})
cases = Case.objects.filter(organisation=org, restricted=False)
people = CaseClient.objects.filter(case__in=cases).values_list("person__code", flat=True)
print(json.dumps({"staff": staff, "cases": [str(c.code) for c in cases],
                  "people": sorted({str(p) for p in people})}))
"""
