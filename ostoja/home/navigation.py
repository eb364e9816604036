"""The top bar's navigation: each entry names the capability it needs, so a role sees
only what it may use. Later apps add their entries here."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import User
from ostoja.accounts.policy import reads_directory
from ostoja.accounts.roles import Capability


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    capability: Capability | None  # None: every signed-in member of staff
    also: Capability | None = None  # … or this one
    rule: Callable[[User], bool] | None = None  # … or, instead of capabilities, this rule


def statistics_only(user: User) -> bool:
    return user.can(Capability.SEE_STATISTICS) and not user.can(Capability.SEE_ALL_CASES)


NAVIGATION = (
    NavItem(_("Dashboard"), "home:dashboard", None),
    NavItem(_("Helpline"), "helpline:contact_list", Capability.LOG_CONTACTS),
    NavItem(_("Cases"), "cases:case_list", Capability.WORK_CASES),
    # The helpline registers people too (a caller from a contact): counsellors have it.
    NavItem(_("People"), "people:person_list", Capability.WORK_CASES, Capability.LOG_CONTACTS),
    NavItem(_("Interventions"), "interventions:board", Capability.LOG_CONTACTS),
    NavItem(_("Prevention"), "prevention:list", Capability.LOG_CONTACTS),
    NavItem(_("Partners"), "network:directory", None, rule=reads_directory),
    # Those who run the shelter, and those on duty who find a bed at night.
    NavItem(_("Shelter"), "shelter:board", Capability.WORK_SHELTER, Capability.LOG_CONTACTS),
    # Aggregates only: the annual report for any period, for those whose work is statistics
    # (the coordinator's dashboard links it: their top bar is full).
    NavItem(_("Reports"), "reports:annual", None, rule=statistics_only),
    NavItem(_("Users and roles"), "accounts:user_list", Capability.MANAGE_USERS),
    NavItem(_("Audit trail"), "privacy:entry_list", Capability.REVIEW_AUDIT),
    # The DPO's way to a record: that it exists and its codes, never an identity.
    NavItem(_("Find a record"), "privacy:find", Capability.REVIEW_AUDIT),
    # The DPO's records: processing (Art. 30), impact assessments (35), breaches (33).
    NavItem(_("GDPR records"), "privacy:processing_record", Capability.REVIEW_AUDIT),
)


def navigation_for(user: User) -> list[NavItem]:
    return [
        item
        for item in NAVIGATION
        if (item.rule(user) if item.rule is not None else item.capability is None)
        or (item.capability is not None and user.can(item.capability))
        or (item.also is not None and user.can(item.also))
    ]
