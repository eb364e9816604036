"""Subject-rights requests (GDPR Art. 15-17; issue #19): nothing before the person's
identity was verified in person, nothing produced or carried out by one person alone, and
a copy of everything the inventory lists about the person — with the disclosure ledger and
the consultations of their records — that names nobody else and no place anyone stays."""

import datetime as dt
import io
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader
from pytest_django.fixtures import Settings

from ostoja.accounts.models import User
from ostoja.accounts.policy import TeamRole
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.audit.trail import record
from ostoja.cases.access import access_case
from ostoja.cases.models import Case, Consent, Decision, Note, Service
from ostoja.cases.services import case_open, case_record_add, team_set
from ostoja.helpline.services import contact_link, contact_save, contact_start
from ostoja.identification.services import assessment_start
from ostoja.interventions.services import intervention_open
from ostoja.lib.inventory import inventoried, rows_about
from ostoja.network.models import Disclosure
from ostoja.network.services import partner_add, referral_send
from ostoja.people.models import Person
from ostoja.people.services import person_create, relation_add
from ostoja.privacy import services, subject_access
from ostoja.privacy.access import (
    MANAGER,
    access_person_requests,
    access_subject_request,
    requests_visible_to,
)
from ostoja.privacy.models import SubjectRequest
from ostoja.privacy.related import merged_into
from ostoja.shelter.models import Facility
from ostoja.shelter.services import facility_create, placement_admit, placement_reserve
from ostoja.test import Persona, force_sign_in, make_user, text

pytestmark = pytest.mark.django_db
ADDRESS = "ul. Tajemnicza 17, 31-000 Kraków"
SHELTER = "Schronisko Jarzębina"
BROTHER = "Iwan Bratowicz"
COWORKER = "Marta Współpracownica"
PERPETRATOR = "Zbigniew Handlarz"


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path


@dataclass
class Client_:
    """The client with records in many apps, and the names that must not reach the copy."""

    person: Person
    case: Case
    group_case: Case
    disclosure: Disclosure


def _client(persona: Persona | User) -> Client:
    client = Client()
    force_sign_in(client, persona.user if isinstance(persona, Persona) else persona)
    return client


@pytest.fixture
def world(centre: dict[Role, Persona], client_person: Person, case: Case) -> Client_:
    """The client (of ``case``) with a brother, a co-worker on a group case, notes naming
    them, a perpetrator, a shelter stay, a helpline contact, an intervention, an
    identification, services, decisions, a consent and a referral that left the centre."""
    manager = centre[Role.CASE_MANAGER].user
    coordinator = centre[Role.COORDINATOR].user
    counsellor = centre[Role.COUNSELLOR].user
    organisation = manager.organisation
    assert organisation is not None
    brother = person_create(organisation=organisation, data={"name": BROTHER}, acting_user=manager)
    relation_add(
        person=client_person,
        other=brother,
        kind="family",
        note=f"{BROTHER} pomaga",
        acting_user=manager,
    )
    coworker = person_create(
        organisation=organisation, data={"name": COWORKER}, acting_user=manager
    )
    group_case = case_open(
        organisation=organisation,
        clients=[client_person, coworker],
        manager=manager,
        data={
            "summary": f"Olena i {COWORKER} pracowały w szklarni.",
            "perpetrator_notes": f"{PERPETRATOR}, właściciel szklarni",
        },
        acting_user=manager,
    )
    today = timezone.localdate()
    for instance in (
        Note(text=f"Olena mieszka w {SHELTER}, {ADDRESS}; brat {BROTHER} dzwonił."),
        Service(
            client=client_person,
            kind="legal",
            legal_area="criminal",
            delivered_on=today,
            details="Porada prawna",
            provided_by=manager,
        ),
        Decision(
            client=client_person,
            kind="cooperation",
            choice="yes",
            decided_on=today,
            information=["rights"],
        ),
    ):
        case_record_add(case=case, instance=instance, acting_user=manager)
    consent = Consent(
        client=client_person,
        scope="share_org",
        recipient="OIK Kraków",
        shares=["identity", "contact"],
        method="written",
        given_on=today,
    )
    case_record_add(case=case, instance=consent, acting_user=manager)
    partner = partner_add(
        organisation=organisation,
        data={"name": "OIK Kraków", "kind": "crisis_centre", "email": "oik@oik.example"},
        acting_user=manager,
    )
    referral = referral_send(
        access=access_case(manager, case.code, write=True),
        client=client_person,
        partner=partner,
        service=None,
        reason="Hostel",
        answer_due=today + dt.timedelta(days=14),
        acting_user=manager,
    )
    contact = contact_start(organisation=organisation, acting_user=counsellor)
    contact_save(contact=contact, data={"summary": "Dzwoniła Olena"}, acting_user=counsellor)
    contact_link(
        contact=contact,
        target_type="people.person",
        target_code=str(client_person.code),
        acting_user=manager,
    )
    intervention_open(
        organisation=organisation,
        data={"situation": "danger"},
        acting_user=counsellor,
        people=[client_person],
    )
    assessment_start(
        person=client_person,
        mode="full",
        exploitation=["labour"],
        age_at_exploitation=30,
        case=case,
        acting_user=manager,
    )
    facility = facility_create(
        organisation=organisation,
        data={
            "name": SHELTER,
            "kind": Facility.Kind.SHELTER,
            "takes_women": True,
            "phone": "+48 22 100 20 30",
            "address": ADDRESS,
        },
        rooms=[("1", 1)],
        acting_user=coordinator,
    )
    bed = facility.rooms.get().beds.get()
    placement = placement_reserve(person=client_person, bed=bed, case=case, acting_user=coordinator)
    placement_admit(
        placement=placement,
        at=timezone.now() - dt.timedelta(hours=1),
        brought_by="staff",
        arrived_with=f"Z {BROTHER}",
        expected_departure=None,
        acting_user=coordinator,
    )
    record("person.viewed", actor=counsellor, target=client_person)
    return Client_(client_person, case, group_case, referral.disclosure)


