"""Cases through their pages and services: numbering, every section of the case manager's
work, bad input, field-level rules, break-the-glass, reminders, timeline, documents and the
referral summary — with the access and audit rules."""

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone, translation

from ostoja.accounts.models import AccessGrant
from ostoja.accounts.policy import TeamRole
from ostoja.accounts.roles import Role
from ostoja.accounts.services import glass_break
from ostoja.audit.models import AuditEntry
from ostoja.cases import pdf
from ostoja.cases.access import access_case, case_scope
from ostoja.cases.models import (
    Action,
    Case,
    Consent,
    Deadline,
    Decision,
    Document,
    Goal,
    LegalPeriod,
    Note,
    RouteEvent,
    Service,
)
from ostoja.cases.services import case_open, deadline_add
from ostoja.cases.tasks import remind_deadlines
from ostoja.helpline.models import ContactLink
from ostoja.helpline.services import contact_start
from ostoja.interventions.models import Intervention
from ostoja.interventions.services import intervention_open
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db
CASE_WORK = {Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}


def _prefixed(section: str, data: dict[str, object]) -> dict[str, object]:
    """Each section's form on the case page has its own prefix."""
    return {f"{section}-{name}": value for name, value in data.items()}


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


def _whole_page(client: Client, case: Case) -> str:
    """The case page with the panels of its sections, as a browser shows it (htmx loads
    each section's panel as it comes into view)."""
    page = text(client.get(f"/cases/{case.code}/"))
    panels = re.findall(r'hx-get="(/cases/[^"]+/section/[a-z]+/)"', page)
    assert panels, "the case page has its sections"
    return page + "".join(text(client.get(url, HTTP_HX_REQUEST="true")) for url in panels)


def test_open_a_case_from_a_person_and_contact_numbers_per_year(
    centre: dict[Role, Persona], client_person: Person
) -> None:
    manager = centre[Role.CASE_MANAGER]
    assert manager.user.organisation is not None
    contact = contact_start(organisation=manager.user.organisation, acting_user=manager.user)
    client = _client(manager)
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        response = client.post(
            f"/cases/new/?person={client_person.code}&contact={contact.code}",
            {"manager": manager.user.pk, "summary": "Praca w szklarni", "referred_by": "helpline"},
        )
        assert response.status_code == 302, text(response)[:2000]
        second = case_open(
            organisation=manager.user.organisation,
            clients=[client_person],
            manager=manager.user,
            data={},
            acting_user=manager.user,
        )
    with time_machine.travel(dt.datetime(2027, 1, 4, 10, tzinfo=dt.UTC), tick=False):
        next_year = case_open(
            organisation=manager.user.organisation,
            clients=[client_person],
            manager=manager.user,
            data={},
            acting_user=manager.user,
        )
    first = Case.objects.get(number=1, year=2026)
    assert first.reference == "KCIK/2026/0001" and second.reference == "KCIK/2026/0002"
    assert next_year.reference == "KCIK/2027/0001"
    assert first.summary == "Praca w szklarni"
    assert ContactLink.objects.filter(target_type="cases.case", target_code=str(first.code))
    assert AuditEntry.objects.filter(action="case.opened", target_code=str(first.code))
    assert first.team.get().role == TeamRole.CASE_MANAGER


@pytest.mark.parametrize(
    ("section", "data", "model"),
    [
        ("route", {"kind": "Exploitation", "country": "PL", "place": "Grójec"}, RouteEvent),
        ("goal", {"domain": "safety", "text": "Bezpieczne miejsce"}, Goal),
        (
            "service",
            {
                "kind": "legal",
                "legal_area": "criminal",
                "delivered_on": "2026-11-20",
                "partner": "Kancelaria pro bono",
                "details": "Prawa pokrzywdzonego",
            },
            Service,
        ),
        (
            "decision",
            {
                "kind": "cooperation",
                "choice": "yes",
                "decided_on": "2026-11-21",
                "information": ["rights", "procedure"],
            },
            Decision,
        ),
        (
            "consent",
            {
                "scope": "share_org",
                "recipient": "Ośrodek pomocy",
                "shares": ["identity", "plan"],
                "checklist": ["purpose", "withdraw"],
                "method": "written",
                "given_on": "2026-11-21",
            },
            Consent,
        ),
        (
            "risk",
            {
                "level": "high",
                "factors": ["threats"],
                "safety_plan": "Nie wychodzić sama",
                "assessed_on": "2026-11-22",
            },
            None,
        ),
        ("note", {"text": "Rozmowa telefoniczna z klientką"}, Note),
    ],
)
def test_each_section_adds_its_record(
    centre: dict[Role, Persona],
    case: Case,
    client_person: Person,
    section: str,
    data: dict[str, object],
    model: type[Model] | None,
) -> None:
    client = _client(centre[Role.CASE_MANAGER])
    if "decided_on" in data or "given_on" in data or "delivered_on" in data:
        data = {**data, "client": client_person.pk}
    with time_machine.travel(dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)):
        response = client.post(f"/cases/{case.code}/add/{section}/", _prefixed(section, data))
    assert response.status_code == 302, text(response)[:3000]
    assert AuditEntry.objects.filter(action=f"case.{section}_added", target_code=str(case.code))
    if model is not None:
        assert model._default_manager.filter(case=case).count() == 1


