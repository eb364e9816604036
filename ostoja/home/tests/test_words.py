"""Every staff page, in Polish and in English, as each role sees it over the demo data:
no "None", no UUID, no raw code (a language, a country, a choice's stored value) in the
text a person reads, where a name or a blank belongs (issue #14)."""

import re
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from io import StringIO
from typing import Any
from urllib.parse import urlsplit

import polib
import pycountry
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.template.loader import render_to_string
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation

from ostoja.accounts.models import User
from ostoja.accounts.roles import Role
from ostoja.cases import pdf as case_pdf
from ostoja.cases.access import access_case
from ostoja.cases.models import Consent
from ostoja.cases.vocabulary import SHARES
from ostoja.identification import pdf as identification_pdf
from ostoja.identification.models import Assessment
from ostoja.lib.iso import _language_names
from ostoja.test import force_sign_in, staff_paths

# Elements whose content nobody reads as text, and those that show a code as a code, next
# to its name (the audit trail's action and record codes, for the DPO's evidence).
SKIPPED = {"script", "style", "template", "code", "kbd", "samp"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr"}

# Inputs whose value a person reads in the box (not hidden ones, not buttons' values).
TYPED = {"text", "search", "tel", "email", "number", "date", "datetime-local", "time", "url"}
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
NONE = re.compile(r"\bNone\b")
# English's own "None." / "None yet." / "None recorded.": a sentence, not a blank.
NONE_SENTENCE = re.compile(r"^None(?: [a-z]+)*\.$")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
LANGUAGE_CODES = {
    code
    for lang in pycountry.languages
    if getattr(lang, "alpha_2", None)
    for code in (lang.alpha_2, lang.alpha_3)
}
COUNTRY_CODES = {c.alpha_2 for c in pycountry.countries} | {c.alpha_3 for c in pycountry.countries}
# A run of codes alone in a text node: "ukr", "UA, PL", "pl / uk".
CODES = re.compile(r"^[A-Za-z]{2,3}(?:\s*[,/;·]\s*[A-Za-z]{2,3})*$")
# Words of two or three letters that are words, not codes ("Tak", "Nie", "Yes"...), and
# languages whose name is three letters ("ewe", "ibo", "twi" in Polish).
WORDS = {"tak", "nie", "yes", "no", "i", "or", "and", "lub", "do", "od", "to", "of", "on"}
WORDS |= {name.casefold() for locale in ("pl", "en") for name in _language_names(locale).values()}


def _stored_values() -> set[str]:
    """The stored values of Ostoja's own choices ("open", "phone", "specialist")."""
    from django.db.models import Choices

    def below(kind: type[Choices]) -> list[type[Choices]]:
        return [k for sub in kind.__subclasses__() for k in (sub, *below(sub))]

    return {
        str(value)
        for kind in below(Choices)
        if kind.__module__.startswith("ostoja.")
        for value in kind.values
        if isinstance(value, str) and value.islower()
    }


STORED = _stored_values()


class VisibleText(HTMLParser):
    """The text nodes a person reads: not scripts, styles or templates, and not the
    language switch, whose "PL"/"EN" buttons carry the language's name for screen
    readers."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.skipping = 0
        self.nodes: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for attribute in ("href", "hx-get"):
            link = named.get(attribute)
            if link and link.startswith("/") and not link.startswith("//"):
                self.links.append(link)
        # What a box shows is read too: never "None" (a code in a filter box, the DPO's
        # search by record code, is what was asked for).
        value = named.get("value") or ""
        if tag == "input" and named.get("type", "text") in TYPED and NONE.search(value):
            self.handle_data(value)
        if tag in VOID:
            return
        self.stack.append(tag)
        skip = tag in SKIPPED or (tag == "form" and named.get("action") == "/i18n/setlang/")
        if self.skipping or skip:
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or tag not in self.stack:
            return
        while self.stack:
            if self.skipping:
                self.skipping -= 1
            if self.stack.pop() == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.nodes.append(" ".join(data.split()))


def findings(node: str, language: str = "pl") -> list[str]:
    found = []
    if NONE.search(node) and not (language == "en" and NONE_SENTENCE.match(node)):
        found.append("None")
    if UUID.search(node):
        found.append("a UUID")
    for value in SNAKE.findall(node):
        if "@" not in node:  # an e-mail address may hold an underscore
            found.append(f"a choice's value {value!r}")
    # A one-word value ("open", "phone") alone: in English it may be the word itself.
    if language == "pl" and node in STORED and not SNAKE.search(node):
        found.append(f"a choice's value {node!r}")
    if CODES.match(node):
        tokens = [t for t in re.split(r"[\s,/;·]+", node) if t]
        if all(t.lower() not in WORDS for t in tokens) and all(
            t.lower() in LANGUAGE_CODES or t.upper() in COUNTRY_CODES for t in tokens
        ):
            found.append("a language or country code")
    return found


def visible(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser


# Each route is read this many times per role and language: a record with little in it
# and one with much (the demo has both) are both seen.
PER_ROUTE = 3
# Links that change nothing but leave the session or the page set.
NOT_FOLLOWED = ("/accounts/logout/", "/static/", "/media/", "/i18n/")


def crawl(client: Client, language: str) -> tuple[dict[str, list[str]], set[str]]:
    """Read every page reachable from the menu and the list of staff URLs, following
    links and htmx ``hx-get`` fragments; return the findings by path."""
    queue = deque(["/", *staff_paths()])
    seen: set[str] = set()
    per_route: dict[str, int] = {}
    problems: dict[str, list[str]] = {}
    while queue:
        path = urlsplit(queue.popleft())._replace(fragment="").geturl()
        if path in seen or path.startswith(NOT_FOLLOWED):
            continue
        seen.add(path)
        try:
            route = resolve(urlsplit(path).path).route
        except Resolver404:
            continue
        if per_route.get(route, 0) >= PER_ROUTE:
            continue
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        per_route[route] = per_route.get(route, 0) + 1
        page = visible(response.content.decode())
        for node in page.nodes:
            for finding in findings(node, language):
                problems.setdefault(path, []).append(f"{finding} in {node[:120]!r}")
        queue.extend(page.links)
    return problems, set(per_route)


# The records' own pages each role must have reached (the crawl is not vacuous).
RECORDS = {"", "search/", "helpline/", "helpline/<uuid:code>/", "people/", "people/<uuid:code>/"}
RECORDS |= {"cases/", "cases/<uuid:code>/", "cases/<uuid:code>/section/<slug:section>/"}
RECORDS |= {"interventions/<uuid:code>/", "identification/people/<uuid:code>/", "duty/"}
READS = {
    Role.COORDINATOR: RECORDS | {"identification/assessments/<uuid:code>/"},
    Role.CASE_MANAGER: RECORDS,
    Role.DPO: {"privacy/audit/", "privacy/audit/entries/<str:code>/", "privacy/find/"},
}


@pytest.fixture(scope="module")
def demo(django_db_setup: object, django_db_blocker: Any) -> Iterator[None]:
    """The demo organisation (``manage.py demo``): every status of a case, contacts with
    caller languages and countries, interventions, assessments, a roster. Built once for
    the module in a transaction rolled back at its end (each test's own is a savepoint
    inside it), so the reference data of the migrations stays for the tests after."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("demo", stdout=StringIO())
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _staff(role: Role) -> User:
    """The demo's member of staff with ``role`` (the demo has one per role)."""
    return User.objects.get(membership__role=role, membership__organisation__short_code="KCIK")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("role", list(Role))
def test_it_shows_names_not_codes_on_every_page(demo: object, role: Role, language: str) -> None:
    client = Client(headers={"accept-language": language})
    force_sign_in(client, _staff(role))
    problems, routes = crawl(client, language)
    assert READS.get(role, set()) <= routes, READS[role] - routes
    report = "\n".join(f"{path}: {found}" for path, lines in problems.items() for found in lines)
    assert not problems, report


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_referral_summaries_show_names_not_codes(demo: object, language: str) -> None:
    """The PDFs' pages (a case's and an assessment's summary for a referral), every part
    shared: the same words as the screens."""
    coordinator = _staff(Role.COORDINATOR)
    consents = Consent.objects.exclude(client=None).select_related("case", "client")[:6]
    assert consents
    problems = []
    with translation.override(language):
        for consent in consents:
            consent.shares = list(SHARES)  # in memory only: every part shown
            access = access_case(coordinator, consent.case.code)
            context = case_pdf.summary_context(access=access, consent=consent, user=coordinator)
            pages = [render_to_string("cases/summary_pdf.html", context)]
            assessment = Assessment.objects.filter(person=consent.client).first()
            assessment = assessment or Assessment.objects.first()
            assert assessment is not None
            context = identification_pdf.summary_context(
                assessment=assessment, consent=consent, user=coordinator
            )
            pages.append(render_to_string("identification/summary_pdf.html", context))
            for html in pages:
                for node in visible(html).nodes:
                    problems += [f"{found} in {node[:120]!r}" for found in findings(node, language)]
    assert not problems, "\n".join(problems)


def test_it_finds_what_it_is_meant_to_find() -> None:
    """The detector itself: each kind of leak is caught, and ordinary words are not."""
    page = visible(
        "<p>None</p><td>0e3b7a2c-1f1a-4c7e-9a3b-6e2f0b1c2d3e</td><span>ukr</span>"
        "<span>UA, PL</span><em>in_progress</em><script>var a = None;</script>"
        '<input type="hidden" value="None"><input value="None"><p>Tak</p><p>Nie</p><p>Olena</p>'
        '<form action="/i18n/setlang/"><button>PL</button></form><code>auth.signed_in</code>'
        "<textarea>None</textarea>"
    )
    found = [f for node in page.nodes for f in findings(node)]
    assert findings("None yet.", "en") == [] and findings("None yet.", "pl") == ["None"]
    assert findings("specialist", "pl") == ["a choice's value 'specialist'"]
    assert findings("specialist", "en") == []
    assert found == [
        "None",
        "a UUID",
        "a language or country code",
        "a language or country code",
        "a choice's value 'in_progress'",
        "None",
        "None",
    ]


def test_a_presumed_victim_is_a_domniemana_ofiara_everywhere() -> None:
    """One Polish term for one English one (issue #14): "presumed victim" is "domniemana
    ofiara" (declined), never "potencjalna", "przypuszczalna" or "rzekoma ofiara"."""
    po = polib.pofile(str(settings.BASE_DIR / "locale/pl/LC_MESSAGES/django.po"))
    presumed = [e for e in po if not e.obsolete and "presumed victim" in e.msgid.lower()]
    assert len(presumed) >= 2
    for entry in presumed:
        assert re.search(
            r"domniemana ofiara|domniemanej ofiary|domniemaną ofiarą", entry.msgstr, re.I
        ), entry.msgid
    variants = re.compile(r"(potencjaln|przypuszczaln|rzekom|prawdopodobn)\w* ofiar", re.I)
    assert not [e.msgid for e in po if variants.search(e.msgstr)]