def _approved(
    centre: dict[Role, Persona], person: Person, kind: str = "access", **data: str
) -> SubjectRequest:
    """A request registered, verified and approved by the case manager and the DPO."""
    manager = centre[Role.CASE_MANAGER].user
    found = services.request_receive(
        person=person, kind=kind, data={"channel": "in_person", **data}, acting_user=manager
    )
    services.request_verify(
        subject_request=found, evidence="passport", note="", acting_user=manager
    )
    services.request_approve(subject_request=found, acting_user=manager)
    return services.request_approve(subject_request=found, acting_user=centre[Role.DPO].user)


def _reached(person: Person) -> dict[str, set[str]]:
    """Every inventoried row about the person (or a duplicate merged into them), by model:
    straight from the inventory's own ``rows_about`` (contacts linked to them included)."""
    reached: dict[str, set[str]] = {}
    for one in merged_into(person):
        for model, _inventory, rows in rows_about(one):
            keys = {str(getattr(row, "code", row.pk)) for row in rows}
            if keys:
                reached.setdefault(model._meta.label_lower, set()).update(keys)
    return reached


def _strangers(centre: dict[Role, Persona]) -> list[str]:
    staff = [persona.user.full_name for persona in centre.values()]
    return [BROTHER, COWORKER, PERPETRATOR, ADDRESS, SHELTER, "Tajemnicza", *staff]


