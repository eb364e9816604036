"""``manage.py translations check|compile`` — keep Polish and English complete.

``check`` re-extracts every message from the code and templates (``makemessages``), fills
the English catalogue (the source language) and fails, listing them, on any Polish message
that is untranslated or fuzzy. Then it compiles. ``compile`` only compiles, with polib, so
``make run`` needs no gettext tools.
"""

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

LOCALES = ("pl", "en")
SOURCE_LANGUAGE = "en"


def _catalogue(language: str) -> Path:
    return Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"


def _content(po: polib.POFile) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """What matters in a catalogue, without headers and source locations."""
    return sorted(
        (e.msgctxt or "", e.msgid, e.msgstr + "|".join(e.msgstr_plural.values()), tuple(e.flags))
        for e in po
        if not e.obsolete
    )


class Command(BaseCommand):
    help = "Check that Polish and English translations are complete, and compile them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["check", "compile"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "check":
            self._extract()
            problems = self._problems("pl")
            if problems:
                listing = "\n".join(f"  - {problem}" for problem in problems)
                raise CommandError(
                    f"Polish translations are incomplete ({len(problems)}), "
                    f"edit {_catalogue('pl').relative_to(settings.BASE_DIR)}:\n{listing}"
                )
        for language in LOCALES:
            po = polib.pofile(str(_catalogue(language)))
            po.save_as_mofile(str(_catalogue(language).with_suffix(".mo")))
        self.stdout.write(f"Translations compiled: {', '.join(LOCALES)}.")

    def _extract(self) -> None:
        before = {lang: _catalogue(lang).read_text(encoding="utf-8") for lang in LOCALES}
        call_command(
            "makemessages",
            locale=list(LOCALES),
            domain="django",
            no_obsolete=True,
            add_location="file",
            ignore_patterns=["var/*", "bench/*", "docs/*"],
            verbosity=0,
        )
        for language in LOCALES:
            path = _catalogue(language)
            po = polib.pofile(str(path), wrapwidth=100)
            if language == SOURCE_LANGUAGE:
                self._fill_source(po)
                po.save()
            # Only a header changed (the extraction date): keep the file as it was, so
            # that `make test` leaves the working tree clean.
            if _content(polib.pofile(str(path))) == _content(polib.pofile(before[language])):
                path.write_text(before[language], encoding="utf-8")

    @staticmethod
    def _fill_source(po: polib.POFile) -> None:
        """English is the language of the source: each message translates to itself."""
        for entry in po:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid  # also over gettext's "fuzzy" guesses
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None

    @staticmethod
    def _problems(language: str) -> list[str]:
        po = polib.pofile(str(_catalogue(language)))
        problems = [f"untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
        problems += [f"fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
        return problems
