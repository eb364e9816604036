"""Roles and what each may do — the one place that maps them (ARCHITECTURE.md §3).

A role is held through a membership of an organisation. Views never test roles; they ask
for a capability (``user_can(user, Capability.MANAGE_USERS)``), so a change of policy is a
change of this table alone. Record- and field-level rules live in each app's ``access.py``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", _("Helpline counsellor")
    CASE_MANAGER = "case_manager", _("Case manager")
    SHELTER_STAFF = "shelter_staff", _("Shelter staff")
    SPECIALIST = "specialist", _("Specialist (lawyer, psychologist, medic)")
    COORDINATOR = "coordinator", _("Coordinator")
    ANALYST = "analyst", _("Analyst")
    DPO = "dpo", _("Data protection officer")
    ADMINISTRATOR = "administrator", _("Administrator")


class Capability(models.TextChoices):
    """What a role may do, function by function (ASVS 8.1.1)."""

    LOG_CONTACTS = "log_contacts", _("Log helpline contacts")
    WORK_CASES = "work_cases", _("Work on the cases of one's team")
    SEE_ALL_CASES = "see_all_cases", _("See and assign all cases of the organisation")
    WORK_SHELTER = "work_shelter", _("Run the shelter")
    SEE_STATISTICS = "see_statistics", _("See statistics (aggregates only)")
    REVIEW_AUDIT = "review_audit", _("Review the audit trail")
    MANAGE_USERS = "manage_users", _("Manage users and roles")
    MANAGE_SETTINGS = "manage_settings", _("Manage the organisation's settings")


_C = Capability
CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.COUNSELLOR: frozenset({_C.LOG_CONTACTS}),
    Role.CASE_MANAGER: frozenset({_C.LOG_CONTACTS, _C.WORK_CASES}),
    Role.SHELTER_STAFF: frozenset({_C.WORK_SHELTER}),
    Role.SPECIALIST: frozenset({_C.WORK_CASES}),
    Role.COORDINATOR: frozenset(
        {_C.LOG_CONTACTS, _C.WORK_CASES, _C.SEE_ALL_CASES, _C.WORK_SHELTER, _C.SEE_STATISTICS}
    ),
    # The analyst sees aggregates, never an identity.
    Role.ANALYST: frozenset({_C.SEE_STATISTICS}),
    # The DPO reviews who saw what; no case content by default.
    Role.DPO: frozenset({_C.REVIEW_AUDIT}),
    # The administrator runs users and settings; no case content, ever.
    Role.ADMINISTRATOR: frozenset({_C.MANAGE_USERS, _C.MANAGE_SETTINGS}),
}

# Roles that may see who a client is. Used by later apps' access policies and by tests.
SEES_IDENTITIES = frozenset(
    {Role.COUNSELLOR, Role.CASE_MANAGER, Role.SHELTER_STAFF, Role.SPECIALIST, Role.COORDINATOR}
)


def capabilities_of(role: str | None) -> frozenset[Capability]:
    """The capabilities of ``role``; none for no role or an unknown one."""
    if role is None or role not in Role.values:
        return frozenset()
    return CAPABILITIES[Role(role)]
