"""Check-ins abroad on the counselling page: started with the consent recorded, stopped,
their history shown (Polish and English), who may do it, what is audited, bad input; the
message texts complete in the portal's five languages and the replies as they are read;
the safety plan's consulate from the partner directory."""

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.network.models import Partner
from ostoja.network.vocabulary import PartnerKind
from ostoja.prevention.checkins import TEXTS, answer_of, token_in
from ostoja.prevention.models import CheckIn, CheckInSeries, Counselling, FlagCatalogue
from ostoja.prevention.plan import consulate_text, plan_context
from ostoja.prevention.reference import PUBLIC_LANGUAGES
from ostoja.prevention.services import check_in_series_start, check_ins_schedule, counselling_save
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db

START = {
    "consent": "on",
    "consent_by": "Olena Kowalczuk",
    "consent_on": "2026-11-09",
    "channel": "sms",
    "phone": "+49 151 23456789",
    "language": "uk",
    "starts_on": "2026-11-10",
    "interval_days": "7",
    "count": "4",
    "answer_hours": "48",
}


@pytest.fixture
def counselling(centre: dict[Role, Persona]) -> Counselling:
    counsellor = centre[Role.COUNSELLOR].user
    return counselling_save(
        data={"country": "DE", "city": "Hamburg", "code_word": "Kalyna"},
        flags=[],
        organisation=counsellor.organisation,
        catalogue=FlagCatalogue.current(),
        acting_user=counsellor,
    )


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


def _series(counselling: Counselling, persona: Persona) -> CheckInSeries:
    return check_in_series_start(
        counselling=counselling,
        acting_user=persona.user,
        data={
            **START,
            "phone": "+4915123456789",
            "email": "",
            "consent_on": dt.date(2026, 11, 9),
            "starts_on": dt.date(2026, 11, 10),
            "interval_days": 7,
            "count": 4,
            "answer_hours": 48,
        },
    )


def test_every_message_is_in_every_language_and_names_its_answers() -> None:
    for key, texts in TEXTS.items():
        assert set(texts) == set(PUBLIC_LANGUAGES), key
        assert all(value.strip() for value in texts.values()), key
    for language in PUBLIC_LANGUAGES:
        # Each answer the message names in its language is read as that answer.
        named = {answer_of(word) for word in re.findall(r"\w+", TEXTS["check_in"][language])}
        assert named - {""} == {"ok", "help", "stop"}, language


@pytest.mark.parametrize(
    ("reply", "answer"),
    [
        ("OK", "ok"),
        ("ok, все добре", "ok"),
        ("Help! they took my passport", "help"),
        ("pomoc", "help"),
        ("Допомога", "help"),
        ("помощь нужна", "help"),
        ("Giúp tôi", "help"),
        ("STOP", "stop"),
        ("стоп", "stop"),
        ("Dừng", "stop"),
        ("\n\nok\n> Reply OK if all is well, HELP if you need us", "ok"),
        ("Everything is fine, thanks", ""),
        ("Not OK", ""),
        ("", ""),
    ],
)
def test_a_reply_is_read_by_its_first_word(reply: str, answer: str) -> None:
    assert answer_of(reply) == answer


def test_the_code_word_anywhere_in_the_first_line_means_help() -> None:
    assert answer_of("ok, kalyna", code_word="Kalyna") == "help"
    assert answer_of("ok\nkalyna", code_word="Kalyna") == "ok"
    assert answer_of("ok", code_word="") == "ok"


def test_the_token_is_found_in_the_subject_or_the_body() -> None:
    assert token_in("Re: Jak się masz? [CI-ABCD2345]") == "ABCD2345"
    assert token_in("Re: hello", "> Jak się masz? [ci-abcd2345]") == "ABCD2345"
    assert token_in("Re: hello", "no token") == ""


def test_the_counsellor_starts_check_ins_with_the_consent_audited(
    centre: dict[Role, Persona], counselling: Counselling
) -> None:
    client = _client(centre[Role.COUNSELLOR])
    response = client.post(f"/prevention/{counselling.code}/check-ins/", START)
    assert response.status_code == 302
    assert response["Location"] == f"/prevention/{counselling.code}/#check-ins"
    series = CheckInSeries.objects.get(counselling=counselling)
    assert (series.phone, series.language, series.consent_by) == (
        "+4915123456789",
        "uk",
        "Olena Kowalczuk",
    )
    assert series.created_by == centre[Role.COUNSELLOR].user
    entry = AuditEntry.objects.get(action="check_in_series.started")
    assert entry.target_code == str(counselling.code)
    assert entry.data == {"series": str(series.code), "channel": "sms"}
    # The number is sealed: not in the audit trail, not in the table as typed.
    assert "15123456789" not in str(entry.data)
    page = text(client.get(f"/prevention/{counselling.code}/"))
    assert "Olena Kowalczuk" in page and "Zatrzymaj wiadomości kontrolne" in page
    # A second series while one runs: refused, nothing lost.
    again = client.post(f"/prevention/{counselling.code}/check-ins/", START)
    assert again.status_code == 400 and CheckInSeries.objects.count() == 1


