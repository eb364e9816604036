"""The partner directory's pages: the search, a partner's page with its services and the
people there, and the forms that keep it up to date."""

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostoja.accounts.decorators import capability_required, permission_required_by, sudo_required
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.policy import (
    consults_institutions,
    edits_directory,
    reads_directory,
    works_with_people,
)
from ostoja.accounts.roles import Capability
from ostoja.audit import trail
from ostoja.cases.access import access_case, case_managers
from ostoja.cases.models import Case
from ostoja.cases.selectors import case_clients
from ostoja.cases.vocabulary import SHARES
from ostoja.duty.access import staff_on_call
from ostoja.lib.crypto.files import EncryptedStorage, file_response
from ostoja.lib.forms import add_errors, report
from ostoja.lib.http import render_panel, uuid_or_404
from ostoja.lib.iso import language_choices
from ostoja.lib.paging import lite_page
from ostoja.network import hsds, selectors, services
from ostoja.network.access import (
    access_consultation,
    access_incoming_referral,
    access_interpreter,
    access_location,
    access_partner,
    access_partner_contact,
    access_phone,
    access_referral,
    access_service,
    consultations_visible_to,
    find_case,
    incoming_referrals_visible_to,
    interpreters_visible_to,
    opened_case,
    partners_to_choose,
    people_to_relate,
    trainings_visible_to,
)
from ostoja.network.forms import (
    BookingForm,
    CaseFromConsultationForm,
    ConsultationForm,
    DirectorySearchForm,
    DirectoryUploadForm,
    IncomingReferralForm,
    InterpreterForm,
    InterventionFromConsultationForm,
    LocationForm,
    PartnerContactForm,
    PartnerForm,
    PhoneForm,
    ReferralAnswerForm,
    ReferralForm,
    ServiceForm,
    TrainingForm,
)
from ostoja.network.models import Consultation, Interpreter, Referral
from ostoja.network.vocabulary import disclosure_labels
from ostoja.people.access import access_person

_readers = permission_required_by(reads_directory)
_editors = permission_required_by(edits_directory)
UPLOAD_LIMIT = 50 * 2**20  # bytes of an uploaded data package


def _status(request: AuthenticatedHttpRequest) -> int:
    """A form shown again after a POST was refused."""
    return 400 if request.method == "POST" else 200


@_readers
def directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Search the directory by name, kind, place, language and service."""
    form = DirectorySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = lite_page(selectors.partners_found(request.user, filters), request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "editor": edits_directory(request.user),
        "importer": edits_directory(request.user) and request.user.can(Capability.SEE_ALL_CASES),
        "consulting": consults_institutions(request.user),
        "interpreting": works_with_people(request.user),
    }
    return render(request, "network/directory.html", context)


@_readers
def partner_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    partner = access_partner(request.user, code)
    trail.record("partner.viewed", actor=request.user, target=partner)
    context = {
        "partner": partner,
        "services": partner.services.all(),
        "contacts": partner.contacts.all(),
        "locations": partner.locations.all(),
        "phones": partner.phones.select_related("location"),
        "editor": edits_directory(request.user),
    } | selectors.partner_work(request.user, partner)
    return render(request, "network/partner_detail.html", context)


@_editors
def partner_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert request.user.organisation is not None  # noqa: S101
        partner = services.partner_add(
            organisation=request.user.organisation, data=form.cleaned_data, acting_user=request.user
        )
        messages.success(request, _("%(name)s added to the directory.") % {"name": partner.name})
        return redirect("network:partner_detail", code=partner.code)
    context: dict[str, Any] = {"form": form, "title": _("Add a partner")}
    return render(request, "network/form.html", context, status=_status(request))


@_editors
def partner_edit(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    partner = access_partner(request.user, code, write=True)
    form = PartnerForm(request.POST or None, initial=PartnerForm.of(partner))
    if request.method == "POST" and form.is_valid():
        services.partner_change(partner=partner, data=form.cleaned_data, acting_user=request.user)
        messages.success(request, _("Saved."))
        return redirect("network:partner_detail", code=partner.code)
    context = {"form": form, "partner": partner, "title": partner.name}
    return render(request, "network/form.html", context, status=_status(request))


@require_POST
@_editors
def partner_archive(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Archive a partner that closed (or restore it, ``restore`` in the form)."""
    partner = access_partner(request.user, code, write=True)
    restore = "restore" in request.POST
    try:
        if restore:
            services.partner_restore(partner=partner, acting_user=request.user)
        else:
            services.partner_archive(partner=partner, acting_user=request.user)
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Partner restored.") if restore else _("Partner archived."))
    return redirect("network:partner_detail", code=partner.code)


