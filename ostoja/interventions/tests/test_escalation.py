"""Escalation of emergency interventions, on a frozen clock (issue "24/7 intervention":
primary at once, backup after N minutes, coordinators after 2N, reminders when idle)."""

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from huey.contrib.djhuey import HUEY

from ostoja.accounts.models import Organisation, User
from ostoja.accounts.roles import Role
from ostoja.duty.models import DutyPhone, DutySettings, Shift
from ostoja.interventions.escalation import escalate
from ostoja.interventions.models import Intervention, InterventionAction, Notification
from ostoja.interventions.services import intervention_open
from ostoja.interventions.tasks import escalation_check
from ostoja.test import Persona, make_user

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
SATURDAY_2AM = dt.datetime(2026, 11, 14, 2, 0, tzinfo=WARSAW)
TUESDAY_10AM = dt.datetime(2026, 11, 10, 10, 0, tzinfo=WARSAW)
INDEPENDENCE_DAY_10AM = dt.datetime(2026, 11, 11, 10, 0, tzinfo=WARSAW)  # a Wednesday
MINUTE = dt.timedelta(minutes=1)

Key = tuple[str, int, str, str]


def keys(rows: list[Notification]) -> set[Key]:
    return {(r.step, r.sequence, r.recipient.email, r.channel) for r in rows}


def both(step: str, user: User, sequence: int = 0) -> set[Key]:
    return {(step, sequence, user.email, "email"), (step, sequence, user.email, "sms")}


def email(step: str, user: User, sequence: int = 0) -> set[Key]:
    return {(step, sequence, user.email, "email")}


@pytest.fixture(autouse=True)
def _gateway(settings: Any) -> None:
    """A gateway is configured (nothing is sent here: ``escalate`` only writes rows)."""
    settings.OSTOJA_SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"
    settings.OSTOJA_SMS_GATEWAY_SECRET = "s" * 40


@pytest.fixture
def org(centre: dict[Role, Persona]) -> Organisation:
    organisation = centre[Role.COORDINATOR].user.organisation
    assert organisation is not None
    return organisation


@pytest.fixture
def primary(centre: dict[Role, Persona]) -> User:
    user = centre[Role.COUNSELLOR].user
    DutyPhone.objects.create(user=user, number="600 700 800")
    return user


@pytest.fixture
def backup(centre: dict[Role, Persona]) -> User:
    user = centre[Role.CASE_MANAGER].user
    DutyPhone.objects.create(user=user, number="+48 600 700 801")
    return user


@pytest.fixture
def coordinator(centre: dict[Role, Persona]) -> User:
    return centre[Role.COORDINATOR].user  # no duty phone: e-mail only


@pytest.fixture
def weekend_shift(org: Organisation, primary: User, backup: User, coordinator: User) -> Shift:
    return Shift.objects.create(
        organisation=org,
        start=dt.datetime(2026, 11, 13, 14, 0, tzinfo=WARSAW),
        end=dt.datetime(2026, 11, 16, 9, 0, tzinfo=WARSAW),
        primary=primary,
        backup=backup,
        created_by=coordinator,
    )


@pytest.fixture
def travel() -> Iterator[Callable[[dt.datetime], None]]:
    """``travel(at)`` stops the clock at ``at`` (until the test ends or travels again)."""
    machines: list[Any] = []

    def go(at: dt.datetime) -> None:
        if machines:
            machines.pop().stop()
        machine = time_machine.travel(at, tick=False)
        machine.start()
        machines.append(machine)

    yield go
    for machine in machines:
        machine.stop()


def open_emergency(org: Organisation, by: User, at: dt.datetime) -> Intervention:
    with time_machine.travel(at, tick=False):
        return intervention_open(
            organisation=org,
            data={"situation": "danger", "location": "ul. Ukryta 5, Łódź"},
            acting_user=by,
        )