@pytest.mark.parametrize(
    ("section", "data", "message"),
    [
        (
            "route",
            {"kind": "Transit", "country": "PL", "start": "2026-05-02", "end": "2026-05-01"},
            "Koniec nie może być przed początkiem.",
        ),
        ("route", {"kind": "Transit", "country": "ZZ"}, "Nieznany kod kraju: ZZ."),
        (
            "decision",
            {"kind": "return", "choice": "no", "decided_on": "2099-01-01"},
            "Ta data nie może być z przyszłości.",
        ),
        (
            "consent",
            {"scope": "share_police", "method": "oral", "given_on": "2026-11-01"},
            "Wskaż organizację, której można przekazać dane.",
        ),
        (
            "service",
            {"kind": "legal", "delivered_on": "2026-11-01", "partner": "X"},
            "Wybierz dziedzinę prawa.",
        ),
    ],
)
def test_bad_input_comes_back_with_the_error_and_what_was_typed(
    centre: dict[Role, Persona],
    case: Case,
    client_person: Person,
    section: str,
    data: dict[str, object],
    message: str,
) -> None:
    Note.objects.create(
        case=case, text="Wcześniejsza notatka", created_by=centre[Role.CASE_MANAGER].user
    )
    client = _client(centre[Role.CASE_MANAGER])
    data = {**data, "client": client_person.pk}
    response = client.post(f"/cases/{case.code}/add/{section}/", _prefixed(section, data))
    assert response.status_code == 400
    page = text(response)
    assert message in page
    notes = text(client.get(f"/cases/{case.code}/section/note/", HTTP_HX_REQUEST="true"))
    assert "Wcześniejsza notatka" in notes  # nothing saved is lost
    assert not AuditEntry.objects.filter(action=f"case.{section}_added").exists()


