"""Several app servers on one PostgreSQL and one Redis (issue #20): two gunicorn servers on
different ports and two task workers, all in production mode (``OSTOJA_ENV=production``:
sessions in the database, throttling counters and used TOTP codes in Redis's cache, the
task queue on Redis), against this test's database and a Redis server of the test's own.

* a sign-in on one server is a sign-in on the other;
* failed sign-ins are counted across both: the lock-out holds on either;
* a TOTP code used on one server is refused on the other;
* a duty escalation asked of both workers many times over is sent once.

PostgreSQL only (two servers and two workers on one SQLite file are not the production
design); skipped on SQLite like the other tests that need concurrent connections.
"""

import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from ostoja.accounts.mfa import totp_now
from ostoja.interventions.models import Notification
from ostoja.interventions.tests.test_notify import Inbox, free_port
from ostoja.interventions.tests.test_worker_restart import ADVANCE, SEED, django_run, wait_for
from ostoja.lib.crypto.keys import generate_key
from ostoja.test import PASSWORD

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="several servers need PostgreSQL"),
    pytest.mark.usefixtures("audit_flushable"),
]

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
BIN = Path(sys.executable).parent

# Three more members of staff, one per check, each with a password and an authenticator.
STAFF = """
from ostoja.accounts.models import Organisation
org = Organisation.objects.get(short_code="KCIK")
found = {}
for name in ("session", "throttle", "totp"):
    persona = make_user(org, Role.COUNSELLOR, email=f"{name}@staff.test")
    found[name] = persona.totp_secret
print(json.dumps(found))
"""


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A Redis server of this test's own (nothing shared with other tests or machines)."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [shutil.which("redis-server") or "redis-server", "--port", str(port)]
        + ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    wait_for("redis", lambda: _answers(client))
    yield url
    client.close()
    server.terminate()
    server.wait(30)


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    found = Inbox()
    smtp = Controller(found, hostname="127.0.0.1", port=free_port())
    smtp.start()
    yield found, smtp.port
    smtp.stop()


