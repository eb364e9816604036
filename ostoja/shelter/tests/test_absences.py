"""A resident going out, and the alarm when they are not back: to the shift, the case
manager and — outside office hours — the duty worker, by the queue, naming nobody, never
lost and never repeated when a worker is killed before sending."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from ostoja.accounts.models import Notice
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case
from ostoja.duty.models import Shift
from ostoja.interventions.tests.test_notify import SECRET, Gateway, run_scheduled_retries
from ostoja.people.models import Person
from ostoja.shelter.models import Absence, AbsenceAlert, Facility, Placement
from ostoja.shelter.services import (
    absence_alarm,
    absence_return,
    absence_start,
    placement_admit,
    placement_reserve,
)
from ostoja.shelter.tasks import absence_check
from ostoja.shelter.tests.conftest import ADDRESS, bed_of
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db
# A Tuesday night in December (no holiday), and the next morning in office hours.
NIGHT = dt.datetime(2026, 12, 8, 22, 0, tzinfo=dt.UTC)
MORNING = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def resident(
    centre: dict[Role, Persona], women: Facility, case: Case, client_person: Person
) -> Placement:
    """The case's client, staying at the women's shelter since the day before."""
    manager = centre[Role.CASE_MANAGER].user
    with time_machine.travel(MORNING - dt.timedelta(days=1), tick=False):
        placement = placement_reserve(person=client_person, bed=bed_of(women), acting_user=manager)
        placement_admit(
            placement=placement,
            at=timezone.now(),
            brought_by="staff",
            arrived_with="",
            expected_departure=None,
            acting_user=centre[Role.SHELTER_STAFF].user,
        )
    return placement


@pytest.fixture
def duty(centre: dict[Role, Persona]) -> Shift:
    """The counsellor is on duty through the night."""
    counsellor = centre[Role.COUNSELLOR].user
    assert counsellor.organisation is not None
    return Shift.objects.create(
        organisation=counsellor.organisation,
        start=NIGHT - dt.timedelta(hours=4),
        end=NIGHT + dt.timedelta(hours=10),
        primary=counsellor,
        created_by=centre[Role.COORDINATOR].user,
    )


@pytest.fixture
def gateway(settings: Any) -> Iterator[Gateway]:
    """The intervention's local SMS gateway (``interventions/tests/test_notify.py``)."""
    peer = Gateway()
    peer.start()
    settings.OSTOJA_SMS_GATEWAY_URL = peer.url
    settings.OSTOJA_SMS_GATEWAY_SECRET = SECRET
    yield peer
    peer.stop()


def retries() -> int:
    """The retries the queue scheduled, run an hour after the alarm."""
    with time_machine.travel(NIGHT + dt.timedelta(hours=1), tick=False):
        return run_scheduled_retries()