def test_a_saturday_night_emergency_goes_up_the_chain(
    org: Organisation,
    centre: dict[Role, Persona],
    weekend_shift: Shift,
    primary: User,
    backup: User,
    coordinator: User,
) -> None:
    second = make_user(org, Role.COORDINATOR, email="second.coordinator@staff.test").user
    retired = make_user(None, None, email="retired.coordinator@staff.test").user
    retired.is_active = False
    retired.save()
    intervention = open_emergency(org, centre[Role.SPECIALIST].user, SATURDAY_2AM)
    assert intervention.office_hours is False

    assert keys(escalate(intervention, SATURDAY_2AM)) == both("primary", primary)
    assert escalate(intervention, SATURDAY_2AM) == []  # the same moment again: nothing
    assert escalate(intervention, SATURDAY_2AM + 9 * MINUTE) == []
    # No DutySettings row: N is 10 minutes.
    assert keys(escalate(intervention, SATURDAY_2AM + 10 * MINUTE)) == both("backup", backup)
    assert escalate(intervention, SATURDAY_2AM + 10 * MINUTE) == []
    assert escalate(intervention, SATURDAY_2AM + 19 * MINUTE) == []
    assert keys(escalate(intervention, SATURDAY_2AM + 20 * MINUTE)) == (
        email("coordinator", coordinator) | email("coordinator", second)
    )
    assert escalate(intervention, SATURDAY_2AM + 25 * MINUTE) == []
    rows = Notification.objects.filter(intervention=intervention)
    assert rows.count() == 6
    assert {r.status for r in rows} == {"pending"}
    assert rows.get(step="backup", channel="sms").created_at == SATURDAY_2AM + 10 * MINUTE


def test_the_organisations_minutes_set_the_pace(
    org: Organisation, centre: dict[Role, Persona], weekend_shift: Shift, backup: User
) -> None:
    DutySettings.objects.create(organisation=org, acknowledge_minutes=5, idle_minutes=60)
    intervention = open_emergency(org, centre[Role.SPECIALIST].user, SATURDAY_2AM)
    escalate(intervention, SATURDAY_2AM)
    assert escalate(intervention, SATURDAY_2AM + 4 * MINUTE) == []
    assert keys(escalate(intervention, SATURDAY_2AM + 5 * MINUTE)) == both("backup", backup)
    assert {r.step for r in escalate(intervention, SATURDAY_2AM + 10 * MINUTE)} == {"coordinator"}


def test_acknowledgement_stops_further_steps(
    org: Organisation, centre: dict[Role, Persona], weekend_shift: Shift, primary: User
) -> None:
    intervention = open_emergency(org, centre[Role.SPECIALIST].user, SATURDAY_2AM)
    escalate(intervention, SATURDAY_2AM)
    intervention.acknowledged_at = SATURDAY_2AM + 3 * MINUTE
    intervention.acknowledged_by = primary
    intervention.save()
    for minutes in (10, 20, 29):
        assert escalate(intervention, SATURDAY_2AM + minutes * MINUTE) == []
    assert set(
        Notification.objects.filter(intervention=intervention).values_list("step", flat=True)
    ) == {"primary"}


def test_a_closed_intervention_is_left_alone(
    org: Organisation, centre: dict[Role, Persona], weekend_shift: Shift
) -> None:
    intervention = open_emergency(org, centre[Role.SPECIALIST].user, SATURDAY_2AM)
    intervention.status = Intervention.Status.CLOSED
    intervention.save()
    assert escalate(intervention, SATURDAY_2AM + 60 * MINUTE) == []


def test_in_office_hours_the_team_is_there_no_escalation(
    org: Organisation, centre: dict[Role, Persona], weekend_shift: Shift
) -> None:
    Shift.objects.create(  # even a shift planned over office hours does not page anyone
        organisation=org,
        start=TUESDAY_10AM - 60 * MINUTE,
        end=TUESDAY_10AM + 60 * MINUTE,
        primary=centre[Role.COUNSELLOR].user,
        created_by=centre[Role.COORDINATOR].user,
    )
    opener = centre[Role.SPECIALIST].user
    intervention = open_emergency(org, opener, TUESDAY_10AM)
    assert intervention.office_hours is True
    for minutes in (0, 10, 20, 29):
        assert escalate(intervention, TUESDAY_10AM + minutes * MINUTE) == []
    # Reminders apply always: nobody acknowledged it, so the one who opened it is reminded.
    assert keys(escalate(intervention, TUESDAY_10AM + 30 * MINUTE)) == email("reminder", opener, 1)


