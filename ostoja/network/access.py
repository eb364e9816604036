"""Who may see and change the partner directory (``policy.reads_directory`` and
``policy.edits_directory``): a centre's directory is its own — another organisation's
partners do not exist for its staff (404), and a role that may read but not change it is
refused a change (403)."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ostoja.accounts.models import User
from ostoja.accounts.policy import edits_directory, reads_directory
from ostoja.network.models import Partner, PartnerContact, PartnerService


def partners_visible_to(user: User) -> QuerySet[Partner]:
    """The partners of the user's organisation, for the roles that read the directory."""
    # Roles that do not read the directory see none.
    if not reads_directory(user):
        return Partner.objects.none()
    return Partner.objects.filter(organisation=user.organisation)


def access_partner(user: User, code: uuid.UUID, *, write: bool = False) -> Partner:
    """One partner of the user's organisation: 404 if there is none the user may see, 403
    when ``write`` and the user may only read the directory."""
    partner = partners_visible_to(user).filter(code=code).first()
    # Not in the user's directory: missing.
    if partner is None:
        raise Http404
    # Changing it: those who keep the directory.
    if write and not edits_directory(user):
        raise PermissionDenied
    return partner


def access_service(user: User, code: uuid.UUID, *, write: bool = False) -> PartnerService:
    """One service of a partner in the user's directory (the partner's rule)."""
    service = PartnerService.objects.filter(code=code).select_related("partner").first()
    # No such service: missing.
    if service is None:
        raise Http404
    access_partner(user, service.partner.code, write=write)
    return service


def access_partner_contact(user: User, code: uuid.UUID, *, write: bool = False) -> PartnerContact:
    """One person at a partner in the user's directory (the partner's rule)."""
    contact = PartnerContact.objects.filter(code=code).select_related("partner").first()
    # No such person: missing.
    if contact is None:
        raise Http404
    access_partner(user, contact.partner.code, write=write)
    return contact
