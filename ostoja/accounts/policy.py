"""The one access policy for client records (ARCHITECTURE.md §3, SECURITY.md §5).

Function level — what a role may do at all — is ``roles.CAPABILITIES``. This module is the
record and field level, for any record that describes a client (a person, a case, a
contact): apps describe such a record by a ``Scope`` and ask ``can_view`` /
``can_view_field``; they never test roles themselves.

Record level: a record is visible to members of its organisation whose role may see
identities, narrowed to the record's team — except coordinators, who see the whole
organisation — and, when the record is *restricted*, to the people named on it. Anyone
else with such a role may *break the glass*: state a reason and get a short, audited grant
that the case manager and the data protection officer are told about.

Field level: health, legal and perpetrator details only for the team's case manager and
specialists, and coordinators (for unrestricted records).

Writing: only within reach. A break-the-glass grant opens a record to read, never to change.

Emergencies: the names of the people involved in an *open* emergency intervention, and
their safe-contact warnings, are shown to the people working it (who opened it, who
acknowledged it, who was alerted, who is on duty now) — see ``can_view_in_emergency``.

The data protection officer: may learn that a record of their organisation exists, and its
codes and reference (a case number) — never who the client is, nor what the record holds
— see ``can_see_existence``.

Every app's ``access.py`` asks ``decide`` once per request and hands its view one
``Access``: the record, its scope, whether it may be changed, which field classes may be
read.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import AccessGrant, User
from ostoja.accounts.roles import SEES_IDENTITIES, Capability


class FieldClass(models.TextChoices):
    """Classes of fields with their own reading rule (ASVS 8.1.2)."""

    IDENTITY = "identity", _("Identity")
    CONTACT = "contact", _("Contact details")
    LOCATION = "location", _("Whereabouts")
    HEALTH = "health", _("Health")
    LEGAL = "legal", _("Legal details")
    PERPETRATOR = "perpetrator", _("Perpetrators")
    NARRATIVE = "narrative", _("Notes")


class TeamRole(models.TextChoices):
    CASE_MANAGER = "case_manager", _("Case manager")
    SPECIALIST = "specialist", _("Specialist")
    MEMBER = "member", _("Team member")


# Field classes only the inner team reads.
INNER_CLASSES = frozenset({FieldClass.HEALTH, FieldClass.LEGAL, FieldClass.PERPETRATOR})
INNER_TEAM = frozenset({TeamRole.CASE_MANAGER, TeamRole.SPECIALIST})


@dataclass(frozen=True)
class Scope:
    """What the policy needs to know of one protected record."""

    organisation_id: int
    target_type: str  # e.g. "cases.case"
    target_code: str  # the record's public code
    team: Mapping[int, str] = field(default_factory=dict)  # user id -> TeamRole
    restricted: bool = False
    named: frozenset[int] = frozenset()  # who may open a restricted record
    url: str = ""  # where the record is shown (for break-the-glass to return to)
    # How a page names the record (a person's name, a case number) — to be shown only to
    # those who may open it (``can_view``), never on the break-the-glass offer.
    label: str = ""
    # How to name it where who the client is must not show (a notice, an e-mail): a case
    # number, an intervention's reference; empty for a person.
    reference: str = ""

    def case_managers(self) -> list[int]:
        return [uid for uid, role in self.team.items() if role == TeamRole.CASE_MANAGER]


def _member(user: User, scope: Scope) -> bool:
    membership = getattr(user, "membership", None)
    return (
        user.is_active
        and membership is not None
        and membership.organisation_id == scope.organisation_id
    )


def granted_codes(user: User, target_type: str) -> list[uuid.UUID]:
    """Codes of the records of ``target_type`` that ``user`` broke the glass on, while the
    grants run (for the ``visible_to`` queries of the apps)."""
    codes: QuerySet[AccessGrant, str] = AccessGrant.objects.filter(
        user=user, target_type=target_type, expires_at__gt=timezone.now()
    ).values_list("target_code", flat=True)
    return [uuid.UUID(code) for code in codes]


def works_with_people(user: User) -> bool:
    """Roles whose work is with clients: the helpline and case work (also who may be on
    duty and run emergency interventions)."""
    return user.role in SEES_IDENTITIES and (
        user.can(Capability.LOG_CONTACTS) or user.can(Capability.WORK_CASES)
    )


def reads_directory(user: User) -> bool:
    """The partner directory (``ostoja.network``) holds no client data but the work details
    of the people at partners: every role whose work is with clients looks a partner up
    (the helpline, case work, the shelter, specialists, coordinators)."""
    # Active staff only.
    if not user.is_active:
        return False
    # Roles that see identities work with clients; the others need no partner's officer.
    return user.role in SEES_IDENTITIES


def edits_directory(user: User) -> bool:
    """Who keeps the directory up to date: those who take the institutions' calls and
    refer clients — counsellors, case managers and coordinators."""
    # Only those who read it …
    if not reads_directory(user):
        return False
    # … and log contacts (an institution's call is a contact).
    return user.can(Capability.LOG_CONTACTS)


def consults_institutions(user: User) -> bool:
    """Consultations for institutions (``ostoja.network``): a Police officer's question is
    a call the helpline takes, so those who take calls log and read them — the roles that
    keep the directory. Their questions may be about people: nobody else reads them."""
    return edits_directory(user)


def has_grant(user: User, scope: Scope, at: dt.datetime | None = None) -> bool:
    """Whether ``user`` broke the glass on this record and the grant still runs."""
    return AccessGrant.objects.filter(
        user=user,
        target_type=scope.target_type,
        target_code=scope.target_code,
        expires_at__gt=at or timezone.now(),
    ).exists()


def within_reach(user: User, scope: Scope) -> bool:
    """Visible without breaking the glass."""
    # Another organisation's records do not exist for this user.
    if not _member(user, scope):
        return False
    # Administrators, analysts and the DPO never see who a client is.
    if user.role not in SEES_IDENTITIES:
        return False
    # A restricted record: only the people named on it.
    if scope.restricted:
        return user.pk in scope.named
    # Coordinators see every record of their organisation.
    if user.can(Capability.SEE_ALL_CASES):
        return True
    # Everyone else: the record's team.
    return user.pk in scope.team


def may_break_glass(user: User, scope: Scope) -> bool:
    """Out of reach, but of the same organisation and a role that may see identities."""
    return _member(user, scope) and user.role in SEES_IDENTITIES and not within_reach(user, scope)


def can_view(user: User, scope: Scope, at: dt.datetime | None = None) -> bool:
    """May ``user`` open the record at all?"""
    # Within reach: the ordinary rule.
    if within_reach(user, scope):
        return True
    # Out of reach: only with a running break-the-glass grant.
    return may_break_glass(user, scope) and has_grant(user, scope, at)


class OutOfReach(PermissionDenied):
    """A record of one's organisation that one may open only by breaking the glass: the
    403 page offers it (``ostoja.home.views.error_view``)."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope


