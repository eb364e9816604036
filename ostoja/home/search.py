"""One search box for everything (the top bar): a case number (``KCIK/2026/0042``,
``42/2026``), a phone number (exact, through the blind index), a person's name in any
script or spelling (the matcher), a partner institution by its name, an anonymous report's
receipt code (read out on the phone by whoever sent it) — results grouped by kind, and only
what the user may see. The query travels in a POST and is never stored:
the audit entry names what kinds were found and how many, never what was typed.

The home app reads across the others (the top layer of ARCHITECTURE.md §2): each kind of
result comes from its own app's access rules and indexes."""

import re
from dataclasses import dataclass, field

import phonenumbers
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import User
from ostoja.accounts.policy import can_view, works_with_people
from ostoja.cases.access import cases_visible_to
from ostoja.cases.models import Case
from ostoja.helpline.access import contacts_visible_to
from ostoja.lib.crypto.fields import blind_lookup
from ostoja.network.selectors import partners_found
from ostoja.people.access import people_visible_to, person_scopes
from ostoja.people.matching import find_matches
from ostoja.portal import receipt
from ostoja.portal.selectors import report_by_code

# KCIK/2026/0042, 2026/42, 42/2026, 0042/2026 — a case's number and year, any way round.
CASE_NUMBER = re.compile(
    r"^(?:(?P<org>[A-Za-z]{2,12})\s*/\s*)?(?P<a>\d{1,4})\s*/\s*(?P<b>\d{1,4})$"
)
RESULTS = 10  # per kind


@dataclass(frozen=True)
class Hit:
    title: str
    detail: str
    url: str


@dataclass
class Results:
    groups: list[tuple[Promise, list[Hit]]] = field(default_factory=list)

    def add(self, kind: Promise, hits: list[Hit]) -> None:
        if hits:
            self.groups.append((kind, hits[:RESULTS]))

    @property
    def count(self) -> int:
        return sum(len(hits) for _kind, hits in self.groups)


def _cases(user: User, match: re.Match[str]) -> list[Hit]:
    a, b = int(match["a"]), int(match["b"])
    year, number = (a, b) if a > 999 else (b, a)
    found = cases_visible_to(user).filter(year=year, number=number).defer("summary")
    if match["org"]:
        found = found.filter(organisation__short_code__iexact=match["org"])
    statuses = dict(Case.Status.choices)
    return [
        Hit(
            case.reference,
            str(statuses[case.status]),
            reverse("cases:case_detail", args=[case.code]),
        )
        for case in found.order_by("-year", "-number")
    ]


def _is_phone(query: str) -> bool:
    if not re.fullmatch(r"[0-9+()./\- ]{6,}", query.strip()):
        return False
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(query, "PL"))
    except phonenumbers.NumberParseException:
        return False


def _phone(user: User, query: str) -> tuple[list[Hit], list[Hit]]:
    """People and contacts with this number (exact, once normalised)."""
    people = [
        Hit(
            person.display_name(),
            str(_("phone")),
            reverse("people:person_detail", args=[person.code]),
        )
        for person in blind_lookup(people_visible_to(user), "phone_index", query, limit=RESULTS)
    ]
    contacts = blind_lookup(
        contacts_visible_to(user).order_by("-started_at", "-pk"),
        "caller_number_index",
        query,
        limit=RESULTS,
    )
    calls = [
        Hit(
            str(contact),
            str(contact.get_caller_type_display() or ""),
            reverse("helpline:contact_edit", args=[contact.code]),
        )
        for contact in contacts
    ]
    return people, calls


def _names(user: User, query: str) -> list[Hit]:
    """People by name, in any script or spelling, that the user may open."""
    if len(query.strip()) < 3 or user.organisation is None:
        return []
    matches = find_matches(user.organisation, names=[query.strip()], limit=RESULTS * 2)
    scopes = person_scopes([m.person for m in matches])
    return [
        Hit(
            m.person.display_name(),
            ", ".join(str(reason) for reason in m.reasons),
            reverse("people:person_detail", args=[m.person.code]),
        )
        for m in matches
        if can_view(user, scopes[m.person.pk]) and m.person.merged_into_id is None
    ]


def _partners(user: User, query: str) -> list[Hit]:
    """Partners of the directory by their name or short name (issue 14)."""
    if len(query) < 2:
        return []
    return [
        Hit(
            partner.name,
            str(partner.get_kind_display()),
            reverse("network:partner_detail", args=[partner.code]),
        )
        for partner in partners_found(user, {"q": query})[:RESULTS]
    ]


def _report(user: User, code: str) -> list[Hit]:
    """An anonymous report by its receipt code: its first message, for whoever may open
    the helpline's contacts (the report is a thread of web contacts)."""
    report = report_by_code(code)
    if report is None:
        return []
    found = contacts_visible_to(user).filter(pk=report.first_id)
    return [
        Hit(
            str(contact),
            str(_("Anonymous report")),
            reverse("helpline:contact_edit", args=[contact.code]),
        )
        for contact in found
    ]


def search(user: User, query: str) -> Results:
    """Everything ``user`` may see that ``query`` finds, grouped by kind."""
    results = Results()
    query = query.strip()
    if not query:
        return results
    number = CASE_NUMBER.match(query)
    if number is not None:  # a case number is not a name, nor a phone number
        results.add(_("Cases"), _cases(user, number))
    elif works_with_people(user):
        code = receipt.normalise(query)
        if code is not None:  # sixteen digits: a receipt code, not a phone number
            results.add(_("Anonymous reports"), _report(user, code))
        elif _is_phone(query):
            people, calls = _phone(user, query)
            results.add(_("People"), people)
            results.add(_("Helpline contacts"), calls)
        else:
            results.add(_("People"), _names(user, query))
    if number is None:  # an institution by its name, for whoever reads the directory
        results.add(_("Partners"), _partners(user, query))
    return results
