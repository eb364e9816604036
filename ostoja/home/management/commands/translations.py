"""``manage.py translations check|compile`` — keep Polish and English complete, and the
public portal complete in its five languages.

``check`` re-extracts every message from the code and templates (``makemessages``), fills
the English catalogue (the source language) and fails, listing them, on any Polish message
that is untranslated or fuzzy. Then it compiles. ``compile`` only compiles, with polib, so
``make run`` needs no gettext tools.

The portal (``ostoja/portal``) has a catalogue of its own, ``ostoja/portal/locale``, in
Polish, English, Ukrainian, Russian and Vietnamese: the staff's catalogue does not carry
its words, nor the portal's the staff's. ``check`` extracts it from the portal's own files
and fails on any message untranslated in any of the five.
"""

import os
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

LOCALES = ("pl", "en")
SOURCE_LANGUAGE = "en"
PORTAL_LOCALES = ("pl", "en", "uk", "ru", "vi")


def _portal_root() -> Path:
    return Path(settings.BASE_DIR) / "ostoja" / "portal"


def _catalogue(language: str, root: Path | None = None) -> Path:
    root = root or Path(settings.BASE_DIR)
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


def portal_problems(root: Path | None = None) -> list[str]:
    """Extract the portal's messages (from ``root``, the portal's directory by default)
    and list every one untranslated or fuzzy in any of its languages."""
    root = root or _portal_root()
    _extract(root, PORTAL_LOCALES, ignore=["tests/*"])
    problems = []
    for language in PORTAL_LOCALES:
        for problem in _problems(_catalogue(language, root)):
            problems.append(f"{language}: {problem}")
    return problems


def _extract(root: Path, locales: tuple[str, ...], ignore: list[str]) -> None:
    """``makemessages`` over ``root`` into ``root/locale``, English filled as the source,
    and a catalogue whose content did not change left as it was (only the date would)."""
    before = {
        lang: _catalogue(lang, root).read_text(encoding="utf-8")
        for lang in locales
        if _catalogue(lang, root).exists()
    }
    cwd = Path.cwd()
    os.chdir(root)  # makemessages works on the current directory and its ``locale``
    try:
        call_command(
            "makemessages",
            locale=list(locales),
            domain="django",
            no_obsolete=True,
            add_location="file",
            ignore_patterns=ignore,
            verbosity=0,
        )
    finally:
        os.chdir(cwd)
    for language in locales:
        path = _catalogue(language, root)
        po = polib.pofile(str(path), wrapwidth=100)
        if language == SOURCE_LANGUAGE:
            _fill_source(po)
            po.save()
        kept = before.get(language)
        if kept is not None and _content(polib.pofile(str(path))) == _content(polib.pofile(kept)):
            path.write_text(kept, encoding="utf-8")


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


def _problems(path: Path) -> list[str]:
    po = polib.pofile(str(path))
    problems = [f"untranslated: {e.msgid!r}" for e in po.untranslated_entries()]
    problems += [f"fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()]
    return problems


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
            _extract(
                Path(settings.BASE_DIR),
                LOCALES,
                ignore=["var/*", "bench/*", "docs/*", "ostoja/portal/*"],
            )
            problems = _problems(_catalogue("pl"))
            if problems:
                listing = "\n".join(f"  - {problem}" for problem in problems)
                raise CommandError(
                    f"Polish translations are incomplete ({len(problems)}), "
                    f"edit {_catalogue('pl').relative_to(settings.BASE_DIR)}:\n{listing}"
                )
            problems = portal_problems()
            if problems:
                listing = "\n".join(f"  - {problem}" for problem in problems)
                raise CommandError(
                    f"The portal's translations are incomplete ({len(problems)}), edit "
                    f"ostoja/portal/locale/<language>/LC_MESSAGES/django.po:\n{listing}"
                )
        for root, locales in ((Path(settings.BASE_DIR), LOCALES), (_portal_root(), PORTAL_LOCALES)):
            for language in locales:
                po = polib.pofile(str(_catalogue(language, root)))
                po.save_as_mofile(str(_catalogue(language, root).with_suffix(".mo")))
        self.stdout.write(
            f"Translations compiled: {', '.join(LOCALES)}; portal: {', '.join(PORTAL_LOCALES)}."
        )
