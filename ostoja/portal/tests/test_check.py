"""The job-offer self-check: the red-flag checklist's questions in the visitor's language,
the result and advice on the same page, nothing stored and no cookie."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.helpline.models import Contact
from ostoja.portal import abuse
from ostoja.portal.languages import LANGUAGES
from ostoja.portal.models import Report
from ostoja.prevention.models import FlagCatalogue
from ostoja.prevention.reference import PUBLIC_LANGUAGES
from ostoja.test import Persona, force_sign_in, text

pytestmark = pytest.mark.django_db


def test_the_checklist_speaks_every_portal_language() -> None:
    assert set(PUBLIC_LANGUAGES) == set(LANGUAGES)
    catalogue = FlagCatalogue.current()
    assert catalogue is not None
    for flag in catalogue.flags.all():
        for lang in LANGUAGES:
            assert flag.question[lang].strip() and flag.advice[lang].strip(), (flag.code, lang)


def test_it_asks_every_question_in_vietnamese_without_a_cookie(client: Client) -> None:
    response = client.get("/portal/vi/check/")
    body = text(response)
    assert response.status_code == 200 and not response.cookies
    assert "csrfmiddlewaretoken" not in body
    catalogue = FlagCatalogue.current()
    assert catalogue is not None
    for flag in catalogue.flags.all():
        assert f'value="{flag.code}"' in body
        assert flag.question["vi"].replace('"', "&quot;") in body
    assert "Kiểm tra lời mời làm việc" in body


def test_it_gives_the_result_and_advice_and_stores_nothing(
    client: Client, settings: Settings
) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/portal/uk/check/", {"flag": ["fee-in-advance", "passport-kept", "no-such-flag"]}
        )
    body = text(response)
    # Only the token of the form that sends the answers, if the visitor wants to.
    assert response.status_code == 200 and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
    assert "Серйозні тривожні ознаки." in body
    assert "Не платіть." in body and "Ніхто не має права забирати у вас паспорт" in body
    # The answers stay ticked on the page, at the same address.
    assert 'value="fee-in-advance" id="flag-fee-in-advance" checked' in body
    assert 'action="/portal/uk/check/"' in body


@pytest.mark.parametrize(
    ("flags", "result"),
    [
        ([], "Few warning signs in your answers."),
        (["too-good", "pressure"], "Few warning signs in your answers."),
        (["fee-in-advance"], "Some warning signs."),
        (["no-written-contract", "travel-debt", "pressure"], "Some warning signs."),
        (["passport-kept", "no-contact-allowed"], "Serious warning signs."),
    ],
)
def test_the_result_follows_the_weights(client: Client, flags: list[str], result: str) -> None:
    assert result in text(client.post("/portal/en/check/", {"flag": flags}))


def _result(client: Client, lang: str, flags: list[str]) -> str:
    body = text(client.post(f"/portal/{lang}/check/", {"flag": flags}))
    assert f'action="/portal/{lang}/check/send/"' in body
    return body


def test_the_answers_reach_the_centre_only_when_sent(
    client: Client, centre: dict[Role, Persona]
) -> None:
    """Sent from the result: an anonymous web contact for the helpline's triage, holding
    the questions answered yes and the visitor's note, and a receipt code to read the
    answer with."""
    body = _result(client, "vi", ["fee-in-advance", "passport-kept"])
    assert "Gửi câu trả lời của tôi" in body
    assert not Report.objects.exists() and not Contact.objects.exists()
    note = "Công ty ở Łódź, họ muốn 2000 euro."
    response = client.post(
        "/portal/vi/check/send/",
        {"version": "1", "flag": ["passport-kept", "fee-in-advance", "no-such-flag"], "note": note},
    )
    assert response.status_code == 200
    code = re.search(r'data-testid="receipt"><strong>([\d ]{19})</strong>', text(response))
    assert code
    report = Report.objects.get()
    assert report.catalogue == FlagCatalogue.current()
    assert report.answers == ["fee-in-advance", "passport-kept"]  # in the checklist's order
    contact = report.first
    assert (contact.channel, contact.direction, contact.status) == ("web", "in", "draft")
    assert contact.counsellor is None and contact.caller_number == ""
    assert list(contact.languages.values_list("language", flat=True)) == ["vie"]
    lines = contact.summary.splitlines()
    assert "(wersja listy 1)" in lines[0] and lines[1] == "Odpowiedzi „tak”:"
    assert lines[2].endswith("[fee-in-advance]") and lines[3].endswith("[passport-kept]")
    assert lines[-1] == note and len(lines) == 6
    entry = AuditEntry.objects.get(action="contact.received")
    assert entry.actor_id is None
    # The helpline answers; the visitor reads it with the code, as for a message.
    staff = Client()
    force_sign_in(staff, centre[Role.COUNSELLOR].user)
    staff.post(f"/helpline/{contact.code}/reply/", {"body": "Xin hãy gọi cho chúng tôi."})
    back = client.post("/portal/vi/message/open/", {"code": code.group(1)})
    assert "Xin hãy gọi cho chúng tôi." in text(back)


def test_nothing_ticked_and_nothing_written_is_sent_as_such(
    client: Client, centre: dict[Role, Persona]
) -> None:
    _result(client, "en", [])
    assert client.post("/portal/en/check/send/", {"version": "1"}).status_code == 200
    summary = Report.objects.get().first.summary
    assert summary.splitlines()[1:] == ["Brak odpowiedzi „tak”."]
    assert Report.objects.get().answers == []


def test_a_note_too_long_keeps_the_answers_and_the_note(
    client: Client, centre: dict[Role, Persona]
) -> None:
    note = "x" * 10_001
    response = client.post(
        "/portal/en/check/send/", {"version": "1", "flag": ["passport-kept"], "note": note}
    )
    body = text(response)
    assert response.status_code == 400 and not Report.objects.exists()
    assert 'value="passport-kept" id="flag-passport-kept" checked' in body
    assert note in body and "Some warning signs." in body


def test_sending_is_limited_like_messages(
    client: Client, centre: dict[Role, Persona], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(abuse.LIMITS, "report", (1, 3600))
    assert client.post("/portal/en/check/send/", {"version": "1"}).status_code == 200
    refused = client.post("/portal/en/check/send/", {"version": "1", "flag": ["pressure"]})
    assert refused.status_code == 429 and "Too many messages" in text(refused)
    assert Report.objects.count() == 1


def test_sending_is_a_post_with_its_token(centre: dict[Role, Persona]) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.get("/portal/en/check/send/").status_code == 405
    assert strict.post("/portal/en/check/send/", {"version": "1"}).status_code == 403
    assert not Report.objects.exists()
