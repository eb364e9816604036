"""Saturday, 02:00 (frozen time): the duty line rings and is routed to the duty phone; an
emergency intervention is opened; the duty worker does not acknowledge, so the backup is
alerted after N minutes and the coordinator after that; the backup takes it, logs the
actions, records the outcome and hands over to a case manager on Monday — all audited."""

import datetime as dt
import hashlib
import hmac
import json
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.duty.models import DutyPhone, DutySettings, Shift
from ostoja.interventions import services
from ostoja.interventions.models import Intervention, Notification
from ostoja.interventions.tasks import escalation_check
from ostoja.test import Persona

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
SATURDAY_2AM = dt.datetime(2026, 12, 5, 2, 0, tzinfo=WARSAW)
SECRET = "telephony-test-secret"  # noqa: S105


def _ring(client: Client, at: dt.datetime) -> dict[str, str]:
    body = json.dumps(
        {
            "event": "ringing",
            "call_id": "CA-walk",
            "caller": "+380671234567",
            "line": "+48226280120",
            "at": at.isoformat(),
        }
    ).encode()
    stamp = str(int(time.time()))
    signature = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    response = client.post(
        "/helpline/telephony/events/",
        body,
        content_type="application/json",
        headers={"X-Ostoja-Timestamp": stamp, "X-Ostoja-Signature": signature},
    )
    assert response.status_code == 200, response.content
    answer: dict[str, str] = response.json()
    return answer


def _sent(user_email: str) -> int:
    return sum(user_email in message.to for message in mail.outbox)


def test_a_saturday_night_emergency_from_the_call_to_monday(
    centre: dict[Role, Persona], settings: object, django_capture_on_commit_callbacks: object
) -> None:
    settings.OSTOJA_TELEPHONY_SECRET = SECRET  # type: ignore[attr-defined]
    primary = centre[Role.COUNSELLOR].user
    backup = centre[Role.SPECIALIST].user
    coordinator = centre[Role.COORDINATOR].user
    manager = centre[Role.CASE_MANAGER].user
    organisation = coordinator.organisation
    assert organisation is not None
    DutySettings.objects.create(organisation=organisation, acknowledge_minutes=10, idle_minutes=30)
    DutyPhone.objects.create(user=primary, number="+48600100200")
    DutyPhone.objects.create(user=backup, number="+48600300400")
    Shift.objects.create(
        organisation=organisation,
        start=dt.datetime(2026, 12, 4, 14, 0, tzinfo=WARSAW),
        end=dt.datetime(2026, 12, 7, 9, 0, tzinfo=WARSAW),
        primary=primary,
        backup=backup,
        created_by=coordinator,
    )
    capture = django_capture_on_commit_callbacks  # runs on_commit work, as a commit would

    with time_machine.travel(SATURDAY_2AM, tick=False):
        # The duty line rings: forwarded to the duty worker's phone, then the backup's.
        route = _ring(Client(), SATURDAY_2AM)
        assert route["route"] == "forward"
        assert route["to"] == "+48600100200" and route["then"] == "+48600300400"

    with time_machine.travel(SATURDAY_2AM + dt.timedelta(minutes=3), tick=False):
        # The Border Guard reaches the coordinator, who opens the intervention.
        with capture(execute=True):  # type: ignore[operator]
            intervention = services.intervention_open(
                organisation=organisation,
                data={
                    "situation": "captivity",
                    "location": "Grójec, kontener przy szklarni",
                    "first_contact_at": SATURDAY_2AM,  # the call the clock runs from
                },
                acting_user=coordinator,
            )
        assert not intervention.office_hours
        assert _sent(primary.email) == 1 and _sent(backup.email) == 0

    with time_machine.travel(SATURDAY_2AM + dt.timedelta(minutes=8), tick=False):
        with capture(execute=True):  # type: ignore[operator]
            escalation_check()
        assert _sent(backup.email) == 0  # 5 minutes: still the duty worker's

    with time_machine.travel(SATURDAY_2AM + dt.timedelta(minutes=13, seconds=5), tick=False):
        with capture(execute=True):  # type: ignore[operator]
            escalation_check()
            escalation_check()  # twice in the same minute: nothing twice
        assert _sent(backup.email) == 1 and _sent(coordinator.email) == 0

    with time_machine.travel(SATURDAY_2AM + dt.timedelta(minutes=23, seconds=5), tick=False):
        with capture(execute=True):  # type: ignore[operator]
            escalation_check()
        assert _sent(coordinator.email) == 1

    with time_machine.travel(SATURDAY_2AM + dt.timedelta(minutes=25), tick=False):
        services.intervention_acknowledge(intervention=intervention, acting_user=backup)

    with time_machine.travel(SATURDAY_2AM + dt.timedelta(minutes=30), tick=False):
        services.intervention_action_add(
            intervention=intervention,
            kind="police",
            at=SATURDAY_2AM + dt.timedelta(minutes=28),
            note="KPP Grójec",
            acting_user=backup,
        )
    with time_machine.travel(SATURDAY_2AM + dt.timedelta(minutes=95), tick=False):
        services.intervention_action_add(
            intervention=intervention,
            kind="shelter",
            at=SATURDAY_2AM + dt.timedelta(minutes=90),
            note="",
            acting_user=backup,
        )
        services.intervention_close(
            intervention=intervention, outcome="shelter", handover_to=manager, acting_user=backup
        )
        with capture(execute=True):  # type: ignore[operator]
            escalation_check()  # closed: nobody else is called

    intervention.refresh_from_db()
    assert intervention.to_first_action == dt.timedelta(minutes=28)
    assert intervention.to_safety == dt.timedelta(minutes=90)
    assert intervention.handover_on == dt.date(2026, 12, 7)  # Monday
    steps = list(Notification.objects.filter(channel="email").values_list("step", "recipient"))
    assert sorted(steps) == sorted(
        [("primary", primary.pk), ("backup", backup.pk), ("coordinator", coordinator.pk)]
    )
    # No client identity in any alert.
    for message in mail.outbox:
        assert "Grójec" not in f"{message.subject} {message.body}"
    actions = set(
        AuditEntry.objects.filter(target_code=str(intervention.code)).values_list(
            "action", flat=True
        )
    )
    assert {
        "intervention.opened",
        "intervention.acknowledged",
        "intervention.action_logged",
        "intervention.closed",
    } <= actions
    assert Intervention.objects.get().status == "closed"
