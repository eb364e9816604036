"""The data protection officer's view of the audit trail."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostoja.accounts.access import users_visible_to
from ostoja.accounts.decorators import capability_required, sudo_required
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.models import Organisation, User
from ostoja.accounts.policy import Existence
from ostoja.accounts.roles import Capability
from ostoja.audit import services, trail
from ostoja.audit.models import ENTRY_TARGET, AuditEntry
from ostoja.cases.pdf import render_pdf
from ostoja.lib.forms import add_errors, report
from ostoja.lib.http import parse_uuid
from ostoja.lib.inventory import Category
from ostoja.lib.paging import lite_page
from ostoja.network.vocabulary import disclosure_labels
from ostoja.people.access import TARGET as PERSON
from ostoja.privacy import finding, processing, readable, selectors, subject_access
from ostoja.privacy import services as privacy_services
from ostoja.privacy.access import (
    RequestAccess,
    access_breach,
    access_dpia,
    access_entry,
    access_person_requests,
    access_person_trail,
    access_record_history,
    access_subject_request,
    breaches_visible_to,
    disclosures_visible_to,
    dpia_visible_to,
    entries_visible_to,
    recipients_visible_to,
    requests_visible_to,
)
from ostoja.privacy.audit_labels import FOUND, SEARCHED
from ostoja.privacy.checkpoints import dpos
from ostoja.privacy.forms import (
    BreachForm,
    CaseSearchForm,
    DisclosureFilterForm,
    DpiaForm,
    EntryFilterForm,
    PeriodForm,
    PersonSearchForm,
    RedactForm,
    RefuseForm,
    SubjectRequestForm,
    VerifyForm,
)
from ostoja.privacy.models import Breach, SubjectRequest
from ostoja.privacy.models.requests import rectifiable_choices

_review = capability_required(Capability.REVIEW_AUDIT)


@_review
def entry_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EntryFilterForm(request.GET or None, staff=users_visible_to(request.user))
    entries = entries_visible_to(request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    trail.record(
        "audit.reviewed",
        actor=request.user,
        data={k: str(v) for k, v in filters.items() if v and k != "actor"}
        | ({"actor": str(filters["actor"].code)} if filters.get("actor") else {}),
    )
    page = lite_page(selectors.filter_entries(entries, filters), request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": readable.rows(page, request.user),
        "query": query.urlencode(),
    }
    return render(request, "privacy/entry_list.html", context)


@sudo_required  # the ledger says whose data went where: recent authentication first
@_review
def disclosures(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The disclosure ledger (GDPR Art. 30, 15(1)(c)): everything that left the centre —
    referrals, summaries handed over, subject-access and statistics exports — what, to
    whom, when, under which consent or legal basis and by whom; by kind, recipient and
    period. People appear by their record's code (who has seen it), never by name."""
    form = DisclosureFilterForm(request.GET or None, partners=recipients_visible_to(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.filter_disclosures(disclosures_visible_to(request.user), filters)
    page = lite_page(
        found.select_related("partner", "case", "person", "consent", "by"), request.GET.get("page")
    )
    trail.record(
        "disclosure.listed",
        actor=request.user,
        data={k: str(v) for k, v in filters.items() if v and k != "partner"}
        | ({"partner": str(filters["partner"].code)} if filters.get("partner") else {}),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "labels": disclosure_labels(),
    }
    return render(request, "privacy/disclosures.html", context)


def seen_by(request: AuthenticatedHttpRequest, target_type: str, code: str) -> HttpResponse:
    """Who has seen one record (a person, a case, a staff account): for the DPO, and for
    the record's case managers (ARCHITECTURE §4)."""
    entries = access_record_history(request.user, target_type, code)
    trail.record(
        "audit.reviewed",
        actor=request.user,
        target_type=target_type,
        target_code=code,
        purpose="seen-by",
    )
    readers = selectors.seen_by(entries, target_type, code)
    names = readable.names([], request.user, links=False, codes=[code])
    context = {
        "readers": readers,
        "target_type": target_type,
        "code": code,
        "record": names.target(target_type, code),
        "reviewer": request.user.can(Capability.REVIEW_AUDIT),
        "person": target_type == PERSON and parse_uuid(code) is not None,
    }
    return render(request, "privacy/seen_by.html", context)


def person_seen(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Who has seen a person's records — the person with their cases, contacts, calls,
    interventions and identification — in one list, newest first, by dates: for the DPO
    (every record, as codes) and the person's case managers (the records they may open)."""
    access = access_person_trail(request.user, code)
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    entries = selectors.about(access.entries, access.records)
    entries = selectors.in_period(entries, period.get("since"), period.get("until"))
    if period.get("reads"):
        entries = entries.filter(selectors.reads())
    trail.record(
        "audit.reviewed",
        actor=request.user,
        target_type=PERSON,
        target_code=str(code),
        purpose="seen-by-person",
        data={"records": len(access.records)} | {k: str(v) for k, v in period.items() if v},
    )
    page = lite_page(entries.select_related("actor"), request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    names = readable.names(
        [], request.user, links=access.reviewer, codes=[r.target_code for r in access.records]
    )
    context = {
        "access": access,
        "form": form,
        "records": [names.target(r.target_type, r.target_code) for r in access.records],
        "readers": selectors.readers_of(entries),
        "page": page,
        "rows": readable.rows(page, request.user, links=access.reviewer),
        "query": query.urlencode(),
    }
    return render(request, "privacy/person_seen.html", context)


# --- Finding a record ---------------------------------------------------------------------


@_review
def find(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find a record by case number or by name (``ostoja.privacy.finding``)."""
    return _find_page(request, CaseSearchForm(short_code=_short_code(request.user)))


@_review
@require_POST
def find_case(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A case by its number (tolerant of how it is typed): its code, its clients' codes."""
    form = CaseSearchForm(request.POST, short_code=_short_code(request.user))
    if not form.is_valid():
        return _find_page(request, form, status=400)
    number = form.cleaned_data["number"]
    found = finding.cases_numbered(request.user, number)
    shown = [e for result in found for e in (result.case, *result.clients)]
    _record_search(
        request.user, form.cleaned_data["purpose"], shown, {"by": "case_number"}, str(number)
    )
    return _find_page(request, form, cases=found)


@_review
@require_POST
def find_person(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A person by name, in any script or spelling: that they exist, as codes — no name,
    no date of birth, nothing else (``ostoja.privacy.finding`` says why)."""
    form = PersonSearchForm(request.POST)
    case_form = CaseSearchForm(short_code=_short_code(request.user))
    if not form.is_valid():
        return _find_page(request, case_form, form, status=400)
    data = form.cleaned_data
    found = finding.people_named(request.user, data["name"], data.get("birth_date"))
    _record_search(request.user, data["purpose"], [r.person for r in found], {"by": "name"})
    # The results with an empty form: the name is not kept on the screen either.
    return _find_page(request, case_form, PersonSearchForm(), people=found)


def _short_code(user: User) -> str:
    return getattr(user.organisation, "short_code", "")


def _record_search(
    user: User, purpose: str, shown: list[Existence], how: dict[str, str], number: str = ""
) -> None:
    """The search, and each record it shows, into the trail — before the page shows them;
    what was typed only if it was a case number (not an identity)."""
    data: dict[str, Any] = how | ({"number": number} if number else {}) | {"found": len(shown)}
    with transaction.atomic():
        trail.record(SEARCHED, actor=user, purpose=purpose, data=data)
        trail.record_many(
            FOUND,
            actor=user,
            targets=[(record.target_type, record.target_code) for record in shown],
            purpose=purpose,
        )


def _find_page(
    request: AuthenticatedHttpRequest,
    case_form: CaseSearchForm,
    person_form: PersonSearchForm | None = None,
    *,
    cases: list[finding.FoundCase] | None = None,
    people: list[finding.FoundPerson] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "case_form": case_form,
        "person_form": person_form or PersonSearchForm(),
        "cases": cases,
        "people": people,
    }
    return render(request, "privacy/find.html", context, status=status)


# --- One entry --------------------------------------------------------------------------------


@_review
def entry_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """One entry: everything it records, who redacted it and why, and the redaction form."""
    entry = access_entry(request.user, code)
    return _entry_page(request, entry, RedactForm())


@_review
@require_POST
@sudo_required
def entry_redact(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Redact an entry's data, with a reason (sudo mode; ``services.entry_redact``)."""
    entry = access_entry(request.user, code, write=True)
    form = RedactForm(request.POST)
    if form.is_valid():
        try:
            services.entry_redact(
                entry=entry,
                reason=AuditEntry.RedactionReason(form.cleaned_data["reason"]),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("The data of entry {seq} was redacted.").format(seq=entry.seq)
            )
            return redirect("privacy:entry_detail", code=entry.seq)
    return _entry_page(request, entry, form, status=400)


def _entry_page(
    request: AuthenticatedHttpRequest, entry: AuditEntry, form: RedactForm, status: int = 200
) -> HttpResponse:
    """The entry's page — also after a refused redaction: either way a reading of the trail."""
    trail.record(
        "audit.reviewed",
        actor=request.user,
        target_type=ENTRY_TARGET,
        target_code=str(entry.seq),
        purpose="entry",
    )
    context = {
        "entry": entry,
        "row": readable.rows([entry], request.user)[0],
        "redaction": selectors.redaction_of(entry),
        "form": form,
        "may_redact": selectors.redactable(request.user, entry),
    }
    return render(request, "privacy/entry_detail.html", context, status=status)


# --- The DPO's records (GDPR Art. 30, 33, 35) ---------------------------------------------


def _pdf(html: str, name: str) -> HttpResponse:
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _organisation(request: AuthenticatedHttpRequest) -> Organisation:
    if request.user.organisation is None:  # a DPO's role comes with one: never, but typed
        raise Http404
    return request.user.organisation


def _record_context(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    organisation = _organisation(request)
    return {
        "organisation": organisation,
        "dpos": dpos(organisation),
        "rows": processing.record_of_processing(organisation),
        "common_security": processing.COMMON_SECURITY,
        "generated_at": timezone.localtime(),
    }


@_review
def processing_record(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The record of processing activities (Art. 30(1)), generated from the inventory."""
    trail.record("processing_record.viewed", actor=request.user)
    return render(request, "privacy/record.html", _record_context(request))


@sudo_required  # a download, with the DPOs' names in it
@_review
def processing_record_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    trail.record("processing_record.pdf_downloaded", actor=request.user, data={"format": "pdf"})
    html = render_to_string("privacy/record_pdf.html", _record_context(request))
    return _pdf(html, "record-of-processing.pdf")


def _dpia_context(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    entries = list(dpia_visible_to(request.user).select_related("created_by"))
    assessed = {entry.activity for entry in entries}
    return {
        "entries": entries,
        "names": processing.ACTIVITY_NAMES,
        "unassessed": [a for a in processing.ACTIVITIES if a.key not in assessed],
        "organisation": request.user.organisation,
        "generated_at": timezone.localtime(),
    }


@_review
def dpia_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The DPIA register (Art. 35): every assessment, by activity, newest first; the
    activities not yet assessed."""
    trail.record("dpia.listed", actor=request.user)
    return render(request, "privacy/dpia_list.html", _dpia_context(request))


@sudo_required  # a download, with the assessors' names in it
@_review
def dpia_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    trail.record("dpia.pdf_downloaded", actor=request.user, data={"format": "pdf"})
    html = render_to_string("privacy/dpia_pdf.html", _dpia_context(request))
    return _pdf(html, "dpia-register.pdf")


@_review
def dpia_edit(request: AuthenticatedHttpRequest, code: uuid.UUID | None = None) -> HttpResponse:
    """A new assessment (no code), or a change of one."""
    entry = access_dpia(request.user, code) if code is not None else None
    if entry is not None and request.method != "POST":
        trail.record("dpia.viewed", actor=request.user, target=entry)
    initial = {name: getattr(entry, name) for name in privacy_services.DPIA_FIELDS} if entry else {}
    form = DpiaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        privacy_services.dpia_save(
            organisation=_organisation(request),
            entry=entry,
            data=form.cleaned_data,
            acting_user=request.user,
        )
        messages.success(request, _("The impact assessment is saved."))
        return redirect("privacy:dpia_list")
    return render(request, "privacy/dpia_form.html", {"form": form, "entry": entry})


def _breach_initial(breach: Breach) -> dict[str, Any]:
    initial = {name: getattr(breach, name) for name in privacy_services.BREACH_FIELDS}
    return initial | {"closed": breach.closed_at is not None}


@_review
def breach_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The breach log (Art. 33(5)): each breach with its 72-hour clock; what happened is on
    its own page."""
    trail.record("breach.listed", actor=request.user)
    page = lite_page(breaches_visible_to(request.user), request.GET.get("page"))
    return render(request, "privacy/breach_list.html", {"page": page})


@_review
def breach_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        breach = privacy_services.breach_save(
            organisation=_organisation(request),
            data=form.cleaned_data,
            acting_user=request.user,
        )
        messages.success(request, _("The breach is recorded: the 72-hour clock is running."))
        return redirect("privacy:breach_detail", code=breach.code)
    return render(request, "privacy/breach_form.html", {"form": form, "breach": None})


@sudo_required  # what happened may name people: recent authentication first
@_review
def breach_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """One breach: its clock, and the form to record what was learned and done."""
    breach = access_breach(request.user, code)
    form = BreachForm(request.POST or None, initial=_breach_initial(breach))
    if request.method == "POST" and form.is_valid():
        privacy_services.breach_save(
            organisation=breach.organisation,
            breach=breach,
            data=form.cleaned_data,
            acting_user=request.user,
        )
        messages.success(request, _("The breach is updated."))
        return redirect("privacy:breach_detail", code=breach.code)
    trail.record("breach.viewed", actor=request.user, target=breach)
    return render(request, "privacy/breach_form.html", {"form": form, "breach": breach})


@sudo_required  # what happened may name people: a download of personal data
@_review
def breach_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The whole log, each breach in full: for the DPO's files and the authority."""
    breaches = list(breaches_visible_to(request.user))
    trail.record(
        "breach.pdf_downloaded", actor=request.user, data={"format": "pdf", "rows": len(breaches)}
    )
    context = {
        "breaches": breaches,
        "organisation": request.user.organisation,
        "categories": dict(Category.choices),
        "generated_at": timezone.localtime(),
    }
    return _pdf(render_to_string("privacy/breach_pdf.html", context), "breach-log.pdf")


# --- Subject-rights requests (GDPR Art. 15–17) --------------------------------------------------


def person_requests(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """A person's data protection requests, and registering one: for their case managers."""
    person = access_person_requests(request.user, code)
    form = SubjectRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = privacy_services.request_receive(
                person=person,
                kind=form.cleaned_data["kind"],
                data=form.cleaned_data,
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The request was registered."))
            return redirect("privacy:request_detail", code=created.code)
    trail.record("subject_request.listed", actor=request.user, target=person)
    found = SubjectRequest.objects.filter(person=person).order_by("-received_on", "-created_at")
    context = {"person": person, "requests": found, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "privacy/requests/person.html", context, status=status)


@_review
def request_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The DPO's list of the organisation's requests, open ones first: codes and case
    numbers, never who the person is."""
    found = requests_visible_to(request.user).select_related("person")
    # Open ones first (neither answered nor refused), the oldest first: the next deadline.
    closed = Q(status__in=[SubjectRequest.Status.DONE, SubjectRequest.Status.REFUSED])
    ordered = found.annotate(closed=ExpressionWrapper(closed, BooleanField())).order_by(
        "closed", "received_on", "pk"
    )
    page = lite_page(ordered, request.GET.get("page"))
    trail.record("subject_request.listed", actor=request.user, data={"page": page.number})
    cases = selectors.request_cases(list(page))
    context = {"page": page, "rows": [(item, cases[item.pk]) for item in page]}
    return render(request, "privacy/requests/list.html", context)


def request_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """One request: its steps, and what the user may do next."""
    access = access_subject_request(request.user, code)
    return _request_page(request, access)


def _request_page(
    request: AuthenticatedHttpRequest,
    access: RequestAccess,
    *,
    verify_form: VerifyForm | None = None,
    refuse_form: RefuseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    subject_request = access.record
    trail.record(
        "subject_request.viewed",
        actor=request.user,
        target=subject_request.person,
        data={"request": str(subject_request.code)},
    )
    reasons = _reasons(access)
    context = {
        "access": access,
        "item": subject_request,
        "person": subject_request.person,
        "cases": selectors.request_cases([subject_request]).get(subject_request.pk, []),
        "verify_form": verify_form or VerifyForm(),
        "refuse_form": refuse_form or RefuseForm(reasons=reasons),
        "may_approve": privacy_services.may_approve(request.user, subject_request),
        "field_label": dict(rectifiable_choices()).get(subject_request.field, ""),
    }
    return render(request, "privacy/requests/detail.html", context, status=status)


def _reasons(access: RequestAccess) -> list[str]:
    if access.dpo:
        return list(SubjectRequest.Refusal.values)
    return [r for r in SubjectRequest.Refusal.values if r not in privacy_services.ARTICLE_17_3]


@require_POST
def request_verify(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The case manager records how they verified, in person, who is asking."""
    access = access_subject_request(request.user, code)
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            privacy_services.request_verify(
                subject_request=access.record,
                evidence=form.cleaned_data["evidence"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The verification of identity was recorded."))
            return redirect("privacy:request_detail", code=code)
    return _request_page(request, access, verify_form=form, status=400)


@require_POST
@sudo_required
def request_approve(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """One of the two approvals (sudo mode)."""
    access = access_subject_request(request.user, code)
    try:
        privacy_services.request_approve(subject_request=access.record, acting_user=request.user)
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Your approval was recorded."))
    return redirect("privacy:request_detail", code=code)


@require_POST
@sudo_required
def request_refuse(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Refuse the request, with its reason (sudo mode)."""
    access = access_subject_request(request.user, code)
    form = RefuseForm(request.POST, reasons=_reasons(access))
    if form.is_valid():
        try:
            privacy_services.request_refuse(
                subject_request=access.record,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The request was refused; the reason is recorded."))
            return redirect("privacy:request_detail", code=code)
    return _request_page(request, access, refuse_form=form, status=400)


@require_POST
@sudo_required
def request_rectify(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Make the approved correction (sudo mode; through the people app's service)."""
    access = access_subject_request(request.user, code)
    try:
        changed = privacy_services.request_rectify(
            subject_request=access.record, acting_user=request.user
        )
    except ValidationError as error:
        report(request, error)
    else:
        if changed:
            messages.success(request, _("The correction was made."))
        else:
            messages.info(request, _("The record already said this: nothing had to change."))
    return redirect("privacy:request_detail", code=code)


@require_POST
@sudo_required
def request_erase(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Erase the person's data once both approved (sudo mode; the retention engine's
    anonymisation), or record the refusal a legal hold imposes."""
    access = access_subject_request(request.user, code)
    try:
        done = privacy_services.request_erase(
            subject_request=access.record, acting_user=request.user
        )
    except ValidationError as error:
        report(request, error)
    else:
        if done.status == SubjectRequest.Status.REFUSED:
            messages.warning(request, _("A legal hold applies: the request was refused."))
        else:
            messages.success(request, _("The person's data was erased."))
    return redirect("privacy:request_detail", code=code)


@sudo_required
def request_copy(request: AuthenticatedHttpRequest, code: uuid.UUID, fmt: str) -> HttpResponse:
    """The copy of the person's data (Art. 15), as a PDF or JSON: for the case manager to
    hand over in person, once both approvals are in (sudo mode; audited; in the ledger)."""
    access = access_subject_request(request.user, code)
    try:
        export = privacy_services.access_export(
            subject_request=access.record, fmt=fmt, acting_user=request.user
        )
    except ValidationError as error:
        report(request, error)
        return redirect("privacy:request_detail", code=code)
    if fmt == "pdf":
        response = HttpResponse(subject_access.as_pdf(export), content_type="application/pdf")
    else:
        response = HttpResponse(subject_access.as_json(export), content_type="application/json")
    name = f"data-{str(access.record.code)[:8]}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
