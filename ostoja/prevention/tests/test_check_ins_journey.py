"""Check-ins abroad, end to end (issue 17's "done means"): a series scheduled, one OK reply,
one missed (a task for the counsellor), one HELP on a weekend (the duty worker alerted
through the escalation, by SMS and e-mail), STOP ends it (and confirms) — with the SMS
gateway (an HTTP server checking our signature) and the mail server (aiosmtpd) and mailbox
(pymap) played by local servers, the clock by time_machine. Nothing of ours is mocked."""

import datetime as dt
import imaplib
import json
import time
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from ostoja.accounts.models import Notice
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.duty.models import DutyPhone, Shift
from ostoja.helpline.models import Contact
from ostoja.helpline.tasks import fetch_mail
from ostoja.helpline.tests.test_correspondence import imap, smtp  # noqa: F401  # fixtures
from ostoja.interventions.models import Intervention, Notification
from ostoja.interventions.tests.test_notify import SECRET, Gateway, Inbox, signature
from ostoja.prevention.models import CheckIn, CheckInSeries, Counselling, FlagCatalogue
from ostoja.prevention.services import counselling_save
from ostoja.prevention.tasks import check_ins_run
from ostoja.test import Persona, force_sign_in

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
MONDAY = dt.datetime(2026, 11, 9, 11, 0, tzinfo=WARSAW)
HOOK = "/interventions/hooks/sms-inbound/"
PHONE = "+49 151 23456789"  # the person's German mobile
E164 = "+4915123456789"


@pytest.fixture
def gateway(settings: Any) -> Iterator[Gateway]:
    gateway = Gateway()
    gateway.start()
    settings.OSTOJA_SMS_GATEWAY_URL = gateway.url
    settings.OSTOJA_SMS_GATEWAY_SECRET = SECRET
    yield gateway
    gateway.stop()


@pytest.fixture
def counselling(centre: dict[Role, Persona]) -> Counselling:
    counsellor = centre[Role.COUNSELLOR].user
    return counselling_save(
        data={"country": "DE", "city": "Hamburg", "plan_language": "uk", "code_word": "Kalyna"},
        flags=[],
        organisation=counsellor.organisation,
        catalogue=FlagCatalogue.current(),
        acting_user=counsellor,
    )


def sms_in(client: Client, text: str, message_id: str, sender: str = PHONE) -> int:
    """The gateway posts a message sent to the centre, signed."""
    body = json.dumps({"id": message_id, "from": sender, "to": "", "text": text}).encode()
    stamp = str(int(time.time()))
    response = client.post(
        HOOK,
        body,
        content_type="application/json",
        headers={"X-Ostoja-Timestamp": stamp, "X-Ostoja-Signature": signature(stamp, body)},
    )
    return response.status_code