@_editors
def location_new(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    partner = access_partner(request.user, code, write=True)
    form = LocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.location_add(partner=partner, data=form.cleaned_data, acting_user=request.user)
        messages.success(request, _("Location added."))
        return redirect("network:partner_detail", code=partner.code)
    context = {"form": form, "partner": partner, "title": _("Add a location")}
    return render(request, "network/form.html", context, status=_status(request))


@require_POST
@_editors
def location_remove(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    location = access_location(request.user, code, write=True)
    services.location_remove(location=location, acting_user=request.user)
    messages.success(request, _("Location removed."))
    return redirect("network:partner_detail", code=location.partner.code)


@_editors
def phone_new(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    partner = access_partner(request.user, code, write=True)
    form = PhoneForm(request.POST or None, partner=partner)
    if request.method == "POST" and form.is_valid():
        services.phone_add(partner=partner, data=form.cleaned_data, acting_user=request.user)
        messages.success(request, _("Phone added."))
        return redirect("network:partner_detail", code=partner.code)
    context = {"form": form, "partner": partner, "title": _("Add a phone")}
    return render(request, "network/form.html", context, status=_status(request))


@require_POST
@_editors
def phone_remove(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    phone = access_phone(request.user, code, write=True)
    services.phone_remove(phone=phone, acting_user=request.user)
    messages.success(request, _("Phone removed."))
    return redirect("network:partner_detail", code=phone.partner.code)


@_editors
def directory_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Import an HSDS 3.0 data package (a zip of the JSON or the CSV form): all or
    nothing; a refused package is shown row by row (coordinators only)."""
    # Importing into the whole directory is the coordinators' (as keeping the registry).
    if not request.user.can(Capability.SEE_ALL_CASES):
        raise PermissionDenied
    form = DirectoryUploadForm(request.POST or None, request.FILES or None)
    refused: list[str] = []
    if request.method == "POST" and form.is_valid():
        assert request.user.organisation is not None  # noqa: S101
        upload = form.cleaned_data["package"]
        files, wrong = hsds.unpacked(upload.read() if upload.size <= UPLOAD_LIMIT else b"")
        if upload.size > UPLOAD_LIMIT:
            wrong = [_("The file is larger than %(mb)s MB.") % {"mb": UPLOAD_LIMIT // 2**20}]
        package = hsds.read_package(files)
        package.problems[:0] = wrong
        try:
            counts = services.directory_import(
                organisation=request.user.organisation, package=package, acting_user=request.user
            )
        except services.ImportRefused as error:
            refused = error.report
            trail.record(
                "directory.import_refused", actor=request.user, data={"problems": len(refused)}
            )
            form.add_error(None, _("Nothing was imported: the package has errors (below)."))
        else:
            messages.success(
                request,
                _(
                    "Imported: %(added)s partners added, %(changed)s brought up to date, "
                    "%(services)s services."
                )
                % counts,
            )
            return redirect("network:directory")
    context = {"form": form, "refused": refused}
    return render(request, "network/directory_upload.html", context, status=_status(request))


@_editors
def service_new(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    partner = access_partner(request.user, code, write=True)
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.service_add(partner=partner, data=form.cleaned_data, acting_user=request.user)
        messages.success(request, _("Service added."))
        return redirect("network:partner_detail", code=partner.code)
    context = {"form": form, "partner": partner, "title": _("Add a service")}
    return render(request, "network/form.html", context, status=_status(request))


@_editors
def service_edit(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    service = access_service(request.user, code, write=True)
    form = ServiceForm(request.POST or None, initial=ServiceForm.of(service))
    if request.method == "POST" and form.is_valid():
        services.service_change(service=service, data=form.cleaned_data, acting_user=request.user)
        messages.success(request, _("Saved."))
        return redirect("network:partner_detail", code=service.partner.code)
    context = {"form": form, "partner": service.partner, "title": service.name}
    return render(request, "network/form.html", context, status=_status(request))


@require_POST
@_editors
def service_remove(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    service = access_service(request.user, code, write=True)
    services.service_remove(service=service, acting_user=request.user)
    messages.success(request, _("Service removed."))
    return redirect("network:partner_detail", code=service.partner.code)


@_editors
def contact_new(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    partner = access_partner(request.user, code, write=True)
    form = PartnerContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.partner_contact_add(
            partner=partner, data=form.cleaned_data, acting_user=request.user
        )
        messages.success(request, _("Person added."))
        return redirect("network:partner_detail", code=partner.code)
    context = {"form": form, "partner": partner, "title": _("Add a person at the partner")}
    return render(request, "network/form.html", context, status=_status(request))


@_editors
def contact_edit(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    contact = access_partner_contact(request.user, code, write=True)
    form = PartnerContactForm(request.POST or None, initial=PartnerContactForm.of(contact))
    if request.method == "POST" and form.is_valid():
        services.partner_contact_change(
            contact=contact, data=form.cleaned_data, acting_user=request.user
        )
        messages.success(request, _("Saved."))
        return redirect("network:partner_detail", code=contact.partner.code)
    context = {"form": form, "partner": contact.partner, "title": contact.name}
    return render(request, "network/form.html", context, status=_status(request))


@require_POST
@_editors
def contact_remove(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    contact = access_partner_contact(request.user, code, write=True)
    services.partner_contact_remove(contact=contact, acting_user=request.user)
    messages.success(request, _("Person removed."))
    return redirect("network:partner_detail", code=contact.partner.code)


# --- Consultations for institutions --------------------------------------------------------

_consulting = permission_required_by(consults_institutions)


def _consultation_form(request: AuthenticatedHttpRequest, **kwargs: Any) -> ConsultationForm:
    return ConsultationForm(
        request.POST or None,
        partners=partners_to_choose(request.user),
        staff=staff_on_call(request.user),
        **kwargs,
    )


@_consulting
def consultation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The consultations given to institutions, newest first, with follow-ups to do."""
    consultations = consultations_visible_to(request.user).select_related("partner")
    page = lite_page(
        consultations.defer("question", "advice", "follow_up"), request.GET.get("page")
    )
    follow_ups = selectors.consultation_follow_ups(request.user)
    trail.record("consultation.listed", actor=request.user)
    context = {"page": page, "follow_ups": follow_ups, "query": ""}
    return render(request, "network/consultation_list.html", context)


@_consulting
def consultation_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    initial: dict[str, Any] = {"asked_at": now, "channel": Consultation.Channel.PHONE}
    raw = request.GET.get("partner")
    if raw:
        initial["partner"] = access_partner(request.user, uuid_or_404(raw))
    form = _consultation_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        assert request.user.organisation is not None  # noqa: S101
        consultation = services.consultation_log(
            organisation=request.user.organisation, data=form.cleaned_data, acting_user=request.user
        )
        messages.success(request, _("Consultation logged."))
        return redirect("network:consultation_detail", code=consultation.code)
    context = {"form": form, "title": _("Log a consultation")}
    return render(request, "network/form.html", context, status=_status(request))


@_consulting
def consultation_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    consultation = access_consultation(request.user, code)
    trail.record("consultation.viewed", actor=request.user, target=consultation)
    opens_cases = request.user.can(Capability.WORK_CASES)
    context = {
        "consultation": consultation,
        "case": opened_case(request.user, consultation),
        "intervention_form": InterventionFromConsultationForm(),
        "bookings": consultation.bookings.select_related("interpreter"),
        "opens_cases": opens_cases,
    }
    return render(request, "network/consultation_detail.html", context)


@_consulting
def consultation_edit(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    consultation = access_consultation(request.user, code)
    form = _consultation_form(request, initial=ConsultationForm.of(consultation), new=False)
    if request.method == "POST" and form.is_valid():
        services.consultation_change(
            consultation=consultation, data=form.cleaned_data, acting_user=request.user
        )
        messages.success(request, _("Saved."))
        return redirect("network:consultation_detail", code=consultation.code)
    context = {"form": form, "title": str(consultation)}
    return render(request, "network/form.html", context, status=_status(request))


@require_POST
@_consulting
def consultation_follow_up_done(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    consultation = access_consultation(request.user, code)
    try:
        services.consultation_follow_up_done(consultation=consultation, acting_user=request.user)
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Follow-up done."))
    return redirect("network:consultation_detail", code=consultation.code)


@_consulting
def consultation_case(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Open a case for the people a consultation was about (case workers only)."""
    consultation = access_consultation(request.user, code)
    # Opening a case is case work.
    if not request.user.can(Capability.WORK_CASES):
        raise PermissionDenied
    form = CaseFromConsultationForm(
        request.POST or None,
        managers=case_managers(request.user),
        initial={"summary": consultation.question, "manager": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.consultation_case_open(
                consultation=consultation,
                people=form.people(),
                manager=form.cleaned_data["manager"],
                summary=form.cleaned_data["summary"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
            return redirect("cases:case_detail", code=case.code)
    context = {"form": form, "title": _("Open a case from the consultation")}
    return render(request, "network/form.html", context, status=_status(request))


@require_POST
@_consulting
def consultation_intervention(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Open an emergency intervention from a consultation."""
    consultation = access_consultation(request.user, code)
    form = InterventionFromConsultationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the situation."))
        return redirect("network:consultation_detail", code=consultation.code)
    try:
        intervention = services.consultation_intervention_open(
            consultation=consultation,
            situation=form.cleaned_data["situation"],
            acting_user=request.user,
        )
    except ValidationError as error:
        report(request, error)
        return redirect("network:consultation_detail", code=consultation.code)
    messages.success(request, _("Intervention %(ref)s opened.") % {"ref": intervention.reference})
    return redirect("interventions:detail", code=intervention.code)


@_consulting
def trainings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The trainings and presentations given to institutions, and recording one."""
    form = TrainingForm(request.POST or None, partners=partners_to_choose(request.user))
    if request.method == "POST" and form.is_valid():
        assert request.user.organisation is not None  # noqa: S101
        services.training_record(
            organisation=request.user.organisation, data=form.cleaned_data, acting_user=request.user
        )
        messages.success(request, _("Training recorded."))
        return redirect("network:trainings")
    page = lite_page(
        trainings_visible_to(request.user).select_related("partner"), request.GET.get("page")
    )
    context = {"form": form, "page": page, "query": ""}
    return render(request, "network/trainings.html", context, status=_status(request))


# --- Referrals -----------------------------------------------------------------------------

_cases = capability_required(Capability.WORK_CASES)


def _referral_form(request: AuthenticatedHttpRequest, case: Case) -> ReferralForm:
    due = timezone.localdate() + dt.timedelta(days=7)
    return ReferralForm(
        request.POST or None,
        clients=case_clients(case),
        partners=partners_to_choose(request.user),
        initial={"answer_due": due},
    )


@sudo_required  # referring discloses a client's data: recent authentication first
@_cases
def case_referrals(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """A case's referrals to partners, and referring a client (under their consent)."""
    access = access_case(request.user, code, write=request.method == "POST")
    case = access.record
    form = _referral_form(request, case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_send(
                access=access,
                client=data["client"],
                partner=data["partner"],
                service=data["service"],
                reason=data["reason"],
                answer_due=data["answer_due"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Referral to %(partner)s sent.") % {"partner": referral.partner.name}
            )
            return redirect("network:referral_detail", code=referral.code)
    trail.record("referral.listed", actor=request.user, target=case)
    referrals = Referral.objects.filter(case=case).select_related("partner", "client")
    context = {"case": case, "form": form, "referrals": referrals}
    return render(request, "network/case_referrals.html", context, status=_status(request))


@_cases
def referral_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """A referral with its disclosure, and recording the partner's answer or progress."""
    access = access_referral(request.user, code, write=request.method == "POST")
    referral = access.record
    form = ReferralAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_answer(
                referral=referral,
                status=form.cleaned_data["status"],
                feedback=form.cleaned_data["feedback"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("network:referral_detail", code=referral.code)
    trail.record("referral.viewed", actor=request.user, target=referral)
    context = {
        "referral": referral,
        "disclosure": referral.disclosure,
        "share_labels": [SHARES[k] for k in SHARES if k in referral.disclosure.parts],
        "form": form,
        "writable": access.writable,
        "open": referral.status in services.NEXT_STATUS,
    }
    return render(request, "network/referral_detail.html", context, status=_status(request))


@sudo_required
@_cases
def referral_document(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The referral summary that was sent (sudo mode: an export of personal data)."""
    referral = access_referral(request.user, code).record
    trail.record("referral.document_downloaded", actor=request.user, target=referral)
    return file_response(
        EncryptedStorage(),
        referral.document,
        content_type="application/pdf",
        filename=f"{referral.case.reference.replace('/', '-')}-skierowanie.pdf",
    )


@_consulting
def incoming_referrals(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Referrals from institutions: received ones, and recording a new one (it opens a
    helpline contact)."""
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    form = IncomingReferralForm(
        request.POST or None,
        partners=partners_to_choose(request.user),
        initial={"received_at": now},
    )
    if request.method == "POST" and form.is_valid():
        assert request.user.organisation is not None  # noqa: S101
        incoming = services.incoming_referral_receive(
            organisation=request.user.organisation, acting_user=request.user, **form.cleaned_data
        )
        messages.success(request, _("Referral received; a contact was opened."))
        return redirect("network:incoming_detail", code=incoming.code)
    trail.record("incoming_referral.listed", actor=request.user)
    page = lite_page(
        incoming_referrals_visible_to(request.user).select_related("partner").defer("summary"),
        request.GET.get("page"),
    )
    context = {"form": form, "page": page, "query": ""}
    return render(request, "network/incoming_list.html", context, status=_status(request))


@_consulting
def incoming_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """An incoming referral: accepting it opens a case for the people referred (case
    workers), declining closes it."""
    incoming = access_incoming_referral(request.user, code)
    form = CaseFromConsultationForm(
        request.POST or None,
        managers=case_managers(request.user),
        initial={"summary": incoming.summary, "manager": request.user.pk},
    )
    if request.method == "POST":
        # Deciding on a referral is case work.
        if not request.user.can(Capability.WORK_CASES):
            raise PermissionDenied
        accept = "decline" not in request.POST
        if not accept or form.is_valid():
            try:
                case = services.incoming_referral_decide(
                    incoming=incoming,
                    accept=accept,
                    people=form.people() if accept else [],
                    manager=form.cleaned_data["manager"] if accept else None,
                    acting_user=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                if case is not None:
                    messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
                    return redirect("cases:case_detail", code=case.code)
                messages.success(request, _("Referral declined."))
                return redirect("network:incoming_detail", code=incoming.code)
    trail.record("incoming_referral.viewed", actor=request.user, target=incoming)
    context = {
        "incoming": incoming,
        "form": form,
        "decides": request.user.can(Capability.WORK_CASES),
        "case": find_case(request.user, incoming.case),
    }
    return render(request, "network/incoming_detail.html", context, status=_status(request))


# --- Interpreters --------------------------------------------------------------------------

_with_people = permission_required_by(works_with_people)
# What a booking page may be opened with (``?language=vie&town=…``).
BOOKING_CONTEXT = ("language", "town", "community", "proceedings")


@_with_people
def interpreters(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The registry of interpreters, the year's interpreting hours and costs, and (for
    coordinators) adding an interpreter."""
    coordinator = request.user.can(Capability.SEE_ALL_CASES)
    form = InterpreterForm(request.POST or None)
    if request.method == "POST":
        # The registry is kept by the coordinators (costs, agreements).
        if not coordinator:
            raise PermissionDenied
        if form.is_valid():
            assert request.user.organisation is not None  # noqa: S101
            services.interpreter_add(
                organisation=request.user.organisation,
                data=form.cleaned_data,
                acting_user=request.user,
            )
            messages.success(request, _("Interpreter added."))
            return redirect("network:interpreters")
    year = timezone.localdate().year
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        year = int(raw)
    trail.record("interpreter.listed", actor=request.user)
    context = {
        "interpreters": interpreters_visible_to(request.user),
        "form": form if coordinator else None,
        "totals": selectors.interpreting_totals(request.user, year),
        "modes": dict(Interpreter.Mode.choices),
    }
    return render(request, "network/interpreters.html", context, status=_status(request))


@_with_people
def interpreter_edit(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Change an interpreter (coordinators): their details and whom they are related to,
    which the conflict-of-interest check reads."""
    interpreter = access_interpreter(request.user, code)
    form = InterpreterForm(
        request.POST or None,
        initial=InterpreterForm.of(interpreter),
        people=people_to_relate(request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.interpreter_change(
            interpreter=interpreter, data=form.cleaned_data, acting_user=request.user
        )
        messages.success(request, _("Saved."))
        return redirect("network:interpreters")
    # The form lists the clients the interpreter may be related to: a read.
    trail.record("interpreter.viewed", actor=request.user, target=interpreter)
    context = {"form": form, "interpreter": interpreter, "title": interpreter.name}
    return render(request, "network/interpreter_form.html", context, status=_status(request))


@require_POST
@_with_people
def interpreter_active(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Deactivate an interpreter (no longer booked) or make them active again."""
    interpreter = access_interpreter(request.user, code)
    active = "activate" in request.POST
    services.interpreter_set_active(
        interpreter=interpreter, active=active, acting_user=request.user
    )
    messages.success(
        request,
        (_("%(name)s is active again.") if active else _("%(name)s deactivated."))
        % {"name": interpreter.name},
    )
    return redirect("network:interpreters")


@_with_people
def interpreter_book(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Book an interpreter for a case or a consultation (``?case=`` / ``?consultation=``):
    the person's language picks the candidates, each checked for conflicts of interest."""
    case = consultation = None
    raw_case = request.GET.get("case") or request.POST.get("case")
    raw_consultation = request.GET.get("consultation") or request.POST.get("consultation")
    if raw_case:
        case = access_case(request.user, uuid_or_404(raw_case), write=True).record
    elif raw_consultation:
        consultation = access_consultation(request.user, uuid_or_404(raw_consultation))
        if consultation.case is not None:  # the people of the case it opened
            case = access_case(request.user, consultation.case.code, write=True).record
    query = request.POST or request.GET
    initial = {"language": selectors.person_language(case) if case else ""}
    initial |= {k: request.GET[k] for k in BOOKING_CONTEXT if k in request.GET}
    candidates = selectors.interpreter_candidates(
        request.user,
        language=query.get("language") or initial["language"],
        case=case,
        town=query.get("town", ""),
        community=query.get("community", ""),
        proceedings=query.get("proceedings", ""),
    )
    # The choice is among the candidates, once the language has found some.
    interpreters = interpreters_visible_to(request.user)
    if candidates:
        interpreters = interpreters.filter(pk__in=[c.interpreter.pk for c in candidates])
    form = BookingForm(
        query if request.method == "POST" else None, interpreters=interpreters, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["interpreter"] is None:
            form.add_error("interpreter", _("Choose the interpreter."))
        else:
            assert request.user.organisation is not None  # noqa: S101
            try:
                booking = services.interpreter_book(
                    organisation=request.user.organisation,
                    interpreter=form.cleaned_data["interpreter"],
                    data=form.cleaned_data,
                    case=case,
                    consultation=consultation,
                    acting_user=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, _("%(name)s booked.") % {"name": booking.interpreter.name}
                )
                if consultation is not None:
                    return redirect("network:consultation_detail", code=consultation.code)
                if case is not None:
                    return redirect("cases:case_detail", code=case.code)
                return redirect("network:interpreters")
    context = {
        "form": form,
        "candidates": candidates,
        "language_options": language_choices(),
        "language": query.get("language") or initial["language"],
        "case": case,
        "consultation": consultation,
    }
    return render(request, "network/interpreter_book.html", context, status=_status(request))


@permission_required_by(works_with_people)
def person_disclosures(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The person's entries of the disclosure ledger: a panel of their page (htmx), for
    whoever may see the person — what left the centre, to whom, when, under which consent
    or legal basis, by whom."""
    access = access_person(request.user, code)
    trail.record(
        "person.viewed", actor=request.user, target=access.record, data={"for": "disclosures"}
    )
    context = {"disclosures": selectors.disclosures_of(access)[:50], "labels": disclosure_labels()}
    title = _("Disclosed to others")
    return render_panel(request, "network/partials/person_disclosures.html", context, title=title)
