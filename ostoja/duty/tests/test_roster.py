"""The roster through its pages: planning shifts, uncovered hours, swaps and handover notes,
who is on duty now (page and API), office hours and the escalation timing — with the access
and audit rules."""

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.duty import roster
from ostoja.duty.models import Shift, SwapRequest
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
ON_CALL = {Role.COUNSELLOR, Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}
# Saturday 5 December 2026, 02:00 in Warsaw.
SATURDAY_2AM = dt.datetime(2026, 12, 5, 2, 0, tzinfo=WARSAW)


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


def _weekend_shift(centre: dict[Role, Persona]) -> Shift:
    """Friday 14:00 to Monday 09:00: the counsellor on duty, the case manager as backup."""
    organisation = centre[Role.COORDINATOR].user.organisation
    assert organisation is not None
    return Shift.objects.create(
        organisation=organisation,
        start=dt.datetime(2026, 12, 4, 14, 0, tzinfo=WARSAW),
        end=dt.datetime(2026, 12, 7, 9, 0, tzinfo=WARSAW),
        primary=centre[Role.COUNSELLOR].user,
        backup=centre[Role.CASE_MANAGER].user,
        created_by=centre[Role.COORDINATOR].user,
    )


def test_a_coordinator_plans_shifts_and_bad_spans_are_refused(centre: dict[Role, Persona]) -> None:
    client = _client(centre[Role.COORDINATOR])
    data = {
        "start": "2026-12-04T14:00",
        "end": "2026-12-04T13:00",
        "primary": centre[Role.COUNSELLOR].user.pk,
    }
    response = client.post("/duty/shifts/", data, follow=True)
    assert "Koniec nie może być przed początkiem." in text(response)
    assert not Shift.objects.exists()
    data["end"] = "2026-12-07T09:00"
    data["backup"] = centre[Role.CASE_MANAGER].user.pk
    response = client.post("/duty/shifts/", data)
    assert response.status_code == 302
    shift = Shift.objects.get()
    assert shift.start == dt.datetime(2026, 12, 4, 14, 0, tzinfo=WARSAW)
    assert AuditEntry.objects.filter(action="shift.added").exists()
    page = text(client.get("/duty/?month=2026-12"))
    assert centre[Role.COUNSELLOR].user.full_name in page
    # A counsellor sees the roster but may not plan it.
    counsellor = _client(centre[Role.COUNSELLOR])
    assert counsellor.post("/duty/shifts/", data).status_code == 403


def test_an_uncovered_hour_is_flagged(centre: dict[Role, Persona]) -> None:
    organisation = centre[Role.COORDINATOR].user.organisation
    assert organisation is not None
    with time_machine.travel(dt.datetime(2026, 12, 1, 8, 0, tzinfo=WARSAW), tick=False):
        # Cover every hour outside office hours for 30 days, but one.
        start = dt.datetime(2026, 12, 1, 8, 0, tzinfo=WARSAW)
        Shift.objects.create(
            organisation=organisation,
            start=start - dt.timedelta(hours=1),
            end=dt.datetime(2026, 12, 10, 3, 0, tzinfo=WARSAW),
            primary=centre[Role.COUNSELLOR].user,
            created_by=centre[Role.COORDINATOR].user,
        )
        Shift.objects.create(
            organisation=organisation,
            start=dt.datetime(2026, 12, 10, 4, 0, tzinfo=WARSAW),
            end=start + dt.timedelta(days=31),
            primary=centre[Role.COUNSELLOR].user,
            created_by=centre[Role.COORDINATOR].user,
        )
        gaps = roster.uncovered(organisation, start)
        assert gaps == [
            (
                dt.datetime(2026, 12, 10, 3, 0, tzinfo=WARSAW),
                dt.datetime(2026, 12, 10, 4, 0, tzinfo=WARSAW),
            )
        ]
        page = text(_client(centre[Role.COORDINATOR]).get("/duty/"))
        assert 'data-testid="uncovered"' in page and "2026-12-10 03:00" in page


def test_who_is_on_duty_now_on_every_dashboard_and_the_api(centre: dict[Role, Persona]) -> None:
    shift = _weekend_shift(centre)
    shift.handover = "Pani z Grójca może zadzwonić w nocy."
    shift.save()
    with time_machine.travel(SATURDAY_2AM, tick=False):
        for role in Role:
            page = text(_client(centre[role]).get("/"))
            assert 'data-testid="on-duty"' in page, role
            assert centre[Role.COUNSELLOR].user.full_name in page, role
        # Handover notes for those who may be on duty only.
        assert "Grójca" in text(_client(centre[Role.CASE_MANAGER]).get("/"))
        assert "Grójca" not in text(_client(centre[Role.ADMINISTRATOR]).get("/"))
        answer = json.loads(_client(centre[Role.ANALYST]).get("/duty/api/on-duty/").content)
        assert answer["office"] is False
        assert answer["primary"] == centre[Role.COUNSELLOR].user.full_name
        assert answer["backup"] == centre[Role.CASE_MANAGER].user.full_name
    with time_machine.travel(dt.datetime(2026, 12, 7, 10, 0, tzinfo=WARSAW), tick=False):
        answer = json.loads(_client(centre[Role.ANALYST]).get("/duty/api/on-duty/").content)
        assert answer["office"] is True and answer["primary"] is None


