"""Telephony: the signed generic webhook, the Twilio adapter (signed by Twilio's own
library, answered in TwiML) and the counsellor's pop-up (helpline/webhooks.py)."""

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings
from twilio.request_validator import RequestValidator

from ostoja.accounts.models import User
from ostoja.accounts.roles import Role
from ostoja.duty.models import DutyPhone, Shift
from ostoja.helpline import selectors
from ostoja.helpline.access import contacts_visible_to
from ostoja.helpline.models import Call, Contact
from ostoja.home.navigation import navigation_for
from ostoja.test import Persona, assert_access, force_sign_in, sign_in, text

pytestmark = pytest.mark.django_db
WARSAW = dt.timezone(dt.timedelta(hours=1))  # November: CET
TUESDAY_10 = dt.datetime(2026, 11, 10, 10, 0, tzinfo=WARSAW)
SATURDAY_2 = dt.datetime(2026, 11, 14, 2, 0, tzinfo=WARSAW)
INDEPENDENCE_DAY_11 = dt.datetime(2026, 11, 11, 11, 0, tzinfo=WARSAW)  # a Wednesday
SECRET = "telephony-test-secret"
TOKEN = "twilio-test-token"
BASE = "https://ostoja.example"
EVENTS = "/helpline/telephony/events/"
VOICE = "/helpline/telephony/twilio/voice/"
PRIMARY_PHONE = "+48600100200"
BACKUP_PHONE = "+48600100300"
LINE = "+48223456789"


@pytest.fixture(autouse=True)
def _telephony(settings: Settings) -> None:
    settings.OSTOJA_TELEPHONY_SECRET = SECRET
    settings.OSTOJA_TWILIO_AUTH_TOKEN = TOKEN
    settings.BASE_URL = BASE
    settings.OSTOJA_TELEPHONY_LINES = {}


@pytest.fixture
def duty(centre: dict[Role, Persona]) -> tuple[User, User]:
    """Duty shifts over the weekend and over Independence Day: the counsellor first, the
    case manager as backup, each with a duty phone (written in any format)."""
    primary, backup = centre[Role.COUNSELLOR].user, centre[Role.CASE_MANAGER].user
    DutyPhone.objects.create(user=primary, number="+48 600 100 200")
    DutyPhone.objects.create(user=backup, number="0048600100300")
    assert primary.organisation is not None
    for start, end in [
        (
            dt.datetime(2026, 11, 13, 14, 0, tzinfo=WARSAW),
            dt.datetime(2026, 11, 16, 9, 0, tzinfo=WARSAW),
        ),
        (
            dt.datetime(2026, 11, 10, 19, 0, tzinfo=WARSAW),
            dt.datetime(2026, 11, 12, 9, 0, tzinfo=WARSAW),
        ),
    ]:
        Shift.objects.create(
            organisation=primary.organisation,
            start=start,
            end=end,
            primary=primary,
            backup=backup,
            created_by=centre[Role.COORDINATOR].user,
        )
    return primary, backup