def test_bad_input_is_said_and_what_was_typed_stays(
    centre: dict[Role, Persona], counselling: Counselling
) -> None:
    client = _client(centre[Role.COUNSELLOR])
    data = START | {"phone": "", "count": "", "consent": ""}
    response = client.post(
        f"/prevention/{counselling.code}/check-ins/", data, headers={"accept-language": "en"}
    )
    page = text(response)
    assert response.status_code == 400
    assert "Give the number the messages go to." in page
    assert "Give a last date or a number of check-ins." in page
    assert "Olena Kowalczuk" in page  # as typed
    response = client.post(f"/prevention/{counselling.code}/check-ins/", START | {"phone": "12"})
    assert response.status_code == 400 and "To nie jest numer telefonu." in text(response)
    assert not CheckInSeries.objects.exists()


def test_the_history_and_stopping(centre: dict[Role, Persona], counselling: Counselling) -> None:
    series = _series(counselling, centre[Role.COUNSELLOR])
    check_ins_schedule(now=dt.datetime(2026, 11, 10, 11, tzinfo=dt.UTC))
    client = _client(centre[Role.COORDINATOR])
    english = text(
        client.get(f"/prevention/{counselling.code}/", headers={"accept-language": "en"})
    )
    assert "Check-ins abroad" in english and "Waiting to be sent" in english
    assert "Consent given by Olena Kowalczuk on 2026-11-09" in english
    polish = text(client.get(f"/prevention/{counselling.code}/"))
    assert "Wiadomości kontrolne za granicą" in polish and "Oczekuje na wysłanie" in polish
    response = client.post(f"/prevention/check-ins/{series.code}/stop/")
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.status == CheckInSeries.Status.STOPPED and series.ended_at is not None
    assert not CheckIn.objects.exists()  # the one waiting to be sent is not sent
    assert AuditEntry.objects.filter(
        action="check_in_series.stopped", actor=centre[Role.COORDINATOR].user
    ).exists()
    again = client.post(f"/prevention/check-ins/{series.code}/stop/", follow=True)
    assert "Te wiadomości kontrolne już się zakończyły." in text(again)


def test_only_its_counsellor_and_coordinators_start_and_stop(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], counselling: Counselling
) -> None:
    allowed = {Role.COUNSELLOR, Role.COORDINATOR}
    assert_access(
        f"/prevention/{counselling.code}/check-ins/",
        centre,
        other_centre,
        allowed=allowed,
        method="post",
        data=START,
    )
    series = CheckInSeries.objects.get(counselling=counselling)
    assert_access(
        f"/prevention/check-ins/{series.code}/stop/",
        centre,
        other_centre,
        allowed=allowed,
        method="post",
    )
    # A series that does not exist (or a counselling's code in its place) is not found.
    client = _client(centre[Role.COUNSELLOR])
    for code in (uuid.uuid4(), counselling.code):
        assert client.post(f"/prevention/check-ins/{code}/stop/").status_code == 404
    assert client.get(f"/prevention/{counselling.code}/check-ins/").status_code == 405


def _consulate(counselling: Counselling, **fields: Any) -> Partner:
    return Partner.objects.create(organisation=counselling.organisation, **fields)


def test_the_plans_consulate_comes_from_the_directory(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], counselling: Counselling
) -> None:
    hamburg = _consulate(
        counselling,
        name="Konsulat Generalny RP w Hamburgu",
        kind=PartnerKind.CONSULATE,
        address="Gründgensstraße 20",
        postal_code="22309",
        city="Hamburg",
        phone="+49 40 611 870",
    )
    police = _consulate(counselling, name="KWP Łódź", kind=PartnerKind.POLICE)
    client = _client(centre[Role.COUNSELLOR])
    form = text(client.get(f"/prevention/{counselling.code}/"))
    assert "Konsulat Generalny RP w Hamburgu" in form and "KWP Łódź" not in form
    data = {"country": "DE", "city": "Hamburg", "consulate_partner": str(hamburg.pk)}
    assert client.post(f"/prevention/{counselling.code}/", data).status_code == 302
    counselling.refresh_from_db()
    assert counselling.consulate_partner == hamburg
    plan = consulate_text(counselling)
    assert (
        plan
        == "Konsulat Generalny RP w Hamburgu\nGründgensstraße 20\n22309 Hamburg\n+49 40 611 870"
    )
    html = render_to_string("prevention/safety_plan_pdf.html", plan_context(counselling, "uk"))
    assert "Gründgensstraße 20" in html and "Консульство Польщі" in html
    # Not a consulate, or another centre's: refused, with a clear error.
    for wrong in (police, _consulate(counselling, name="x", kind=PartnerKind.CONSULATE)):
        if wrong.kind == PartnerKind.CONSULATE:
            other_org = other_centre[Role.COORDINATOR].user.organisation
            Partner.objects.filter(pk=wrong.pk).update(organisation=other_org)
        response = client.post(
            f"/prevention/{counselling.code}/", data | {"consulate_partner": str(wrong.pk)}
        )
        assert response.status_code == 400
    # Without a consulate from the directory, the typed text.
    counselling_save(
        counselling=counselling,
        data={"consulate": "Ambasada RP w Berlinie"},
        flags=[],
        acting_user=centre[Role.COUNSELLOR].user,
    )
    assert consulate_text(counselling) == "Ambasada RP w Berlinie"


