"""The disclosure ledger for everything that leaves the centre: each way out writes exactly
one entry through its real view (a referral, the case's summary and the assessment summary
handed over, a statistics export by download, in the background and from the command
line, the annual report), none without saying to whom or under which basis; the entries
show on the person's page to whoever may see the person, and on the DPO's page by kind and
recipient, with codes, never names."""

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings

from ostoja.accounts import disclosures as ledger
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.access import access_case
from ostoja.cases.models import Case, Consent
from ostoja.cases.services import case_open, case_record_add
from ostoja.identification.services import assessment_start
from ostoja.network.models import Disclosure
from ostoja.network.services import partner_add, referral_send
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db
DPO_PAGE = "/privacy/disclosures/"


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


def _consent(case: Case, person: Person, manager: Persona, scope: str = "share_police") -> Consent:
    consent = Consent(
        client=person,
        scope=scope,
        recipient="" if scope == "share_police" else "La Strada",
        shares=["identity", "context"],
        method="written",
        given_on=dt.date(2026, 11, 2),
    )
    case_record_add(case=case, instance=consent, acting_user=manager.user)
    return consent


def _one_new(before: set[int]) -> Disclosure:
    new = list(Disclosure.objects.exclude(pk__in=before))
    assert len(new) == 1, new
    return new[0]


def _ids() -> set[int]:
    return set(Disclosure.objects.values_list("pk", flat=True))


