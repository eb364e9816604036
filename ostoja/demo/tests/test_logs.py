"""Logs hold no personal data (README "Deployment": "Logs"; issue #20): the demo's data,
representative requests of staff and of a portal visitor that carry its names, numbers and
texts (in forms, in query strings, in a 404's address), and a scan of everything logged,
through the handler and JSON format production uses, for every one of those values."""

import io
import json
import logging
from collections.abc import Iterator
from urllib.parse import quote, quote_plus

import pytest
from django.core.management import call_command
from django.test import Client

from ostoja.accounts.mfa import totp_now
from ostoja.accounts.models import User
from ostoja.demo.management.commands.demo import DEMO_PASSWORD, totp_secret
from ostoja.helpline.models import Contact
from ostoja.lib.logs import ContextFilter, json_formatter
from ostoja.people.models import Person
from ostoja.portal.privacy import PortalLogFilter

VISITOR = "198.51.100.23"


@pytest.fixture
def logged() -> Iterator[io.StringIO]:
    """What the production handler writes (JSON, the portal and context filters)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    handler.addFilter(ContextFilter())
    handler.addFilter(PortalLogFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def personal_values() -> set[str]:
    values: set[str] = set()
    for user in User.objects.all():
        values |= {user.full_name, user.email}
    for person in Person.objects.all():
        values |= {person.name, person.name_latin, person.phone}
    for contact in Contact.objects.all()[:200]:
        values |= {contact.caller_number, contact.summary[:40]}
    return {value for value in values if value and len(value) >= 5}


def test_no_personal_value_reaches_the_logs(db: None, logged: io.StringIO) -> None:
    call_command("demo", stdout=io.StringIO())
    person = next(p for p in Person.objects.order_by("pk") if p.phone and p.name_latin)
    contact = next(c for c in Contact.objects.order_by("pk") if c.caller_number and c.summary)
    coordinator = User.objects.get(email="coordinator@demo.ostoja.invalid")
    logged.truncate(0)  # only what the requests log

    staff = Client()
    # A failed sign-in, then a real one (password and code).
    staff.post("/accounts/login/", {"login": coordinator.email, "password": "wrong one!"})
    staff.post("/accounts/login/", {"login": coordinator.email, "password": DEMO_PASSWORD})
    answer = staff.post("/accounts/2fa/authenticate/", {"code": totp_now(totp_secret(coordinator))})
    assert answer.status_code == 302
    # Names and numbers in searches, filters, a page that does not exist.
    assert staff.get("/").status_code == 200
    assert staff.post("/search/", {"q": person.name}).status_code == 200
    staff.get("/search/", {"q": person.phone})
    staff.get("/helpline/", {"q": contact.caller_number, "name": person.name})
    staff.get("/people/", {"q": person.name_latin})
    assert staff.get("/no-such-page/", {"who": person.name}).status_code == 404
    staff.get(f"/people/{person.code}/")
    # A portal visitor writes about the same person, from an address of their own.
    visitor = Client(REMOTE_ADDR=VISITOR, HTTP_X_FORWARDED_FOR=VISITOR)
    text = f"{person.name} {person.phone} — {contact.summary[:40]}"
    sent = visitor.post("/portal/en/message/", {"text": text})
    assert sent.status_code == 200
    visitor.get("/portal/en/", {"name": person.name})

    output = logged.getvalue()
    records = [json.loads(line) for line in output.splitlines()]
    # The requests were logged, each with its id, the signed-in ones with the user's code.
    paths = {record.get("path") for record in records}
    assert {"/", "/search/", "/helpline/", "/no-such-page/", "/portal/en/message/"} <= paths
    assert all(len(record["request_id"]) == 16 for record in records if "path" in record)
    not_found = next(r for r in records if r["message"] == "Not Found: /no-such-page/")
    assert len(not_found["request_id"]) == 16 and "request" not in not_found
    assert str(coordinator.code) in {record["user"] for record in records}
    # Scanned as read (JSON escapes decoded), and as a URL would carry each value.
    written = "\n".join(str(value) for record in records for value in record.values())
    leaked = sorted(
        value
        for value in personal_values() | {VISITOR}
        if any(form in written for form in (value, quote(value), quote_plus(value)))
    )
    assert leaked == [], leaked
