"""Identification through its pages and services: assessments with their live result,
screening continued as a full assessment, versions of the reference data, preliminary
identification, decisions (and the certificate's reflection period), the summary PDF, the
catalogues — with the access and audit rules."""

import copy
import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone, translation

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case, Consent, Deadline
from ostoja.identification import pdf, services
from ostoja.identification.models import Assessment, Catalogue, Decision, Indicator
from ostoja.identification.reference import catalogue_as_data
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db
CASE_WORK = {Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


def _indicator(list_code: str, dimension: str, strength: str, n: int = 0) -> Indicator:
    found = Indicator.objects.filter(
        catalogue=Catalogue.current(), list_code=list_code, dimension=dimension, strength=strength
    )
    return found[n]


def _answer(
    client: Client, assessment: Assessment, indicator: Indicator, value: str = "yes"
) -> str:
    response = client.post(
        f"/identification/assessments/{assessment.code}/answer/",
        {"indicator": indicator.pk, "value": value, "source": "self_report", "note": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200, text(response)[:500]
    return text(response)


def _suggestion(page: str, list_code: str) -> str:
    found = re.search(rf'data-testid="suggestion-{list_code}" data-suggestion="(\w+)"', page)
    assert found, page[:2000]
    return found.group(1)


def test_an_assessment_shows_its_result_live_as_answers_change(
    centre: dict[Role, Persona], client_person: Person, case: Case
) -> None:
    client = _client(centre[Role.CASE_MANAGER])
    response = client.post(
        f"/identification/people/{client_person.code}/assessments/",
        {
            "mode": "full",
            "exploitation": ["labour"],
            "age_at_exploitation": "31",
            "case": str(case.code),
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.lists == ["adult_labour"] and assessment.case == case
    page = text(client.get(response["Location"]))
    assert _suggestion(page, "adult_labour") in ("insufficient", "does_not_suggest")
    # Coercion at destination: one strong indicator alone is not enough…
    first = _indicator("adult_labour", "coercion_destination", "S", 0)
    panel = _answer(client, assessment, first)
    assert 'data-dimension="coercion_destination" data-status="present"' not in panel
    # … two strong are.
    panel = _answer(client, assessment, _indicator("adult_labour", "coercion_destination", "S", 1))
    assert 'data-dimension="coercion_destination" data-status="present"' in panel
    # Recruitment and exploitation too: the indicators suggest trafficking.
    _answer(client, assessment, _indicator("adult_labour", "deceptive_recruitment", "S"))
    _answer(client, assessment, _indicator("adult_labour", "deceptive_recruitment", "M"))
    _answer(client, assessment, _indicator("adult_labour", "exploitation", "S"))
    panel = _answer(client, assessment, _indicator("adult_labour", "exploitation", "M"))
    assert _suggestion(panel, "adult_labour") == "suggests"
    # The badge calls it what it is, in both languages.
    for language in ("pl", "en"):
        with translation.override(language):
            html = render_to_string(
                "identification/partials/results.html",
                {"assessment": assessment, "results": services.labelled_results(assessment)},
            )
        badge = re.search(r'data-suggestion="suggests">([^<]+)<', html)
        assert badge and "identif" not in badge.group(1).lower()
    # Answers can change: "no" takes it back.
    panel = _answer(client, assessment, first, "no")
    assert AuditEntry.objects.filter(action="assessment.answered").count() == 7


def test_the_lists_follow_age_and_forms_of_exploitation(
    centre: dict[Role, Persona], client_person: Person
) -> None:
    manager = centre[Role.CASE_MANAGER].user
    both = services.assessment_start(
        person=client_person,
        mode="full",
        exploitation=["labour", "sexual"],
        age_at_exploitation=16,
        acting_user=manager,
    )
    assert both.lists == ["child_labour", "child_sexual"]
    unknown = services.assessment_start(
        person=client_person,
        mode="full",
        exploitation=[],
        age_at_exploitation=None,
        acting_user=manager,
    )
    assert unknown.lists == ["adult_labour"]  # born 1994: an adult


def test_screening_asks_few_questions_and_continues_as_a_full_assessment(
    centre: dict[Role, Persona], client_person: Person
) -> None:
    counsellor = centre[Role.COUNSELLOR]
    assert counsellor.user.organisation is not None
    caller = person_create(
        organisation=counsellor.user.organisation,
        data={"name": "Ion Popescu"},
        acting_user=counsellor.user,
    )
    client = _client(counsellor)
    response = client.post(
        f"/identification/people/{caller.code}/assessments/",
        {"mode": "screening", "exploitation": ["labour"]},
    )
    assessment = Assessment.objects.get()
    screening = text(client.get(response["Location"]))
    questions = screening.count("data-indicator=")
    assert 0 < questions < 20
    screening_indicator = Indicator.objects.filter(
        catalogue=assessment.catalogue, list_code="adult_labour", screening=True
    ).first()
    assert screening_indicator is not None
    _answer(client, assessment, screening_indicator)
    client.post(f"/identification/assessments/{assessment.code}/continue/")
    assessment.refresh_from_db()
    assert assessment.mode == "full"
    full = text(client.get(f"/identification/assessments/{assessment.code}/"))
    assert full.count("data-indicator=") > questions
    assert assessment.answers.count() == 1  # the screening's answer is kept


def test_a_new_version_changes_no_existing_assessment(
    centre: dict[Role, Persona], client_person: Person
) -> None:
    manager = centre[Role.CASE_MANAGER].user
    old = services.assessment_start(
        person=client_person,
        mode="full",
        exploitation=["labour"],
        age_at_exploitation=30,
        acting_user=manager,
    )
    first = _indicator("adult_labour", "coercion_destination", "S", 0)
    second = _indicator("adult_labour", "coercion_destination", "S", 1)
    for indicator in (first, second):
        services.answer_set(
            assessment=old,
            indicator=indicator,
            value="yes",
            source="",
            note="",
            acting_user=manager,
        )
    before = services.results(old)["adult_labour"].dimensions["coercion_destination"].status
    assert before == "present"
    # Version 2: every indicator weak; the same answers no longer make the dimension present.
    data = copy.deepcopy(catalogue_as_data(old.catalogue))
    data["version"] = 2
    for indicators in data["lists"].values():
        for row in indicators:
            row["strength"] = "W"
    newer = services.catalogue_add(data=data, acting_user=manager)
    assert Catalogue.current() == newer
    assert services.results(old)["adult_labour"].dimensions["coercion_destination"].status == before
    new = services.assessment_start(
        person=client_person,
        mode="full",
        exploitation=["labour"],
        age_at_exploitation=30,
        acting_user=manager,
    )
    assert new.catalogue == newer
    for row in Indicator.objects.filter(
        catalogue=newer,
        list_code="adult_labour",
        code__in=[first.code, second.code],
        dimension="coercion_destination",
    ):
        services.answer_set(
            assessment=new, indicator=row, value="yes", source="", note="", acting_user=manager
        )
    assert (
        services.results(new)["adult_labour"].dimensions["coercion_destination"].status != "present"
    )


def test_decisions_are_human_acts_and_a_certificate_starts_the_reflection_period(
    centre: dict[Role, Persona], client_person: Person, case: Case
) -> None:
    client = _client(centre[Role.CASE_MANAGER])
    url = f"/identification/people/{client_person.code}/decisions/"
    today = timezone.localdate()
    # A certificate from the centre itself is refused; so is a future date.
    response = client.post(
        url,
        {
            "decision-status": "PossibleVictimOfTrafficking",
            "decision-decided_by": "centre",
            "decision-decided_on": (today + dt.timedelta(days=1)).isoformat(),
            "decision-certificate_issued_on": today.isoformat(),
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "Ta data nie może być z przyszłości." in page
    assert "Zaświadczenie wydaje tylko Policja, Straż Graniczna lub prokurator." in page
    assert not Decision.objects.exists()
    # The Border Guard identifies the person and issues the certificate.
    response = client.post(
        url,
        {
            "decision-status": "ActualVictimOfTrafficking",
            "decision-decided_by": "border_guard",
            "decision-decided_on": today.isoformat(),
            "decision-certificate_issued_on": today.isoformat(),
            "decision-basis": "Placówka SG Warszawa-Okęcie",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.is_formal and Decision.HTCDS_ORG[decision.decided_by] == "Police"
    deadline = Deadline.objects.get(case=case, kind="reflection")
    assert deadline.client == client_person and deadline.starts_on == today
    page = text(client.get(f"/identification/people/{client_person.code}/"))
    assert 'data-testid="status">Zidentyfikowana ofiara handlu ludźmi' in page
    entry = AuditEntry.objects.get(action="identification.decided")
    assert entry.data["decided_by"] == "border_guard" and "Okęcie" not in str(entry.data)


def test_preliminary_identification_records_why_and_who(
    centre: dict[Role, Persona], client_person: Person, case: Case
) -> None:
    client = _client(centre[Role.CASE_MANAGER])
    url = f"/identification/people/{client_person.code}/preliminary/"
    response = client.post(url, {"preliminary-apply_standards": "on"})
    assert response.status_code == 400  # no reason given
    response = client.post(
        url,
        {
            "preliminary-reasons": ["captivity", "language"],
            "preliminary-apply_standards": "on",
            "preliminary-notes": "Rozmowa przez tłumacza telefonicznego",
        },
    )
    assert response.status_code == 302
    item = client_person.preliminary_identifications.get()
    assert item.decided_by == centre[Role.CASE_MANAGER].user and item.apply_standards
    assert AuditEntry.objects.filter(action="identification.preliminary").exists()


def test_the_summary_pdf_carries_identity_only_with_consent(
    centre: dict[Role, Persona], client_person: Person, case: Case
) -> None:
    manager = centre[Role.CASE_MANAGER].user
    assessment = services.assessment_start(
        person=client_person,
        mode="full",
        exploitation=["labour"],
        age_at_exploitation=30,
        acting_user=manager,
    )
    consent = Consent.objects.create(
        case=case,
        client=client_person,
        scope="share_police",
        recipient="Straż Graniczna",
        shares=["context"],
        method="written",
        given_on=timezone.localdate(),
        created_by=manager,
    )
    for language, title in (
        ("pl", "Podsumowanie oceny wskaźników"),
        ("en", "Indicator assessment summary"),
    ):
        with translation.override(language):
            context = pdf.summary_context(assessment=assessment, consent=consent, user=manager)
            html = render_to_string("identification/summary_pdf.html", context)
        assert title in html
        assert "Олена" not in html and "Shevchenko" not in html
    consent.shares = ["identity"]
    consent.save()
    context = pdf.summary_context(assessment=assessment, consent=consent, user=manager)
    assert "Олена Шевченко" in render_to_string("identification/summary_pdf.html", context)
    client = _client(centre[Role.CASE_MANAGER])
    response = client.get(
        f"/identification/assessments/{assessment.code}/summary.pdf?consent={consent.code}&lang=en&to=SG"
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="assessment.summary_exported").exists()
    consent.withdrawn_on = timezone.localdate()
    consent.save()
    response = client.get(
        f"/identification/assessments/{assessment.code}/summary.pdf?consent={consent.code}"
    )
    assert response.status_code == 302


def test_coordinators_add_a_catalogue_version_and_bad_files_are_refused(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    assert_access(
        "/identification/catalogues/",
        centre,
        other_centre,
        allowed={Role.COORDINATOR},
        outsider_status=None,
    )
    assert_access(
        "/identification/catalogues/1.json",
        centre,
        other_centre,
        allowed={Role.COORDINATOR},
        outsider_status=None,
    )
    client = _client(centre[Role.COORDINATOR])
    current = json.loads(client.get("/identification/catalogues/1.json").content)
    bad = SimpleUploadedFile("c.json", b"{not json")
    response = client.post("/identification/catalogues/", {"file": bad})
    assert response.status_code == 400 and "Plik nie jest poprawnym JSON-em." in text(response)
    duplicate = SimpleUploadedFile("c.json", json.dumps(current).encode())
    response = client.post("/identification/catalogues/", {"file": duplicate})
    assert response.status_code == 400 and "Wersja 1 już istnieje." in text(response)
    current["version"] = 2
    current["name"] = "Lista KCIK po weryfikacji"
    response = client.post(
        "/identification/catalogues/",
        {"file": SimpleUploadedFile("c.json", json.dumps(current).encode())},
    )
    assert response.status_code == 302
    assert Catalogue.current() is not None and Catalogue.current().version == 2  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(action="identification.catalogue_added").exists()


def test_every_identification_view_has_its_access_rule(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    client_person: Person,
    case: Case,
) -> None:
    manager = centre[Role.CASE_MANAGER].user
    assessment = services.assessment_start(
        person=client_person,
        mode="full",
        exploitation=["labour"],
        age_at_exploitation=30,
        acting_user=manager,
    )
    indicator = _indicator("adult_labour", "exploitation", "S")
    team = {Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}
    person = f"/identification/people/{client_person.code}"
    assert_access(f"{person}/", centre, other_centre, allowed=team)
    assert_access(
        f"/identification/assessments/{assessment.code}/", centre, other_centre, allowed=team
    )
    for path, data in (
        (f"{person}/assessments/", {"mode": "full"}),
        (
            f"/identification/assessments/{assessment.code}/answer/",
            {"indicator": str(indicator.pk), "value": "yes"},
        ),
        (f"/identification/assessments/{assessment.code}/continue/", {}),
        (f"{person}/preliminary/", {"preliminary-reasons": "language"}),
        (f"{person}/decisions/", {"decision-status": "PossibleVictimOfTrafficking"}),
    ):
        assert_access(path, centre, other_centre, allowed=team, method="post", data=data)
    assert_access(
        f"/identification/assessments/{assessment.code}/summary.pdf",
        centre,
        other_centre,
        allowed=team,
    )


def test_a_counsellor_screens_the_person_they_registered(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    assert counsellor.organisation is not None
    caller = person_create(
        organisation=counsellor.organisation, data={"name": "Ion Popescu"}, acting_user=counsellor
    )
    allowed = {Role.COUNSELLOR, Role.COORDINATOR}
    assert_access(f"/identification/people/{caller.code}/", centre, other_centre, allowed=allowed)
    # Decisions and preliminary identification are for case work, not the helpline.
    response = _client(centre[Role.COUNSELLOR]).post(
        f"/identification/people/{caller.code}/decisions/", {}
    )
    assert response.status_code == 403


def test_an_assessment_started_by_mistake_is_discarded_unless_a_decision_relies_on_it(
    centre: dict[Role, Persona], client_person: Person
) -> None:
    from ostoja.identification.models import Assessment, Decision

    manager = centre[Role.CASE_MANAGER].user
    assessment = services.assessment_start(
        person=client_person,
        mode="full",
        exploitation=["labour"],
        age_at_exploitation=30,
        acting_user=manager,
    )
    url = f"/identification/assessments/{assessment.code}/discard/"
    assert _client(centre[Role.ANALYST]).post(url).status_code in (403, 404)
    client = _client(centre[Role.CASE_MANAGER])
    response = client.post(url)
    assert response.status_code == 302
    assert not Assessment.objects.filter(pk=assessment.pk).exists()
    assert AuditEntry.objects.filter(action="assessment.discarded").exists()
    kept = services.assessment_start(
        person=client_person,
        mode="full",
        exploitation=["labour"],
        age_at_exploitation=30,
        acting_user=manager,
    )
    Decision.objects.create(
        person=client_person,
        status="PossibleVictimOfTrafficking",
        decided_by="centre",
        decided_on=timezone.localdate(),
        assessment=kept,
        recorded_by=manager,
    )
    response = client.post(f"/identification/assessments/{kept.code}/discard/", follow=True)
    assert Assessment.objects.filter(pk=kept.pk).exists()
    assert "Na tej ocenie opiera się decyzja" in text(response)


def test_an_indicator_both_lists_share_is_asked_once_and_counts_for_both(
    centre: dict[Role, Persona], client_person: Person
) -> None:
    from ostoja.identification.models import Answer, Indicator

    manager = centre[Role.CASE_MANAGER].user
    assessment = services.assessment_start(
        person=client_person,
        mode="full",
        exploitation=["labour", "sexual"],
        age_at_exploitation=30,
        acting_user=manager,
    )
    assert len(assessment.lists) == 2
    indicators = services.indicators_of(assessment)
    keys = [(i.dimension, i.code) for i in indicators]
    shared = {k for k in keys if keys.count(k) > 1}
    assert shared, "the two adult lists share indicators"
    client = _client(centre[Role.CASE_MANAGER])
    page = text(client.get(f"/identification/assessments/{assessment.code}/"))
    for dimension, code in shared:  # asked once
        assert (
            len(
                re.findall(
                    rf'data-dimension="{dimension}"(?:(?!</fieldset>).)*data-indicator="{code}"',
                    page,
                    re.S,
                )
            )
            == 1
        )
    dimension, code = sorted(shared)[0]
    first = Indicator.objects.filter(
        catalogue=assessment.catalogue, code=code, dimension=dimension
    ).first()
    assert first is not None
    client.post(
        f"/identification/assessments/{assessment.code}/answer/",
        {"indicator": first.pk, "value": "yes", "source": "self_report", "note": ""},
    )
    answered = Answer.objects.filter(
        assessment=assessment, indicator__code=code, indicator__dimension=dimension
    )
    assert {a.indicator.list_code for a in answered} == set(assessment.lists)
    assert {a.value for a in answered} == {"yes"}
    progress = text(client.get(f"/identification/assessments/{assessment.code}/"))
    assert f"Odpowiedzi: 1 z {len(set(keys))}" in progress


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_assessment_picker_shows_the_time_in_warsaw(
    centre: dict[Role, Persona], client_person: Person, language: str
) -> None:
    """An assessment made at 00:30 in Warsaw (23:30 UTC the day before) is that day's, in
    the decision form's picker and wherever it is listed."""
    manager = centre[Role.CASE_MANAGER]
    just_after_midnight = dt.datetime(2026, 12, 5, 23, 30, tzinfo=dt.UTC)
    with time_machine.travel(just_after_midnight, tick=False):
        assessment = services.assessment_start(
            person=client_person,
            mode="full",
            exploitation=["labour"],
            age_at_exploitation=30,
            acting_user=manager.user,
        )
    page = text(
        _client(manager).get(
            f"/identification/people/{client_person.code}/", headers={"accept-language": language}
        )
    )
    option = re.search(rf'<option value="{assessment.pk}"[^>]*>([^<]*)</option>', page)
    assert option is not None and option.group(1).startswith("2026-12-06 00:30 · "), page
    assert page.count("2026-12-06 00:30") == 2  # the picker and the list of assessments
    assert "2026-12-05 23:30" not in page
    assert str(assessment) == "2026-12-06"


class _Questions(HTMLParser):
    """The questions of an assessment page: (dimension, indicator) of each answer form,
    the dimension read from the fieldset the form is in."""

    def __init__(self) -> None:
        super().__init__()
        self.dimension = ""
        self.asked: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "fieldset":
            self.dimension = found.get("data-dimension") or ""
        if tag == "form" and found.get("data-indicator"):
            self.asked.append((self.dimension, found["data-indicator"] or ""))


@pytest.mark.parametrize("minor", [False, True], ids=["adult", "child"])
def test_an_assessment_with_both_lists_asks_each_question_once(
    centre: dict[Role, Persona], client_person: Person, minor: bool
) -> None:
    """Labour and sexual exploitation together: both lists, and every indicator they share
    (the same code in the same dimension) is one question, not one per list."""
    assessment = services.assessment_start(
        person=client_person,
        mode="full",
        exploitation=["labour", "sexual"],
        age_at_exploitation=15 if minor else 30,
        acting_user=centre[Role.CASE_MANAGER].user,
    )
    age = "child" if minor else "adult"
    assert sorted(assessment.lists) == [f"{age}_labour", f"{age}_sexual"]
    indicators = [(i.dimension, i.code) for i in services.indicators_of(assessment)]
    assert len(set(indicators)) < len(indicators)  # the lists do share indicators
    client = _client(centre[Role.CASE_MANAGER])
    page = text(client.get(f"/identification/assessments/{assessment.code}/"))
    questions = _Questions()
    questions.feed(page)
    assert sorted(questions.asked) == sorted(set(indicators))  # each once, none left out
    assert f"Odpowiedzi: 0 z {len(set(indicators))}" in page