def test_a_series_ok_missed_help_on_a_weekend_and_stop(
    centre: dict[Role, Persona],
    counselling: Counselling,
    gateway: Gateway,
    smtp: Inbox,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    duty = centre[Role.CASE_MANAGER].user
    DutyPhone.objects.create(user=duty, number="600 700 800")
    Shift.objects.create(
        organisation=counselling.organisation,
        start=dt.datetime(2026, 11, 13, 19, 0, tzinfo=WARSAW),  # Friday evening
        end=dt.datetime(2026, 11, 16, 9, 0, tzinfo=WARSAW),  # to Monday morning
        primary=duty,
        created_by=centre[Role.COORDINATOR].user,
    )
    hook = Client()
    with time_machine.travel(MONDAY, tick=False) as clock:
        # The counsellor records the consent and starts the series: every other day from
        # Tuesday, in Ukrainian, four check-ins.
        staff = Client()
        force_sign_in(staff, counsellor)
        response = staff.post(
            f"/prevention/{counselling.code}/check-ins/",
            {
                "consent": "on",
                "consent_by": "Olena herself, on the phone",
                "consent_on": "2026-11-09",
                "channel": "sms",
                "phone": PHONE,
                "language": "uk",
                "starts_on": "2026-11-10",
                "interval_days": "2",
                "count": "4",
                "answer_hours": "48",
            },
        )
        assert response.status_code == 302
        series = CheckInSeries.objects.get(counselling=counselling)
        assert series.phone == E164 and series.status == CheckInSeries.Status.ACTIVE
        assert check_ins_run.call_local() == 0  # nothing due before Tuesday 10:00

        # Tuesday: the first check-in goes out through the gateway, in Ukrainian.
        clock.move_to(dt.datetime(2026, 11, 10, 10, 5, tzinfo=WARSAW))
        assert check_ins_run.call_local() == 1
        assert check_ins_run.call_local() == 0  # sent once
        first = gateway.accepted[-1]
        assert first["to"] == E164 and "ДОПОМОГА" in first["text"] and "СТОП" in first["text"]
        # … the person answers OK: the check-in is settled, no contact is made of it.
        clock.move_to(dt.datetime(2026, 11, 10, 18, 0, tzinfo=WARSAW))
        assert sms_in(hook, "ok, все добре", "in-1") == 204
        assert sms_in(hook, "ok, все добре", "in-1") == 204  # the gateway repeats itself
        one = CheckIn.objects.get(series=series, number=1)
        assert one.status == CheckIn.Status.OK and one.reply == "ok, все добре"
        assert not Contact.objects.filter(channel=Contact.Channel.SMS).exists()

        # Thursday: the second goes out and is never answered.
        clock.move_to(dt.datetime(2026, 11, 12, 10, 5, tzinfo=WARSAW))
        assert check_ins_run.call_local() == 1
        # Saturday: the third goes out, and the second is 48 hours late — a task, once.
        clock.move_to(dt.datetime(2026, 11, 14, 10, 30, tzinfo=WARSAW))
        assert check_ins_run.call_local() == 1
        check_ins_run.call_local()
        two = CheckIn.objects.get(series=series, number=2)
        assert two.status == CheckIn.Status.MISSED
        tasks = Notice.objects.filter(recipient=counsellor, target_code=str(two.code))
        assert tasks.count() == 1 and f"/prevention/{counselling.code}/" in tasks.get().url

        # Saturday noon, a weekend: HELP. A task for the counsellor, and an emergency
        # intervention whose escalation reaches the duty worker's phone and mailbox.
        clock.move_to(dt.datetime(2026, 11, 14, 12, 0, tzinfo=WARSAW))
        sms_before = len(gateway.accepted)
        with django_capture_on_commit_callbacks(execute=True):
            assert sms_in(hook, "ДОПОМОГА, забрали паспорт", "in-2") == 204
        three = CheckIn.objects.get(series=series, number=3)
        assert three.status == CheckIn.Status.HELP
        assert Notice.objects.filter(recipient=counsellor, target_code=str(three.code)).exists()
        intervention = three.intervention
        assert intervention is not None and not intervention.office_hours
        assert "забрали паспорт" in intervention.description
        alerts = gateway.accepted[sms_before:]
        assert [a["to"] for a in alerts] == ["+48600700800"]
        assert intervention.reference in alerts[0]["text"] and PHONE not in alerts[0]["text"]
        to_duty = [m for m in smtp.messages if m["To"] == duty.email]
        assert len(to_duty) == 1 and intervention.reference in to_duty[0].get_content()
        # (the counsellor's task comes to their mailbox too, as they wish)
        assert {m["To"] for m in smtp.messages} == {duty.email, counsellor.email}
        assert (
            Notification.objects.filter(
                intervention=intervention, recipient=duty, status=Notification.Status.SENT
            ).count()
            == 2
        )
        # The intervention's page shows the check-in it came from.
        supervisor = Client()
        force_sign_in(supervisor, duty)
        page = supervisor.get(f"/interventions/{intervention.code}/")
        assert f"/prevention/{counselling.code}/#check-ins" in page.content.decode()

        # Sunday: STOP ends the series, and the person is told so.
        clock.move_to(dt.datetime(2026, 11, 15, 9, 0, tzinfo=WARSAW))
        assert sms_in(hook, "Stop", "in-3") == 204
        series.refresh_from_db()
        assert series.status == CheckInSeries.Status.STOPPED_BY_REPLY
        assert check_ins_run.call_local() == 1
        assert "Ми більше не надсилатимемо" in gateway.accepted[-1]["text"]
        # Monday: the fourth is not sent; an SMS from the same number is now an ordinary
        # contact of the helpline, as is one from anybody else.
        clock.move_to(dt.datetime(2026, 11, 16, 10, 30, tzinfo=WARSAW))
        sent = len(gateway.accepted)
        assert check_ins_run.call_local() == 0 and len(gateway.accepted) == sent
        assert sms_in(hook, "OK", "in-4") == 204
        assert sms_in(hook, "Dzień dobry, szukam pomocy", "in-5", sender="+48 511 222 333") == 204
    received = Contact.objects.filter(channel=Contact.Channel.SMS)
    assert sorted(c.summary for c in received) == ["Dzień dobry, szukam pomocy", "OK"]
    assert gateway.bad_signatures == 0
    actions = list(
        AuditEntry.objects.filter(target_code=str(counselling.code)).values_list(
            "action", flat=True
        )
    )
    for action in (
        "check_in_series.started",
        "check_in.sent",
        "check_in.answered",
        "check_in.missed",
    ):
        assert action in actions
    assert Intervention.objects.count() == 1


def _reply(subject: str, body: str, message_id: str, sender: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "info@kcik.pl"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Tue, 10 Nov 2026 12:00:00 +0100"
    message.set_content(body)
    return bytes(message)


def test_by_e_mail_the_reply_is_matched_by_its_token_or_its_address(
    centre: dict[Role, Persona],
    counselling: Counselling,
    smtp: Inbox,  # noqa: F811
    imap: imaplib.IMAP4,  # noqa: F811
    settings: Any,
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    settings.IMAP_ORGANISATION = counselling.organisation.short_code
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 5, tzinfo=WARSAW), tick=False):
        staff = Client()
        force_sign_in(staff, counsellor)
        response = staff.post(
            f"/prevention/{counselling.code}/check-ins/",
            {
                "consent": "on",
                "consent_by": "Nguyễn Thị Lan",
                "consent_on": "2026-11-09",
                "channel": "email",
                "email": "Lan.Nguyen@example.test",
                "language": "vi",
                "starts_on": "2026-11-10",
                "interval_days": "7",
                "ends_on": "2026-12-31",
                "answer_hours": "48",
            },
        )
        assert response.status_code == 302
        assert check_ins_run.call_local() == 1
        sent = smtp.messages[-1]
        assert sent["To"] == "Lan.Nguyen@example.test" and sent["Reply-To"] == "info@kcik.pl"
        assert "GIÚP" in sent.get_content()
        subject = str(sent["Subject"])
        # The reply quotes the message under its own first line, which is what counts.
        quoted = "OK\n\n> " + sent.get_content().replace("\n", "\n> ")
        imap.append("INBOX", None, None, _reply(f"Re: {subject}", quoted, "<r1@x>", "Lan <x@y.vn>"))
        imap.append("INBOX", None, None, _reply("Hello", "I need advice", "<r2@x>", "a@b.test"))
        assert fetch_mail.call_local() == 2
    check_in = CheckIn.objects.get(number=1)
    assert check_in.status == CheckIn.Status.OK and check_in.reply_hash
    contacts = Contact.objects.filter(channel=Contact.Channel.EMAIL)
    assert [c.summary for c in contacts] == ["I need advice"]


def test_from_the_address_without_a_token_help_in_office_hours_is_a_task_only(
    centre: dict[Role, Persona],
    counselling: Counselling,
    smtp: Inbox,  # noqa: F811
    imap: imaplib.IMAP4,  # noqa: F811
    settings: Any,
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    settings.IMAP_ORGANISATION = counselling.organisation.short_code
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 5, tzinfo=WARSAW), tick=False):
        staff = Client()
        force_sign_in(staff, counsellor)
        staff.post(
            f"/prevention/{counselling.code}/check-ins/",
            {
                "consent": "on",
                "consent_by": "Lan",
                "consent_on": "2026-11-09",
                "channel": "email",
                "email": "lan@example.test",
                "language": "vi",
                "starts_on": "2026-11-10",
                "interval_days": "7",
                "count": "3",
                "answer_hours": "48",
            },
        )
        check_ins_run.call_local()
        # The code word of the safety plan anywhere in the first line means HELP.
        body = "Xin chào, kalyna"
        imap.append("INBOX", None, None, _reply("Chào", body, "<r3@x>", "LAN@example.test"))
        assert fetch_mail.call_local() == 1
    check_in = CheckIn.objects.get(number=1)
    assert check_in.status == CheckIn.Status.HELP and check_in.intervention is None
    assert Notice.objects.filter(recipient=counsellor, target_code=str(check_in.code)).exists()
    assert not Intervention.objects.exists()
    assert not Contact.objects.exists()
