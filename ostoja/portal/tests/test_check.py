"""The job-offer self-check: the red-flag checklist's questions in the visitor's language,
the result and advice on the same page, nothing stored and no cookie."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ostoja.portal.languages import LANGUAGES
from ostoja.prevention.models import FlagCatalogue
from ostoja.prevention.reference import PUBLIC_LANGUAGES
from ostoja.test import text

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


def test_it_gives_the_result_and_advice_and_stores_nothing(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/portal/uk/check/", {"flag": ["fee-in-advance", "passport-kept", "no-such-flag"]}
        )
    body = text(response)
    assert response.status_code == 200 and not response.cookies
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
