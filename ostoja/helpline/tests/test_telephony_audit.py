"""Every telephony event that changes a call or its contact is audited through the service
layer (``services.call_event_record``): the call's state, and the contact's times and number
— naming the fields, never their values."""

import datetime as dt
import types

import pytest
import time_machine
from django.test import Client

from ostoja.accounts.models import User
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.helpline.models import Call, Contact
from ostoja.helpline.tests.test_telephony import (  # noqa: F401  # fixtures
    SATURDAY_2,
    _event,
    _payload,
    _telephony,
    duty,
)
from ostoja.test import Persona

pytestmark = pytest.mark.django_db


def _entries(since: int) -> list[tuple[str, str, object]]:
    found = AuditEntry.objects.filter(seq__gt=since).order_by("seq")
    return [(e.action, e.actor.email if e.actor else "", e.data) for e in found]


def test_each_event_writes_its_audit_entries(
    client: Client,
    centre: dict[Role, Persona],
    duty: tuple[User, User],  # noqa: F811
) -> None:
    primary, _backup = duty
    start = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    answered = SATURDAY_2 + dt.timedelta(seconds=30)
    ended = answered + dt.timedelta(minutes=4)
    with time_machine.travel(SATURDAY_2, tick=False):
        _event(client, _payload("ringing", SATURDAY_2))
    ringing = _entries(start)
    assert ringing == [("call.ringing", "", {"route": "forward"})]
    # The event reaches us a few seconds after the call was answered.
    with time_machine.travel(answered + dt.timedelta(seconds=3), tick=False):
        _event(client, _payload("answered", answered, user=primary.email))
    contact = Contact.objects.get()
    after_ringing = start + len(ringing)
    assert _entries(after_ringing) == [
        ("contact.started", primary.email, {"channel": "phone"}),
        ("contact.saved", primary.email, {"fields": ["started_at"]}),
        ("call.answered", primary.email, {}),
    ]
    with time_machine.travel(ended, tick=False):
        _event(client, _payload("ended", ended))
    last = AuditEntry.objects.filter(target_code=str(contact.code)).order_by("-seq").first()
    assert last is not None and (last.action, last.data) == (
        "contact.saved",
        {"fields": ["ended_at"]},
    )
    assert AuditEntry.objects.filter(action="call.ended").exists()
    # The caller's number is in no entry.
    for entry in AuditEntry.objects.all():
        assert "123 45 67" not in str(entry.data) and "221234567" not in str(entry.data)
    assert Call.objects.get().contact == contact


def test_a_write_outside_a_service_fails_the_test_suite(
    centre: dict[Role, Persona], client_person: object
) -> None:
    """The suite-wide check (``conftest.writes_go_through_services``): a view that saved an
    audited record itself, without a service, fails whatever test reaches it."""
    organisation = centre[Role.COUNSELLOR].user.organisation
    assert organisation is not None
    contact = Contact.objects.create(
        organisation=organisation,
        started_at=SATURDAY_2,
        line=Contact.Line.DUTY,
        summary="",
        caller_number="",
    )

    def edit(record: Contact) -> None:
        record.summary = "zmienione bez śladu"
        record.save()

    # The same function as if it were a view of the helpline.
    as_a_view = types.FunctionType(edit.__code__, {"__name__": "ostoja.helpline.views"})
    with pytest.raises(AssertionError, match="written outside a service"):
        as_a_view(contact)
    as_a_service = types.FunctionType(edit.__code__, {"__name__": "ostoja.helpline.services"})
    as_a_service(contact)  # a service may
