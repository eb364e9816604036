"""Consultations for institutions through their pages: logged in one form (the institution
from the directory or typed and added), the follow-up reaching the colleague given it, a
case or an emergency intervention opened from what was typed and linked both ways, and the
trainings given to institutions — with the access and audit rules."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client

from ostoja.accounts.models import Notice
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case
from ostoja.interventions.models import Intervention
from ostoja.network.models import Consultation, Partner, PartnerContact, Training
from ostoja.network.services import consultation_log, partner_add
from ostoja.people.models import Person
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db
CONSULTING = {Role.COUNSELLOR, Role.CASE_MANAGER, Role.COORDINATOR}
QUESTION = "Grupa Wietnamczyków na fermie pod Garwolinem, paszporty u pracodawcy."


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


def _police(centre: dict[Role, Persona]) -> Partner:
    user = centre[Role.COORDINATOR].user
    assert user.organisation is not None
    return partner_add(
        organisation=user.organisation,
        data={"name": "KWP zs. w Radomiu", "kind": "police_thb", "voivodeship": "14"},
        acting_user=user,
    )


def _consultation(centre: dict[Role, Persona], partner: Partner) -> Consultation:
    user = centre[Role.COUNSELLOR].user
    assert user.organisation is not None
    return consultation_log(
        organisation=user.organisation,
        data={
            "partner": partner,
            "asker": "podkom. Jan Wiśniewski",
            "asker_function": "zespół ds. handlu ludźmi",
            "channel": "phone",
            "topic": "identification",
            "asked_at": dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC),
            "question": QUESTION,
            "minutes": 20,
        },
        acting_user=user,
    )


def _form(**data: str) -> dict[str, str]:
    return {
        "asker": "podkom. Jan Wiśniewski",
        "asker_function": "zespół ds. handlu ludźmi",
        "channel": "phone",
        "topic": "identification",
        "asked_at": "2026-12-01T10:00",
        "question": QUESTION,
        "advice": "Wskaźniki pracy przymusowej; KPWiOO; zgłoszenie do SG.",
        "minutes": "25",
    } | data


def test_who_may_consult_and_open_from_a_consultation(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    consultation = _consultation(centre, _police(centre))
    base = f"/network/consultations/{consultation.code}"
    assert_access(
        "/network/consultations/", centre, other_centre, allowed=CONSULTING, outsider_status=None
    )
    assert_access(
        "/network/consultations/new/",
        centre,
        other_centre,
        allowed=CONSULTING,
        outsider_status=None,
    )
    assert_access(
        "/network/trainings/", centre, other_centre, allowed=CONSULTING, outsider_status=None
    )
    assert_access(f"{base}/", centre, other_centre, allowed=CONSULTING)
    assert_access(f"{base}/edit/", centre, other_centre, allowed=CONSULTING)
    # Opening a case is case work: not the counsellor's.
    assert_access(
        f"{base}/case/", centre, other_centre, allowed={Role.CASE_MANAGER, Role.COORDINATOR}
    )
    for path in (f"{base}/follow-up/", f"{base}/intervention/"):
        for role in (
            Role.SPECIALIST,
            Role.SHELTER_STAFF,
            Role.ANALYST,
            Role.DPO,
            Role.ADMINISTRATOR,
        ):
            assert _client(centre[role]).post(path).status_code == 403
        assert _client(other_centre[Role.COORDINATOR]).post(path).status_code == 404
    assert not Intervention.objects.exists()


def test_a_consultation_with_a_new_institution_is_logged_in_one_form(
    centre: dict[Role, Persona],
) -> None:
    counsellor = centre[Role.COUNSELLOR]
    client = _client(counsellor)
    # Bad input: neither an institution from the directory nor a new one's kind.
    response = client.post("/network/consultations/new/", _form(new_partner="KPP w Garwolinie"))
    assert response.status_code == 400
    page = text(response)
    assert "Podaj rodzaj instytucji." in page and 'value="KPP w Garwolinie"' in page
    assert QUESTION in page and not Consultation.objects.exists()
    response = client.post("/network/consultations/new/", _form(partner=""))
    assert "Wybierz instytucję albo wpisz nową." in text(response)
    response = client.post(
        "/network/consultations/new/",
        _form(
            new_partner="KPP w Garwolinie",
            new_kind="police",
            new_voivodeship="14",
            new_city="Garwolin",
        ),
    )
    consultation = Consultation.objects.get()
    assert response["Location"] == f"/network/consultations/{consultation.code}/"
    partner = consultation.partner
    assert (partner.name, partner.kind, partner.voivodeship, partner.city) == (
        "KPP w Garwolinie",
        "police",
        "14",
        "Garwolin",
    )
    # The officer is now a person at the partner, with their function.
    assert PartnerContact.objects.get(partner=partner).title == "zespół ds. handlu ludźmi"
    assert consultation.minutes == 25 and consultation.created_by == counsellor.user
    # The question and the advice are sealed: the database holds no word of them.
    with connection.cursor() as cursor:
        cursor.execute("SELECT question, advice FROM network_consultation")
        stored = cursor.fetchone()
    assert b"Garwolinem" not in bytes(stored[0]) and b"KPWiOO" not in bytes(stored[1])
    written = AuditEntry.objects.exclude(action="auth.signed_in").order_by("pk")
    assert list(written.values_list("action", flat=True)) == [
        "partner.added",
        "partner.contact_added",
        "consultation.logged",
    ]
    page = text(client.get(f"/network/consultations/{consultation.code}/"))
    assert QUESTION in page and "25 minut" in page
    assert AuditEntry.objects.filter(action="consultation.viewed", actor=counsellor.user).exists()
    listing = text(client.get("/network/consultations/"))
    assert "KPP w Garwolinie" in listing and "Identyfikacja podejrzewanego przypadku" in listing
    assert AuditEntry.objects.filter(action="consultation.listed").exists()


def test_a_follow_up_reaches_the_colleague_given_it(centre: dict[Role, Persona]) -> None:
    consultation = _consultation(centre, _police(centre))
    counsellor, manager = centre[Role.COUNSELLOR], centre[Role.CASE_MANAGER]
    client = _client(counsellor)
    url = f"/network/consultations/{consultation.code}/edit/"
    response = client.post(url, _form(follow_up="Wysłać materiały o KPWiOO"))
    assert response.status_code == 400
    assert "Dalsze działanie wymaga terminu i osoby." in text(response)
    client.post(
        url,
        _form(
            follow_up="Wysłać materiały o KPWiOO",
            follow_up_due="2026-12-03",
            follow_up_assignee=str(manager.user.pk),
            documents_sent="Ulotka KPWiOO (uk, vi)",
        ),
    )
    consultation.refresh_from_db()
    assert consultation.follow_up_assignee == manager.user
    notice = Notice.objects.get(recipient=manager.user)
    assert notice.kind == Notice.Kind.FOLLOW_UP and "KWP zs. w Radomiu" in notice.text
    assert QUESTION not in notice.text
    changed = AuditEntry.objects.get(action="consultation.changed")
    assert set(changed.data["fields"]) >= {"follow_up", "follow_up_due", "follow_up_assignee"}
    # The colleague finds it among their follow-ups, and marks it done (once).
    mine = _client(manager)
    assert "KWP zs. w Radomiu" in text(mine.get("/network/consultations/")).split("Moje dalsze")[1]
    mine.post(f"/network/consultations/{consultation.code}/follow-up/")
    consultation.refresh_from_db()
    assert consultation.follow_up_done_at is not None
    response = mine.post(f"/network/consultations/{consultation.code}/follow-up/", follow=True)
    assert "To dalsze działanie zostało już wykonane." in text(response)
    assert AuditEntry.objects.filter(action="consultation.follow_up_done").count() == 1


def test_a_consultation_opens_a_case_for_the_people_it_was_about(
    centre: dict[Role, Persona],
) -> None:
    partner = _police(centre)
    consultation = _consultation(centre, partner)
    manager = centre[Role.CASE_MANAGER]
    client = _client(manager)
    url = f"/network/consultations/{consultation.code}/case/"
    form = text(client.get(url))
    assert QUESTION in form  # what was typed is offered as the case's summary
    response = client.post(url, {"names": "", "manager": manager.user.pk, "summary": QUESTION})
    assert response.status_code == 400 and QUESTION in text(response)
    response = client.post(
        url,
        {
            "names": "Nguyen Van An\nTran Thi Binh\n\nLe Van Cuong",
            "citizenship": "VN",
            "language": "vie",
            "manager": manager.user.pk,
            "summary": QUESTION,
        },
    )
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.code}/"
    people = Person.objects.filter(case_links__case=case)
    assert sorted(p.name for p in people) == ["Le Van Cuong", "Nguyen Van An", "Tran Thi Binh"]
    assert all(p.citizenships == ["VN"] and p.preferred_language == "vie" for p in people)
    assert case.referred_by == "police"
    consultation.refresh_from_db()
    assert consultation.case == case
    assert AuditEntry.objects.filter(
        action="consultation.case_opened", target_code=str(consultation.code)
    ).exists()
    # Linked both ways: the case says where it came from, the consultation where it led.
    case_page = text(client.get(f"/cases/{case.code}/section/linked/", HTTP_HX_REQUEST="true"))
    assert "Konsultacja dla instytucji</a>: KWP zs. w Radomiu" in case_page
    assert case.reference in text(client.get(f"/network/consultations/{consultation.code}/"))
    # The counsellor who logged it is not on the case: it is there, out of their reach.
    page = text(
        _client(centre[Role.COUNSELLOR]).get(f"/network/consultations/{consultation.code}/")
    )
    assert "sprawa poza Twoim zasięgiem" in page and case.reference not in page
    # The partner's page shows the consultation and the case to whoever may see them …
    page = text(client.get(f"/network/partners/{partner.code}/"))
    assert 'data-testid="partner-consultation"' in page and case.reference in page
    # … and neither to a specialist off the case, who reads the directory only.
    page = text(_client(centre[Role.SPECIALIST]).get(f"/network/partners/{partner.code}/"))
    assert "partner-consultation" not in page and case.reference not in page
    # Once is enough.
    response = client.post(url, {"names": "X", "manager": manager.user.pk, "summary": "x"})
    assert response.status_code == 400 and "Z tej konsultacji otwarto już sprawę." in text(response)
    assert Case.objects.count() == 1


def test_the_case_page_may_start_from_a_consultation(
    centre: dict[Role, Persona], client_person: Person
) -> None:
    consultation = _consultation(centre, _police(centre))
    manager = centre[Role.CASE_MANAGER]
    client = _client(manager)
    url = f"/cases/new/?person={client_person.code}&consultation={consultation.code}"
    assert QUESTION in text(client.get(url))
    client.post(
        url,
        {
            "manager": manager.user.pk,
            "summary": QUESTION,
            "referred_by": "police",
            "consultation": str(consultation.code),
        },
    )
    consultation.refresh_from_db()
    assert consultation.case == Case.objects.get()


def test_a_consultation_opens_an_emergency_intervention(centre: dict[Role, Persona]) -> None:
    consultation = _consultation(centre, _police(centre))
    client = _client(centre[Role.COUNSELLOR])
    url = f"/network/consultations/{consultation.code}/intervention/"
    response = client.post(url, {"situation": "nonsense"}, follow=True)
    assert "Wybierz sytuację." in text(response) and not Intervention.objects.exists()
    response = client.post(url, {"situation": "captivity"})
    intervention = Intervention.objects.get()
    assert response["Location"] == f"/interventions/{intervention.code}/"
    assert intervention.description == QUESTION
    consultation.refresh_from_db()
    assert consultation.intervention == intervention
    assert intervention.reference in text(
        client.get(f"/network/consultations/{consultation.code}/")
    )
    response = client.post(url, {"situation": "captivity"}, follow=True)
    assert "Z tej konsultacji otwarto już interwencję." in text(response)
    assert Intervention.objects.count() == 1


def test_trainings_given_to_institutions_are_recorded(centre: dict[Role, Persona]) -> None:
    partner = _police(centre)
    client = _client(centre[Role.COORDINATOR])
    data = {
        "kind": "training",
        "partner": str(partner.pk),
        "held_on": "2026-11-20",
        "audience": "funkcjonariusze KWP",
        "participants": "0",
        "topic": "Identyfikacja ofiar pracy przymusowej",
    }
    response = client.post("/network/trainings/", data)
    assert response.status_code == 400 and 'value="funkcjonariusze KWP"' in text(response)
    client.post("/network/trainings/", data | {"participants": "35"})
    training = Training.objects.get()
    assert training.partner == partner and training.participants == 35
    assert "Identyfikacja ofiar pracy przymusowej" in text(client.get("/network/trainings/"))
    assert AuditEntry.objects.filter(
        action="training.recorded", target_code=str(training.code)
    ).exists()


def test_the_response_time_is_recorded_typed_or_when_the_advice_is_written(
    centre: dict[Role, Persona],
) -> None:
    partner = _police(centre)
    client = _client(centre[Role.COUNSELLOR])
    # Answered before it was asked: said so, and nothing typed is lost.
    response = client.post(
        "/network/consultations/new/",
        _form(partner=str(partner.pk), answered_at="2026-12-01T09:00"),
    )
    assert response.status_code == 400
    page = text(response)
    assert "Odpowiedź jest wcześniejsza niż pytanie." in page and "2026-12-01T09:00" in page
    # Typed: the time the advice was given.
    client.post(
        "/network/consultations/new/",
        _form(partner=str(partner.pk), answered_at="2026-12-01T11:30"),
    )
    typed = Consultation.objects.get()
    assert typed.answered_at is not None and typed.answered_at - typed.asked_at == dt.timedelta(
        minutes=90
    )
    assert "2026-12-01 11:30" in text(client.get(f"/network/consultations/{typed.code}/"))
    # Not typed, with no advice yet: it waits for an answer; the advice written later
    # answers it then.
    waiting = _consultation(centre, partner)
    assert waiting.answered_at is None
    client.post(
        f"/network/consultations/{waiting.code}/edit/",
        _form(advice="Zgłosić do Straży Granicznej, KPWiOO."),
    )
    waiting.refresh_from_db()
    assert waiting.answered_at is not None and waiting.answered_at > waiting.asked_at
    changed = AuditEntry.objects.filter(action="consultation.changed").last()
    assert changed is not None and "answered_at" in changed.data["fields"]


def test_a_follow_up_falling_due_reaches_its_colleague_once_and_shows_overdue(
    centre: dict[Role, Persona],
) -> None:
    from ostoja.network.services import consultation_follow_ups_due

    counsellor, manager = centre[Role.COUNSELLOR], centre[Role.CASE_MANAGER]
    consultation = _consultation(centre, _police(centre))
    consultation.follow_up = "Oddzwonić po rozmowie z SG"
    consultation.follow_up_due = dt.date(2026, 12, 3)
    consultation.follow_up_assignee = manager.user
    consultation.save()
    assert consultation_follow_ups_due(today=dt.date(2026, 12, 2)) == 0
    assert not Notice.objects.filter(recipient=manager.user).exists()
    assert consultation_follow_ups_due(today=dt.date(2026, 12, 3)) == 1
    consultation_follow_ups_due(today=dt.date(2026, 12, 4))  # still open: no second notice
    notice = Notice.objects.get(recipient=manager.user)
    assert "KWP zs. w Radomiu" in notice.text and "2026-12-03" in notice.text
    assert QUESTION not in notice.text and "Oddzwonić" not in notice.text
    # Overdue on their dashboard (not on anyone else's), and done from there.
    dashboard = text(_client(manager).get("/"))
    assert 'data-testid="consultation-follow-up"' in dashboard and "zaległe" in dashboard
    assert 'data-testid="consultation-follow-up"' not in text(_client(counsellor).get("/"))
    _client(manager).post(f"/network/consultations/{consultation.code}/follow-up/")
    assert 'data-testid="consultation-follow-up"' not in text(_client(manager).get("/"))
    assert consultation_follow_ups_due(today=dt.date(2026, 12, 5)) == 0
