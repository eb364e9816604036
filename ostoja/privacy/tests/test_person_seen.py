"""Who has seen a person's records: the person with their cases, contacts, calls,
interventions and identification, in one list — for the DPO (every record, as codes) and
for the person's case managers (the records they may open)."""

import datetime as dt
import re
from collections import deque

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.audit.trail import record
from ostoja.cases.models import Case
from ostoja.helpline.models import Call
from ostoja.helpline.services import call_event_record, contact_reply, contact_start
from ostoja.people.models import Person
from ostoja.privacy.related import person_records
from ostoja.privacy.tests.conftest import World
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db
IDENTITY = ("Olena", "Олена", "Shevchenko", "Шевченко", "Szewczenko", "1994-05-01", "Jan Obcy")


def _url(world: World) -> str:
    return f"/privacy/audit/people/{world.person.code}/"


def _client(persona: Persona) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_sign_in(client, persona.user)
    return client


def _reads(centre: dict[Role, Persona], world: World) -> None:
    """Reads of every record of the person, and of the stranger's, by various people."""
    specialist = centre[Role.SPECIALIST].user
    coordinator = centre[Role.COORDINATOR].user
    counsellor = centre[Role.COUNSELLOR].user
    record("person.viewed", actor=specialist, target=world.person)
    record("case.viewed", actor=specialist, target=world.case)
    record("case.viewed", actor=coordinator, target=world.restricted)
    record("contact.viewed", actor=counsellor, target=world.contact)
    record("contact.viewed", actor=counsellor, target=world.case_contact)
    record("intervention.viewed", actor=counsellor, target=world.intervention)
    record(
        "assessment.viewed",
        actor=specialist,
        target=world.person,
        data={"assessment": str(world.assessment.code)},
    )
    # A name search that showed the person among its candidates.
    record(
        "person.matched",
        actor=counsellor,
        data={"candidates": [str(world.stranger.code), str(world.person.code)]},
    )
    record("person.viewed", actor=coordinator, target=world.stranger)
    record("case.viewed", actor=coordinator, target=world.stranger_case)
    record("person.matched", actor=coordinator, data={"candidates": [str(world.stranger.code)]})


def _table(page: str) -> str:
    return page.split("<h2", 4)[-1]


def test_the_dpo_sees_every_read_and_write_of_the_person_and_their_records(
    centre: dict[Role, Persona], world: World
) -> None:
    _reads(centre, world)
    client = _client(centre[Role.DPO])
    response = client.get(_url(world))
    assert response.status_code == 200
    page = text(response)
    records = page.split('data-testid="records">', 1)[1].split("</ul>", 1)[0]
    for case in (world.case, world.restricted):
        assert f"Case {case.reference}" in records
        assert f'href="/privacy/audit/seen/cases.case/{case.code}/"' in records
    assert f"Intervention {world.intervention.reference}" in records
    for contact in (world.contact, world.case_contact):
        assert f'href="/privacy/audit/seen/helpline.contact/{contact.code}/"' in records
    assert f'href="/privacy/audit/people/{world.duplicate.code}/"' in records
    # The stranger's records stay out; the stranger shows only as the other candidate of
    # the search that showed the person too (the coordinator's search of them alone: not).
    assert world.stranger_case.reference not in page
    assert page.count(str(world.stranger.code)) == 1
    entries = _table(page)
    for label in (
        "Person viewed",  # the person, and the duplicate before its merge
        "Case viewed",
        "Contact viewed",
        "Intervention viewed",
        "Indicator assessment viewed",  # identification is recorded against the person
        "People matched to a name",
        "Indicator assessment started",
        "New case opened",
        "Contact linked to a record",
        "Person registered",
        "Duplicate merged into this person",
        "Person merged into another record",
        "Emergency intervention opened",
    ):
        assert label in entries, label
    assert "person.viewed" not in entries.replace('title="person.viewed"', "")  # words, not codes
    assert not any(word in page for word in IDENTITY)
    readers = page.split("Who has seen them", 1)[1].split("</table>", 1)[0]
    for role in (Role.SPECIALIST, Role.COORDINATOR, Role.COUNSELLOR):
        assert centre[role].user.full_name in readers
    specialist = readers.split(centre[Role.SPECIALIST].user.full_name, 1)[1].split("</tr>")[0]
    assert "Case viewed, Indicator assessment viewed, Person viewed" in specialist
    assert "<td>3</td>" in specialist
    # The reading is itself an entry, against the person.
    reviewed = AuditEntry.objects.filter(action="audit.reviewed").latest("seq")
    assert (reviewed.actor, reviewed.target_code, reviewed.purpose) == (
        centre[Role.DPO].user,
        str(world.person.code),
        "seen-by-person",
    )
    assert reviewed.data == {"records": 7}


