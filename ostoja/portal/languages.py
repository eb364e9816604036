"""The portal's five languages (ARCHITECTURE.md §8) and how a page is put in one.

The language is in the URL (``/portal/uk/…``) and chosen by a visible switch on every page:
never guessed from the address, nor from the browser's languages (a shared or borrowed
phone would surprise its user), nor kept in a cookie. ``/portal/`` itself asks, naming each
language in itself."""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation

# Code -> the language's name in itself (the switch is read by someone who does not read
# the page's language).
LANGUAGES = {
    "pl": "Polski",
    "en": "English",
    "uk": "Українська",
    "ru": "Русский",
    "vi": "Tiếng Việt",
}

View = Callable[..., HttpResponse]


def in_language(view: View) -> View:
    """Render ``view`` in the language of its ``lang`` URL part (404 for any other)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *, lang: str, **kwargs: str) -> HttpResponse:
        if lang not in LANGUAGES:
            raise Http404
        with translation.override(lang):
            request.LANGUAGE_CODE = lang
            response = view(request, lang=lang, **kwargs)
            response["Content-Language"] = lang
            return response

    return wrapper