def _save(counselling: Counselling, persona: Persona, **data: Any) -> None:
    counselling_save(counselling=counselling, data=data, flags=[], acting_user=persona.user)
    counselling.refresh_from_db()


def test_the_plans_consulate_chosen_else_typed_else_the_directorys_only_one_there(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], counselling: Counselling
) -> None:
    counsellor = centre[Role.COUNSELLOR]
    _consulate(
        counselling,
        name="Konsulat Generalny RP w Hamburgu",
        kind=PartnerKind.CONSULATE,
        country="DE",
        address="Gründgensstraße 20",
        postal_code="22309",
        city="Hamburg",
    )
    oslo = _consulate(
        counselling,
        name="Ambasada RP w Oslo",
        kind=PartnerKind.CONSULATE,
        country="NO",
        city="Oslo",
    )
    _consulate(
        counselling, name="Konsulat Generalny Ukrainy", kind=PartnerKind.CONSULATE, city="Lublin"
    )
    client = _client(counsellor)
    # The picker names each consulate's country; those of the destination (Germany) first.
    page = client.get(f"/prevention/{counselling.code}/").content.decode()
    picker = page[page.index('name="consulate_partner"') :]
    labels = re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", picker)
    assert labels[:3] == [
        "Konsulat Generalny RP w Hamburgu (Hamburg, Niemcy)",
        "Ambasada RP w Oslo (Oslo, Norwegia)",
        "Konsulat Generalny Ukrainy (Lublin, Polska)",
    ]
    _save(counselling, counsellor, country="NO", city="Oslo")
    page = client.get(f"/prevention/{counselling.code}/").content.decode()
    picker = page[page.index('name="consulate_partner"') :]
    assert picker.index("Ambasada RP w Oslo") < picker.index("Konsulat Generalny RP w Hamburgu")

    # None chosen, none typed: the directory's only consulate in Germany — in the plan and
    # named on the page, never written into the record.
    _save(counselling, counsellor, country="DE", city="Hamburg")
    assert consulate_text(counselling) == (
        "Konsulat Generalny RP w Hamburgu\nGründgensstraße 20\n22309 Hamburg"
    )
    html = render_to_string("prevention/safety_plan_pdf.html", plan_context(counselling, "vi"))
    assert "Lãnh sự quán Ba Lan" in html and "Gründgensstraße 20" in html
    note = text(client.get(f"/prevention/{counselling.code}/"))
    assert "Konsulat Generalny RP w Hamburgu." in note
    counselling.refresh_from_db()
    assert counselling.consulate_partner is None and counselling.consulate == ""
    # What the counsellor typed wins over the directory; what they chose wins over both.
    _save(counselling, counsellor, country="DE", consulate="Ambasada RP w Berlinie")
    assert consulate_text(counselling) == "Ambasada RP w Berlinie"
    _save(
        counselling,
        counsellor,
        country="DE",
        consulate="Ambasada RP w Berlinie",
        consulate_partner=oslo,
    )
    assert consulate_text(counselling) == "Ambasada RP w Oslo\nOslo"
    # Two consulates in Germany: the directory cannot say which, so the plan names none.
    berlin = _consulate(
        counselling, name="Ambasada RP w Berlinie", kind=PartnerKind.CONSULATE, country="DE"
    )
    _save(counselling, counsellor, country="DE")
    assert consulate_text(counselling) == ""
    html = render_to_string("prevention/safety_plan_pdf.html", plan_context(counselling, "pl"))
    assert "Polski konsulat" not in html
    assert "Konsulat Generalny RP w Hamburgu." not in text(
        client.get(f"/prevention/{counselling.code}/")
    )
    # One of them closed (archived): the other is the only one again.
    Partner.objects.filter(pk=berlin.pk).update(archived_at=timezone.now())
    assert consulate_text(counselling).startswith("Konsulat Generalny RP w Hamburgu")
    # No destination, or another centre's consulate there: none.
    _save(counselling, counsellor, country="")
    assert consulate_text(counselling) == ""
    _save(counselling, counsellor, country="NO")
    assert consulate_text(counselling) == "Ambasada RP w Oslo\nOslo"
    other = other_centre[Role.COORDINATOR].user.organisation
    Partner.objects.filter(pk=oslo.pk).update(organisation=other)
    assert consulate_text(counselling) == ""
