"""The notification channels against real local peers (ARCHITECTURE.md §7: "never a mock of
our own code"): an SMTP server (aiosmtpd) and an HTTP server playing the SMS gateway, which
checks our signature, can refuse or hang, and records what it accepted."""

import datetime as dt
import hashlib
import hmac
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from email.parser import BytesParser
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.urls import include, path
from huey.contrib.djhuey import HUEY

from ostoja.accounts.models import User
from ostoja.accounts.roles import Role
from ostoja.duty.models import DutyPhone, Shift
from ostoja.interventions.escalation import escalate
from ostoja.interventions.models import Intervention, Notification
from ostoja.interventions.services import intervention_open
from ostoja.interventions.tasks import RETRY_DELAY, deliver
from ostoja.interventions.webhooks import sms_status
from ostoja.people.models import Person
from ostoja.test import Persona

SECRET = "gateway-test-secret-0123456789abcdef"
# The tests reach the callback through the whole middleware stack, at this path and the
# project's own URLs (the project wires its own path for it).
urlpatterns = [path("test-hooks/sms-status/", sms_status), path("", include("ostoja.urls"))]
HOOK = "/test-hooks/sms-status/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def signature(timestamp: str, body: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class Inbox:
    """What the local SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(BytesParser(policy=default).parsebytes(envelope.content))
        return "250 OK"


class Gateway:
    """A local HTTP SMS gateway. It refuses requests without our signature (401), answers
    the statuses queued in ``plan`` (then 200 with an id), and with ``hold_next`` keeps the
    next request unanswered until ``release()`` — a request it never took."""

    def __init__(self, secret: str = SECRET) -> None:
        self.secret = secret
        self.plan: list[int] = []
        self.accepted: list[dict[str, Any]] = []
        self.requests = 0
        self.bad_signatures = 0
        self.hold_next = False
        self.holding = threading.Event()
        self._release = threading.Event()
        self._lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, answer = gateway.handle(self.headers, body)
                if status == 0:
                    return  # held, then dropped: the client gets no answer
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1/messages"

    def handle(self, headers: Any, body: bytes) -> tuple[int, dict[str, Any]]:
        timestamp = headers.get("X-Ostoja-Timestamp", "")
        good = hmac.compare_digest(
            signature(timestamp, body, self.secret), headers.get("X-Ostoja-Signature", "")
        )
        fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 300
        with self._lock:
            self.requests += 1
            if not (good and fresh):
                self.bad_signatures += 1
                return 401, {"error": "bad signature"}
            hold, self.hold_next = self.hold_next, False
        if hold:
            self.holding.set()
            self._release.wait(timeout=60)
            return 0, {}
        with self._lock:
            if self.plan:
                return self.plan.pop(0), {"error": "try again"}
            self.accepted.append(json.loads(body))
            return 200, {"id": f"gw-{len(self.accepted)}"}

    def release(self) -> None:
        self._release.set()

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "use_tls": False},
        }
    }
    yield inbox
    controller.stop()


@pytest.fixture
def gateway(settings: Any) -> Iterator[Gateway]:
    peer = Gateway()
    peer.start()
    settings.OSTOJA_SMS_GATEWAY_URL = peer.url
    settings.OSTOJA_SMS_GATEWAY_SECRET = SECRET
    yield peer
    peer.stop()


@pytest.fixture
def primary(centre: dict[Role, Persona]) -> User:
    user = centre[Role.COUNSELLOR].user
    DutyPhone.objects.create(user=user, number="600 700 800")
    return user


@pytest.fixture
def emergency(
    centre: dict[Role, Persona], client_person: Person, primary: User, settings: Any
) -> Intervention:
    """A Saturday-night emergency about a client, with where she is and what happens."""
    settings.BASE_URL = "https://ostoja.example.test"
    organisation = centre[Role.COORDINATOR].user.organisation
    assert organisation is not None
    opened = dt.datetime(2026, 11, 14, 1, 0, tzinfo=dt.UTC)
    Shift.objects.create(
        organisation=organisation,
        start=opened - dt.timedelta(hours=6),
        end=opened + dt.timedelta(hours=6),
        primary=primary,
        backup=centre[Role.CASE_MANAGER].user,
        created_by=centre[Role.COORDINATOR].user,
    )
    intervention = intervention_open(
        organisation=organisation,
        data={
            "situation": "captivity",
            "location": "ul. Ukryta 5, Łódź, pokój 12",
            "description": "Zamknięta w mieszkaniu, telefon na baterii.",
        },
        acting_user=centre[Role.COUNSELLOR].user,
        people=[client_person],
    )
    Intervention.objects.filter(pk=intervention.pk).update(opened_at=opened, office_hours=False)
    intervention.refresh_from_db()
    return intervention


def notification(intervention: Intervention, user: User, channel: str) -> Notification:
    return Notification.objects.create(
        intervention=intervention, step="primary", recipient=user, channel=channel
    )


def run_scheduled_retries() -> int:
    """Run the retries the queue scheduled (immediate mode keeps them in its schedule)."""
    tasks = HUEY.read_schedule(dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=1))
    for task in tasks:
        HUEY.execute(task, timestamp=task.eta)
    return len(tasks)


@pytest.mark.django_db
def test_an_email_goes_out_through_smtp(
    smtp: Inbox, emergency: Intervention, primary: User
) -> None:
    row = notification(emergency, primary, "email")
    deliver(row.pk)
    (message,) = smtp.messages
    assert message["To"] == primary.email
    assert emergency.reference in message["Subject"]
    body = message.get_content()
    assert f"https://ostoja.example.test/interventions/{emergency.code}/" in body
    assert "Sygnatura interwencji" in body  # in the organisation's language (Polish)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == ("sent", 1, "")
    assert row.provider_id == message["Message-ID"] and str(row.code) in row.provider_id
    assert row.sent_at is not None
    deliver(row.pk)  # sent: never again
    assert len(smtp.messages) == 1


@pytest.mark.django_db
def test_an_sms_is_signed_and_retried_with_back_off_until_the_gateway_takes_it(
    gateway: Gateway, emergency: Intervention, primary: User
) -> None:
    gateway.plan = [500]
    row = notification(emergency, primary, "sms")
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    deliver(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 1)
    assert "500" in row.error
    (retry,) = HUEY.scheduled()
    assert RETRY_DELAY - 1 <= (retry.eta - before).total_seconds() <= RETRY_DELAY + 5
    assert retry.retry_delay == 2 * RETRY_DELAY  # the one after waits twice as long

    assert run_scheduled_retries() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.provider_id, row.error) == ("sent", 2, "gw-1", "")
    assert gateway.requests == 2 and gateway.bad_signatures == 0
    (message,) = gateway.accepted
    assert message["to"] == "+48600700800"
    assert message["reference"] == str(row.code)
    assert emergency.reference in message["text"]
    assert f"/interventions/{emergency.code}/" in message["text"]
    assert HUEY.scheduled() == []


@pytest.mark.django_db
def test_an_unsigned_request_is_refused_by_the_gateway_and_retried(
    gateway: Gateway, emergency: Intervention, primary: User, settings: Any
) -> None:
    """The local gateway really checks the signature: a wrong secret is refused."""
    settings.OSTOJA_SMS_GATEWAY_SECRET = "another-secret-0123456789abcdef-xyz"
    row = notification(emergency, primary, "sms")
    deliver(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts, gateway.bad_signatures) == ("pending", 1, 1)
    assert "401" in row.error
    HUEY.storage.flush_schedule()


@pytest.mark.django_db
def test_after_the_last_attempt_the_notification_is_failed(
    gateway: Gateway, emergency: Intervention, primary: User
) -> None:
    gateway.plan = [503] * 10
    row = notification(emergency, primary, "sms")
    deliver(row.pk)
    while run_scheduled_retries():
        pass
    row.refresh_from_db()
    assert (row.status, row.attempts, gateway.requests) == ("failed", 6, 6)


def _report(provider_id: str, status: str, *, secret: str = SECRET, age: int = 0) -> dict[str, Any]:
    body = json.dumps({"id": provider_id, "status": status}).encode()
    timestamp = str(int(time.time()) - age)
    return {
        "data": body,
        "content_type": "application/json",
        "headers": {
            "X-Ostoja-Timestamp": timestamp,
            "X-Ostoja-Signature": signature(timestamp, body, secret),
        },
    }


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_signed_delivery_report_marks_the_sms_delivered(
    client: Client, gateway: Gateway, emergency: Intervention, primary: User
) -> None:
    row = notification(emergency, primary, "sms")
    deliver(row.pk)
    row.refresh_from_db()
    assert row.status == "sent"
    assert client.post(HOOK, **_report(row.provider_id, "queued")).status_code == 204
    row.refresh_from_db()
    assert row.status == "sent"
    assert client.post(HOOK, **_report(row.provider_id, "delivered")).status_code == 204
    row.refresh_from_db()
    assert row.status == "delivered"
    assert client.post(HOOK, **_report("gw-unknown", "failed")).status_code == 204


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_failed_report_marks_the_sms_failed(
    client: Client, gateway: Gateway, emergency: Intervention, primary: User
) -> None:
    row = notification(emergency, primary, "sms")
    deliver(row.pk)
    row.refresh_from_db()
    assert client.post(HOOK, **_report(row.provider_id, "undelivered")).status_code == 204
    row.refresh_from_db()
    assert row.status == "failed"


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "forge",
    [
        pytest.param({"secret": "not-the-gateway-secret-0123456789abcdef"}, id="wrong-secret"),
        pytest.param({"age": 301}, id="stale"),
    ],
)
def test_a_badly_signed_report_is_refused_logged_and_changes_nothing(
    client: Client,
    gateway: Gateway,
    emergency: Intervention,
    primary: User,
    caplog: pytest.LogCaptureFixture,
    forge: dict[str, Any],
) -> None:
    row = notification(emergency, primary, "sms")
    deliver(row.pk)
    row.refresh_from_db()
    with caplog.at_level(logging.WARNING, logger="ostoja.interventions.webhooks"):
        response = client.post(HOOK, **_report(row.provider_id, "delivered", **forge))
        unsigned = client.post(
            HOOK, data=b'{"id": "gw-1", "status": "delivered"}', content_type="application/json"
        )
    assert response.status_code == 403 and unsigned.status_code == 403
    refusals = [r for r in caplog.records if "signature" in r.getMessage()]
    assert len(refusals) == 2 and all(r.levelno == logging.WARNING for r in refusals)
    assert row.provider_id not in caplog.text  # nothing of the report in the log
    row.refresh_from_db()
    assert row.status == "sent"
    assert client.get(HOOK).status_code == 405


@pytest.mark.django_db
def test_no_message_names_the_client(
    smtp: Inbox,
    gateway: Gateway,
    emergency: Intervention,
    client_person: Person,
    centre: dict[Role, Persona],
) -> None:
    """Every step, both channels: reference, situation and link only — never who or where."""
    DutyPhone.objects.create(user=centre[Role.CASE_MANAGER].user, number="+48 600 700 801")
    opened = emergency.opened_at
    rows = [
        *escalate(emergency, opened),
        *escalate(emergency, opened + dt.timedelta(minutes=10)),
        *escalate(emergency, opened + dt.timedelta(minutes=20)),
        *escalate(emergency, opened + dt.timedelta(minutes=30)),
    ]
    assert {r.step for r in rows} == {"primary", "backup", "coordinator", "reminder"}
    for row in rows:
        deliver(row.pk)
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    texts = [m["Subject"] + "\n" + m.get_content() for m in smtp.messages]
    texts += [m["text"] for m in gateway.accepted]
    assert len(smtp.messages) == 4 and len(gateway.accepted) == 3
    forbidden = [
        "Олена",
        "Шевченко",
        "Olena",
        "Shevchenko",
        "600 100 200",
        "600100200",
        "Ukryta",
        "Łódź",
        "Zamknięta",
        "słonecznik",
        str(client_person.code),
    ]
    for text in texts:
        assert emergency.reference in text
        assert f"/interventions/{emergency.code}/" in text
        assert not [word for word in forbidden if word.lower() in text.lower()], text
