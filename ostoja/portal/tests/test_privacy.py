"""The public zone records nothing about who visits (SECURITY.md §2.4): 1,000 portal
requests carrying an address, a user agent and a referrer leave none of them in the
database, the logs or the audit trail — while the same check finds them after a member of
staff signs in (the staff zone keeps its sessions' devices), so it can fail."""

import logging
from itertools import cycle

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.portal import abuse
from ostoja.portal.models import Report
from ostoja.portal.privacy import PortalLogFilter
from ostoja.test import Persona, make_organisation, sign_in

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"
AGENT = "Mozilla/5.0 (PortalProbe 4242)"
REFERRER = "https://referrer.example/secret-path"
MARKS = (ADDRESS, "PortalProbe", "referrer.example")
HEADERS = {
    "REMOTE_ADDR": ADDRESS,
    "HTTP_USER_AGENT": AGENT,
    "HTTP_REFERER": REFERRER,
    "HTTP_X_FORWARDED_FOR": ADDRESS,
}
REQUESTS = [
    ("get", "/portal/"),
    ("get", "/portal/uk/"),
    ("get", "/portal/vi/info/"),
    ("get", "/portal/ru/travel/"),
    ("get", "/portal/pl/contact/"),
    ("get", "/portal/en/no-such-page/"),  # 404, logged as a warning
    ("get", "/portal/xx/"),
    ("post", "/portal/en/info/"),  # 405, logged as a warning
    ("get", "/portal/exit/"),
    ("get", "/portal/en/?utm=" + ADDRESS.replace(".", "-")),
    ("get", "/portal/en/message/"),  # the form: its CSRF cookie
    ("post", "/portal/uk/message/"),  # a report (then refused: the day's limit)
    ("post", "/portal/uk/message/open/"),  # a wrong receipt code (then refused: the limit)
    ("post", "/portal/vi/check/"),  # the self-check's result
    ("post", "/portal/vi/check/send/"),  # sent to the centre (a report: the same limit)
]
FORM = {
    "text": "Мене тримають на фермі.",
    "code": "1234 5678 9012 3456",
    "flag": ["passport-kept"],
    "version": "1",
}


def _visitor() -> Client:
    """A browser that sends its address, user agent and referrer with every request."""
    client = Client()
    client.defaults.update(HEADERS)
    return client


def _database_text() -> str:
    """Every row of every table, as text."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows += [repr(row) for row in cursor.fetchall()]
    return "\n".join(rows)


def test_a_thousand_portal_requests_leave_no_trace(caplog: pytest.LogCaptureFixture) -> None:
    make_organisation()
    client = _visitor()
    caplog.set_level(logging.DEBUG)
    statuses = set()
    for _, (method, path) in zip(range(1000), cycle(REQUESTS), strict=False):
        response = getattr(client, method)(path, FORM if method == "post" else {})
        statuses.add(response.status_code)
        assert set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
    assert statuses == {200, 302, 400, 404, 405, 429}
    assert Report.objects.count() == abuse.LIMITS["report"][0]
    logged = caplog.text + "".join(repr(vars(r)) for r in caplog.records)
    stored = _database_text() + repr(list(AuditEntry.objects.values()))
    for mark in MARKS:
        assert mark not in logged, mark
        assert mark not in stored, mark
    # Warnings were logged (the 404s and 405s): the configured handler writes each
    # without its request (whose headers a mail handler would print).
    warned = [r for r in caplog.records if r.name == "django.request"]
    assert warned
    for record in warned:
        assert _console().filter(record) and getattr(record, "request", "") is None


def _console() -> logging.Handler:
    """The handler settings.LOGGING configures, with the portal's filter."""
    return next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, PortalLogFilter) for f in handler.filters)
    )


def test_the_log_filter_keeps_staff_requests(client: Client) -> None:
    record = logging.makeLogRecord({"request": client.get("/accounts/login/").wsgi_request})
    assert _console().filter(record) and getattr(record, "request", None) is not None


def test_the_same_check_finds_a_staff_sign_in(centre: dict[Role, Persona]) -> None:
    sign_in(_visitor(), centre[Role.COUNSELLOR])
    assert any(mark in _database_text() for mark in MARKS)