def test_a_public_holiday_on_a_weekday_escalates_like_a_weekend(
    org: Organisation, centre: dict[Role, Persona], primary: User, backup: User
) -> None:
    assert org.is_office_time(TUESDAY_10AM) is True
    assert INDEPENDENCE_DAY_10AM.weekday() == 2
    assert org.is_office_time(INDEPENDENCE_DAY_10AM) is False
    Shift.objects.create(
        organisation=org,
        start=dt.datetime(2026, 11, 10, 19, 0, tzinfo=WARSAW),
        end=dt.datetime(2026, 11, 12, 9, 0, tzinfo=WARSAW),
        primary=primary,
        backup=backup,
        created_by=centre[Role.COORDINATOR].user,
    )
    intervention = open_emergency(org, centre[Role.SPECIALIST].user, INDEPENDENCE_DAY_10AM)
    assert intervention.office_hours is False
    assert keys(escalate(intervention, INDEPENDENCE_DAY_10AM)) == both("primary", primary)
    assert keys(escalate(intervention, INDEPENDENCE_DAY_10AM + 10 * MINUTE)) == both(
        "backup", backup
    )


def test_reminders_come_once_per_idle_period(
    org: Organisation, centre: dict[Role, Persona], weekend_shift: Shift, primary: User
) -> None:
    DutySettings.objects.create(organisation=org, acknowledge_minutes=10, idle_minutes=30)
    intervention = open_emergency(org, centre[Role.SPECIALIST].user, SATURDAY_2AM)
    escalate(intervention, SATURDAY_2AM)
    intervention.acknowledged_at = SATURDAY_2AM + 2 * MINUTE
    intervention.acknowledged_by = primary
    intervention.save()

    def at(minutes: int) -> set[Key]:
        return keys(escalate(intervention, SATURDAY_2AM + minutes * MINUTE))

    assert at(29) == set()
    assert at(30) == both("reminder", primary, 1)
    assert at(30) == set()
    assert at(45) == set()
    assert at(59) == set()
    assert at(61) == both("reminder", primary, 2)
    # An action resets the idle clock.
    InterventionAction.objects.create(
        intervention=intervention, kind="callback", at=SATURDAY_2AM + 70 * MINUTE, by=primary
    )
    assert at(91) == set()  # an idle period since the reminder, but not since the action
    assert at(100) == both("reminder", primary, 3)
    assert at(129) == set()
    assert at(130) == both("reminder", primary, 4)
    assert Notification.objects.filter(step="reminder").count() == 8


def test_reminders_go_to_the_primary_until_someone_acknowledges(
    org: Organisation, centre: dict[Role, Persona], weekend_shift: Shift, primary: User
) -> None:
    intervention = open_emergency(org, centre[Role.SPECIALIST].user, SATURDAY_2AM)
    reminders = [
        r for r in escalate(intervention, SATURDAY_2AM + 30 * MINUTE) if r.step == "reminder"
    ]
    assert keys(reminders) == both("reminder", primary, 1)


def test_with_nobody_on_duty_the_coordinators_are_told_at_once(
    org: Organisation, centre: dict[Role, Persona], coordinator: User
) -> None:
    """No shift covers the opening or now: the chain starts with its first link that has
    people in it — the coordinators — at once."""
    intervention = open_emergency(org, centre[Role.SPECIALIST].user, SATURDAY_2AM)
    assert keys(escalate(intervention, SATURDAY_2AM)) == email("coordinator", coordinator)
    assert escalate(intervention, SATURDAY_2AM + 20 * MINUTE) == []


def test_a_shift_without_backup_moves_the_coordinators_up(
    org: Organisation, centre: dict[Role, Persona], primary: User, coordinator: User
) -> None:
    Shift.objects.create(
        organisation=org,
        start=SATURDAY_2AM - 60 * MINUTE,
        end=SATURDAY_2AM + 600 * MINUTE,
        primary=primary,
        created_by=coordinator,
    )
    intervention = open_emergency(org, centre[Role.SPECIALIST].user, SATURDAY_2AM)
    assert keys(escalate(intervention, SATURDAY_2AM)) == both("primary", primary)
    assert keys(escalate(intervention, SATURDAY_2AM + 10 * MINUTE)) == email(
        "coordinator", coordinator
    )


