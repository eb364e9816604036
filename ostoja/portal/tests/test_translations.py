"""The portal is complete in its five languages: the catalogue extracted from its own
files has no message untranslated in any of them, a new untranslated string fails, and no
page in another language shows an English sentence."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client

from ostoja.home.management.commands.translations import PORTAL_LOCALES, portal_problems
from ostoja.portal.languages import LANGUAGES
from ostoja.portal.views import PAGES
from ostoja.test import make_organisation, text

PORTAL = Path(settings.BASE_DIR) / "ostoja" / "portal"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "portal"
    shutil.copytree(PORTAL, root, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    return root


def test_every_portal_message_is_translated_in_five_languages(tmp_path: Path) -> None:
    assert set(PORTAL_LOCALES) == set(LANGUAGES)
    assert portal_problems(_copy(tmp_path)) == []


def test_a_new_untranslated_string_fails(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    page = root / "templates" / "portal" / "home.html"
    page.write_text(
        page.read_text().replace(
            "{% endblock content %}",
            '<p>{% translate "A sentence nobody translated." %}</p>\n{% endblock content %}',
        )
    )
    problems = portal_problems(root)
    assert sorted(problems) == sorted(
        f"{lang}: untranslated: 'A sentence nobody translated.'"
        for lang in PORTAL_LOCALES
        if lang != "en"
    )


@pytest.mark.django_db
def test_no_page_shows_english_in_another_language(client: Client) -> None:
    make_organisation()
    english = [
        entry.msgid
        for entry in polib.pofile(str(PORTAL / "locale" / "en" / "LC_MESSAGES" / "django.po"))
        if len(entry.msgid) > 12 and "Shift" not in entry.msgid
    ]
    for lang in LANGUAGES.keys() - {"en"}:
        for slug in [*PAGES, "message"]:
            body = text(client.get(f"/portal/{lang}/{slug}/" if slug else f"/portal/{lang}/"))
            shown = [msgid for msgid in english if msgid.replace("'", "&#x27;") in body]
            assert shown == [], (lang, slug)