def test_the_legal_basis_and_done_buttons_read_in_each_language(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    """The reflection period's legal basis is shown in the reader's language, and the
    buttons that mark something done say what they do (an imperative, not a status)."""
    client = _client(centre[Role.CASE_MANAGER])
    deadline: dict[str, object] = {"kind": "reflection", "client": client_person.pk}
    deadline |= {"starts_on": "2026-11-20", "remind_days": 14}
    response = client.post(f"/cases/{case.code}/add/deadline/", _prefixed("deadline", deadline))
    assert response.status_code == 302, text(response)[:2000]
    goal: dict[str, object] = {"domain": "safety", "text": "Bezpieczne mieszkanie"}
    response = client.post(f"/cases/{case.code}/add/goal/", _prefixed("goal", goal))
    assert response.status_code == 302, text(response)[:2000]
    goal_code = case.goals.get().code
    action = {"text": "Zadzwonić do schroniska", "due": "2026-12-01"}
    response = client.post(f"/cases/goals/{goal_code}/actions/", action)
    assert response.status_code in (200, 302), text(response)[:2000]
    english = text(client.get(f"/cases/{case.code}/", headers={"accept-language": "en"}))
    assert "Act of 12 December 2013 on Foreigners, Article 170 and Article 172(2)" in english
    assert "Ustawa" not in english
    for button in ("Mark as done", "Mark as dealt with", "Mark the goal as achieved"):
        assert f">{button}</button>" in english, button
    polish = text(client.get(f"/cases/{case.code}/", headers={"accept-language": "pl"}))
    assert "Ustawa z dnia 12 grudnia 2013 r. o cudzoziemcach, art. 170 i art. 172 ust. 2" in polish
    for button in ("Oznacz jako wykonane", "Oznacz jako załatwione", "Oznacz cel jako osiągnięty"):
        assert f">{button}</button>" in polish, button
    assert ">Wykonane</button>" not in polish and ">Załatwione</button>" not in polish
    # The same English words as a status: an action done reads "Wykonane" (działanie).
    with translation.override("pl"):
        assert str(Action.Status.DONE.label) == "Wykonane"


def test_statuses_agree_with_a_case_and_an_intervention(
    centre: dict[Role, Persona], case: Case
) -> None:
    """ "Sprawa" and "interwencja" are feminine: their statuses agree in Polish, while a
    goal ("cel", masculine) keeps its own forms — one English word, several contexts."""
    client = _client(centre[Role.COORDINATOR])
    polish = text(client.get(f"/cases/{case.code}/", headers={"accept-language": "pl"}))
    assert "Otwarta ·" in polish
    listing = text(client.get("/cases/", headers={"accept-language": "pl"}))
    for status in ("Otwarta", "Aktywna", "Wstrzymana", "Zamknięta"):
        assert f">{status}</option>" in listing, status
    assert "Otwarty" not in listing and "Zamknięty" not in listing
    english = text(client.get("/cases/", headers={"accept-language": "en"}))
    assert ">Open</option>" in english and ">On hold</option>" in english
    organisation = case.organisation
    intervention = intervention_open(
        organisation=organisation,
        data={"situation": "danger"},
        acting_user=centre[Role.COUNSELLOR].user,
    )
    page = client.get(f"/interventions/{intervention.code}/", headers={"accept-language": "pl"})
    assert re.search(r'<span class="badge[^"]*">Otwarta</span>', text(page))
    with translation.override("pl"):
        assert [str(Intervention.Status.OPEN.label), str(Intervention.Status.CLOSED.label)] == [
            "Otwarta",
            "Zamknięta",
        ]
        assert str(Goal.Status.OPEN.label) == "Otwarty"
    with translation.override("en"):
        assert str(Case.Status.CLOSED.label) == "Closed"


def test_reflection_period_is_computed_from_reference_data(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    manager = centre[Role.CASE_MANAGER]
    client = _client(manager)
    response = client.post(
        f"/cases/{case.code}/add/deadline/",
        _prefixed(
            "deadline",
            {
                "kind": "reflection",
                "client": client_person.pk,
                "starts_on": "2026-11-20",
                "remind_days": 14,
            },
        ),
    )
    assert response.status_code == 302, text(response)[:3000]
    deadline = Deadline.objects.get()
    assert deadline.due == dt.date(2027, 2, 20)  # an adult: 3 months
    assert deadline.period is not None and "art. 172" in deadline.period.source
    # A minor: 4 months; a 3-month end typed in is refused, naming the right one.
    assert manager.user.organisation is not None
    child = person_create(
        organisation=manager.user.organisation,
        data={"name": "Ana Popescu", "estimated_age": 16},
        acting_user=manager.user,
    )
    case.clients.create(person=child)
    response = client.post(
        f"/cases/{case.code}/add/deadline/",
        _prefixed(
            "deadline",
            {
                "kind": "reflection",
                "client": child.pk,
                "starts_on": "2026-11-20",
                "due": "2027-02-20",
                "remind_days": 14,
            },
        ),
    )
    assert response.status_code == 400
    assert "Dla małoletniego okres do namysłu trwa 4 mies.: kończy się 2027-03-20." in text(
        response
    )
    # A new version of the law changes new deadlines only.
    LegalPeriod.objects.create(
        kind="reflection",
        months_adult=5,
        months_minor=6,
        source="Nowelizacja (test)",
        valid_from=dt.date(2026, 11, 25),
    )
    later = deadline_add(
        case=case,
        instance=Deadline(kind="reflection", client=client_person, starts_on=dt.date(2026, 11, 26)),
        acting_user=manager.user,
    )
    assert later.due == dt.date(2027, 4, 26)
    deadline.refresh_from_db()
    assert deadline.due == dt.date(2027, 2, 20)


def test_deadline_reminder_then_escalation_once_each_without_identity(
    centre: dict[Role, Persona],
    case: Case,
    client_person: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    manager = centre[Role.CASE_MANAGER]
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)):
        deadline_add(
            case=case,
            instance=Deadline(
                kind="reflection",
                client=client_person,
                starts_on=dt.date(2026, 11, 20),
                remind_days=14,
            ),
            acting_user=manager.user,
        )
    with time_machine.travel(dt.datetime(2027, 2, 1, 9, tzinfo=dt.UTC)):  # 19 days before
        assert remind_deadlines() == {"reminded": 0, "escalated": 0}
    with (
        time_machine.travel(dt.datetime(2027, 2, 8, 9, tzinfo=dt.UTC)),  # 12 days before
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert remind_deadlines() == {"reminded": 1, "escalated": 0}
        assert remind_deadlines() == {"reminded": 0, "escalated": 0}  # once
    assert len(mail.outbox) == 1
    reminder = mail.outbox[0]
    assert reminder.to == [manager.user.email]
    assert case.reference in reminder.subject and str(case.code) in reminder.body
    # The notice is in the case manager's notification centre too.
    notices = text(_client(manager).get("/notices/"))
    assert case.reference in notices
    with (
        time_machine.travel(dt.datetime(2027, 2, 21, 9, tzinfo=dt.UTC)),  # missed
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert remind_deadlines() == {"reminded": 0, "escalated": 1}
        assert remind_deadlines() == {"reminded": 0, "escalated": 0}
        # Until it is dealt with, the case manager's tasks show it as missed.
        tasks = text(_client(manager).get("/cases/tasks/"))
        assert case.reference in tasks and "list-group-item-danger" in tasks
    told = {message.to[0] for message in mail.outbox[1:]}
    assert told == {centre[Role.COORDINATOR].user.email, manager.user.email}
    for message in mail.outbox:
        for secret in ("Олена", "Olena", "Shevchenko", "600 100 200"):
            assert secret not in f"{message.subject} {message.body}"


def test_field_level_rules_on_health_and_legal_details(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    manager = centre[Role.CASE_MANAGER].user
    Service.objects.create(
        case=case,
        client=client_person,
        kind="health",
        delivered_on=dt.date(2026, 11, 1),
        partner="Przychodnia",
        details="Złamane żebro",
        created_by=manager,
    )
    Service.objects.create(
        case=case,
        client=client_person,
        kind="legal",
        legal_area="residence",
        delivered_on=dt.date(2026, 11, 2),
        partner="Adwokat",
        details="Wniosek o pobyt",
        created_by=manager,
    )
    case.perpetrator_notes = "Brygadzista Adam K."
    case.save()
    counsellor = centre[Role.COUNSELLOR].user
    case.team.create(user=counsellor, role=TeamRole.MEMBER)
    # The inner team (case manager, specialist) and the coordinator read them…
    for role in (Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR):
        client = _client(centre[role])
        page = _whole_page(client, case)
        assert "Złamane żebro" in page and "Wniosek o pobyt" in page, role
        assert "Brygadzista Adam K." in page, role
        assert "Złamane żebro" in text(client.get(f"/cases/{case.code}/timeline/")), role
    # … a plain team member does not (here: a case manager's colleague added as member).
    colleague = centre[Role.SPECIALIST].user
    case.team.filter(user=colleague).update(role=TeamRole.MEMBER)
    page = _whole_page(_client(centre[Role.SPECIALIST]), case)
    assert "Złamane żebro" not in page and "Wniosek o pobyt" not in page
    assert "Brygadzista" not in page
    timeline = text(_client(centre[Role.SPECIALIST]).get(f"/cases/{case.code}/timeline/"))
    assert "Złamane żebro" not in timeline
    # Nor does the coordinator once the case is restricted (and not on its team).
    case.restricted = True
    case.save()
    assert _client(centre[Role.COORDINATOR]).get(f"/cases/{case.code}/").status_code == 403


def test_break_the_glass_reads_but_does_not_write(centre: dict[Role, Persona], case: Case) -> None:
    case.team.filter(role=TeamRole.SPECIALIST).delete()
    specialist = centre[Role.SPECIALIST]
    client = _client(specialist)
    response = client.get(f"/cases/{case.code}/")
    assert response.status_code == 403
    assert f"/access/cases.case/{case.code}/" in text(response)
    glass_break(
        scope=case_scope(case),
        reason=AccessGrant.Reason.EMERGENCY,
        explanation="Telefon w nocy",
        acting_user=specialist.user,
    )
    page = client.get(f"/cases/{case.code}/")
    assert page.status_code == 200
    assert "tylko do odczytu" in text(page) or "nie możesz" in text(page).lower()
    assert client.post(f"/cases/{case.code}/add/note/", {"note-text": "x"}).status_code == 403
    assert not Note.objects.exists()


def test_status_team_and_closure(centre: dict[Role, Persona], case: Case) -> None:
    manager = centre[Role.CASE_MANAGER]
    client = _client(manager)
    client.post(f"/cases/{case.code}/status/", {"case-status": "closed"})
    case.refresh_from_db()
    assert case.status == "open"  # closing needs a reason
    client.post(
        f"/cases/{case.code}/status/", {"case-status": "closed", "case-reason": "goals_met"}
    )
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_on == timezone.localdate()
    entry = AuditEntry.objects.filter(action="case.status_changed").latest("seq")
    assert entry.data == {"from": "open", "to": "closed", "reason": "goals_met"}
    timeline = text(client.get(f"/cases/{case.code}/timeline/?kind=status"))
    assert "Zmiana statusu" in timeline
    # The coordinator hands the case to another case manager; the former stays a member.
    coordinator = _client(centre[Role.COORDINATOR])
    colleague = centre[Role.COORDINATOR].user
    coordinator.post(
        f"/cases/{case.code}/team/", {"team-user": colleague.pk, "team-role": "case_manager"}
    )
    roles = dict(case.team.values_list("user_id", "role"))
    assert roles[colleague.pk] == "case_manager" and roles[manager.user.pk] == "member"
    # A specialist may not change the team.
    response = _client(centre[Role.SPECIALIST]).post(
        f"/cases/{case.code}/team/",
        {"team-user": centre[Role.SPECIALIST].user.pk, "team-role": "case_manager"},
    )
    assert response.status_code == 403


def test_plan_actions_tasks_and_dashboard(centre: dict[Role, Persona], case: Case) -> None:
    manager = centre[Role.CASE_MANAGER]
    goal = Goal.objects.create(
        case=case, domain="accommodation", text="Mieszkanie", created_by=manager.user
    )
    client = _client(manager)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(
        f"/cases/goals/{goal.code}/actions/",
        {
            "action-text": "Zadzwonić do schroniska",
            "action-owner": manager.user.pk,
            "action-due": yesterday,
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    tasks = text(client.get("/cases/tasks/"))
    assert "Zadzwonić do schroniska" in tasks
    dashboard = text(client.get("/"))
    assert "Zadzwonić do schroniska" in dashboard  # overdue on the dashboard
    client.post(f"/cases/actions/{action.code}/status/", {"status": "done"})
    action.refresh_from_db()
    assert action.status == "done" and action.done_at is not None
    client.post(f"/cases/goals/{goal.code}/status/", {"status": "achieved"})
    goal.refresh_from_db()
    assert goal.status == "achieved"
    coordinator_page = text(_client(centre[Role.COORDINATOR]).get("/"))
    assert case.reference in text(_client(centre[Role.COORDINATOR]).get("/cases/"))
    assert "Wiśniewska" not in coordinator_page  # (no demo names in tests)


def test_the_case_page_shows_each_goals_next_three_steps(
    centre: dict[Role, Persona], case: Case
) -> None:
    """A goal's open actions by due date (undated last), three of them, and how many more;
    done actions are not 'next'."""
    manager = centre[Role.CASE_MANAGER].user
    today = timezone.localdate()
    long_plan = Goal.objects.create(
        case=case, domain="legal", text="Pełnomocnik", created_by=manager
    )
    short_plan = Goal.objects.create(case=case, domain="health", text="Lekarz", created_by=manager)
    for n, due in enumerate([5, None, 1, 3, 9]):
        Action.objects.create(
            goal=long_plan,
            text=f"Krok {n}",
            due=None if due is None else today + dt.timedelta(days=due),
        )
    Action.objects.create(goal=long_plan, text="Krok zrobiony", status="done")
    Action.objects.create(goal=short_plan, text="Zapisać na wizytę")
    page = text(_client(centre[Role.CASE_MANAGER]).get(f"/cases/{case.code}/"))
    shown = re.findall(r"Krok \w+", page)
    assert shown == ["Krok 2", "Krok 3", "Krok 0"]  # due in 1, 3 and 5 days
    assert page.count("i jeszcze 2 kroki") == 1  # the undated one and the one in 9 days
    assert "Zapisać na wizytę" in page
    assert page.count("i jeszcze") == 1  # the short plan has no 'more'


def test_documents_are_sealed_and_served_through_the_case(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], case: Case
) -> None:
    client = _client(centre[Role.CASE_MANAGER])
    upload = SimpleUploadedFile(
        "zaświadczenie.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    )
    response = client.post(
        f"/cases/{case.code}/documents/", {"title": "Zaświadczenie", "file": upload}
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.content_type == "application/pdf"
    download = client.get(f"/cases/documents/{document.code}/")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="case.document_downloaded")
    assert_access(f"/cases/documents/{document.code}/", centre, other_centre, allowed=CASE_WORK)
    refused = client.post(
        f"/cases/{case.code}/documents/",
        {"title": "Program", "file": SimpleUploadedFile("a.exe", b"MZ\x90\x00" + b"\x00" * 100)},
    )
    assert refused.status_code == 302 and Document.objects.count() == 1


def test_referral_summary_carries_only_what_was_consented(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    manager = centre[Role.CASE_MANAGER].user
    Service.objects.create(
        case=case,
        client=client_person,
        kind="health",
        delivered_on=dt.date(2026, 11, 1),
        partner="Przychodnia",
        details="Złamane żebro",
        created_by=manager,
    )
    Service.objects.create(
        case=case,
        client=client_person,
        kind="material",
        delivered_on=dt.date(2026, 11, 1),
        partner="PCK",
        details="Paczka żywnościowa",
        created_by=manager,
    )
    consent = Consent.objects.create(
        case=case,
        client=client_person,
        scope="share_org",
        recipient="Ośrodek Interwencji",
        shares=["identity", "services"],
        method="written",
        given_on=dt.date(2026, 11, 1),
        created_by=manager,
    )
    access = access_case(manager, case.code)
    context = pdf.summary_context(access=access, consent=consent, user=manager)
    html = render_to_string("cases/summary_pdf.html", context)
    assert "Олена Шевченко" in html and "Paczka żywnościowa" in html
    assert "Złamane żebro" not in html  # health was not consented
    assert "600 100 200" not in html and "słonecznik" not in html  # nor contact details
    response = _client(centre[Role.CASE_MANAGER]).get(
        f"/cases/{case.code}/summary.pdf?consent={consent.code}&to=OPS"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="case.summary_exported")
    # Withdrawn: no summary.
    consent.withdrawn_on = dt.date(2026, 11, 2)
    consent.save()
    response = _client(centre[Role.CASE_MANAGER]).get(
        f"/cases/{case.code}/summary.pdf?consent={consent.code}"
    )
    assert response.status_code == 302


def test_every_case_view_has_its_access_rule(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    case: Case,
    client_person: Person,
) -> None:
    manager = centre[Role.CASE_MANAGER].user
    goal = Goal.objects.create(case=case, domain="safety", text="Cel", created_by=manager)
    action = Action.objects.create(goal=goal, text="Krok")
    consent = Consent.objects.create(
        case=case,
        client=client_person,
        scope="processing",
        method="oral",
        given_on=dt.date(2026, 11, 1),
        created_by=manager,
    )
    deadline = Deadline.objects.create(
        case=case, kind="hearing", due=dt.date(2027, 1, 5), created_by=manager
    )
    team = {Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}
    code = case.code
    for path in (
        f"/cases/{code}/",
        f"/cases/{code}/timeline/",
        f"/cases/{code}/edit/",
        f"/cases/{code}/section/service/",
    ):
        assert_access(path, centre, other_centre, allowed=team)
    for path, data in (
        (f"/cases/{code}/add/note/", {"note-text": "n"}),
        (f"/cases/{code}/status/", {"case-status": "active"}),
        (f"/cases/{code}/clients/", {"person": str(client_person.code)}),
        (f"/cases/{code}/documents/", {}),
        (f"/cases/goals/{goal.code}/actions/", {"action-text": "a"}),
        (f"/cases/goals/{goal.code}/status/", {"status": "open"}),
        (f"/cases/actions/{action.code}/status/", {"status": "planned"}),
        (f"/cases/consents/{consent.code}/withdraw/", {"on": "2026-11-02"}),
        (f"/cases/deadlines/{deadline.code}/met/", {}),
    ):
        assert_access(path, centre, other_centre, allowed=team, method="post", data=data)
    # Team changes: the case manager and coordinators only.
    assert_access(
        f"/cases/{code}/team/remove/",
        centre,
        other_centre,
        allowed={Role.CASE_MANAGER, Role.COORDINATOR},
        method="post",
        data={"member": "0"},
    )
    assert_access(
        f"/cases/{code}/team/",
        centre,
        other_centre,
        allowed={Role.CASE_MANAGER, Role.COORDINATOR},
        method="post",
        data={"team-user": str(manager.pk), "team-role": "case_manager"},
    )
    for section in ("goal", "client", "document"):
        assert_access(f"/cases/{code}/form/{section}/", centre, other_centre, allowed=team)
    assert_access(
        f"/cases/{code}/form/action/?goal={goal.code}", centre, other_centre, allowed=team
    )
    for path in ("/cases/", "/cases/tasks/"):
        assert_access(path, centre, other_centre, allowed=team, outsider_status=None)
    assert_access(f"/cases/new/?person={client_person.code}", centre, other_centre, allowed=team)
    assert_access(
        f"/cases/{code}/summary.pdf?consent={consent.code}&to=OPS",
        centre,
        other_centre,
        allowed=team,
    )


def test_add_forms_load_when_opened(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    case: Case,
    client_person: Person,
) -> None:
    manager = centre[Role.CASE_MANAGER]
    client = _client(manager)
    page = text(client.get(f"/cases/{case.code}/"))
    assert 'name="service-kind"' not in page  # not on the page until opened
    assert f'hx-get="/cases/{case.code}/form/service/"' in page
    form = text(client.get(f"/cases/{case.code}/form/service/"))
    assert 'name="service-kind"' in form and f'action="/cases/{case.code}/add/service/"' in form
    assert client_person.display_name() in form  # the case's clients to choose from
    goal = Goal.objects.create(case=case, domain="safety", text="Cel", created_by=manager.user)
    action = text(client.get(f"/cases/{case.code}/form/action/?goal={goal.code}"))
    assert f'action="/cases/goals/{goal.code}/actions/"' in action
    assert client.get(f"/cases/{case.code}/form/action/?goal=x").status_code == 404
    assert client.get(f"/cases/{case.code}/form/nothing/").status_code == 404
    assert manager.user.organisation is not None
    other = person_create(
        organisation=manager.user.organisation, data={"name": "Jan Nowak"}, acting_user=manager.user
    )
    assert "Jan Nowak" in text(client.get(f"/cases/{case.code}/form/client/"))
    # The upload form too, with the case's clients it may concern.
    assert 'name="file"' not in page
    upload = text(client.get(f"/cases/{case.code}/form/document/"))
    assert f'action="/cases/{case.code}/documents/"' in upload
    assert 'enctype="multipart/form-data"' in upload and 'name="file"' in upload
    assert client_person.display_name() in upload and "Jan Nowak" not in upload
    client.post(f"/cases/{case.code}/clients/", {"person": str(other.code)})
    assert case.clients.filter(person=other).exists()


def test_the_case_page_costs_the_same_however_long_the_case(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    """At most 12 queries for the case page (middleware, audit entry and all), and as many
    with one entry per section as with fifty: sections that grow are panels of their own,
    each a fixed number of queries too."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    manager = centre[Role.CASE_MANAGER].user
    client = _client(centre[Role.CASE_MANAGER])
    client.get(f"/cases/{case.code}/")

    def counts() -> list[int]:
        found = []
        for url in (
            f"/cases/{case.code}/",
            *(
                f"/cases/{case.code}/section/{name}/"
                for name in ("service", "note", "consent", "linked")
            ),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
            # The test runs in a transaction: the audit entry's savepoint (2) is not there
            # when a request runs on its own.
            found.append(len([q for q in queries if "SAVEPOINT" not in q["sql"]]))
        return found

    def grow(n: int) -> None:
        for i in range(n):
            Note.objects.create(case=case, text=f"Notatka {i}", created_by=manager)
            goal = Goal.objects.create(
                case=case, domain="safety", text=f"Cel {i}", created_by=manager
            )
            Action.objects.create(goal=goal, text=f"Krok {i}", owner=manager)
            Deadline.objects.create(
                case=case, kind="hearing", due=dt.date(2027, 1, 5), created_by=manager
            )
            Consent.objects.create(
                case=case,
                client=client_person,
                scope="processing",
                method="oral",
                given_on=dt.date(2026, 11, 1),
                created_by=manager,
            )

    grow(1)
    few = counts()
    grow(50)
    assert counts() == few
    assert few[0] <= 12, few