def test_a_shift_that_starts_after_the_opening_is_called_then(
    org: Organisation,
    centre: dict[Role, Persona],
    primary: User,
    backup: User,
    coordinator: User,
) -> None:
    Shift.objects.create(
        organisation=org,
        start=SATURDAY_2AM + 5 * MINUTE,
        end=SATURDAY_2AM + 600 * MINUTE,
        primary=primary,
        backup=backup,
        created_by=coordinator,
    )
    intervention = open_emergency(org, centre[Role.SPECIALIST].user, SATURDAY_2AM)
    # Nobody at the opening: the coordinators at once; then the shift's people in turn.
    assert keys(escalate(intervention, SATURDAY_2AM)) == email("coordinator", coordinator)
    assert keys(escalate(intervention, SATURDAY_2AM + 6 * MINUTE)) == both("primary", primary)
    assert keys(escalate(intervention, SATURDAY_2AM + 10 * MINUTE)) == both("backup", backup)
    assert escalate(intervention, SATURDAY_2AM + 20 * MINUTE) == []


def test_the_check_runs_every_minute() -> None:
    due = HUEY.read_periodic(dt.datetime(2026, 11, 14, 1, 7))  # noqa: DTZ001  # huey: naive UTC
    assert "escalation_check" in [type(task).__name__ for task in due]


def test_opening_and_the_check_send_what_is_due(
    org: Organisation,
    centre: dict[Role, Persona],
    weekend_shift: Shift,
    primary: User,
    backup: User,
    settings: Any,
    travel: Callable[[dt.datetime], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The service's ``escalate_intervention`` mails the primary; the check, ten minutes
    on, the backup; and it resends a row left pending (lost before its enqueue)."""
    settings.OSTOJA_SMS_GATEWAY_URL = ""  # e-mail only here (SMS: test_notify)
    travel(SATURDAY_2AM)
    with django_capture_on_commit_callbacks(execute=True):
        intervention = intervention_open(
            organisation=org, data={"situation": "danger"}, acting_user=centre[Role.SPECIALIST].user
        )
    assert [m.to for m in mail.outbox] == [[primary.email]]
    assert Notification.objects.get().status == "sent"

    lost = Notification.objects.create(
        intervention=intervention, step="reminder", sequence=9, recipient=primary, channel="email"
    )
    travel(SATURDAY_2AM + 10 * MINUTE)
    with django_capture_on_commit_callbacks(execute=True):
        escalation_check.call_local()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [primary.email, backup.email, primary.email]
    )
    lost.refresh_from_db()
    assert lost.status == "sent" and lost.attempts == 1
    travel(SATURDAY_2AM + 11 * MINUTE)
    with django_capture_on_commit_callbacks(execute=True):
        assert escalation_check.call_local() == 0
    assert len(mail.outbox) == 3


def test_the_check_resends_a_failed_row_only_once_its_back_off_is_over(
    org: Organisation,
    centre: dict[Role, Persona],
    weekend_shift: Shift,
    primary: User,
    travel: Callable[[dt.datetime], None],
) -> None:
    """A row that failed once waits for its queued retry (30 s, plus the gateway's timeout)
    and a minute's grace before the check sends it itself."""
    intervention = open_emergency(org, centre[Role.SPECIALIST].user, SATURDAY_2AM)
    intervention.acknowledged_at = SATURDAY_2AM
    intervention.save()
    row = Notification.objects.create(
        intervention=intervention,
        step="primary",
        recipient=primary,
        channel="email",
        attempts=1,
        created_at=SATURDAY_2AM,
    )
    travel(SATURDAY_2AM + dt.timedelta(seconds=99))
    assert escalation_check.call_local() == 0
    assert mail.outbox == []
    travel(SATURDAY_2AM + dt.timedelta(seconds=100))
    assert escalation_check.call_local() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, len(mail.outbox)) == ("sent", 2, 1)
