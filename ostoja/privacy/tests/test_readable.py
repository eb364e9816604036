"""Entries as people read them: actions in words, records named, data as labelled fields
— in Polish and English, with codes linked where the DPO may follow them."""

import ast

import pytest
from django.test import Client
from django.utils import translation

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.audit.tests.test_actions import trail_calls
from ostoja.audit.trail import record
from ostoja.privacy import readable
from ostoja.privacy.tests.conftest import World
from ostoja.test import Persona, force_sign_in, text

pytestmark = pytest.mark.django_db


def test_every_key_the_code_writes_has_words() -> None:
    """The keys of every ``data={...}`` written to the trail (as a literal) are known."""
    keys: set[str] = set()
    for _path, call, _constants in trail_calls():
        for keyword in call.keywords:
            if keyword.arg == "data" and isinstance(keyword.value, ast.Dict):
                keys |= {str(k.value) for k in keyword.value.keys if isinstance(k, ast.Constant)}
    assert {"fields", "person", "candidates"} <= keys
    assert not keys - set(readable.KEYS), sorted(keys - set(readable.KEYS))
    # Their Polish: ``manage.py translations check`` fails on any word left untranslated.


def _entry_page(client: Client, entry: AuditEntry, language: str = "en") -> str:
    response = client.get(f"/privacy/audit/entries/{entry.seq}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return text(response).split("<dl", 1)[1].split("</dl>\n", 1)[0]


def test_an_entry_reads_as_words(centre: dict[Role, Persona], world: World) -> None:
    manager = centre[Role.CASE_MANAGER].user
    specialist = centre[Role.SPECIALIST].user
    client = Client()
    force_sign_in(client, centre[Role.DPO].user)
    team = record(
        "case.team_changed",
        actor=manager,
        target=world.case,
        data={"user": str(specialist.code), "role": "specialist"},
    )
    page = _entry_page(client, team)
    assert (
        "Case team changed" in page
        and '<code class="small text-body-secondary ms-1">case.team_changed</code>' in page
    )
    case = f'<a href="/privacy/audit/seen/cases.case/{world.case.code}/">'
    assert f"{case}Case {world.case.reference}</a>" in page
    assert "Staff member" in page and specialist.full_name in page
    assert "{" not in page and "': " not in page  # no dict as Python writes it
    added = record(
        "case.client_added",
        actor=manager,
        target=world.case,
        data={"person": str(world.person.code)},
    )
    page = _entry_page(client, added)
    person = f'<a href="/privacy/audit/people/{world.person.code}/">'
    assert f"{person}Person {str(world.person.code)[:8]}</a>" in page
    assert "Olena" not in page


def test_field_names_are_their_models_words(centre: dict[Role, Persona], world: World) -> None:
    client = Client()
    force_sign_in(client, centre[Role.DPO].user)
    changed = record(
        "person.updated",
        actor=centre[Role.CASE_MANAGER].user,
        target=world.person,
        data={"fields": ["name", "phone", "no_such_field"]},
    )
    english = _entry_page(client, changed)
    assert "Person changed" in english and "name, phone, no_such_field" in english
    assert "Fields <code>fields</code>" in english  # the key as written, beside its words
    polish = _entry_page(client, changed, "pl")
    assert "Zmiana danych osoby" in polish and "Pola" in polish
    assert "telefon" in polish and "no_such_field" in polish
    contact = record(
        "contact.saved",
        actor=centre[Role.COUNSELLOR].user,
        target=world.contact,
        data={"fields": ["channel", "purposes"]},
    )
    assert "channel, purposes" in _entry_page(client, contact)  # a field and a relation


def test_values_of_every_shape(centre: dict[Role, Persona], world: World) -> None:
    client = Client()
    force_sign_in(client, centre[Role.DPO].user)
    settings_changed = record(
        "duty_settings.changed",
        actor=centre[Role.COORDINATOR].user,
        data={
            "hours": {"mon": ["09:00", "17:00"]},
            "escalate_after_minutes": 15,
            "certificate": False,
            "assessment": None,
            "type": "people.person",
            "record": "7a7a7a7a-0000-4000-8000-000000000000",
            "lists": [],
        },
    )
    page = _entry_page(client, settings_changed)
    assert "Office hours" in page and "mon: 09:00, 17:00" in page
    assert "escalate after minutes" in page and ">15<" in page.replace("\n", "")
    assert "Certificate issued" in page and ">no<" in page.replace("\n", "").replace(" ", "")
    assert "Record type" in page and "Person" in page
    assert "7a7a7a7a" in page and "/privacy/audit/seen/" not in page.split("Record type")[1]
    polish = _entry_page(client, settings_changed, "pl")
    assert "Godziny pracy biura" in polish and "nie" in polish


def test_stored_choices_read_as_their_labels(centre: dict[Role, Persona], world: World) -> None:
    """A choice's stored value ("goals_met", "adult_labour") is shown by its label, the
    record's own field's first (a case's ``status``), else any of Ostoja's vocabularies."""
    client = Client()
    force_sign_in(client, centre[Role.DPO].user)
    closed = record(
        "case.status_changed",
        actor=centre[Role.CASE_MANAGER].user,
        target=world.case,
        data={"status": "closed", "reason": "goals_met", "lists": ["adult_labour"]},
    )
    page = _entry_page(client, closed)
    assert "Support plan completed" in page and "Adults — labour exploitation" in page
    assert "goals_met" not in page and "adult_labour" not in page
    polish = _entry_page(client, closed, "pl")
    assert "Plan wsparcia zrealizowany" in polish and "Zamknięta" in polish


def test_purposes_and_records_in_words(centre: dict[Role, Persona], world: World) -> None:
    client = Client()
    force_sign_in(client, centre[Role.DPO].user)
    client.get(f"/privacy/audit/seen/cases.case/{world.case.code}/")
    reviewed = AuditEntry.objects.filter(action="audit.reviewed").latest("seq")
    page = _entry_page(client, reviewed)
    assert "Audit trail reviewed" in page and "Who has seen a record" in page
    client.post("/privacy/find/case/", {"case-number": "1", "case-purpose": "breach"})
    searched = AuditEntry.objects.filter(action="audit.searched").latest("seq")
    page = _entry_page(client, searched)
    assert "A personal data breach being investigated" in page
    assert "Searched by" in page and "Records found" in page
    staff = record(
        "user.viewed", actor=centre[Role.ADMINISTRATOR].user, target=centre[Role.COUNSELLOR].user
    )
    page = _entry_page(client, staff)
    assert f"{centre[Role.COUNSELLOR].user.full_name} (staff)" in page
    entry_of_entry = _entry_page(
        client, AuditEntry.objects.filter(action="audit.reviewed").earliest("seq")
    )
    assert "Case " in entry_of_entry


def test_the_list_reads_in_polish(centre: dict[Role, Persona], world: World) -> None:
    client = Client()
    force_sign_in(client, centre[Role.DPO].user)
    page = text(client.get("/privacy/audit/", HTTP_ACCEPT_LANGUAGE="pl"))
    rows = page.split("<tbody>", 1)[1]
    assert "Założenie nowej sprawy" in rows and "Rozpoczęcie interwencji kryzysowej" in rows
    assert "Klienci:" in rows or "Klienci" in rows
    assert f'href="/privacy/audit/people/{world.person.code}/"' in rows


def test_names_are_known_only_within_the_readers_organisation(
    centre: dict[Role, Persona], other_dpo: Persona, world: World
) -> None:
    entry = record(
        "case.team_changed",
        actor=centre[Role.CASE_MANAGER].user,
        target=world.case,
        data={"user": str(centre[Role.SPECIALIST].user.code)},
    )
    [theirs] = readable.rows([entry], other_dpo.user)
    assert theirs.record is not None and world.case.reference not in theirs.record.text
    assert centre[Role.SPECIALIST].user.full_name not in str(theirs.details)
    nobody = readable.names([entry], centre[Role.DPO].user, links=False)
    assert nobody.target("cases.case", str(world.case.code)).url == ""
    assert readable.type_label("no.such_model") == "no.such_model"
    assert readable.type_label("nonsense") == "nonsense"


def test_a_break_the_glass_and_records_of_no_known_kind(
    centre: dict[Role, Persona], world: World
) -> None:
    coordinator = centre[Role.COORDINATOR].user
    glass = record(
        "access.glass_broken",
        actor=coordinator,
        target_type="cases.case",
        target_code=str(world.restricted.code),
        purpose="emergency",
        data={"minutes": 60},
    )
    odd = record(
        "sample.viewed",
        actor=coordinator,
        target_type="nowhere.thing",
        target_code="x1",
        data={"fields": ["name"], "extra_thing": "y"},
    )
    untargeted = record("person.listed", actor=coordinator, data={"fields": ["name"]})
    with translation.override("en"):
        rows = readable.rows([glass, odd, untargeted], centre[Role.DPO].user)
    assert rows[0].purpose == "Emergency: the client's safety is at stake"
    assert rows[0].label == "Emergency access to a record (break the glass)"
    assert rows[1].label == "sample.viewed" and rows[1].record == readable.Value(
        "nowhere.thing x1", "/privacy/audit/seen/nowhere.thing/x1/"
    )
    assert [(d.label, d.key, [v.text for v in d.values]) for d in rows[1].details] == [
        ("Fields", "fields", ["name"]),
        ("extra thing", "extra_thing", ["y"]),
    ]
    assert rows[2].record is None and rows[2].details[0].values == [readable.Value("name")]