def test_the_copy_holds_everything_the_inventory_lists_and_nobody_else(
    centre: dict[Role, Persona], world: Client_
) -> None:
    found = _approved(centre, world.person)
    # What the inventory reaches before the copy (whose own ledger entry comes after it).
    reached = _reached(world.person)
    response = _client(centre[Role.CASE_MANAGER]).get(f"/privacy/requests/{found.code}/copy.json")
    assert response.status_code == 200
    copy = json.loads(response.content)
    parts = {part["model"]: {r["record"] for r in part["records"]} for part in copy["records"]}
    parts[copy["disclosures"]["model"]] = {r["record"] for r in copy["disclosures"]["records"]}
    assert {"people.person", "cases.case", "cases.note", "shelter.placement"} <= set(reached)
    assert "helpline.contact" in reached  # linked to her, not naming her: still hers
    for model, keys in reached.items():
        assert keys <= parts.get(model, set()), model
    # Every field the inventory marks is in each of the model's records.
    marked = {m._meta.label_lower: set(i.fields) for m, i in inventoried()}
    for part in copy["records"]:
        for row in part["records"]:
            assert marked.get(part["model"], set()) <= set(row["fields"]), part["model"]
    # The ledger: the referral that left the centre, to whom.
    ledger = copy["disclosures"]["records"]
    assert [r["record"] for r in ledger] == [str(world.disclosure.code)]
    assert "OIK Kraków" in json.dumps(ledger, ensure_ascii=False)
    # The consultations: when and what, never who.
    assert copy["consultations"]
    assert all(set(c) == {"at", "what", "purpose"} for c in copy["consultations"])
    # The person's own data is there; nobody else's name, no shelter, no staff.
    dump = json.dumps(copy, ensure_ascii=False)
    assert "Олена Шевченко" in dump and "słonecznik" in dump
    for name in _strangers(centre):
        assert name not in dump, name
    assert str(subject_access.Withheld.PLACE) in dump
    # The PDF too.
    pdf = _client(centre[Role.CASE_MANAGER]).get(f"/privacy/requests/{found.code}/copy.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Olena Shevchenko" in words
    for name in _strangers(centre):
        assert name not in words, name


def test_each_copy_is_audited_and_in_the_ledger(
    centre: dict[Role, Persona], world: Client_
) -> None:
    found = _approved(centre, world.person)
    before = Disclosure.objects.count()
    _client(centre[Role.CASE_MANAGER]).get(f"/privacy/requests/{found.code}/copy.pdf")
    entry = AuditEntry.objects.get(action="subject_request.exported")
    assert entry.target_code == str(world.person.code)
    assert entry.data["request"] == str(found.code) and entry.data["format"] == "pdf"
    found.refresh_from_db()
    assert found.status == SubjectRequest.Status.DONE
    assert found.done_by == centre[Role.CASE_MANAGER].user
    # The ledger: to the person themselves, everything, on their own request.
    assert Disclosure.objects.count() == before + 1
    given = Disclosure.objects.latest("pk")
    assert given.person == world.person and given.partner is None
    assert given.recipient == "data_subject" and given.kind == "subject_access"
    assert given.basis == "subject_request" and given.parts == ["everything"]
    assert given.by == centre[Role.CASE_MANAGER].user
    # A second download is a second disclosure.
    _client(centre[Role.CASE_MANAGER]).get(f"/privacy/requests/{found.code}/copy.json")
    assert Disclosure.objects.count() == before + 2
    # The next copy lists them, in words.
    ledger = subject_access.build(world.person, "en").ledger
    shown = [{v.name: v.value for v in row.values} for row in ledger.rows]
    assert [row["recipient"] for row in shown][-2:] == ["The data subject"] * 2
    assert shown[-1]["parts"] == ["Everything held about the person"]


def test_one_approval_alone_produces_nothing(centre: dict[Role, Persona], world: Client_) -> None:
    manager = centre[Role.CASE_MANAGER]
    found = services.request_receive(
        person=world.person, kind="access", data={"channel": "letter"}, acting_user=manager.user
    )
    # Identity not verified: no approval, no copy.
    with pytest.raises(ValidationError):
        services.request_approve(subject_request=found, acting_user=manager.user)
    with pytest.raises(ValidationError):
        services.access_export(subject_request=found, fmt="json", acting_user=manager.user)
    services.request_verify(
        subject_request=found, evidence="national_id", note="", acting_user=manager.user
    )
    # The case manager's approval alone: refused.
    services.request_approve(subject_request=found, acting_user=manager.user)
    response = _client(manager).get(f"/privacy/requests/{found.code}/copy.json")
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="subject_request.exported").exists()
    # The same person cannot approve a second time, in any capacity.
    with pytest.raises(ValidationError):
        services.request_approve(subject_request=found, acting_user=manager.user)
    # Nobody but the DPO and the case managers approves: not a coordinator who sees the
    # person, not the specialist on the case.
    for role in (Role.COORDINATOR, Role.SPECIALIST):
        with pytest.raises(PermissionDenied):
            services.request_approve(subject_request=found, acting_user=centre[role].user)
    found.refresh_from_db()
    assert found.status == SubjectRequest.Status.VERIFIED
    # With the DPO's approval too, it is produced — by the case manager, never by the DPO.
    services.request_approve(subject_request=found, acting_user=centre[Role.DPO].user)
    with pytest.raises(PermissionDenied):
        services.access_export(subject_request=found, fmt="json", acting_user=centre[Role.DPO].user)
    assert (
        _client(centre[Role.DPO]).get(f"/privacy/requests/{found.code}/copy.json").status_code
        == 403
    )
    assert _client(manager).get(f"/privacy/requests/{found.code}/copy.json").status_code == 200


