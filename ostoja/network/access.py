"""Who may see and change the partner directory (``policy.reads_directory`` and
``policy.edits_directory``): a centre's directory is its own — another organisation's
partners do not exist for its staff (404), and a role that may read but not change it is
refused a change (403)."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ostoja.accounts.models import User
from ostoja.accounts.policy import (
    Access,
    Scope,
    can_view,
    consults_institutions,
    edits_directory,
    find_scope,
    reads_directory,
    works_with_people,
)
from ostoja.accounts.records import Source, register_source
from ostoja.accounts.roles import Capability
from ostoja.cases.access import access_case, cases_visible_to
from ostoja.cases.models import Case
from ostoja.network.models import (
    Consultation,
    IncomingReferral,
    Interpreter,
    Partner,
    PartnerContact,
    PartnerLocation,
    PartnerPhone,
    PartnerService,
    Referral,
    Training,
)
from ostoja.network.vocabulary import referrer
from ostoja.people.models import Person


def partners_visible_to(user: User) -> QuerySet[Partner]:
    """The partners of the user's organisation, for the roles that read the directory."""
    # Roles that do not read the directory see none.
    if not reads_directory(user):
        return Partner.objects.none()
    return Partner.objects.filter(organisation=user.organisation)


def partners_to_choose(user: User) -> QuerySet[Partner]:
    """The partners a new record may name: those of the user's directory not archived."""
    return partners_visible_to(user).filter(archived_at__isnull=True)


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


def access_location(user: User, code: uuid.UUID, *, write: bool = False) -> PartnerLocation:
    """One place of a partner in the user's directory (the partner's rule)."""
    location = PartnerLocation.objects.filter(code=code).select_related("partner").first()
    # No such place: missing.
    if location is None:
        raise Http404
    access_partner(user, location.partner.code, write=write)
    return location


def access_phone(user: User, code: uuid.UUID, *, write: bool = False) -> PartnerPhone:
    """One phone of a partner in the user's directory (the partner's rule)."""
    phone = PartnerPhone.objects.filter(code=code).select_related("partner").first()
    # No such phone: missing.
    if phone is None:
        raise Http404
    access_partner(user, phone.partner.code, write=write)
    return phone


def consultations_visible_to(user: User) -> QuerySet[Consultation]:
    """The organisation's consultations, for those who give them."""
    # Roles that do not consult institutions see none.
    if not consults_institutions(user):
        return Consultation.objects.none()
    return Consultation.objects.filter(organisation=user.organisation)


def access_consultation(user: User, code: uuid.UUID) -> Consultation:
    """One consultation of the user's organisation: 404 if there is none the user may see.
    Whoever may see it may change it (they answer the institutions' calls)."""
    consultation = (
        consultations_visible_to(user)
        .filter(code=code)
        .select_related("partner", "follow_up_assignee", "case", "intervention")
        .first()
    )
    # Not the organisation's, or a role that does not consult: missing.
    if consultation is None:
        raise Http404
    return consultation


def find_case(user: User, case: Case | None) -> Scope | None:
    """A case another record led to, if there is one the user may open."""
    # No case, nothing to show.
    if case is None:
        return None
    scope = find_scope(user, "cases.case", str(case.code))
    # Shown only to those who may open it.
    return scope if scope is not None and can_view(user, scope) else None


def opened_case(user: User, consultation: Consultation) -> Scope | None:
    """The case opened from the consultation, if there is one the user may open."""
    return find_case(user, consultation.case)


def trainings_visible_to(user: User) -> QuerySet[Training]:
    """The trainings and presentations the organisation gave: for those who consult."""
    # Roles that do not consult institutions see none.
    if not consults_institutions(user):
        return Training.objects.none()
    return Training.objects.filter(organisation=user.organisation)


def _consultation_source(user: User, code: uuid.UUID) -> Source:
    """A consultation as the source of a case (``?consultation=``): what was typed is
    offered, and the case is linked to it (each shows the other)."""
    from ostoja.network.services import consultation_link

    consultation = access_consultation(user, code)
    known = {"summary": consultation.question, "referred_by": referrer(consultation.partner)}

    def link(target_type: str, target_code: str, acting_user: User) -> None:
        consultation_link(
            consultation=consultation,
            target_type=target_type,
            target_code=target_code,
            acting_user=acting_user,
        )

    return Source("consultation", consultation.code, consultation, known, link)


register_source("consultation", _consultation_source)


def _referral_source(user: User, code: uuid.UUID) -> Source:
    """An incoming referral as the source of a shelter stay (``?referral=``): the stay
    names it (the shelter, beside the network, stores it by the model's label) and the
    referral shows the stays that came of it."""
    incoming = access_incoming_referral(user, code)
    return Source("referral", incoming.code, incoming)


register_source("referral", _referral_source)


def access_referral(user: User, code: uuid.UUID, *, write: bool = False) -> Access[Referral]:
    """A referral, with its case's access (``cases.access``): whoever may open the case
    may see its referrals, whoever may change it records the partner's answers."""
    referral = (
        Referral.objects.filter(code=code).select_related("case", "partner", "client").first()
    )
    # No such referral: missing.
    if referral is None:
        raise Http404
    case_access = access_case(user, referral.case.code, write=write)
    return Access(
        referral, case_access.scope, case_access.writable, case_access.readable, case_access.manages
    )


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """The referrals of the cases the user may open."""
    return Referral.objects.filter(case__in=cases_visible_to(user))


def incoming_referrals_visible_to(user: User) -> QuerySet[IncomingReferral]:
    """Referrals from institutions: for those who take the institutions' calls."""
    # Roles that do not consult institutions see none.
    if not consults_institutions(user):
        return IncomingReferral.objects.none()
    return IncomingReferral.objects.filter(organisation=user.organisation)


def access_incoming_referral(user: User, code: uuid.UUID) -> IncomingReferral:
    """One incoming referral of the organisation: 404 if there is none the user may see."""
    incoming = (
        incoming_referrals_visible_to(user)
        .filter(code=code)
        .select_related("partner", "case", "contact")
        .first()
    )
    # Not the organisation's, or a role that does not take institutions' calls: missing.
    if incoming is None:
        raise Http404
    return incoming


def interpreters_visible_to(user: User) -> QuerySet[Interpreter]:
    """The organisation's interpreters, for whoever works with clients (who book them)."""
    # Only roles whose work is with clients book interpreters.
    if not works_with_people(user):
        return Interpreter.objects.none()
    return Interpreter.objects.filter(organisation=user.organisation)


def people_to_relate(user: User) -> QuerySet[Person]:
    """Whom an interpreter may be recorded as related to: the clients of the cases the
    user may open (those a conflict of interest is checked for)."""
    return Person.objects.filter(case_links__case__in=cases_visible_to(user)).distinct()


def access_interpreter(user: User, code: uuid.UUID) -> Interpreter:
    """One interpreter of the registry, to change: 404 if the user does not see it, 403
    unless they keep the registry (coordinators: costs and agreements)."""
    interpreter = interpreters_visible_to(user).filter(code=code).first()
    # Not in the user's registry: missing.
    if interpreter is None:
        raise Http404
    # The registry is kept by the coordinators.
    if not user.can(Capability.SEE_ALL_CASES):
        raise PermissionDenied
    return interpreter