def test_a_public_holiday_on_a_weekday_is_a_duty_day(centre: dict[Role, Persona]) -> None:
    organisation = centre[Role.COORDINATOR].user.organisation
    assert organisation is not None
    holiday = dt.datetime(2026, 11, 11, 10, 0, tzinfo=WARSAW)  # Wednesday, Independence Day
    Shift.objects.create(
        organisation=organisation,
        start=holiday - dt.timedelta(hours=2),
        end=holiday + dt.timedelta(hours=8),
        primary=centre[Role.COUNSELLOR].user,
        created_by=centre[Role.COORDINATOR].user,
    )
    duty = roster.on_duty(organisation, holiday)
    assert duty.office is False and duty.primary == centre[Role.COUNSELLOR].user
    assert roster.on_duty(organisation, holiday + dt.timedelta(days=1)).office is True


def test_swaps_and_handover_notes(centre: dict[Role, Persona]) -> None:
    shift = _weekend_shift(centre)
    counsellor = _client(centre[Role.COUNSELLOR])
    specialist = centre[Role.SPECIALIST].user
    counsellor.post(f"/duty/shifts/{shift.code}/swap/", {"asked": specialist.pk})
    swap = SwapRequest.objects.get()
    # Only the asked colleague answers.
    response = _client(centre[Role.COORDINATOR]).post(
        f"/duty/swaps/{swap.code}/", {"accept": "yes"}
    )
    assert response.status_code == 404
    _client(centre[Role.SPECIALIST]).post(f"/duty/swaps/{swap.code}/", {"accept": "yes"})
    shift.refresh_from_db()
    assert shift.primary == specialist
    specialist_client = _client(centre[Role.SPECIALIST])
    specialist_client.post(f"/duty/shifts/{shift.code}/handover/", {"text": "Klucze u ochrony."})
    shift.refresh_from_db()
    assert shift.handover == "Klucze u ochrony."
    # Someone not on the shift may not write its notes.
    response = counsellor.post(f"/duty/shifts/{shift.code}/handover/", {"text": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("language", "label"), [("pl", "Notatki do przekazania dyżuru"), ("en", "Handover notes")]
)
def test_a_shift_without_notes_shows_an_empty_notes_box(
    centre: dict[Role, Persona], language: str, label: str
) -> None:
    """A shift planned without notes (as the demo roster plans them) has none: the box is
    empty, never the word "None"."""
    shift = _weekend_shift(centre)
    assert shift.handover is None
    client = _client(centre[Role.COUNSELLOR])
    with time_machine.travel(SATURDAY_2AM - dt.timedelta(days=2), tick=False):
        page = text(client.get("/duty/?month=2026-12", headers={"accept-language": language}))
    assert label in page
    box = re.search(rf'<textarea[^>]*id="handover-{shift.code}"[^>]*>(.*?)</textarea>', page, re.S)
    assert box is not None and box.group(1) == ""
    assert "None" not in page


def test_every_roster_view_has_its_access_rule(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    shift = _weekend_shift(centre)
    for path in ("/duty/", "/duty/phone/"):
        assert_access(path, centre, other_centre, allowed=ON_CALL, outsider_status=None)
    assert_access(
        f"/duty/shifts/{shift.code}/swap/",
        centre,
        other_centre,
        allowed=ON_CALL,
        method="post",
        data={},
    )
    assert_access(
        f"/duty/shifts/{shift.code}/handover/",
        centre,
        other_centre,
        allowed={Role.COUNSELLOR, Role.CASE_MANAGER, Role.COORDINATOR},
        method="post",
        data={},
    )
    assert_access(
        "/duty/settings/",
        centre,
        other_centre,
        allowed={Role.COORDINATOR},
        outsider_status=None,
    )
    assert_access(
        "/duty/shifts/",
        centre,
        other_centre,
        allowed={Role.COORDINATOR},
        method="post",
        data={},
        outsider_status=None,
    )
    assert_access(
        f"/duty/shifts/{shift.code}/remove/",
        centre,
        other_centre,
        allowed={Role.COORDINATOR},
        method="post",
    )
    assert_access(
        "/duty/api/on-duty/", centre, other_centre, allowed=set(Role), outsider_status=None
    )


def test_a_coordinator_sets_office_hours_and_the_escalation_timing(
    centre: dict[Role, Persona],
) -> None:
    client = _client(centre[Role.COORDINATOR])
    data = {"acknowledge_minutes": "5", "idle_minutes": "20"}
    for day in range(5):
        data[f"opens_{day}"], data[f"closes_{day}"] = "08:00", "16:00"
    data["closes_4"] = "07:00"  # Friday closing before it opens
    response = client.post("/duty/settings/", data)
    assert response.status_code == 400
    assert "Biuro musi zamykać się później, niż się otwiera." in text(response)
    data["closes_4"] = "13:00"
    data["opens_5"] = "10:00"  # Saturday with only an opening time
    assert client.post("/duty/settings/", data).status_code == 400
    data["opens_5"] = ""
    assert client.post("/duty/settings/", data).status_code == 302
    organisation = centre[Role.COORDINATOR].user.organisation
    assert organisation is not None
    organisation.refresh_from_db()
    assert (
        organisation.office_hours["4"] == ["08:00", "13:00"]
        and "5" not in organisation.office_hours
    )
    assert organisation.duty_settings.acknowledge_minutes == 5
    friday_2pm = dt.datetime(2026, 12, 4, 14, 0, tzinfo=WARSAW)
    assert roster.on_duty(organisation, friday_2pm).office is False  # now after closing
    assert AuditEntry.objects.filter(action="duty_settings.changed").exists()


def test_a_shift_is_named_by_its_start_in_warsaw(centre: dict[Role, Persona]) -> None:
    """Stored in UTC, shown in Warsaw: a shift from midnight is that day's (23:00 UTC)."""
    shift = _weekend_shift(centre)
    shift.start = dt.datetime(2026, 12, 4, 23, 0, tzinfo=dt.UTC)
    assert str(shift) == "2026-12-05 00:00"
