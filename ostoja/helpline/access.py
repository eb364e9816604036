"""Who may see and change helpline contacts: the helpline's staff of the organisation (a
contact is the line's record, not a case team's); changing one is for the counsellor who
took it, anyone of the line for correspondence nobody has taken yet, and coordinators."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from ostoja.accounts.access import colleagues
from ostoja.accounts.models import User
from ostoja.accounts.policy import INNER_CLASSES, Access, FieldClass, Scope
from ostoja.accounts.records import Source, register_source
from ostoja.accounts.roles import Capability
from ostoja.helpline.models import Attachment, Contact, FollowUp
from ostoja.helpline.services import contact_link

TARGET = "helpline.contact"
# What a contact holds: who called and how to reach them, and what was said.
_READABLE = frozenset(FieldClass) - INNER_CLASSES


def contacts_visible_to(user: User) -> QuerySet[Contact]:
    """The contacts of the user's organisation, for the helpline's staff."""
    # Only roles that log contacts (counsellors, case managers, coordinators) read them.
    if not user.can(Capability.LOG_CONTACTS):
        return Contact.objects.none()
    return Contact.objects.filter(organisation=user.organisation)


def contact_scope(contact: Contact) -> Scope:
    return Scope(
        organisation_id=contact.organisation_id,
        target_type=TARGET,
        target_code=str(contact.code),
        url=reverse("helpline:contact_edit", args=[contact.code]),
        label=str(contact),
    )


def access_contact(user: User, code: uuid.UUID, *, write: bool = False) -> Access[Contact]:
    """One contact: 404 if it is not the user's organisation's or the role may not see it;
    403 when ``write`` and it may be seen but not changed (someone else's contact)."""
    contact = contacts_visible_to(user).select_related("counsellor").filter(code=code).first()
    # Not a contact of the organisation, or a role that does not read contacts: missing.
    if contact is None:
        raise Http404
    # Changing: the counsellor who took it (anyone of the helpline may take correspondence
    # nobody has taken yet), or a coordinator (who reviews and corrects).
    writable = contact.counsellor_id in (None, user.pk) or user.can(Capability.SEE_ALL_CASES)
    if write and not writable:
        raise PermissionDenied
    return Access(contact, contact_scope(contact), writable, _READABLE)


def access_follow_up(user: User, code: uuid.UUID) -> FollowUp:
    """A follow-up of a visible contact; done by its assignee or a coordinator."""
    follow_up = (
        FollowUp.objects.select_related("contact")
        .filter(code=code, contact__in=contacts_visible_to(user))
        .first()
    )
    # Not a follow-up of a contact the user may see: missing.
    if follow_up is None:
        raise Http404
    # Marking done: the assignee, or a coordinator.
    if follow_up.assignee_id != user.pk and not user.can(Capability.SEE_ALL_CASES):
        raise PermissionDenied
    return follow_up


def access_attachment(user: User, code: uuid.UUID) -> Attachment:
    """An attachment of a contact the user may see; 404 otherwise."""
    attachment = (
        Attachment.objects.select_related("contact")
        .filter(code=code, contact__in=contacts_visible_to(user))
        .first()
    )
    # Not an attachment of a contact the user may see: missing.
    if attachment is None:
        raise Http404
    return attachment


def helpline_staff(user: User) -> QuerySet[User]:
    """Who a follow-up may be given to: active helpline staff of the user's organisation."""
    return colleagues(user, Capability.LOG_CONTACTS)


def _contact_source(user: User, code: uuid.UUID) -> Source:
    """A contact as the source of a person, a case or an intervention (``?contact=``): what
    it knows of them, and the link back to it."""
    contact = access_contact(user, code).record
    known = {"phone": contact.caller_number} if contact.caller_number else {}
    languages = list(contact.languages.values_list("language", flat=True))
    if languages:
        known |= {"languages": languages, "interpreter_needed": contact.interpreter}

    def link(target_type: str, target_code: str, acting_user: User) -> None:
        contact_link(
            contact=contact,
            target_type=target_type,
            target_code=target_code,
            acting_user=acting_user,
        )

    return Source("contact", contact.code, contact, known, link)


register_source("contact", _contact_source)