def test_the_records_of_a_person_found_through_each_app(
    centre: dict[Role, Persona], world: World
) -> None:
    """A reply to a contact and the call that started one belong to the person too."""
    counsellor = centre[Role.COUNSELLOR].user
    assert counsellor.organisation is not None
    mail = contact_start(organisation=counsellor.organisation, acting_user=counsellor)
    mail.channel, mail.correspondent, mail.subject = "email", "someone@example.org", "Pomoc"
    mail.save()
    mail.links.create(
        target_type="people.person", target_code=str(world.person.code), created_by=counsellor
    )
    reply = contact_reply(contact=mail, body="Dzień dobry", acting_user=counsellor)
    call = call_event_record(
        organisation=counsellor.organisation,
        call_id="CA1",
        state=Call.State.ANSWERED,
        at=timezone.now(),
        caller="+48600100200",
        answered_by=counsellor,
    )
    assert call.contact is not None
    call.contact.links.create(
        target_type="cases.case", target_code=str(world.case.code), created_by=counsellor
    )
    found = {(r.target_type, r.target_code) for r in person_records(world.person)}
    assert {
        ("people.person", str(world.person.code)),
        ("people.person", str(world.duplicate.code)),
        ("cases.case", str(world.case.code)),
        ("cases.case", str(world.restricted.code)),
        ("helpline.contact", str(world.contact.code)),
        ("helpline.contact", str(world.case_contact.code)),
        ("helpline.contact", str(mail.code)),
        ("helpline.contact", str(reply.code)),
        ("helpline.contact", str(call.contact.code)),
        ("helpline.call", str(call.pk)),
        ("interventions.intervention", str(world.intervention.code)),
    } == found
    # The case manager does not manage the restricted case: it is not theirs to see.
    theirs = {r.target_code for r in person_records(world.person, centre[Role.CASE_MANAGER].user)}
    assert str(world.restricted.code) not in theirs and str(world.case.code) in theirs


def test_the_case_manager_sees_who_has_seen_the_records_they_may_open(
    centre: dict[Role, Persona], world: World
) -> None:
    _reads(centre, world)
    page = text(_client(centre[Role.CASE_MANAGER]).get(_url(world)))
    assert "Only the records you may open are included." in page
    assert world.case.reference in page and world.restricted.reference not in page
    assert str(world.restricted.code) not in page
    entries = _table(page)
    assert "Case viewed" in entries and "Indicator assessment viewed" in entries
    # The coordinator's reading of the restricted case is not shown to them…
    assert AuditEntry.objects.filter(target_code=str(world.restricted.code)).exists()
    readers = page.split("Who has seen them", 1)[1].split("</table>", 1)[0]
    assert centre[Role.SPECIALIST].user.full_name in readers
    # … and nothing links into the DPO's pages.
    assert "/privacy/audit/entries/" not in page and "/privacy/audit/seen/" not in page
    assert not any(word in page for word in IDENTITY)


def test_only_the_dpo_and_the_persons_case_managers_see_it(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], world: World
) -> None:
    """The coordinator manages the person's restricted case: one of their case managers."""
    managers = {Role.CASE_MANAGER, Role.COORDINATOR}
    assert_access(_url(world), centre, other_centre, allowed={Role.DPO, *managers})
    only_case = f"/privacy/audit/seen/people.person/{world.stranger.code}/"
    assert _client(centre[Role.SPECIALIST]).get(only_case).status_code == 403


def test_outsiders_and_missing_people_are_404(
    centre: dict[Role, Persona], other_dpo: Persona, world: World
) -> None:
    assert _client(other_dpo).get(_url(world)).status_code == 404
    dpo = _client(centre[Role.DPO])
    assert dpo.get("/privacy/audit/people/00000000-0000-4000-8000-000000000000/").status_code == 404
    assert dpo.get("/privacy/audit/people/not-a-code/").status_code == 404
    # The case manager of the stranger's case is someone else: not theirs to see.
    manager = _client(centre[Role.CASE_MANAGER])
    assert manager.get(f"/privacy/audit/people/{world.stranger.code}/").status_code == 404


def test_on_the_team_is_not_enough(
    centre: dict[Role, Persona], client_person: Person, case: Case
) -> None:
    """The specialist works on the case but does not manage it; the coordinator sees the
    person (every unrestricted record) but manages none of their cases."""
    url = f"/privacy/audit/people/{client_person.code}/"
    assert _client(centre[Role.SPECIALIST]).get(url).status_code == 403
    assert _client(centre[Role.COORDINATOR]).get(url).status_code == 403
    assert _client(centre[Role.CASE_MANAGER]).get(url).status_code == 200