def production_env(tmp_path: Path, redis_url: str, smtp_port: int) -> dict[str, str]:
    db = connection.settings_dict
    auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    database_url = (
        f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    return {k: v for k, v in os.environ.items() if not k.startswith(("OSTOJA_", "DATABASE"))} | {
        "DJANGO_SETTINGS_MODULE": "ostoja.settings",
        "OSTOJA_ENV": "production",
        "OSTOJA_SECRET_KEY": generate_key() + generate_key(),
        "OSTOJA_FIELD_KEYS": "1:" + generate_key(),
        "OSTOJA_INDEX_KEY": generate_key(),
        "OSTOJA_AUDIT_KEY": generate_key(),
        "OSTOJA_ALLOWED_HOSTS": "127.0.0.1",
        "OSTOJA_BASE_URL": "https://127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "OSTOJA_EMAIL_HOST": "127.0.0.1",
        "OSTOJA_EMAIL_PORT": str(smtp_port),
        "OSTOJA_EMAIL_STARTTLS": "false",
        "OSTOJA_VAR_DIR": str(tmp_path / "var"),
        "OSTOJA_STATIC_DIR": str(tmp_path / "static"),
        "OSTOJA_AUDIT_CHECKPOINT_MAIL": "false",
        "OSTOJA_LOG_LEVEL": "WARNING",
    }


class Browser:
    """One person's browser: its own cookies, sent to whichever server it asks as a proxy
    in front of both would (the same host name, HTTPS as far as the application can tell;
    allauth counts failed sign-ins per host name and address)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self, port: int, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        headers = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "Accept-Language": "en",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": "https://127.0.0.1",
            }
        conn = HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("POST" if form is not None else "GET", path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        conn.close()
        return response.status, response.getheader("Location") or "", text

    def post(self, port: int, path: str, data: dict[str, str]) -> tuple[int, str, str]:
        status, _, page = self.request(port, path)
        assert status == 200, (status, path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, path
        return self.request(port, path, data | {"csrfmiddlewaretoken": token[1]})

    def password(self, port: int, email: str, password: str = PASSWORD) -> tuple[int, str, str]:
        return self.post(port, "/accounts/login/", {"login": email, "password": password})


class Server:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log.open("a", encoding="utf-8")
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "--config",
                str(Path(settings.BASE_DIR) / "deploy/gunicorn_conf.py"),
            ]
            + ["--bind", f"127.0.0.1:{self.port}", "--workers", "1", "ostoja.wsgi:application"],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=self.log,
            stderr=self.log,
        )

    def up(self) -> bool:
        conn = HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", "/health/", headers={"Host": "127.0.0.1"})
            return conn.getresponse().status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)
        self.log.close()


def test_two_servers_and_two_workers_share_sessions_throttles_codes_and_escalations(
    tmp_path: Path, redis_url: str, inbox: tuple[Inbox, int]
) -> None:
    messages, smtp_port = inbox
    env = production_env(tmp_path, redis_url, smtp_port)
    collected = subprocess.run(  # noqa: S603
        [sys.executable, MANAGE, "collectstatic", "--no-input", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert collected.returncode == 0, collected.stderr
    people = json.loads(django_run(env, SEED))  # enqueues the escalation: no worker yet
    secrets = json.loads(django_run(env, STAFF))
    log = tmp_path / "processes.log"
    one, two = Server(env, log), Server(env, log)
    workers_log = log.open("a", encoding="utf-8")
    workers = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, MANAGE, "run_huey", "--workers", "2", "--no-periodic"],
            env=env,
            stdout=workers_log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(2)
    ]
    try:
        wait_for("both servers", lambda: one.up() and two.up())

        # A sign-in on one server is valid on the other.
        browser = Browser()
        status, location, _ = browser.password(one.port, "session@staff.test")
        assert (status, location) == (302, "/accounts/2fa/authenticate/")
        status, location, _ = browser.post(
            two.port, location, {"code": totp_now(secrets["session"])}
        )
        assert status == 302 and not location.startswith("/accounts/"), location
        assert browser.request(two.port, "/")[0] == 200
        assert browser.request(one.port, "/")[0] == 200
        assert Browser().request(one.port, "/")[0] == 302  # a stranger is sent to sign in

        # Failed sign-ins are counted across both servers: five (OSTOJA_LOGIN_ATTEMPTS)
        # spread over them lock the account on either, even with the right password.
        attacker = Browser()
        for port in (one.port, two.port, one.port, two.port, one.port):
            status, _, page = attacker.password(port, "throttle@staff.test", "wrong password!")
            assert status == 200 and "Too many" not in page
        for port in (one.port, two.port):
            status, location, page = Browser().password(port, "throttle@staff.test")
            assert "Too many failed login attempts" in html.unescape(page), (port, status)

        # A TOTP code used on one server is refused on the other.
        code = totp_now(secrets["totp"])
        first = Browser()
        first.password(one.port, "totp@staff.test")
        status, location, _ = first.post(one.port, "/accounts/2fa/authenticate/", {"code": code})
        assert status == 302 and not location.startswith("/accounts/")
        second = Browser()
        second.password(two.port, "totp@staff.test")
        status, _, page = second.post(two.port, "/accounts/2fa/authenticate/", {"code": code})
        assert status == 200 and "Incorrect code" in html.unescape(page)
        assert second.request(two.port, "/")[0] == 302

        # A duty escalation asked of the two workers again and again is sent once: the
        # primary at once; eleven minutes on, the backup.
        def sent() -> list[tuple[str, str]]:
            return sorted(
                Notification.objects.filter(status=Notification.Status.SENT).values_list(
                    "step", "recipient__email"
                )
            )

        def settled(count: int) -> bool:
            return (
                len(sent()) == count
                and len(messages.messages) == count
                and redis.Redis.from_url(redis_url).llen("huey.redis.ostoja") == 0
            )

        again = "escalate_intervention(args['intervention'])\nescalation_check()\n" * 3
        django_run(env, again, intervention=people["intervention"])
        wait_for("the primary's e-mail", lambda: settled(1))
        django_run(env, ADVANCE + again, intervention=people["intervention"], minutes=11)
        wait_for("the backup's e-mail", lambda: settled(2))
        time.sleep(2)  # anything still running on a worker would show now
        assert sent() == [("backup", people["backup"]), ("primary", people["primary"])]
        assert Notification.objects.count() == 2
        assert Counter(m["To"] for m in messages.messages) == Counter(
            [people["primary"], people["backup"]]
        )
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(30)
        workers_log.close()
        one.stop()
        two.stop()
    assert "Traceback" not in log.read_text(encoding="utf-8")
