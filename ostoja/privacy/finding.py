"""The DPO finds a record: by case number, or by a person's name — and learns that it
exists, with its codes, and nothing more (``policy.can_see_existence``).

**What a name search may say.** The DPO typed the name, so showing it back would add
nothing; showing anything else would: another spelling, an alias, a date of birth, whether
the person is a client or a relative, the matcher's reasons ("same date of birth",
"different year of birth" — each a fact about the record). So a match is shown as "record
1, 2, …" in the matcher's order, with its code (a UUID that means nothing outside Ostoja),
a band of how strong the match is, and a link to who has seen the person's records.

**Even that is a disclosure**, and it is made on purpose. That someone of this name is known
to an anti-trafficking centre is itself special-category data (GDPR Art. 9) and the very
thing an exploiter wants to learn. The DPO needs it — to answer a person asking what the
centre holds about them (Art. 15), to look into a complaint ("someone looked me up"), to
investigate a breach — and is bound to secrecy (Art. 38(5)). What keeps it a tool and not
a lookup service:

* only the DPO role, only their own organisation (another centre's DPO finds nothing);
* a purpose, chosen from categories, for every search (``SearchPurpose``);
* every search is an audit entry (``audit.searched``: how it searched, how many records it
  showed — never what was typed), and every record shown gets its own entry
  (``audit.record_found``, targeting it, with the purpose), so that the record's own
  "who has seen" — read by the person's case manager and by the other DPOs — shows that
  the DPO looked it up, when and why;
* the name travels in a POST only, never in a URL or a log, is not stored, and the form
  asks browsers not to remember it;
* no sudo mode: django-allauth's re-authentication keeps a suspended POST in the session
  to replay it, which would put the typed name into the session store;
* a match is "possibly this person", never a confirmation: the band says how strong, and
  anything done about the person goes through their case manager, who may see who they are.

A case number is not an identity — it names a file, not a person — so a case found by its
number shows its number, its code and its clients' codes (to follow their trails).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import User
from ostoja.accounts.policy import Existence, existence
from ostoja.cases.access import case_scope
from ostoja.cases.models import Case
from ostoja.people.access import person_scopes
from ostoja.people.matching import PROBABLE_BAND, SIMILAR_BAND, find_matches
from ostoja.privacy.forms import CaseNumber
from ostoja.privacy.related import case_clients

# How strong a match is, in words: the matcher's own bands (``Match.band``), for a reader
# who must not see why they matched.
BANDS: dict[str, Promise] = {
    PROBABLE_BAND: _("probably this person"),
    SIMILAR_BAND: _("a similar name"),
}
LIMIT = 5  # matches shown at most: a name search is not a listing


@dataclass(frozen=True)
class FoundCase:
    case: Existence
    clients: list[Existence]


@dataclass(frozen=True)
class FoundPerson:
    number: int  # "record 1, 2, …": in the matcher's order
    person: Existence
    band: str


def cases_numbered(user: User, number: CaseNumber) -> list[FoundCase]:
    """The user's organisation's cases with this number (of any year when none is given),
    the newest first, as far as the user may know they exist."""
    cases = Case.objects.filter(organisation=user.organisation, number=number.number)
    if number.year is not None:
        cases = cases.filter(year=number.year)
    found = list(cases.prefetch_related("team").order_by("-year"))
    clients = case_clients(found)
    results: list[FoundCase] = []
    for case in found:
        known = existence(user, case_scope(case))
        if known is not None:
            results.append(FoundCase(known, clients.get(case.pk, [])))
    return results


def people_named(user: User, name: str, birth_date: dt.date | None = None) -> list[FoundPerson]:
    """The likeliest people of the user's organisation for this name (and date of birth),
    as far as the user may know they exist: codes and bands, never names."""
    assert user.organisation is not None  # noqa: S101  # a DPO's role comes with one
    matches = find_matches(user.organisation, names=[name], birth_date=birth_date, limit=LIMIT)
    scopes = person_scopes([match.person for match in matches])
    results: list[FoundPerson] = []
    for match in matches:
        known = existence(user, scopes[match.person.pk])
        if known is not None:
            results.append(FoundPerson(len(results) + 1, known, str(BANDS[match.band])))
    return results