def test_the_dpos_approval_alone_produces_nothing(
    centre: dict[Role, Persona], world: Client_
) -> None:
    manager = centre[Role.CASE_MANAGER].user
    found = services.request_receive(
        person=world.person, kind="access", data={"channel": "in_person"}, acting_user=manager
    )
    services.request_verify(subject_request=found, evidence="known", note="", acting_user=manager)
    services.request_approve(subject_request=found, acting_user=centre[Role.DPO].user)
    with pytest.raises(ValidationError):
        services.access_export(subject_request=found, fmt="pdf", acting_user=manager)
    with pytest.raises(ValidationError):
        services.request_approve(subject_request=found, acting_user=centre[Role.DPO].user)


def test_two_different_people_are_enforced_by_the_database(
    centre: dict[Role, Persona], world: Client_
) -> None:
    """Even a bug in the services could not let one user fill both approvals: one role per
    user (a DPO cannot be a case manager), and the table refuses the same user twice."""
    manager = centre[Role.CASE_MANAGER].user
    found = services.request_receive(
        person=world.person, kind="access", data={"channel": "in_person"}, acting_user=manager
    )
    assert services.capacity_of(manager, found) == services.MANAGER
    assert services.capacity_of(centre[Role.DPO].user, found) == services.DPO
    with pytest.raises(IntegrityError), transaction.atomic():
        SubjectRequest.objects.filter(pk=found.pk).update(
            manager_approved_by=manager, dpo_approved_by=manager
        )


def test_the_identity_is_verified_by_a_case_manager_only(
    centre: dict[Role, Persona], world: Client_
) -> None:
    manager = centre[Role.CASE_MANAGER]
    found = services.request_receive(
        person=world.person, kind="access", data={"channel": "email"}, acting_user=manager.user
    )
    page = _client(centre[Role.DPO]).post(
        f"/privacy/requests/{found.code}/verify/", {"evidence": "passport", "confirm": "on"}
    )
    assert page.status_code == 403
    # Without confirming the meeting: refused, with the form again.
    page = _client(manager).post(
        f"/privacy/requests/{found.code}/verify/", {"evidence": "passport"}
    )
    assert page.status_code == 400
    page = _client(manager).post(
        f"/privacy/requests/{found.code}/verify/",
        {"evidence": "passport", "note": "", "confirm": "on"},
    )
    assert page.status_code == 302
    found.refresh_from_db()
    assert found.verified_by == manager.user and found.evidence == "passport"
    entry = AuditEntry.objects.get(action="subject_request.verified")
    assert entry.data == {"request": str(found.code), "evidence": "passport"}


def test_the_whole_flow_through_the_pages(centre: dict[Role, Persona], world: Client_) -> None:
    manager, dpo = _client(centre[Role.CASE_MANAGER]), _client(centre[Role.DPO])
    person_page = text(manager.get(f"/people/{world.person.code}/"))
    assert f"/privacy/people/{world.person.code}/requests/" in person_page
    response = manager.post(
        f"/privacy/people/{world.person.code}/requests/",
        {"kind": "access", "received_on": timezone.localdate().isoformat(), "channel": "in_person"},
    )
    assert response.status_code == 302
    found = SubjectRequest.objects.get()
    detail = f"/privacy/requests/{found.code}/"
    assert "Olena Shevchenko" in text(manager.get(detail))
    manager.post(f"{detail}verify/", {"evidence": "passport", "confirm": "on"})
    assert manager.post(f"{detail}approve/").status_code == 302
    # The DPO's list and page: codes and case numbers, never the name.
    listing = text(dpo.get("/privacy/requests/"))
    assert world.case.reference in listing and str(found.code) in listing
    page = text(dpo.get(detail))
    assert world.case.reference in page
    for shown in (listing, page):
        assert "Olena" not in shown and "Олена" not in shown
    assert dpo.post(f"{detail}approve/").status_code == 302
    found.refresh_from_db()
    assert found.status == SubjectRequest.Status.APPROVED
    assert "copy.pdf" in text(manager.get(detail))
    assert "copy.pdf" not in text(dpo.get(detail))


