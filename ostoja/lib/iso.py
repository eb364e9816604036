"""ISO code lists in the user's language (pycountry's own translations): ISO 639-3
languages and ISO 3166 countries, the codes every export uses (DOMAIN.md §3.1)."""

import functools
import gettext

import pycountry
from django.utils.translation import get_language

# The languages the centre hears most (DOMAIN.md §6), first in every list.
COMMON_LANGUAGES = ["pol", "ukr", "rus", "eng", "vie", "ron", "bul", "deu", "fra", "spa", "tgl"]


@functools.lru_cache(maxsize=8)
def _language_names(locale: str) -> dict[str, str]:
    translation = gettext.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[locale], fallback=True
    )
    return {
        lang.alpha_3: translation.gettext(lang.name)
        for lang in pycountry.languages
        if getattr(lang, "alpha_2", None) and getattr(lang, "type", "") == "L"
    }


def common_language_choices() -> list[tuple[str, str]]:
    """The languages the centre hears most (DOMAIN.md §6), named in the user's language."""
    named = _language_names(get_language() or "pl")
    return [(code, named[code]) for code in COMMON_LANGUAGES if code in named]


def language_choices() -> list[tuple[str, str]]:
    """Living languages with an ISO 639-1 code (ISO 639-3 codes stored), named in the
    user's language (pycountry's translations); the centre's usual ones first."""
    named = _language_names(get_language() or "pl")
    rest = sorted(
        ((c, n) for c, n in named.items() if c not in COMMON_LANGUAGES),
        key=lambda pair: pair[1].casefold(),
    )
    return common_language_choices() + rest


@functools.lru_cache(maxsize=8)
def _country_names(locale: str) -> dict[str, str]:
    translation = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True
    )
    return {c.alpha_2: translation.gettext(c.name) for c in pycountry.countries}


# The countries the centre's clients most often come from or were exploited in (DOMAIN §6).
COMMON_COUNTRIES = ["PL", "UA", "BY", "VN", "RO", "BG", "CO", "PH", "DE", "GB", "NL"]


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166 alpha-2 countries named in the user's language, common ones first."""
    named = _country_names(get_language() or "pl")
    common = [(c, named[c]) for c in COMMON_COUNTRIES]
    rest = sorted(
        ((c, n) for c, n in named.items() if c not in COMMON_COUNTRIES),
        key=lambda pair: pair[1].casefold(),
    )
    return common + rest


def country_name(code: str) -> str:
    return _country_names(get_language() or "pl").get(code, code)


def language_name(code: str) -> str:
    return _language_names(get_language() or "pl").get(code, code)