def require_view(user: User, scope: Scope) -> None:
    """Raise ``OutOfReach`` (403, with the offer) or ``Http404`` unless ``user`` may open
    the record: out of reach looks like missing to anyone who could not break the glass."""
    if can_view(user, scope):
        return
    if may_break_glass(user, scope):
        raise OutOfReach(scope)
    raise Http404


def can_view_field(user: User, scope: Scope, field_class: FieldClass) -> bool:
    """May ``user`` read fields of ``field_class`` of the record?"""
    # Nothing of a record one may not open.
    if not can_view(user, scope):
        return False
    # Identity, contact, whereabouts and notes: whoever may open the record.
    if field_class not in INNER_CLASSES:
        return True
    # Health, legal, perpetrators: the inner team …
    if scope.team.get(user.pk) in INNER_TEAM:
        return True
    # … and coordinators, unless the record is restricted. Never by breaking the glass.
    return user.can(Capability.SEE_ALL_CASES) and not scope.restricted


def can_view_sealed_address(user: User, scope: Scope) -> bool:
    """May ``user`` read a sealed address (a shelter's) of the place ``scope`` describes?

    The address of a shelter is what the exploiters look for: it is shown only to the
    place's team — its own shelter staff and the case managers of the people placed there
    — and to coordinators, or to someone who broke the glass on it (read, audited, told).
    A duty worker arranging a bed at 2 a.m. sees which place and bed are free and its
    phone, not where it is, unless they break the glass. No emergency rule opens it."""
    # Another organisation's places do not exist for this user.
    if not _member(user, scope):
        return False
    # Administrators, analysts and the DPO never see where a client stays.
    if user.role not in SEES_IDENTITIES:
        return False
    # The place's team and coordinators (``within_reach``), or a running grant.
    return can_view(user, scope)


def can_manage(user: User, scope: Scope) -> bool:
    """May ``user`` change who works on the record (its team)?"""
    # Only from within reach: never by breaking the glass.
    if not within_reach(user, scope):
        return False
    # The record's case manager …
    if scope.team.get(user.pk) == TeamRole.CASE_MANAGER:
        return True
    # … and coordinators.
    return user.can(Capability.SEE_ALL_CASES)


@dataclass(frozen=True)
class Access[R]:
    """What a view needs to know of one record it was given: the record, its scope,
    whether the user may change it, and which classes of its fields the user may read.
    Built once per request by the app's ``access_<noun>``, so a view never asks the
    policy again."""

    record: R
    scope: Scope
    writable: bool
    readable: frozenset[FieldClass]
    manages: bool = False

    def may_read(self, field_class: FieldClass) -> bool:
        return field_class in self.readable

    @property
    def health(self) -> bool:
        return FieldClass.HEALTH in self.readable

    @property
    def legal(self) -> bool:
        return FieldClass.LEGAL in self.readable

    @property
    def perpetrators(self) -> bool:
        return FieldClass.PERPETRATOR in self.readable


