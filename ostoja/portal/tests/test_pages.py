"""The portal's pages: five languages chosen by a visible switch, a quick exit on every
page, nothing stored in the browser, nothing loaded from elsewhere, nothing of the staff
side, light enough for a poor connection."""

import html
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from pytest_django.fixtures import Settings

from ostoja.accounts.roles import Role
from ostoja.portal.languages import LANGUAGES
from ostoja.portal.views import PAGES
from ostoja.test import Persona, make_organisation, sign_in, text

pytestmark = pytest.mark.django_db

PATHS = ["/portal/"] + [
    f"/portal/{lang}/{slug}/" if slug else f"/portal/{lang}/"
    for lang in LANGUAGES
    for slug in [*PAGES, "message"]
]
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def test_every_page_is_public_private_and_light(client: Client, settings: Settings) -> None:
    make_organisation()
    for path in PATHS:
        response = client.get(path)
        assert response.status_code == 200, path
        body = text(response)
        # Nothing kept by the browser or a proxy, no cookie on a plain visit (the message
        # form's CSRF token only where that form is).
        assert "no-store" in response["Cache-Control"], path
        form = {settings.CSRF_COOKIE_NAME} if path.endswith("/message/") else set()
        assert set(response.cookies) == form, path
        # The quick exit on every page.
        assert 'id="quick-exit" href="/portal/exit/"' in body, path
        # Every link stays in the portal (or dials, or writes): nothing of the staff side.
        # The icon is empty (no request for /favicon.ico, nothing in the tab to recognise).
        assert '<link rel="icon" href="data:,">' in body, path
        for link in re.findall(r'href="([^"]+)"', body):
            assert link == "data:," or link.startswith(
                ("/portal/", "/static/portal/", "tel:", "mailto:")
            ), link
        assert not re.search(r'(?:src|href)="(?:https?:)?//', body), path
        # The page and what it loads: at most 100 kB.
        size = len(response.content)
        for asset in ASSET.findall(body):
            found = finders.find(asset.removeprefix("/static/"))
            assert found, asset
            with open(str(found), "rb") as file:
                size += len(file.read())
        assert size <= 100_000, (path, size)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_each_language_is_chosen_in_the_url_and_switched_visibly(client: Client, lang: str) -> None:
    response = client.get(f"/portal/{lang}/info/", headers={"accept-language": "pl"})
    body = text(response)
    assert f'<html lang="{lang}">' in body and response["Content-Language"] == lang
    for other, name in LANGUAGES.items():
        assert f'<a href="/portal/{other}/info/" lang="{other}" hreflang="{other}"' in body
        assert name in body
    assert 'aria-current="page">' + LANGUAGES[lang] in body


def test_the_reader_gets_the_content_in_their_language(client: Client) -> None:
    rights = {
        "pl": "Czas do namysłu",
        "en": "Time to think",
        "uk": "Час на роздуми",
        "ru": "Время на размышление",
        "vi": "Thời gian suy nghĩ",
    }
    for lang, heading in rights.items():
        assert heading in text(client.get(f"/portal/{lang}/info/")), lang


def test_the_helpline_shows_the_organisations_hours_in_the_readers_language(
    client: Client,
) -> None:
    make_organisation()
    body = text(client.get("/portal/uk/"))
    assert "+48 22 628 01 20" in body and 'href="tel:+48226280120"' in body
    shown = html.unescape(body).casefold()
    assert "понеділок – четвер: 09:00–19:00" in shown
    assert "п'ятниця: 09:00–14:00" in shown


def test_unknown_languages_and_pages_are_missing(client: Client) -> None:
    assert client.get("/portal/de/").status_code == 404
    assert client.get("/portal/en/admin/").status_code == 404
    assert client.post("/portal/en/").status_code == 405


def test_the_quick_exit_clears_the_site_and_leaves(client: Client, settings: object) -> None:
    response = client.get("/portal/exit/")
    assert response.status_code == 302
    assert response["Location"] == "https://www.bbc.com/weather"
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'


def test_a_staff_session_never_reaches_the_portal(
    client: Client, centre: dict[Role, Persona]
) -> None:
    sign_in(client, centre[Role.COUNSELLOR])
    assert client.get("/helpline/").status_code == 200
    response = client.get("/portal/en/")
    body = text(response)
    # The portal never sees the session: no staff navigation, no cookie renewed.
    assert "Counsellor KCIK" not in body and "/helpline/" not in body
    assert not response.cookies
    # … and the staff side still has it.
    assert client.get("/helpline/").status_code == 200
