"""One connected workspace: records link to what they came from and what came of them, and
what someone must do next reaches them (the notification centre, e-mail by preference)."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client

from ostoja.accounts.models import Notice
from ostoja.accounts.roles import Role
from ostoja.cases.models import Case, RouteEvent
from ostoja.cases.services import case_record_add
from ostoja.helpline.services import contact_start, follow_up_add, follow_ups_due
from ostoja.interventions.models import Intervention
from ostoja.interventions.services import (
    handovers_escalate,
    intervention_close,
    intervention_open,
)
from ostoja.people.models import Person
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
SATURDAY_2AM = dt.datetime(2026, 12, 5, 2, 0, tzinfo=WARSAW)


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


def test_a_contact_and_its_intervention_and_case_link_both_ways(
    centre: dict[Role, Persona], client_person: Person
) -> None:
    counsellor, manager = centre[Role.COUNSELLOR], centre[Role.CASE_MANAGER]
    organisation = manager.user.organisation
    assert organisation is not None
    contact = contact_start(organisation=organisation, acting_user=counsellor.user)
    screen = text(_client(counsellor).get(f"/helpline/{contact.code}/"))
    assert f"/interventions/new/?contact={contact.code}" in screen
    intervention = intervention_open(
        organisation=organisation,
        data={"situation": "danger"},
        contact=contact,
        people=[client_person],
        acting_user=counsellor.user,
    )
    # The contact shows the intervention it opened, and no longer offers to open another.
    screen = text(_client(counsellor).get(f"/helpline/{contact.code}/"))
    assert intervention.reference in screen and f"/interventions/{intervention.code}/" in screen
    assert f"/interventions/new/?contact={contact.code}" not in screen
    # The intervention links its contact, and offers a case for the person.
    client = _client(manager)
    page = text(client.get(f"/interventions/{intervention.code}/"))
    assert f"/helpline/{contact.code}/" in page
    new_case = f"/cases/new/?person={client_person.code}&amp;intervention={intervention.code}"
    assert new_case in page
    response = client.post(
        "/cases/new/",
        {
            "person": str(client_person.code),
            "intervention": str(intervention.code),
            "manager": manager.user.pk,
            "exploitation": ["forced_labour"],
            "countries": ["DE"],
        },
    )
    assert response.status_code == 302, text(response)[:2000]
    case = Case.objects.get(reference__endswith="/0001")
    intervention.refresh_from_db()
    assert intervention.case == case  # the intervention knows the case it led to …
    page = text(client.get(f"/interventions/{intervention.code}/"))
    assert f"/cases/{case.code}/" in page and "Open a case" not in page
    # … and the case shows what is known: the form of exploitation, the country.
    assert case.forms == ["forced_labour"]
    assert RouteEvent.objects.filter(case=case, country="DE", kind="Exploitation").exists()
    case_page = text(client.get(f"/cases/{case.code}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Forced labour" in case_page


def test_the_case_list_names_each_case_s_clients(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    page = text(_client(centre[Role.COORDINATOR]).get("/cases/"))
    assert client_person.display_name() in page


def test_forms_in_a_case_of_one_client_choose_that_client(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    form = text(_client(centre[Role.CASE_MANAGER]).get(f"/cases/{case.code}/form/service/"))
    assert f'<option value="{client_person.pk}" selected>' in form


def test_a_hand_over_is_an_assignment_told_acknowledged_and_escalated_by_noon(
    centre: dict[Role, Persona],
    client_person: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    counsellor, manager = centre[Role.COUNSELLOR], centre[Role.CASE_MANAGER]
    coordinator = centre[Role.COORDINATOR]
    organisation = manager.user.organisation
    assert organisation is not None
    with time_machine.travel(SATURDAY_2AM, tick=False):
        intervention = intervention_open(
            organisation=organisation, data={"situation": "danger"}, acting_user=counsellor.user
        )
        with django_capture_on_commit_callbacks(execute=True):
            intervention_close(
                intervention=intervention,
                outcome=Intervention.Outcome.SAFE,
                handover_to=manager.user,
                acting_user=counsellor.user,
            )
    intervention.refresh_from_db()
    assert intervention.handover_on == dt.date(2026, 12, 7)  # Monday
    # The case manager hears of it: the notification centre, the bell, an e-mail.
    notice = Notice.objects.get(recipient=manager.user, kind=Notice.Kind.HANDOVER)
    assert intervention.reference in notice.text
    assert [m.to for m in mail.outbox] == [[manager.user.email]]
    assert intervention.reference in mail.outbox[0].subject
    client = _client(manager)
    bell = text(client.get("/"))
    assert 'data-testid="notices"' in bell and 'text-bg-warning">1<' in bell
    assert intervention.reference in text(client.get("/notices/"))
    # Monday 11:00 nobody has acknowledged: not yet escalated; 12:05: the coordinators.
    monday = dt.datetime(2026, 12, 7, 11, 0, tzinfo=WARSAW)
    assert handovers_escalate(now=monday) == 0
    assert handovers_escalate(now=monday + dt.timedelta(hours=1, minutes=5)) == 1
    assert handovers_escalate(now=monday + dt.timedelta(hours=2)) == 0  # once
    late = Notice.objects.get(kind=Notice.Kind.HANDOVER_LATE)
    assert late.recipient == coordinator.user
    # The case manager takes it: acknowledged, the notice read.
    response = client.post(f"/interventions/{intervention.code}/handover/acknowledge/")
    assert response.status_code == 302
    intervention.refresh_from_db()
    assert intervention.handover_acknowledged_at is not None
    notice.refresh_from_db()
    assert notice.read_at is not None
    # Only the one it is handed to acknowledges; only coordinators assign.
    assert_access(
        f"/interventions/{intervention.code}/handover/acknowledge/",
        centre,
        {},
        allowed={Role.CASE_MANAGER},
        method="post",
        outsider_status=None,
    )


def test_without_a_case_manager_named_the_coordinators_choose_one(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    counsellor, coordinator = centre[Role.COUNSELLOR], centre[Role.COORDINATOR]
    organisation = counsellor.user.organisation
    assert organisation is not None
    intervention = intervention_open(
        organisation=organisation, data={"situation": "danger"}, acting_user=counsellor.user
    )
    intervention_close(
        intervention=intervention,
        outcome=Intervention.Outcome.SHELTER,
        handover_to=None,
        acting_user=counsellor.user,
    )
    assert Notice.objects.filter(recipient=coordinator.user, kind=Notice.Kind.HANDOVER).exists()
    manager = centre[Role.CASE_MANAGER].user
    url = f"/interventions/{intervention.code}/handover/"
    assert_access(
        url,
        centre,
        other_centre,
        allowed={Role.COORDINATOR},
        method="post",
        data={"handover_to": str(manager.pk)},
    )
    intervention.refresh_from_db()
    assert intervention.handover_to == manager
    assert Notice.objects.filter(recipient=manager, kind=Notice.Kind.HANDOVER).exists()


def test_follow_ups_and_mentions_reach_the_person_who_must_act(
    centre: dict[Role, Persona], case: Case
) -> None:
    counsellor, manager = centre[Role.COUNSELLOR], centre[Role.CASE_MANAGER]
    specialist = centre[Role.SPECIALIST]
    organisation = counsellor.user.organisation
    assert organisation is not None
    contact = contact_start(organisation=organisation, acting_user=counsellor.user)
    follow_up_add(
        contact=contact,
        task="Oddzwonić w sprawie tłumacza",
        due=dt.date(2026, 12, 8),
        assignee=manager.user,
        acting_user=counsellor.user,
    )
    given = Notice.objects.get(recipient=manager.user, kind=Notice.Kind.FOLLOW_UP)
    assert "2026-12-08" in given.text and "tłumacza" not in given.text
    assert follow_ups_due(today=dt.date(2026, 12, 8)) == 1
    assert follow_ups_due(today=dt.date(2026, 12, 8)) == 1  # the same day: one notice
    assert Notice.objects.filter(recipient=manager.user, kind=Notice.Kind.FOLLOW_UP).count() == 2
    # A note that tells a colleague of the team.
    from ostoja.cases.models import Note

    case_record_add(
        case=case,
        instance=Note(text="Pilne: termin w prokuraturze"),
        acting_user=manager.user,
        tell=[specialist.user, counsellor.user],  # the counsellor is not on the team
    )
    mention = Notice.objects.get(kind=Notice.Kind.MENTION)
    assert mention.recipient == specialist.user and case.reference in mention.text
    assert "prokuraturze" not in mention.text


def test_notices_are_one_s_own_and_their_e_mail_is_a_choice(
    centre: dict[Role, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    from ostoja.accounts.services import notice_send

    manager, other = centre[Role.CASE_MANAGER], centre[Role.SPECIALIST]
    client = _client(manager)
    response = client.post("/notices/preferences/", {"kinds": ["handover"]})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        for kind in (Notice.Kind.HANDOVER, Notice.Kind.DEADLINE):
            notice_send(recipients=[manager.user], kind=kind, text=f"Coś {kind}", url="/")
    assert len(mail.outbox) == 1 and "Coś handover" in mail.outbox[0].subject
    notice = Notice.objects.get(kind=Notice.Kind.DEADLINE)
    # Another member of staff cannot open it (nothing happens to it).
    _client(other).post("/notices/open/", {"notice": str(notice.code)})
    notice.refresh_from_db()
    assert notice.read_at is None
    opened = client.post("/notices/open/", {"notice": str(notice.code)})
    assert opened.status_code == 302 and opened["Location"] == "/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    client.post("/notices/read/")
    assert not Notice.objects.filter(recipient=manager.user, read_at__isnull=True).exists()