def test_the_period_and_the_reads(centre: dict[Role, Persona], world: World) -> None:
    specialist = centre[Role.SPECIALIST].user
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)):
        record("case.viewed", actor=specialist, target=world.case, data={"for": "march"})
    with time_machine.travel(dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC)):
        record("case.updated", actor=specialist, target=world.case, data={"fields": ["stage"]})
    client = _client(centre[Role.DPO])
    march = _table(text(client.get(_url(world), {"since": "2026-03-01", "until": "2026-03-31"})))
    assert "march" in march and "Case changed" not in march
    spring = _table(text(client.get(_url(world), {"since": "2026-03-01", "until": "2026-05-31"})))
    assert "march" in spring and "Fields:</span> stage" in spring
    reads = _table(
        text(client.get(_url(world), {"since": "2026-03-01", "until": "2026-05-31", "reads": "on"}))
    )
    assert "march" in reads and "Case changed" not in reads
    empty = text(client.get(_url(world), {"since": "2026-04-01", "until": "2026-04-30"}))
    assert "No entries in this period." in empty
    assert "Nobody has opened these records in this period." in empty
    wrong = text(client.get(_url(world), {"since": "2026-05-02", "until": "2026-05-01"}))
    assert "The start date is after the end date." in wrong
    reviewed = AuditEntry.objects.filter(action="audit.reviewed").order_by("seq")
    assert reviewed[2].data == {
        "records": 7,
        "since": "2026-03-01",
        "until": "2026-05-31",
        "reads": "True",
    }


def test_the_page_costs_the_same_however_long_the_trail(
    centre: dict[Role, Persona], world: World
) -> None:
    client = _client(centre[Role.DPO])
    _reads(centre, world)
    client.get(_url(world))
    with CaptureQueriesContext(connection) as few:
        client.get(_url(world))
    for _ in range(30):
        _reads(centre, world)
    with CaptureQueriesContext(connection) as many:
        response = client.get(_url(world))
    assert response.status_code == 200
    assert len(few) == len(many)


def test_pages_of_a_long_trail(centre: dict[Role, Persona], world: World) -> None:
    for _ in range(60):
        record("case.viewed", actor=centre[Role.SPECIALIST].user, target=world.case)
    client = _client(centre[Role.DPO])
    first = text(client.get(_url(world), {"since": "2020-01-01"}))
    assert "?since=2020-01-01&amp;page=2" in first
    second = text(client.get(_url(world), {"since": "2020-01-01", "page": "2"}))
    assert "Case viewed" in second


def test_who_has_seen_one_person_leads_to_all_their_records(
    centre: dict[Role, Persona], world: World
) -> None:
    client = _client(centre[Role.DPO])
    page = text(client.get(f"/privacy/audit/seen/people.person/{world.person.code}/"))
    assert f'href="/privacy/audit/people/{world.person.code}/"' in page
    other = text(client.get(f"/privacy/audit/seen/cases.case/{world.case.code}/"))
    assert f"Case {world.case.reference}" in other and "/privacy/audit/people/" not in other
    odd = client.get("/privacy/audit/seen/people.person/not-a-code/")
    assert odd.status_code == 200 and "/privacy/audit/people/" not in text(odd)


def test_no_page_of_the_dpo_shows_who_anyone_is(centre: dict[Role, Persona], world: World) -> None:
    """A crawl: from the trail and a search, every page of the DPO's reachable by links,
    over a world of records with a read and a change of each. None shows a name, a date of
    birth or a phone number of a client (the stranger's name included)."""
    _reads(centre, world)
    client = _client(centre[Role.DPO])
    client.post("/privacy/find/person/", {"person-name": "Olena", "person-purpose": "complaint"})
    queue = deque(["/privacy/audit/", "/privacy/find/"])
    seen = set(queue)
    while queue and len(seen) < 120:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code == 200, url
        if not response["Content-Type"].startswith("text/html"):
            continue  # a download (the DPO's records as PDF): no page to read
        page = text(response)
        shown = [word for word in IDENTITY if word in page]
        assert not shown, (url, shown)
        for link in re.findall(r'href="(/privacy/[^"]*)"', page):
            link = link.replace("&amp;", "&")
            if link not in seen:
                seen.add(link)
                queue.append(link)
    assert any(url.startswith("/privacy/audit/people/") for url in seen)
    assert any(url.startswith("/privacy/audit/entries/") for url in seen)
    assert any(url.startswith("/privacy/audit/seen/") for url in seen)