def test_rectification_goes_through_the_people_service(
    centre: dict[Role, Persona], world: Client_
) -> None:
    found = _approved(
        centre, world.person, kind="rectification", field="birth_date", correction="1994-06-01"
    )
    manager = _client(centre[Role.CASE_MANAGER])
    assert manager.post(f"/privacy/requests/{found.code}/rectify/").status_code == 302
    world.person.refresh_from_db()
    assert world.person.birth_date == dt.date(1994, 6, 1)
    updated = AuditEntry.objects.get(action="person.updated", target_code=str(world.person.code))
    assert updated.data == {"fields": ["birth_date"]}
    rectified = AuditEntry.objects.get(action="subject_request.rectified")
    assert rectified.data == {"request": str(found.code), "fields": ["birth_date"]}
    found.refresh_from_db()
    assert found.status == SubjectRequest.Status.DONE and found.outcome == {
        "fields": ["birth_date"]
    }
    # Once: a second correction is refused.
    with pytest.raises(ValidationError):
        services.request_rectify(subject_request=found, acting_user=centre[Role.CASE_MANAGER].user)


def test_a_rectification_names_a_valid_correction(
    centre: dict[Role, Persona], world: Client_
) -> None:
    manager = _client(centre[Role.CASE_MANAGER])
    response = manager.post(
        f"/privacy/people/{world.person.code}/requests/",
        {
            "kind": "rectification",
            "received_on": timezone.localdate().isoformat(),
            "channel": "letter",
            "field": "birth_date",
            "correction": "the first of June",
        },
    )
    assert response.status_code == 400
    assert not SubjectRequest.objects.exists()


def test_erasure_is_refused_on_a_ground_the_dpo_records(
    centre: dict[Role, Persona], world: Client_
) -> None:
    found = _approved(centre, world.person, kind="erasure")
    manager = centre[Role.CASE_MANAGER].user
    # An Art. 17(3) ground is the DPO's.
    with pytest.raises(ValidationError):
        services.request_refuse(
            subject_request=found, reason="legal_claims", note="", acting_user=manager
        )
    response = _client(centre[Role.DPO]).post(
        f"/privacy/requests/{found.code}/refuse/",
        {"reason": "legal_claims", "note": "Postępowanie karne w toku."},
    )
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.status == SubjectRequest.Status.REFUSED and found.refusal == "legal_claims"
    assert found.refusal_note == "Postępowanie karne w toku."
    assert AuditEntry.objects.get(action="subject_request.refused").data == {
        "request": str(found.code),
        "reason": "legal_claims",
    }
    world.person.refresh_from_db()
    assert world.person.name == "Олена Шевченко"


def test_the_copy_is_in_the_persons_language_or_says_it_is_not(
    centre: dict[Role, Persona], world: Client_
) -> None:
    world.person.preferred_language = "ukr"
    assert subject_access.language_for(world.person) == ("en", True)
    world.person.preferred_language = "pol"
    assert subject_access.language_for(world.person) == ("pl", False)
    world.person.preferred_language = "eng"
    copy = subject_access.build(world.person)
    assert copy.language == "en" and not copy.fallback
    assert copy.section("people.person") is not None
    assert copy.section("people.person").title == "people"  # type: ignore[union-attr]
    polish = subject_access.build(world.person, "pl")
    assert polish.section("people.person").title == "osoby"  # type: ignore[union-attr]