def check() -> int:
    """The every-minute check, with what it sends after commit sent."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        found: int = absence_check.call_local()
    return found


def _out(resident: Placement, centre: dict[Role, Persona], back: dt.datetime) -> Absence:
    return absence_start(
        placement=resident,
        expected_back=back,
        where="u siostry na Pradze",
        acting_user=centre[Role.SHELTER_STAFF].user,
        at=back - dt.timedelta(hours=2),
    )


def test_going_out_and_coming_back_is_audited_and_checked(
    centre: dict[Role, Persona], resident: Placement, women: Facility, woman: Person
) -> None:
    staff = centre[Role.SHELTER_STAFF].user
    now = timezone.now()
    with pytest.raises(ValidationError, match="after going out"):
        absence_start(placement=resident, expected_back=now, where="", acting_user=staff)
    absence = absence_start(
        placement=resident, expected_back=now + dt.timedelta(hours=1), where="", acting_user=staff
    )
    with pytest.raises(ValidationError, match="out already"):
        absence_start(
            placement=resident,
            expected_back=now + dt.timedelta(hours=1),
            where="",
            acting_user=staff,
        )
    absence_return(absence=absence, acting_user=staff)
    with pytest.raises(ValidationError, match="back already"):
        absence_return(absence=absence, acting_user=staff)
    reserved = placement_reserve(person=woman, bed=bed_of(women, 1), acting_user=staff)
    with pytest.raises(ValidationError, match="Only a resident"):
        absence_start(
            placement=reserved,
            expected_back=now + dt.timedelta(hours=1),
            where="",
            acting_user=staff,
        )
    actions = AuditEntry.objects.filter(target_code=str(absence.code)).order_by("seq")
    assert list(actions.values_list("action", flat=True)) == ["absence.started", "absence.ended"]
    # Nothing is due for a resident who came back.
    assert absence_alarm(absence=absence, now=now + dt.timedelta(days=1)) == []


def test_not_back_at_night_the_shift_the_case_manager_and_the_duty_worker_are_told(
    centre: dict[Role, Persona], resident: Placement, duty: Shift, settings: object
) -> None:
    organisation = resident.organisation
    organisation.office_hours = {}  # nights and weekends are all the same here
    organisation.save()
    absence = _out(resident, centre, NIGHT)
    # Within the grace period (30 minutes): nothing.
    with time_machine.travel(NIGHT + dt.timedelta(minutes=29), tick=False):
        assert check() == 0
    assert not mail.outbox
    with time_machine.travel(NIGHT + dt.timedelta(minutes=31), tick=False):
        assert check() == 3
        assert check() == 0  # once only
    told = {m.to[0]: m for m in mail.outbox}
    assert set(told) == {
        centre[Role.SHELTER_STAFF].email,
        centre[Role.CASE_MANAGER].email,
        centre[Role.COUNSELLOR].email,
    }
    roles = dict(AbsenceAlert.objects.values_list("recipient__email", "role"))
    assert roles[centre[Role.COUNSELLOR].email] == AbsenceAlert.Role.DUTY
    for message in mail.outbox:
        body = f"{message.subject} {message.body}"
        assert f"/shelter/placements/{resident.code}/" in body
        # No identity and no place in the message.
        for secret in ("Олена", "Olena", "Shevchenko", ADDRESS, "Pradze", "Lipa"):
            assert secret not in body
    absence.refresh_from_db()
    assert absence.alarm_at is not None
    assert AuditEntry.objects.filter(action="absence.alarm_raised").count() == 1
    # The same three find it in their notification centre, once, naming nobody and no
    # place; no second e-mail comes of it (the alarm's own was the one).
    notices = Notice.objects.filter(kind=Notice.Kind.ABSENCE)
    assert set(notices.values_list("recipient__email", flat=True)) == set(told)
    assert len(mail.outbox) == 3
    for notice in notices:
        assert notice.url == f"/shelter/placements/{resident.code}/"
        assert notice.mailed_at is not None
        for secret in ("Олена", "Olena", "Shevchenko", ADDRESS, "Pradze", "Lipa"):
            assert secret not in notice.text
    bell = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_sign_in(bell, centre[Role.COUNSELLOR].user)
    mine = notices.get(recipient=centre[Role.COUNSELLOR].user)
    assert mine.text in text(bell.get("/notices/"))
    # The page shows the alarm; coming back ends it.
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_sign_in(client, centre[Role.SHELTER_STAFF].user)
    page = text(client.get(f"/shelter/placements/{resident.code}/"))
    assert "not back: the alarm was raised" in page
    assert client.post(f"/shelter/absences/{absence.code}/back/").status_code == 302
    absence.refresh_from_db()
    assert absence.returned_at is not None


def test_in_office_hours_the_duty_worker_is_not_called(
    centre: dict[Role, Persona], resident: Placement, duty: Shift
) -> None:
    _out(resident, centre, MORNING)
    with time_machine.travel(MORNING + dt.timedelta(hours=1), tick=False):
        assert check() == 2
    assert {m.to[0] for m in mail.outbox} == {
        centre[Role.SHELTER_STAFF].email,
        centre[Role.CASE_MANAGER].email,
    }


def test_an_alert_written_before_a_worker_died_is_sent_once_by_the_next_check(
    centre: dict[Role, Persona], resident: Placement, duty: Shift
) -> None:
    """The worker wrote the rows and was killed before sending any: the rows are in the
    database, so the every-minute check finds them pending and sends each — once."""
    organisation = resident.organisation
    organisation.office_hours = {}
    organisation.save()
    absence = _out(resident, centre, NIGHT)
    due = NIGHT + dt.timedelta(minutes=31)
    written = absence_alarm(absence=absence, now=due)  # … and the worker dies here
    assert len(written) == 3 and not mail.outbox
    assert AbsenceAlert.objects.filter(status="pending").count() == 3
    with time_machine.travel(due + dt.timedelta(seconds=30), tick=False):
        assert check() == 0  # not overdue yet: its own delivery may still run
    with time_machine.travel(due + dt.timedelta(minutes=2), tick=False):
        assert check() == 3
        assert check() == 0
    assert len(mail.outbox) == 3
    assert set(AbsenceAlert.objects.values_list("status", flat=True)) == {"sent"}


def test_going_out_through_the_pages(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], resident: Placement
) -> None:
    path = f"/shelter/placements/{resident.code}/out/"
    # The house, the case team (its manager and specialist), coordinators.
    writers = {Role.SHELTER_STAFF, Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}
    assert_access(path, centre, other_centre, allowed=writers, method="post")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_sign_in(client, centre[Role.SHELTER_STAFF].user)
    past = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    bad = client.post(path, {"out-expected_back": past, "out-where": "sklep"})
    assert bad.status_code == 400 and "The return must be after going out." in text(bad)
    assert "sklep" in text(bad) and not Absence.objects.exists()
    later = (timezone.localtime() + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(path, {"out-expected_back": later, "out-where": "sklep"}).status_code == 302
    absence = Absence.objects.get()
    back = f"/shelter/absences/{absence.code}/back/"
    assert_access(back, centre, other_centre, allowed=writers, method="post")
    absence.refresh_from_db()
    assert absence.returned_at is not None
    again = client.post(back, follow=True)
    assert "The resident is back already." in text(again)
    assert (
        client.post("/shelter/absences/00000000-0000-4000-8000-000000000000/back/").status_code
        == 404
    )


def test_the_alarm_goes_by_sms_too_to_a_duty_phone_retried_until_taken_or_failed(
    centre: dict[Role, Persona], resident: Placement, duty: Shift, gateway: Gateway
) -> None:
    """The duty worker has a duty phone: their alert goes by e-mail and SMS, through the
    intervention's gateway (signed, retried by the queue); a gateway that never takes it
    leaves the row failed after the last attempt, and the others are sent."""
    from ostoja.duty.models import DutyPhone

    organisation = resident.organisation
    organisation.office_hours = {}
    organisation.save()
    DutyPhone.objects.create(user=duty.primary, number="600 700 800")
    gateway.plan = [500]
    _out(resident, centre, NIGHT)
    with time_machine.travel(NIGHT + dt.timedelta(minutes=31), tick=False):
        assert check() == 4  # three e-mails and one SMS
    sms = AbsenceAlert.objects.get(channel="sms")
    assert (sms.status, sms.attempts) == ("pending", 1) and "500" in sms.error
    assert retries() == 1
    sms.refresh_from_db()
    assert (sms.status, sms.provider_id) == ("sent", "gw-1")
    (message,) = gateway.accepted
    assert message["to"] == "+48600700800" and message["reference"] == str(sms.code)
    assert f"/shelter/placements/{resident.code}/" in message["text"]
    assert "Олена" not in message["text"] and "Lipa" not in message["text"]


def test_an_alert_the_gateway_never_takes_is_failed_after_the_last_attempt(
    centre: dict[Role, Persona], resident: Placement, duty: Shift, gateway: Gateway
) -> None:
    from ostoja.duty.models import DutyPhone

    organisation = resident.organisation
    organisation.office_hours = {}
    organisation.save()
    DutyPhone.objects.create(user=duty.primary, number="600 700 800")
    gateway.plan = [503] * 10
    _out(resident, centre, NIGHT)
    with time_machine.travel(NIGHT + dt.timedelta(minutes=31), tick=False):
        check()
    while retries():
        pass
    sms = AbsenceAlert.objects.get(channel="sms")
    assert (sms.status, sms.attempts, gateway.requests) == ("failed", 6, 6)
    # A duty phone removed meanwhile: the SMS cannot go, said so.
    DutyPhone.objects.all().delete()
    AbsenceAlert.objects.filter(pk=sms.pk).update(status="pending", attempts=0)
    from ostoja.shelter.tasks import deliver_absence_alert

    with pytest.raises(Exception, match="no duty phone"):
        deliver_absence_alert.call_local(sms.pk)
    HUEY.storage.flush_schedule()