def test_the_case_summary_handed_over_is_one_entry_naming_to_whom(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    manager = centre[Role.CASE_MANAGER]
    consent = _consent(case, client_person, manager)
    client = _client(manager)
    url = f"/cases/{case.code}/summary.pdf"
    # The form asks to whom; without it nothing is made and nothing recorded.
    assert client.get(url, {"consent": str(consent.code), "to": "  "}).status_code == 302
    assert not Disclosure.objects.exists()
    assert not AuditEntry.objects.filter(action="case.summary_exported").exists()
    before = _ids()
    to = "KWP w Krakowie, Wydział do walki z handlem ludźmi"
    response = client.get(url, {"consent": str(consent.code), "to": to})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    entry = _one_new(before)
    assert (entry.kind, entry.person, entry.case, entry.consent, entry.by) == (
        ledger.Kind.CASE_SUMMARY,
        client_person,
        case,
        consent,
        manager.user,
    )
    assert entry.recipient == "KWP w Krakowie, Wydział do walki z handlem ludźmi"
    assert entry.partner is None and entry.channel == ledger.Channel.DOWNLOAD
    assert entry.basis == ledger.Basis.CONSENT and entry.parts == ["context", "identity"]
    audit = AuditEntry.objects.get(action="disclosure.recorded")
    assert audit.target_code == str(client_person.code) and audit.actor == manager.user
    assert audit.data["disclosure"] == str(entry.code) and audit.data["kind"] == "case_summary"


def test_the_case_page_offers_the_summary_with_the_consents_recipient(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    _consent(case, client_person, centre[Role.CASE_MANAGER], scope="share_org")
    page = text(_client(centre[Role.CASE_MANAGER]).get(f"/cases/{case.code}/section/consent/"))
    assert 'data-testid="summary-form"' in page and 'name="to"' in page
    assert 'value="La Strada"' in page


def test_the_assessment_summary_for_the_police_is_one_entry(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    manager = centre[Role.CASE_MANAGER]
    consent = _consent(case, client_person, manager)
    assessment = assessment_start(
        person=client_person,
        mode="full",
        exploitation=["labour"],
        age_at_exploitation=30,
        acting_user=manager.user,
    )
    client = _client(manager)
    url = f"/identification/assessments/{assessment.code}/summary.pdf"
    asked = {"consent": str(consent.code), "lang": "en"}
    assert client.get(url, asked).status_code == 302  # to whom?
    assert not Disclosure.objects.exists()
    response = client.get(url, asked | {"to": "Placówka Straży Granicznej w Medyce"})
    assert response.status_code == 200
    entry = Disclosure.objects.get()
    assert entry.kind == ledger.Kind.ASSESSMENT_SUMMARY and entry.case == case
    assert entry.recipient == "Placówka Straży Granicznej w Medyce"
    assert entry.parts == ["assessment", "identity"] and entry.document == "assessment_summary_en"
    page = text(client.get(f"/identification/assessments/{assessment.code}/"))
    assert 'data-testid="summary-form"' in page


def test_a_referral_is_one_entry(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    manager = centre[Role.CASE_MANAGER]
    _consent(case, client_person, manager, scope="share_org")
    assert manager.user.organisation is not None
    partner = partner_add(
        organisation=manager.user.organisation,
        data={"name": "La Strada", "kind": "ngo", "email": "biuro@strada.example"},
        acting_user=manager.user,
    )
    response = _client(manager).post(
        f"/network/cases/{case.code}/referrals/",
        {"client": client_person.pk, "partner": partner.pk, "answer_due": "2026-12-20"},
    )
    assert response.status_code == 302
    entry = Disclosure.objects.get()
    assert (entry.kind, entry.partner, entry.recipient_name) == ("referral", partner, "La Strada")
    assert entry.channel == "email" and entry.sent_to == "biuro@strada.example"
    assert AuditEntry.objects.filter(action="disclosure.recorded").count() == 1


def test_every_statistics_export_is_one_entry_to_its_recipient(
    centre: dict[Role, Persona],
    case: Case,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    analyst = centre[Role.ANALYST]
    client = _client(analyst)
    period = {"kind": "htcds", "start": "2025-01-01", "end": "2025-12-31"}
    # The form asks to whom.
    refused = client.get("/reports/exports/download/", period)
    assert refused.status_code == 400 and not Disclosure.objects.exists()
    assert "recipient" in text(refused)
    before = _ids()
    response = client.get("/reports/exports/download/", {**period, "recipient": "IOM Polska"})
    assert response.status_code == 200
    entry = _one_new(before)
    assert (entry.kind, entry.recipient, entry.document) == ("statistics", "IOM Polska", "htcds")
    assert (entry.period_start, entry.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert entry.person is None and entry.case is None and entry.by == analyst.user
    assert entry.parts == ["pseudonymised"] and entry.basis == ledger.Basis.STATISTICS
    # In the background: one entry when it is prepared, none more when it is fetched.
    before = _ids()
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(
            "/reports/exports/download/",
            {**period, "kind": "eurostat", "recipient": "MSWiA", "background": "1"},
        )
    assert queued.status_code == 302
    entry = _one_new(before)
    assert (entry.recipient, entry.parts) == ("MSWiA", ["aggregates"])
    job_page = queued["Location"]
    assert client.get(f"{job_page}file/").status_code == 200
    assert Disclosure.objects.count() == 2
    # From the command line: to whom is required, and no member of staff did it.
    args = ["--start", "2025-01-01", "--end", "2025-12-31", "--organisation", "KCIK"]
    with pytest.raises(Exception, match="recipient"):
        call_command("export_ctdc", str(tmp_path / "ctdc.csv"), *args, stdout=io.StringIO())
    before = _ids()
    call_command(
        "export_ctdc",
        str(tmp_path / "ctdc.csv"),
        *args,
        "--recipient",
        "CTDC",
        stdout=io.StringIO(),
    )
    entry = _one_new(before)
    assert (entry.recipient, entry.by, entry.parts) == ("CTDC", None, ["anonymised"])
    page = text(_client(centre[Role.DPO]).get(DPO_PAGE))
    assert "serwer (wiersz poleceń)" in page


def test_the_annual_report_downloaded_is_one_entry_to_the_public(
    centre: dict[Role, Persona],
) -> None:
    client = _client(centre[Role.COORDINATOR])
    response = client.get("/reports/annual/xlsx/?from=2025-01-01&to=2025-12-31&lang=en")
    assert response.status_code == 200
    entry = Disclosure.objects.get()
    assert (entry.kind, entry.recipient, entry.parts) == ("annual_report", "public", ["aggregates"])
    assert entry.document == "annual_report_xlsx_en" and entry.period_end == dt.date(2025, 12, 31)


def _record(**kwargs: Any) -> Any:
    base: dict[str, Any] = {
        "kind": ledger.Kind.OTHER,
        "parts": ["identity"],
        "channel": ledger.Channel.HANDED_OVER,
    }
    return ledger.disclosure_record(**(base | kwargs))


def test_an_entry_must_say_to_whom_and_under_which_basis(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    case: Case,
    client_person: Person,
) -> None:
    manager = centre[Role.CASE_MANAGER].user
    organisation = manager.organisation
    assert organisation is not None
    common = {"organisation": organisation, "person": client_person, "by": manager}
    with pytest.raises(ValidationError, match="komu"):
        _record(**common, basis=ledger.Basis.LEGAL_OBLIGATION)
    with pytest.raises(ValidationError, match="zgody"):
        _record(**common, recipient="Sąd Rejonowy", basis=ledger.Basis.CONSENT)
    with pytest.raises(ValidationError):
        _record(**common, recipient="Sąd Rejonowy", basis="because")
    # Someone else's consent, or another organisation's records, are refused.
    other_person = person_create(
        organisation=organisation, data={"name": "Inna Osoba"}, acting_user=manager
    )
    consent = _consent(case, client_person, centre[Role.CASE_MANAGER])
    with pytest.raises(ValidationError):
        _record(
            **(common | {"person": other_person}),
            recipient="Sąd",
            basis=ledger.Basis.CONSENT,
            consent=consent,
        )
    stranger = other_centre[Role.COORDINATOR].user
    assert stranger.organisation is not None
    foreign = case_open(
        organisation=stranger.organisation,
        clients=[
            person_create(
                organisation=stranger.organisation, data={"name": "Obca"}, acting_user=stranger
            )
        ],
        manager=stranger,
        data={},
        acting_user=stranger,
    )
    with pytest.raises(ValidationError):
        _record(**common, case=foreign, recipient="Sąd", basis=ledger.Basis.LEGAL_CLAIMS)
    assert not Disclosure.objects.exists()
    assert not AuditEntry.objects.filter(action="disclosure.recorded").exists()
    # Under a legal obligation, without a consent: recorded, with its audit entry.
    entry = _record(**common, case=case, recipient="Sąd Rejonowy", basis="legal_obligation")
    assert Disclosure.objects.get() == entry
    assert AuditEntry.objects.filter(action="disclosure.recorded").count() == 1


def test_the_persons_page_shows_what_was_disclosed_to_whoever_may_see_them(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    case: Case,
    client_person: Person,
) -> None:
    manager = centre[Role.CASE_MANAGER]
    consent = _consent(case, client_person, manager)
    _client(manager).get(
        f"/cases/{case.code}/summary.pdf", {"consent": str(consent.code), "to": "KWP w Krakowie"}
    )
    url = f"/network/persons/{client_person.code}/disclosures/"
    client = _client(manager)
    assert url in text(client.get(f"/people/{client_person.code}/"))
    panel = text(client.get(url, HTTP_HX_REQUEST="true"))
    assert panel.count('data-testid="disclosure"') == 1
    assert "KWP w Krakowie" in panel and case.reference in panel
    assert "Zgoda osoby" in panel and "2026-11-02" in panel
    read = AuditEntry.objects.filter(action="person.viewed").order_by("seq").last()
    assert read is not None and read.data == {"for": "disclosures"}
    assert read.target_code == str(client_person.code)
    assert_access(
        url,
        centre,
        other_centre,
        allowed={Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR},
    )
    # Another person's page has none of it.
    other = person_create(
        organisation=case.organisation, data={"name": "Ktoś Inny"}, acting_user=manager.user
    )
    empty = text(client.get(f"/network/persons/{other.code}/disclosures/"))
    assert 'data-testid="disclosure"' not in empty


def test_the_dpo_filters_by_kind_and_recipient_and_sees_codes_not_names(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    manager = centre[Role.CASE_MANAGER]
    consent = _consent(case, client_person, manager)
    _client(manager).get(
        f"/cases/{case.code}/summary.pdf", {"consent": str(consent.code), "to": "KWP w Krakowie"}
    )
    referral_partner = partner_add(
        organisation=case.organisation,
        data={"name": "Caritas", "kind": "ngo", "email": "caritas@ngo.example"},
        acting_user=manager.user,
    )
    _consent(case, client_person, manager, scope="share_org")
    Consent.objects.filter(recipient="La Strada").update(recipient="Caritas")
    referral_send(
        access=access_case(manager.user, case.code, write=True),
        client=client_person,
        partner=referral_partner,
        service=None,
        reason="",
        answer_due=dt.date(2026, 12, 10),
        acting_user=manager.user,
    )
    _client(centre[Role.COORDINATOR]).get("/reports/annual/xlsx/?from=2025-01-01&to=2025-12-31")
    dpo = _client(centre[Role.DPO])
    page = text(dpo.get(DPO_PAGE))
    assert page.count('data-testid="disclosure"') == 3
    assert client_person.name not in page and "Olena" not in page
    assert str(client_person.code)[:8] in page
    page = text(dpo.get(DPO_PAGE, {"kind": "case_summary"}))
    assert page.count('data-testid="disclosure"') == 1 and "KWP w Krakowie" in page
    page = text(dpo.get(DPO_PAGE, {"recipient": "caritas"}))
    assert page.count('data-testid="disclosure"') == 1 and "Caritas" in page
    page = text(dpo.get(DPO_PAGE, {"recipient": "ogół"}))  # the public, in the reader's words
    assert page.count('data-testid="disclosure"') == 1 and "2025-12-31" in page
    entry = AuditEntry.objects.filter(action="disclosure.listed").order_by("seq").last()
    assert entry is not None and entry.data == {"recipient": "ogół"}


def test_nothing_leaves_unrecorded_when_no_ledger_is_installed(
    centre: dict[Role, Persona], monkeypatch: pytest.MonkeyPatch
) -> None:
    organisation = centre[Role.COORDINATOR].user.organisation
    assert organisation is not None
    monkeypatch.setattr(ledger, "_RECORDERS", [])
    with pytest.raises(RuntimeError, match="unrecorded"):
        _record(organisation=organisation, recipient="Sąd", basis="legal_obligation", by=None)