def test_who_may_open_what(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    other_dpo: Persona,
    world: Client_,
) -> None:
    found = _approved(centre, world.person)
    pages = {
        f"/privacy/people/{world.person.code}/requests/": {Role.CASE_MANAGER},
        f"/privacy/requests/{found.code}/": {Role.CASE_MANAGER, Role.DPO},
        f"/privacy/requests/{found.code}/copy.pdf": {Role.CASE_MANAGER},
        f"/privacy/requests/{found.code}/copy.json": {Role.CASE_MANAGER},
    }
    elsewhere = other_centre[Role.ADMINISTRATOR].user.organisation
    outsiders = {
        Role.DPO: other_dpo,
        Role.CASE_MANAGER: make_user(elsewhere, Role.CASE_MANAGER),
        **other_centre,
    }
    for path, allowed in pages.items():
        for role, persona in centre.items():
            status = _client(persona).get(path).status_code
            if role in allowed:
                assert status == 200, (path, role, status)
            else:
                assert status in (403, 404), (path, role, status)
        # Another centre: missing for the roles that could open it, refused for the rest.
        for role, outsider in outsiders.items():
            status = _client(outsider).get(path).status_code
            assert status == 404 if role in allowed else status in (403, 404), (path, role)
    # The DPO's list: the DPO only; another centre's DPO lists its own (none of these).
    for role, persona in centre.items():
        status = _client(persona).get("/privacy/requests/").status_code
        assert status == 200 if role == Role.DPO else status == 403, role
    assert str(found.code) not in text(_client(other_dpo).get("/privacy/requests/"))
    # The writes: the DPO's and the case manager's only; another centre gets 404.
    for action in ("verify", "approve", "refuse", "rectify", "erase"):
        path = f"/privacy/requests/{found.code}/{action}/"
        for role in (Role.COUNSELLOR, Role.SPECIALIST, Role.COORDINATOR, Role.ANALYST):
            assert _client(centre[role]).post(path).status_code == 403, (action, role)
        for role in (Role.DPO, Role.CASE_MANAGER, Role.COORDINATOR):
            assert _client(outsiders[role]).post(path).status_code == 404, (action, role)


def test_a_case_manager_of_another_team_gets_404(
    centre: dict[Role, Persona], world: Client_
) -> None:
    other_manager = make_user(
        centre[Role.CASE_MANAGER].user.organisation, Role.CASE_MANAGER, email="cm2@staff.test"
    )
    found = _approved(centre, world.person)
    for path in (
        f"/privacy/people/{world.person.code}/requests/",
        f"/privacy/requests/{found.code}/",
        f"/privacy/requests/{found.code}/copy.json",
    ):
        assert _client(other_manager).get(path).status_code == 404, path
    # A specialist on the person's case sees the person but does not manage them: 403.
    team_set(
        case=world.case,
        user=other_manager.user,
        role=TeamRole.MEMBER,
        acting_user=centre[Role.CASE_MANAGER].user,
    )
    assert _client(other_manager).get(f"/privacy/requests/{found.code}/").status_code == 403
    assert "/requests/" not in text(_client(other_manager).get(f"/people/{world.person.code}/"))


def test_the_pages_write_their_reads(centre: dict[Role, Persona], world: Client_) -> None:
    found = _approved(centre, world.person)
    _client(centre[Role.CASE_MANAGER]).get(f"/privacy/people/{world.person.code}/requests/")
    _client(centre[Role.DPO]).get(f"/privacy/requests/{found.code}/")
    _client(centre[Role.DPO]).get("/privacy/requests/")
    listed = AuditEntry.objects.filter(action="subject_request.listed")
    assert listed.filter(actor=centre[Role.CASE_MANAGER].user).get().target_code == str(
        world.person.code
    )
    assert listed.filter(actor=centre[Role.DPO].user).exists()
    viewed = AuditEntry.objects.get(action="subject_request.viewed")
    assert viewed.actor == centre[Role.DPO].user and viewed.data == {"request": str(found.code)}


def test_the_deadline_is_one_month_from_receipt(
    centre: dict[Role, Persona], world: Client_
) -> None:
    found = services.request_receive(
        person=world.person,
        kind="access",
        data={"channel": "letter", "received_on": dt.date(2026, 1, 31)},
        acting_user=centre[Role.CASE_MANAGER].user,
    )
    assert found.deadline == dt.date(2026, 2, 28)
    assert found.overdue
    page = text(_client(centre[Role.DPO]).get("/privacy/requests/"))
    assert "2026-02-28" in page


