"""Who may see and change helpline contacts."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ostoja.accounts.access import colleagues
from ostoja.accounts.models import User
from ostoja.accounts.roles import Capability
from ostoja.helpline.models import Attachment, Contact, FollowUp
from ostoja.lib.http import AuthenticatedHttpRequest, uuid_or_404


def contacts_visible_to(user: User) -> QuerySet[Contact]:
    """The contacts of the user's organisation, for the helpline's staff."""
    # Only roles that log contacts (counsellors, case managers, coordinators) read them.
    if not user.can(Capability.LOG_CONTACTS):
        return Contact.objects.none()
    return Contact.objects.filter(organisation=user.organisation)


def access_contact(user: User, code: uuid.UUID, *, write: bool = False) -> Contact:
    """One contact; 404 if it is not the user's organisation's or the role may not see it;
    403 when it may be seen but not changed (someone else's completed contact)."""
    try:
        contact = contacts_visible_to(user).select_related("counsellor").get(code=code)
    except Contact.DoesNotExist:
        raise Http404 from None
    # Changing: the counsellor who took it (anyone of the helpline may take correspondence
    # nobody has taken yet), or a coordinator (who reviews and corrects).
    taken_by_another = contact.counsellor_id not in (None, user.pk)
    if write and taken_by_another and not user.can(Capability.SEE_ALL_CASES):
        raise PermissionDenied
    return contact


def contact_of_request(request: AuthenticatedHttpRequest) -> Contact | None:
    """The contact a page was opened from (``?contact=`` or a posted ``contact``), if any:
    pages that start from a live call (a person, a case, an intervention) link it."""
    raw = request.GET.get("contact") or request.POST.get("contact")
    return access_contact(request.user, uuid_or_404(raw)) if raw else None


def access_follow_up(user: User, code: uuid.UUID) -> FollowUp:
    """A follow-up of a visible contact; done by its assignee or a coordinator."""
    try:
        follow_up = FollowUp.objects.select_related("contact").get(
            code=code, contact__in=contacts_visible_to(user)
        )
    except FollowUp.DoesNotExist:
        raise Http404 from None
    # Marking done: the assignee, or a coordinator.
    if follow_up.assignee_id != user.pk and not user.can(Capability.SEE_ALL_CASES):
        raise PermissionDenied
    return follow_up


def access_attachment(user: User, code: uuid.UUID) -> Attachment:
    """An attachment of a contact the user may see; 404 otherwise."""
    try:
        return Attachment.objects.select_related("contact").get(
            code=code, contact__in=contacts_visible_to(user)
        )
    except Attachment.DoesNotExist:
        raise Http404 from None


def helpline_staff(user: User) -> QuerySet[User]:
    """Who a follow-up may be given to: active helpline staff of the user's organisation."""
    return colleagues(user, Capability.LOG_CONTACTS)