def _event(
    client: Client,
    payload: dict[str, Any],
    *,
    secret: str = SECRET,
    stamp: str | None = None,
    signature: str | None = None,
) -> Any:
    body = json.dumps(payload).encode()
    stamp = str(int(time.time())) if stamp is None else stamp
    if signature is None:
        signature = hmac.new(
            secret.encode(), stamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
    return client.post(
        EVENTS,
        body,
        content_type="application/json",
        HTTP_X_OSTOJA_TIMESTAMP=stamp,
        HTTP_X_OSTOJA_SIGNATURE=signature,
    )


def _payload(event: str, at: dt.datetime, call_id: str = "CA1", **more: str) -> dict[str, str]:
    return {
        "event": event,
        "call_id": call_id,
        "caller": "+48 22 123 45 67",
        "line": LINE,
        "at": at.isoformat(),
    } | more


def _twilio(client: Client, path: str, params: dict[str, str], token: str = TOKEN) -> Any:
    """A request as Twilio sends it: signed by its own library over the public URL."""
    signature = RequestValidator(token).compute_signature(BASE + path, params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def _twiml(response: Any) -> ET.Element:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)  # noqa: S314  # our own answer


def _path(url: str) -> str:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == BASE
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _ringing(call_sid: str = "CA1") -> dict[str, str]:
    return {"CallSid": call_sid, "From": "+48221234567", "To": LINE, "CallStatus": "ringing"}


# --- The generic webhook ------------------------------------------------------------------


def test_office_hours_go_to_the_counsellors_queue(
    client: Client, centre: dict[Role, Persona], duty: tuple[User, User]
) -> None:
    with time_machine.travel(TUESDAY_10, tick=False):
        response = _event(client, _payload("ringing", TUESDAY_10))
    assert response.status_code == 200
    assert response.json() == {"route": "queue", "queue": "counsellors"}
    call = Call.objects.get(call_id="CA1")
    assert call.state == Call.State.RINGING and call.route == "queue"
    assert not Contact.objects.exists()  # nobody answered yet


@pytest.mark.parametrize("moment", [SATURDAY_2, INDEPENDENCE_DAY_11])
def test_off_hours_and_holidays_go_to_the_duty_phones(
    client: Client, centre: dict[Role, Persona], duty: tuple[User, User], moment: dt.datetime
) -> None:
    with time_machine.travel(moment, tick=False):
        response = _event(client, _payload("ringing", moment))
    assert response.json() == {"route": "forward", "to": PRIMARY_PHONE, "then": BACKUP_PHONE}


def test_nobody_on_duty_is_voicemail_and_logged(
    client: Client, centre: dict[Role, Persona], caplog: pytest.LogCaptureFixture
) -> None:
    with time_machine.travel(SATURDAY_2, tick=False), caplog.at_level(logging.WARNING):
        response = _event(client, _payload("ringing", SATURDAY_2))
    assert response.json() == {"route": "voicemail"}
    assert "nobody on duty" in caplog.text


def test_an_answered_call_opens_a_draft_for_whoever_answered(
    client: Client, centre: dict[Role, Persona], duty: tuple[User, User]
) -> None:
    primary, _backup = duty
    answered = SATURDAY_2 + dt.timedelta(seconds=30)
    with time_machine.travel(SATURDAY_2 + dt.timedelta(minutes=1), tick=False):
        _event(client, _payload("ringing", SATURDAY_2))
        response = _event(client, _payload("answered", answered, user=primary.email.upper()))
        assert response.status_code == 200
    contact = Contact.objects.get()
    assert contact.status == Contact.Status.DRAFT and contact.channel == Contact.Channel.PHONE
    assert contact.counsellor == primary and contact.started_at == answered
    assert contact.line == Contact.Line.DUTY and contact.ended_at is None
    assert contact.caller_number == "+48 22 123 45 67"
    call = Call.objects.get()
    assert (call.state, call.answered_by, call.contact) == ("answered", primary, contact)

    ended = answered + dt.timedelta(minutes=7)
    with time_machine.travel(ended, tick=False):
        _event(client, _payload("ended", ended))
    contact.refresh_from_db()
    assert contact.ended_at == ended and contact.duration == dt.timedelta(minutes=7)

    # The same caller again, the number written otherwise: recognised on the live screen.
    again = SATURDAY_2 + dt.timedelta(hours=1)
    with time_machine.travel(again, tick=False):
        _event(client, _payload("ringing", again, "CA2", caller="0048221234567"))
        _event(
            client, _payload("answered", again, "CA2", caller="0048221234567", user=primary.email)
        )
    second = Contact.objects.get(calls__call_id="CA2")
    assert selectors.previous_contacts(second, contacts_visible_to(primary)) == [contact]
    force_sign_in(client, primary)
    page = client.get(f"/helpline/{second.code}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "This number has called 1 time before." in text(page)


def test_events_are_idempotent_and_may_come_in_any_order(
    client: Client, centre: dict[Role, Persona], duty: tuple[User, User]
) -> None:
    primary, _backup = duty
    answered = SATURDAY_2 + dt.timedelta(seconds=20)
    ended = SATURDAY_2 + dt.timedelta(minutes=5)
    events = [
        _payload("ended", ended),
        _payload("answered", answered, user=primary.email),
        _payload("ringing", SATURDAY_2),
    ]
    with time_machine.travel(ended + dt.timedelta(seconds=5), tick=False):
        for payload in events + events:  # every event twice, the end first
            assert _event(client, payload).status_code == 200
    call = Call.objects.get()
    contact = Contact.objects.get()
    assert call.state == Call.State.ENDED and call.contact == contact
    assert (call.ringing_at, call.answered_at, call.ended_at) == (SATURDAY_2, answered, ended)
    assert (contact.started_at, contact.ended_at) == (answered, ended)


def test_an_unknown_answering_user_changes_nothing(
    client: Client, centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    outsider = other_centre[Role.COORDINATOR].user
    with time_machine.travel(TUESDAY_10, tick=False):
        for email in (outsider.email, "nobody@staff.test", centre[Role.DPO].user.email):
            response = _event(client, _payload("answered", TUESDAY_10, user=email))
            assert response.status_code == 400
    assert not Contact.objects.exists() and not Call.objects.exists()


@pytest.mark.parametrize(
    ("problem", "kwargs"),
    [
        ("bad signature", {"secret": "not-the-secret"}),
        ("bad signature", {"signature": "00" * 32}),
        ("stale timestamp", {"stamp": str(int(TUESDAY_10.timestamp()) - 301)}),
        ("stale timestamp", {"stamp": str(int(TUESDAY_10.timestamp()) + 301)}),
        ("malformed timestamp", {"stamp": "yesterday"}),
        ("no timestamp or signature", {"signature": ""}),
    ],
)
def test_a_badly_signed_event_is_refused_and_logged(
    client: Client,
    centre: dict[Role, Persona],
    caplog: pytest.LogCaptureFixture,
    problem: str,
    kwargs: dict[str, str],
) -> None:
    payload = _payload("answered", TUESDAY_10, user=centre[Role.COUNSELLOR].user.email)
    with time_machine.travel(TUESDAY_10, tick=False), caplog.at_level(logging.WARNING):
        response = _event(client, payload, **kwargs)
    assert response.status_code == 403
    assert f"telephony webhook refused: {problem}" in caplog.text
    assert "123 45 67" not in caplog.text and "CA1" not in caplog.text  # never the body
    assert not Call.objects.exists() and not Contact.objects.exists()


def test_without_a_secret_every_event_is_refused(
    client: Client, centre: dict[Role, Persona], settings: Settings
) -> None:
    settings.OSTOJA_TELEPHONY_SECRET = ""
    with time_machine.travel(TUESDAY_10, tick=False):
        assert _event(client, _payload("ringing", TUESDAY_10), secret="").status_code == 403
    assert not Call.objects.exists()


def test_a_malformed_event_is_refused(client: Client, centre: dict[Role, Persona]) -> None:
    with time_machine.travel(TUESDAY_10, tick=False):
        assert _event(client, _payload("exploded", TUESDAY_10)).status_code == 400
        assert _event(client, _payload("ringing", TUESDAY_10) | {"at": "soon"}).status_code == 400
        assert _event(client, _payload("ringing", TUESDAY_10, call_id="")).status_code == 400
    assert not Call.objects.exists()


def test_the_called_line_chooses_the_organisation(
    client: Client,
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    settings: Settings,
) -> None:
    settings.OSTOJA_TELEPHONY_LINES = {"+48 800 100 100": "OTHER", LINE: "KCIK"}
    with time_machine.travel(TUESDAY_10, tick=False):
        _event(client, _payload("ringing", TUESDAY_10, "CA1", line="0048800100100"))
        _event(client, _payload("ringing", TUESDAY_10, "CA2"))
    assert Call.objects.get(call_id="CA1").organisation.short_code == "OTHER"
    assert Call.objects.get(call_id="CA2").organisation.short_code == "KCIK"


# --- Twilio -------------------------------------------------------------------------------


def test_twilio_office_hours_enqueue_the_call(
    client: Client, centre: dict[Role, Persona], duty: tuple[User, User]
) -> None:
    with time_machine.travel(TUESDAY_10, tick=False):
        twiml = _twiml(_twilio(client, VOICE, _ringing()))
    assert [child.tag for child in twiml] == ["Say", "Enqueue"]
    assert twiml[0].get("language") == "pl-PL"
    assert twiml[1].text == "counsellors"
    assert Call.objects.get().route == "queue"


@pytest.mark.parametrize("moment", [SATURDAY_2, INDEPENDENCE_DAY_11])
def test_twilio_off_hours_dial_the_primary_then_the_backup_then_voicemail(
    client: Client, centre: dict[Role, Persona], duty: tuple[User, User], moment: dt.datetime
) -> None:
    primary, backup = duty
    with time_machine.travel(moment, tick=False):
        twiml = _twiml(_twilio(client, VOICE, _ringing()))
        dial = twiml.find("Dial")
        assert dial is not None and dial.get("timeout") == "20"
        number = dial.find("Number")
        assert number is not None and number.text == PRIMARY_PHONE
        callback = urlsplit(number.get("statusCallback", ""))
        assert parse_qs(callback.query) == {"user": [str(primary.code)]}
        assert number.get("statusCallbackEvent") == "answered"

        fallback = _path(dial.get("action", ""))
        nobody = _ringing() | {"DialCallStatus": "no-answer", "CallStatus": "in-progress"}
        second = _twiml(_twilio(client, fallback, nobody)).find("Dial")
        assert second is not None
        backup_number = second.find("Number")
        assert backup_number is not None and backup_number.text == BACKUP_PHONE
        assert str(backup.code) in backup_number.get("statusCallback", "")

        last = _twiml(_twilio(client, _path(second.get("action", "")), nobody))
        assert [child.tag for child in last] == ["Say", "Record"]
        done = _twiml(_twilio(client, _path(last[1].get("action", "")), nobody))
        assert [child.tag for child in done] == ["Say", "Hangup"]

        answered = _ringing() | {"DialCallStatus": "completed", "CallStatus": "in-progress"}
        assert [child.tag for child in _twiml(_twilio(client, fallback, answered))] == ["Hangup"]


def test_twilio_with_nobody_on_duty_takes_a_message(
    client: Client, centre: dict[Role, Persona]
) -> None:
    with time_machine.travel(SATURDAY_2, tick=False):
        twiml = _twiml(_twilio(client, VOICE, _ringing()))
    assert [child.tag for child in twiml] == ["Say", "Record"]
    assert twiml[1].get("maxLength") == "120"


def test_twilio_status_callbacks_are_the_same_events(
    client: Client, centre: dict[Role, Persona], duty: tuple[User, User]
) -> None:
    primary, _backup = duty
    status = "/helpline/telephony/twilio/status/"
    answered = SATURDAY_2 + dt.timedelta(seconds=15)
    with time_machine.travel(SATURDAY_2, tick=False):
        _twiml(_twilio(client, VOICE, _ringing()))
    # The duty phone picks up: its leg's callback names the user; its "From" is the caller.
    leg = {
        "CallSid": "CA-leg",
        "ParentCallSid": "CA1",
        "From": "+48221234567",
        "To": PRIMARY_PHONE,
        "CallStatus": "in-progress",
        "Timestamp": "Sat, 14 Nov 2026 01:00:15 +0000",
    }
    with time_machine.travel(answered + dt.timedelta(seconds=2), tick=False):
        _twiml(_twilio(client, f"{status}?user={primary.code}", leg))
        _twiml(_twilio(client, f"{status}?user={primary.code}", leg))  # a retry
        # Twilio itself picking up the call is not someone answering it.
        _twiml(_twilio(client, status, _ringing() | {"CallStatus": "in-progress"}))
    contact = Contact.objects.get()
    assert (contact.counsellor, contact.started_at) == (primary, answered)
    assert contact.caller_number == "+48221234567"
    with time_machine.travel(answered + dt.timedelta(minutes=3), tick=False):
        _twiml(_twilio(client, status, _ringing() | {"CallStatus": "completed"}))
    contact.refresh_from_db()
    assert contact.ended_at == answered + dt.timedelta(minutes=3)
    assert Call.objects.get().state == Call.State.ENDED


def test_a_counsellor_softphone_takes_the_next_caller_from_the_queue(
    client: Client, centre: dict[Role, Persona]
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    with time_machine.travel(TUESDAY_10, tick=False):
        _twiml(_twilio(client, VOICE, _ringing()))
        agent = {"CallSid": "CA-agent", "From": f"client:{counsellor.code}", "To": ""}
        twiml = _twiml(_twilio(client, "/helpline/telephony/twilio/agent/", agent))
        queue = twiml.find("Dial/Queue")
        assert queue is not None and queue.text == "counsellors"
        dequeued = _ringing() | {"CallStatus": "in-progress", "DequeingCallSid": "CA-agent"}
        _twiml(_twilio(client, _path(queue.get("url", "")), dequeued))
        stranger = agent | {"From": "client:00000000-0000-4000-8000-000000000000"}
        rejected = _twiml(_twilio(client, "/helpline/telephony/twilio/agent/", stranger))
    assert [child.tag for child in rejected] == ["Reject"]
    contact = Contact.objects.get()
    assert contact.counsellor == counsellor and contact.line == Contact.Line.OFFICE


@pytest.mark.parametrize(
    "forge",
    [
        {"token": "not-the-token"},  # signed with another account's token
        {"url": "http://ostoja.example" + VOICE},  # signed for another address
        {"params": _ringing() | {"From": "+48999999999"}},  # a parameter changed after
        {"signature": ""},
    ],
)
def test_a_request_twilio_did_not_sign_is_refused(
    client: Client,
    centre: dict[Role, Persona],
    caplog: pytest.LogCaptureFixture,
    forge: dict[str, Any],
) -> None:
    url = forge.get("url", BASE + VOICE)
    signature = forge.get(
        "signature", RequestValidator(forge.get("token", TOKEN)).compute_signature(url, _ringing())
    )
    with time_machine.travel(TUESDAY_10, tick=False), caplog.at_level(logging.WARNING):
        response = client.post(
            VOICE, forge.get("params", _ringing()), HTTP_X_TWILIO_SIGNATURE=signature
        )
    assert response.status_code == 403
    assert "twilio webhook refused" in caplog.text
    assert not Call.objects.exists() and not Contact.objects.exists()


def test_the_webhooks_need_no_sign_in_and_no_csrf_token(
    centre: dict[Role, Persona], duty: tuple[User, User]
) -> None:
    strict = Client(enforce_csrf_checks=True)
    with time_machine.travel(TUESDAY_10, tick=False):
        assert _event(strict, _payload("ringing", TUESDAY_10)).status_code == 200
        assert _twilio(strict, VOICE, _ringing("CA2")).status_code == 200
        assert strict.get(EVENTS).status_code == 405


# --- The pop-up ---------------------------------------------------------------------------


def test_the_screen_pops_up_once_for_the_counsellor_who_answered(
    client: Client, centre: dict[Role, Persona]
) -> None:
    counsellor = centre[Role.COUNSELLOR]
    colleague = Client()
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        sign_in(client, counsellor)
        force_sign_in(colleague, centre[Role.COORDINATOR].user)
        assert client.post("/helpline/incoming/", HTTP_HX_REQUEST="true").status_code == 204
        _event(client, _payload("ringing", timezone.now()))
        _event(client, _payload("answered", timezone.now(), user=counsellor.email))
        traveller.shift(dt.timedelta(seconds=5))
        assert colleague.post("/helpline/incoming/", HTTP_HX_REQUEST="true").status_code == 204
        response = client.post("/helpline/incoming/", HTTP_HX_REQUEST="true")
        contact = Contact.objects.get()
        assert response.status_code == 200
        assert response["HX-Redirect"] == f"/helpline/{contact.code}/"
        assert client.post("/helpline/incoming/", HTTP_HX_REQUEST="true").status_code == 204
        assert Call.objects.get().opened_at == timezone.now()


def test_a_stale_unopened_call_does_not_pop_up(client: Client, centre: dict[Role, Persona]) -> None:
    counsellor = centre[Role.COUNSELLOR]
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        _event(client, _payload("answered", timezone.now(), user=counsellor.email))
        traveller.shift(dt.timedelta(minutes=31))
        force_sign_in(client, counsellor.user)
        assert client.post("/helpline/incoming/").status_code == 204


def test_polling_does_not_keep_a_session_alive(client: Client, centre: dict[Role, Persona]) -> None:
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        sign_in(client, centre[Role.COUNSELLOR])
        for _ in range(14 * 12):  # 14 minutes of polls every 5 seconds
            traveller.shift(dt.timedelta(seconds=5))
            assert client.post("/helpline/incoming/", HTTP_HX_REQUEST="true").status_code == 204
        traveller.shift(dt.timedelta(minutes=2))  # 16 minutes without a click
        response = client.post("/helpline/incoming/", HTTP_HX_REQUEST="true")
        assert response["HX-Redirect"].startswith("/accounts/login/")
    # … while any other request does keep it alive.
    active = Client()
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        force_sign_in(active, centre[Role.COUNSELLOR].user)
        assert active.post("/helpline/incoming/").status_code == 204
        traveller.shift(dt.timedelta(minutes=14))
        assert active.get("/").status_code == 200
        traveller.shift(dt.timedelta(minutes=14))
        assert active.post("/helpline/incoming/").status_code == 204


def test_only_helpline_staff_poll(
    client: Client, centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    assert_access(
        "/helpline/incoming/",
        centre,
        other_centre,
        allowed={Role.COUNSELLOR, Role.CASE_MANAGER, Role.COORDINATOR},
        method="post",
        outsider_status=None,  # each centre's staff poll for their own calls
    )
    response = client.post("/helpline/incoming/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_poller_is_rendered_only_for_helpline_staff(
    client: Client, centre: dict[Role, Persona]
) -> None:
    for role, expected in ((Role.COUNSELLOR, True), (Role.ADMINISTRATOR, False)):
        html = render_to_string(
            "helpline/partials/incoming.html",
            {"navigation": navigation_for(centre[role].user), "incoming_poll_seconds": 5},
        )
        assert ('hx-post="/helpline/incoming/"' in html) is expected
        assert 'hx-trigger="every 5s"' in html or not expected
    # Set to 0, there is no poll at all.
    html = render_to_string(
        "helpline/partials/incoming.html",
        {"navigation": navigation_for(centre[Role.COUNSELLOR].user), "incoming_poll_seconds": 0},
    )
    assert "helpline/incoming" not in html
