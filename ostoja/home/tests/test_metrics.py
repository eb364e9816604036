"""Prometheus metrics (``ostoja.lib.metrics``, ``/metrics/``): request times by view name,
failed sign-ins, the queue and the escalations waiting — scraped after real requests, with
no path, code or address in any label; summed across gunicorn's worker processes."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from huey.contrib.djhuey import HUEY
from prometheus_client.parser import text_string_to_metric_families

from ostoja.accounts.roles import Role
from ostoja.cases.models import Case
from ostoja.home.tasks import ping
from ostoja.interventions.models import Notification
from ostoja.interventions.services import intervention_open
from ostoja.people.models import Person
from ostoja.test import Persona, sign_in

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def scrape(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape: (name, labels) -> value."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def metrics(client: Client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return scrape(response.content.decode())


def requests_of(found: dict[tuple[str, tuple[tuple[str, str], ...]], float], view: str) -> float:
    return found.get(("ostoja_request_seconds_count", (("view", view),)), 0.0)


def test_requests_and_failed_sign_ins_are_counted_without_personal_data(
    client: Client, centre: dict[Role, Persona], case: Case
) -> None:
    before = metrics(client)
    for _ in range(2):
        assert client.get("/health/").status_code == 200
    for attempt in ("wrong password one", "wrong password two"):
        response = client.post(
            "/accounts/login/",
            {"login": centre[Role.COORDINATOR].email, "password": attempt},
        )
        assert response.status_code == 200  # the form again, with its error
    sign_in(client, centre[Role.CASE_MANAGER])
    assert client.get(f"/cases/{case.code}/").status_code == 200
    assert client.get(f"/cases/{case.code}/nothing-here/?q=Shevchenko").status_code == 404
    response = client.get("/metrics/")
    text = response.content.decode()
    after = scrape(text)
    assert requests_of(after, "home:health") == requests_of(before, "home:health") + 2
    assert requests_of(after, "cases:case_detail") == requests_of(before, "cases:case_detail") + 1
    assert requests_of(after, "unresolved") == requests_of(before, "unresolved") + 1
    failed = ("ostoja_failed_sign_ins_total", ())
    assert after[failed] == before.get(failed, 0.0) + 2
    # A histogram, by view: the buckets of the health check hold both requests.
    assert after[("ostoja_request_seconds_bucket", (("le", "+Inf"), ("view", "home:health")))] >= 2
    # Names of views only: no path, code, address, e-mail or search.
    for value in (str(case.code), "/cases/", centre[Role.COORDINATOR].email, "Shevchenko"):
        assert value not in text
    assert "127.0.0.1" not in text


def test_the_queue_and_the_escalations_waiting_are_read_when_scraped(
    client: Client, centre: dict[Role, Persona], client_person: Person
) -> None:
    before = metrics(client)
    HUEY.immediate = False  # a real queue (the fixture puts it back in immediate mode)
    try:
        ping("metrics")
        intervention = intervention_open(
            organisation=client_person.organisation,
            data={"situation": "captivity", "location": "Łódź", "description": "Zamknięta."},
            acting_user=centre[Role.COUNSELLOR].user,
            people=[client_person],
        )
        Notification.objects.create(
            intervention=intervention,
            step="primary",
            recipient=centre[Role.COORDINATOR].user,
            channel="email",
        )
        after = metrics(client)
    finally:
        HUEY.storage.flush_queue()
    waiting = ("ostoja_tasks_waiting", ())
    pending = ("ostoja_escalation_notifications_waiting", ())
    assert after[waiting] >= before[waiting] + 1
    assert after[pending] == Notification.objects.filter(status="pending").count()
    assert after[pending] >= before[pending] + 1


def test_metrics_answer_only_the_server_itself(client: Client, db: None) -> None:
    assert client.get("/metrics/").status_code == 200
    assert client.get("/metrics/", REMOTE_ADDR="203.0.113.9").status_code == 404
    # Through the proxy (which always adds the header), even from the loopback.
    assert client.get("/metrics/", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _database_url() -> str:
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    user, host, port = database["USER"], database["HOST"], database["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{database['NAME']}"


def _get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as answer:  # noqa: S310  # loopback
        return str(answer.read().decode())


def test_the_workers_counts_are_summed_in_multiprocess_mode(
    django_db_setup: None, tmp_path: Path
) -> None:
    """gunicorn with two workers: one held by a request not yet finished, the other answers
    three; whichever worker is scraped, the count is four (files in the multiprocess dir)."""
    port = _free_port()
    folder = tmp_path / "metrics"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "OSTOJA_ENV": "development",
        "OSTOJA_VAR_DIR": str(tmp_path),
        "OSTOJA_TASK_QUEUE": "embedded",
        "DATABASE_URL": _database_url(),
        "OSTOJA_BIND": f"127.0.0.1:{port}",
        "OSTOJA_WEB_WORKERS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
    }
    server = subprocess.Popen(  # noqa: S603  # gunicorn of this environment, our own config
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            str(Path(settings.BASE_DIR) / "deploy" / "gunicorn_conf.py"),
            "ostoja.wsgi:application",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        # Each worker writes its counter file when it loads the application.
        while len(list(folder.glob("counter_*.db"))) < 2:
            assert server.poll() is None, server.communicate()[1]
            assert time.monotonic() < deadline, "the workers did not start"
            with contextlib.suppress(urllib.error.URLError):  # not listening yet
                _get(port, "/metrics/")
            time.sleep(0.2)
        with socket.create_connection(("127.0.0.1", port)) as held:
            held.sendall(b"GET /health/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # not finished
            time.sleep(0.5)
            for _ in range(3):
                assert '"ok"' in _get(port, "/health/")
            held.sendall(b"Connection: close\r\n\r\n")
            assert b"200 OK" in held.recv(4096)
        pids = {path.stem.rsplit("_", 1)[-1] for path in folder.glob("histogram_*.db")}
        assert len(pids) == 2
        for _ in range(4):
            found = scrape(_get(port, "/metrics/"))
            assert requests_of(found, "home:health") == 4
    finally:
        server.terminate()
        server.communicate(timeout=30)


@pytest.fixture(autouse=True)
def _no_stray_environment() -> None:
    assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ  # the tests' own registry is read