def decide[R](user: User, record: R, scope: Scope, *, write: bool = False) -> Access[R]:
    """The one answer for ``user`` on ``record``: ``Http404`` or ``OutOfReach`` if they may
    not open it, ``PermissionDenied`` (403) if ``write`` and they may only read it (a
    break-the-glass grant), else their ``Access``."""
    require_view(user, scope)
    writable = within_reach(user, scope)
    # Writing: within reach only — a break-the-glass grant reads, never writes.
    if write and not writable:
        raise PermissionDenied
    readable = frozenset(c for c in FieldClass if can_view_field(user, scope, c))
    return Access(record, scope, writable, readable, manages=can_manage(user, scope))


@dataclass(frozen=True)
class Emergency:
    """An emergency intervention, as the policy needs to know it: whether it is open and
    who works it (who opened it, acknowledged it, was alerted about it, or is on duty)."""

    organisation_id: int
    open: bool
    workers: frozenset[int]


def can_view_in_emergency(user: User, scope: Scope, emergency: Emergency) -> bool:
    """May ``user`` see who a person involved in ``emergency`` is (their name and their
    safe-contact warning, on the intervention's page)? At 2 a.m. the duty worker must know
    whom they are helping, though the person is not on their caseload; nobody else must."""
    # Whoever may open the person's record anyway.
    if can_view(user, scope):
        return True
    # Nobody else once the emergency is over: then it is break-the-glass, as for any record.
    if not emergency.open:
        return False
    # Only the organisation's own staff, in roles that may see identities.
    if not _member(user, scope) or user.role not in SEES_IDENTITIES:
        return False
    if emergency.organisation_id != scope.organisation_id:
        return False
    # A restricted record stays with the people named on it, emergency or not.
    if scope.restricted:
        return False
    # The people working the emergency.
    return user.pk in emergency.workers


@dataclass(frozen=True)
class Existence:
    """All that may be known of a record by someone who must know that it exists but may
    not open it (the data protection officer): its type, its code, and its reference where
    it has one (a case number, an intervention's reference). Never the scope's ``label`` (a
    person's name) nor anything the record holds: a page given an ``Existence`` has nothing
    else it could show."""

    target_type: str
    target_code: str
    reference: str = ""  # "" for a person or a contact: they have no number but their code


def can_see_existence(user: User, scope: Scope) -> bool:
    """May ``user`` learn that the record exists, with its codes — and nothing more?

    The data protection officer's rule. ARCHITECTURE.md §3 gives the DPO "audit,
    retention, subject access — no case content by default", and the GDPR makes the DPO's
    tasks monitoring, advice and being the contact point for the people whose data is held
    and for the supervisory authority (Art. 38–39) — not case work. To say who has seen a
    person's records, to answer someone asking what the centre holds about them, to look
    into a complaint, the DPO must find the records and follow their codes through the
    trail; not know who the client is, nor what happened to them.

    So the line is drawn between a *reference* and an *identity*. A code or a case number
    (``KCIK/2026/0042``) says nothing of the person to anyone who does not already hold the
    file; a name, a date of birth, a phone number do. The DPO gets existence, type, code
    and reference (``existence``), never the ``label``, never a field, and cannot break the
    glass (``may_break_glass`` refuses roles that do not see identities). Restricted
    records are no exception: their restriction is about who reads their content, which
    the DPO does not, and their access is the one most in need of watching. A reply to a
    subject access request that must name the person is a separate step, done with the
    case manager under dual control (SECURITY.md §6), not this rule.
    """
    # Another organisation's records do not exist for this user — another centre's DPO
    # included: each centre is its own controller, with its own DPO.
    if not _member(user, scope):
        return False
    # Only those who review the audit trail: the DPO's monitoring task.
    return user.can(Capability.REVIEW_AUDIT)


def existence(user: User, scope: Scope) -> Existence | None:
    """What ``user`` may know of the record under ``can_see_existence``; ``None``: nothing."""
    # Nothing at all for those the rule does not cover.
    if not can_see_existence(user, scope):
        return None
    return Existence(scope.target_type, scope.target_code, scope.reference)


# Apps register how to find the Scope of their records, by target type, so that generic
# views (break-the-glass) can work on any of them.
ScopeFinder = Callable[[User, str], Scope | None]
SCOPE_FINDERS: dict[str, ScopeFinder] = {}


def register_scope(target_type: str, finder: ScopeFinder) -> None:
    SCOPE_FINDERS[target_type] = finder


def find_scope(user: User, target_type: str, code: str) -> Scope | None:
    """The scope of a record by type and code, or ``None`` if there is no such record."""
    finder = SCOPE_FINDERS.get(target_type)
    if finder is None:
        return None
    try:
        return finder(user, code)
    except (ValueError, ValidationError):  # a malformed code: no such record
        return None