def test_an_approved_erasure_anonymises_the_person(
    centre: dict[Role, Persona], world: Client_
) -> None:
    found = _approved(centre, world.person, kind="erasure", details="Proszę usunąć moje dane.")
    response = _client(centre[Role.DPO]).post(f"/privacy/requests/{found.code}/erase/")
    assert response.status_code == 302
    person = Person.objects.get(pk=world.person.pk)
    assert not person.name and not person.phone and person.birth_date is None
    anonymised = AuditEntry.objects.get(action="person.anonymised")
    assert anonymised.purpose == "erasure" and anonymised.actor == centre[Role.DPO].user
    erased = AuditEntry.objects.get(action="subject_request.erased")
    assert erased.data["request"] == str(found.code)
    found = SubjectRequest.objects.get(pk=found.pk)
    assert found.status == SubjectRequest.Status.DONE
    assert found.done_by == centre[Role.DPO].user
    # The request's own notes went with the rest; its steps stay on record.
    assert not found.details and found.verified_at and found.dpo_approved_at
    with pytest.raises(ValidationError):
        services.request_erase(subject_request=found, acting_user=centre[Role.DPO].user)


def test_an_erasure_under_a_legal_hold_is_refused_with_its_reason(
    centre: dict[Role, Persona], world: Client_
) -> None:
    dpo = centre[Role.DPO].user
    assert dpo.organisation is not None
    services.hold_set(
        organisation=dpo.organisation,
        case=world.case,
        reason="proceedings",
        note="",
        ends_on=timezone.localdate() + dt.timedelta(days=90),
        acting_user=dpo,
    )
    found = _approved(centre, world.person, kind="erasure")
    response = _client(centre[Role.CASE_MANAGER]).post(f"/privacy/requests/{found.code}/erase/")
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.status == SubjectRequest.Status.REFUSED and found.refusal == "legal_hold"
    assert found.refused_by == centre[Role.CASE_MANAGER].user
    assert AuditEntry.objects.get(action="subject_request.refused").data["reason"] == "legal_hold"
    assert not AuditEntry.objects.filter(action="person.anonymised").exists()
    assert Person.objects.get(pk=world.person.pk).name == "Олена Шевченко"


def test_an_erasure_needs_both_approvals(centre: dict[Role, Persona], world: Client_) -> None:
    manager = centre[Role.CASE_MANAGER].user
    found = services.request_receive(
        person=world.person, kind="erasure", data={"channel": "in_person"}, acting_user=manager
    )
    services.request_verify(
        subject_request=found, evidence="passport", note="", acting_user=manager
    )
    services.request_approve(subject_request=found, acting_user=manager)
    with pytest.raises(ValidationError):
        services.request_erase(subject_request=found, acting_user=manager)
    assert Person.objects.get(pk=world.person.pk).name == "Олена Шевченко"
    with pytest.raises(PermissionDenied):
        services.request_erase(subject_request=found, acting_user=centre[Role.COORDINATOR].user)


def test_the_access_rules_of_requests(centre: dict[Role, Persona], world: Client_) -> None:
    found = _approved(centre, world.person)
    manager, dpo = centre[Role.CASE_MANAGER].user, centre[Role.DPO].user
    assert access_subject_request(manager, found.code).capacity == MANAGER
    assert access_subject_request(dpo, found.code).dpo
    assert list(requests_visible_to(dpo)) == [found]
    # Nobody else lists them, whatever page would ask.
    for role in (Role.CASE_MANAGER, Role.COORDINATOR, Role.ADMINISTRATOR):
        assert not requests_visible_to(centre[role].user).exists()
    # A code that names nothing: missing, for the DPO and the case manager alike.
    for user in (manager, dpo):
        with pytest.raises(Http404):
            access_subject_request(user, uuid.uuid4())
    with pytest.raises(Http404):
        access_person_requests(manager, uuid.uuid4())
    with pytest.raises(PermissionDenied):
        access_person_requests(dpo, world.person.code)
    assert access_person_requests(manager, world.person.code) == world.person


def test_the_request_of_an_erased_person_says_so(
    centre: dict[Role, Persona], world: Client_
) -> None:
    found = _approved(centre, world.person, kind="erasure")
    services.request_erase(subject_request=found, acting_user=centre[Role.CASE_MANAGER].user)
    page = text(_client(centre[Role.CASE_MANAGER]).get(f"/privacy/requests/{found.code}/"))
    assert "an anonymised person" in page or "osoba zanonimizowana" in page
    assert "None" not in page
