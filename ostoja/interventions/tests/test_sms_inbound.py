"""The SMS gateway's door for messages sent to the centre: signed like its delivery
reports; a message nobody waits for becomes an incoming SMS contact of the helpline, once
(the check-ins' replies: prevention/tests/test_check_ins_journey.py)."""

import json
import time
from typing import Any

import pytest
from django.test import Client

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.helpline.models import Contact
from ostoja.interventions.tests.test_notify import SECRET, signature
from ostoja.test import Persona

pytestmark = pytest.mark.django_db
HOOK = "/interventions/hooks/sms-inbound/"


@pytest.fixture(autouse=True)
def _secret(settings: Any) -> None:
    settings.OSTOJA_SMS_GATEWAY_SECRET = SECRET


def post(body: bytes, secret: str = SECRET, stamp: int | None = None) -> int:
    timestamp = str(int(time.time()) if stamp is None else stamp)
    headers = {
        "X-Ostoja-Timestamp": timestamp,
        "X-Ostoja-Signature": signature(timestamp, body, secret),
    }
    return Client().post(HOOK, body, content_type="application/json", headers=headers).status_code


def message(**fields: str) -> bytes:
    return json.dumps({"id": "gw-1", "from": "+48 600 100 200", "text": "Pomocy"} | fields).encode()


def test_a_message_becomes_an_incoming_sms_contact_once(centre: dict[Role, Persona]) -> None:
    assert post(message()) == 204
    assert post(message()) == 204  # the gateway repeats itself
    contact = Contact.objects.get()
    assert (contact.channel, contact.direction, contact.status) == ("sms", "in", "draft")
    assert contact.caller_number == "+48 600 100 200" and contact.summary == "Pomocy"
    assert contact.counsellor is None  # nobody has taken it yet
    entry = AuditEntry.objects.get(action="contact.received")
    assert entry.actor is None and entry.target_code == str(contact.code)
    assert post(message(id="gw-2", text="Jeszcze raz")) == 204
    assert Contact.objects.count() == 2


def test_unsigned_stale_or_malformed_messages_change_nothing(
    centre: dict[Role, Persona],
) -> None:
    assert post(message(), secret="x" * 40) == 403
    assert post(message(), stamp=int(time.time()) - 3600) == 403
    assert post(b"not json") == 400
    assert post(json.dumps({"id": "gw-1", "from": "+48600100200"}).encode()) == 400
    assert post(message(id="")) == 400
    assert Client().get(HOOK).status_code == 405
    assert not Contact.objects.exists()
