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
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
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

    def case_managers(self) -> list[int]:
        return [uid for uid, role in self.team.items() if role == TeamRole.CASE_MANAGER]


def _member(user: User, scope: Scope) -> bool:
    membership = getattr(user, "membership", None)
    return (
        user.is_active
        and membership is not None
        and membership.organisation_id == scope.organisation_id
    )


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
