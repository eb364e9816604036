"""Which language a message is in, from its script and letters — enough to route it to a
counsellor or an interpreter (Ukrainian, Russian, Vietnamese, Polish, English are most of
what the portal receives). A letter only one of the languages uses decides; otherwise the
language of the page the visitor wrote on, which they chose themselves. No library: the
well-kept detectors are large models for a question the alphabet answers here."""

import re

# Portal language -> ISO 639-3 (how contacts record languages).
ISO = {"pl": "pol", "en": "eng", "uk": "ukr", "ru": "rus", "vi": "vie"}
_UKRAINIAN = re.compile(r"[ієїґ]", re.IGNORECASE)
_RUSSIAN = re.compile(r"[ыэъё]", re.IGNORECASE)
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
# Letters of Vietnamese (with its tone marks) that Polish and English do not use.
_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_POLISH = re.compile(r"[ąćęłńśźż]", re.IGNORECASE)


def detect(text: str, page_language: str) -> str:
    """The ISO 639-3 code of ``text``'s language, ``page_language`` (a portal language)
    deciding when the letters do not."""
    fallback = ISO[page_language]
    if _CYRILLIC.search(text):
        ukrainian, russian = len(_UKRAINIAN.findall(text)), len(_RUSSIAN.findall(text))
        if ukrainian != russian:
            return "ukr" if ukrainian > russian else "rus"
        return fallback if fallback in ("ukr", "rus") else "rus"
    if _VIETNAMESE.search(text):
        return "vie"
    if _POLISH.search(text):
        return "pol"
    return fallback
