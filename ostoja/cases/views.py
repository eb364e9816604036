"""The case pages: list and assignment, opening a case, the case with every section of the
case manager's work, its timeline, documents, tasks and the referral summary (PDF).

Each view: ``access_case`` (one ``Access``), a form, one service, a redirect — or a page
built by ``selectors``."""

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostoja.accounts import disclosures as ledger
from ostoja.accounts.decorators import capability_required, sudo_required
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.policy import Access
from ostoja.accounts.records import history, source_of_request
from ostoja.accounts.roles import Capability
from ostoja.audit import trail
from ostoja.audit.selectors import conflict_page, last_change
from ostoja.cases import forms as f
from ostoja.cases import pdf, selectors, services
from ostoja.cases.access import (
    TARGET,
    access_case,
    access_case_record,
    case_managers,
    case_staff,
    cases_visible_to,
)
from ostoja.cases.models import Action, Case, Consent, Deadline, Document, Goal
from ostoja.helpline.access import contacts_visible_to
from ostoja.lib.crypto.files import EncryptedStorage, file_response
from ostoja.lib.forms import add_errors, report
from ostoja.lib.http import parse_uuid, render_panel, uuid_or_404
from ostoja.lib.locking import Conflict, changed_fields, merge, versioned
from ostoja.lib.paging import lite_page
from ostoja.people.access import access_person, people_visible_to

_cases = capability_required(Capability.WORK_CASES)


@_cases
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My cases; for coordinators every case of the organisation, with assignment."""
    form = f.CaseFilterForm(request.GET or None, staff=case_managers(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    cases = cases_visible_to(request.user)
    if not request.user.can(Capability.SEE_ALL_CASES) or filters.get("mine"):
        cases = cases.filter(team__user=request.user)
    if filters.get("status"):
        cases = cases.filter(status=filters["status"])
    else:
        cases = cases.exclude(status=Case.Status.CLOSED)
    if filters.get("manager"):
        cases = cases.filter(team__user=filters["manager"], team__role="case_manager")
    cases = cases.order_by("-opened_on", "-number").prefetch_related("team__user")
    page = lite_page(cases, request.GET.get("page"))
    clients = selectors.clients_of(page.object_list, request.user)
    for case in page.object_list:
        case.client_list = clients.get(case.pk, [])
    trail.record("case.listed", actor=request.user)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "coordinator": request.user.can(Capability.SEE_ALL_CASES),
        "managers": case_managers(request.user),
    }
    return render(request, "cases/case_list.html", context)


@_cases
def case_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open a case for a person (and from the contact that brought them, if given)."""
    raw = request.GET.get("person") or request.POST.get("person")
    person = access_person(request.user, uuid_or_404(raw), write=True).record
    source = source_of_request(request, "contact", "intervention", "consultation")
    # What the contact, intervention or consultation knows is offered; nothing is assumed.
    known = {"manager": request.user.pk}
    form = f.CaseOpenForm(
        request.POST or None,
        managers=case_managers(request.user),
        initial=known | {k: v for k, v in (source.known if source else {}).items() if v},
    )
    if request.method == "POST" and form.is_valid():
        assert request.user.organisation is not None  # noqa: S101  # WORK_CASES implies one
        data = form.cleaned_data
        try:
            case = services.case_open(
                organisation=request.user.organisation,
                clients=[person],
                manager=data["manager"],
                data={k: data[k] for k in ("summary", "referred_by", "restricted")}
                | {"forms": data["exploitation"]},
                countries=data["countries"],
                source=source,
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
            return redirect("cases:case_detail", code=case.code)
    trail.record("person.viewed", actor=request.user, target=person, data={"for": "case_new"})
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "person": person, "source": source}
    return render(request, "cases/case_new.html", context, status=status)


# Sections of the case page that add a record: their form.
SECTIONS: dict[str, type[BaseForm]] = {
    "route": f.RouteForm,
    "goal": f.GoalForm,
    "service": f.ServiceForm,
    "decision": f.DecisionForm,
    "consent": f.ConsentForm,
    "deadline": f.DeadlineForm,
    "risk": f.RiskForm,
    "note": f.NoteForm,
}


def _form_kwargs(request: AuthenticatedHttpRequest, case: Case) -> dict[str, Any]:
    team = case_staff(request.user).filter(case_teams__case=case).exclude(pk=request.user.pk)
    return {
        "clients": selectors.case_clients(case),
        "staff": case_staff(request.user),
        "team": team,
    }


def _page(
    request: AuthenticatedHttpRequest,
    access: Access[Case],
    bound: dict[str, BaseForm] | None = None,
    status: int = 200,
    action_goal: Goal | None = None,
) -> HttpResponse:
    """The case page. The add forms are loaded when opened (``case_form``), except a
    ``bound`` one coming back with errors, which keeps what was typed."""
    context = selectors.case_page(access) | {
        "bound": bound or {},
        "action_goal": action_goal,
        "coordinator": request.user.can(Capability.SEE_ALL_CASES),
    }
    return render(request, "cases/case_detail.html", context, status=status)


@_cases
def case_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    access = access_case(request.user, code)
    trail.record("case.viewed", actor=request.user, target=access.record)
    return _page(request, access)


@_cases
def case_section(request: AuthenticatedHttpRequest, code: uuid.UUID, section: str) -> HttpResponse:
    """One section of the case page that grows with the case (services, decisions,
    consents, documents, notes, the route): its newest entries, as a panel (htmx)."""
    if section not in selectors.SECTIONS:
        raise Http404
    access = access_case(request.user, code)
    trail.record("case.viewed", actor=request.user, target=access.record, data={"for": section})
    if section == "linked":  # as far as the user may see each linked record
        context = {"case": access.record, "rows": history(TARGET, request.user, access.record)}
    else:
        context = selectors.case_section(access, section)
    title = f"{access.record.reference}: {selectors.SECTION_TITLES[section]}"
    return render_panel(request, f"cases/partials/section_{section}.html", context, title=title)


@_cases
def case_form(request: AuthenticatedHttpRequest, code: uuid.UUID, section: str) -> HttpResponse:
    """One add form of the case page, loaded when its section is opened (htmx): the page
    itself stays light however many forms and choices there are."""
    access = access_case(request.user, code, write=True)
    case = access.record
    context: dict[str, Any] = {"case": case, "section": section}
    if section in SECTIONS:
        context["form"] = SECTIONS[section](prefix=section, **_form_kwargs(request, case))
        context["action"] = reverse("cases:record_add", args=[case.code, section])
    elif section == "action":
        goal = case.goals.filter(code=uuid_or_404(request.GET.get("goal"))).first()
        if goal is None:
            raise Http404
        context["form"] = f.ActionForm(prefix="action", **_form_kwargs(request, case))
        context["action"] = reverse("cases:action_add", args=[goal.code])
    elif section == "status":
        context["form"] = f.StatusForm(initial={"status": case.status}, prefix="case")
        context["action"] = reverse("cases:case_status", args=[case.code])
    elif section == "team" and access.manages:
        context["form"] = f.TeamForm(staff=case_staff(request.user), prefix="team")
        context["action"] = reverse("cases:team_set", args=[case.code])
    elif section == "document":
        context |= {"form": f.DocumentForm(), "clients": selectors.case_clients(case)}
        trail.record("case.viewed", actor=request.user, target=case, data={"for": "form:document"})
        return render(request, "cases/partials/document_form.html", context)
    elif section == "client":
        # People one may add as a further client (a group of workers is one case).
        context["candidates"] = (
            people_visible_to(request.user)
            .filter(merged_into__isnull=True)
            .exclude(case_links__case=case)
            .order_by("-created_at")[:200]
        )
        trail.record("person.listed", actor=request.user, data={"for": "case_client"})
        return render(request, "cases/partials/client_form.html", context)
    else:
        raise Http404
    # The forms offer the case's clients by name.
    trail.record("case.viewed", actor=request.user, target=case, data={"for": f"form:{section}"})
    return render(request, "cases/partials/add_form.html", context)


@require_POST
@_cases
def record_add(request: AuthenticatedHttpRequest, code: uuid.UUID, section: str) -> HttpResponse:
    """Add a record to one section of the case; on bad input the page comes back with the
    form as typed and the errors beside the fields."""
    form_class = SECTIONS.get(section)
    if form_class is None:
        raise Http404
    access = access_case(request.user, code, write=True)
    case = access.record
    form = form_class(request.POST, prefix=section, **_form_kwargs(request, case))
    if form.is_valid():
        instance = form.save(commit=False)  # type: ignore[attr-defined]
        if section == "deadline":
            instance.due = form.cleaned_data["due"]
        try:
            services.case_record_add(
                case=case,
                instance=instance,
                acting_user=request.user,
                tell=form.cleaned_data.get("tell") or [],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{case_url(case)}#{section}")
    messages.error(request, _("Not saved: check the highlighted fields."))
    trail.record("case.viewed", actor=request.user, target=case)
    return _page(request, access, bound={section: form}, status=400)


def case_url(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.code])


@_cases
def case_edit(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The case's details; saved over a version someone else saved meanwhile, the conflict
    page: both versions field by field, and the form again with this user's changes on top
    (ostoja.lib.locking)."""
    access = access_case(request.user, code, write=True)
    case = access.record
    kwargs = {"perpetrators": access.perpetrators}
    form = f.CaseForm(request.POST or None, instance=case, **kwargs)
    versioned(form, case.version)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            if changed_fields(form):
                services.case_update(
                    case=case,
                    data=form.cleaned_data,
                    version=form.cleaned_data["version"],
                    acting_user=request.user,
                )
        except Conflict as error:
            form, differences = merge(f.CaseForm, form, error.stored, **kwargs)
            conflict = conflict_page(error.stored, differences, ["case.updated", "case.opened"])
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:case_detail", code=case.code)
    trail.record("case.viewed", actor=request.user, target=case, data={"for": "edit"})
    status = 409 if conflict else 400 if request.method == "POST" else 200
    context = {"form": form, "case": case, "conflict": conflict, "discard_url": case_url(case)}
    return render(request, "cases/case_edit.html", context, status=status)


@require_POST
@_cases
def case_status(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    case = access_case(request.user, code, write=True).record
    form = f.StatusForm(request.POST, prefix="case")
    if form.is_valid():
        try:
            services.case_status(
                case=case,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("cases:case_detail", code=case.code)


def _managed(request: AuthenticatedHttpRequest, code: uuid.UUID) -> Case:
    """A case whose team the user may change: its case manager, or a coordinator."""
    access = access_case(request.user, code, write=True)
    if not access.manages:
        raise PermissionDenied
    return access.record


@require_POST
@_cases
def team_set(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Assign the case manager or add to the team: the case manager and coordinators."""
    case = _managed(request, code)
    form = f.TeamForm(request.POST, staff=case_staff(request.user), prefix="team")
    if form.is_valid():
        try:
            services.team_set(
                case=case,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                acting_user=request.user,
            )
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Team changed."))
    else:
        messages.error(request, _("Choose a member of staff and a role."))
    return redirect(_next(request, case_url(case)))


@require_POST
@_cases
def team_remove(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    case = _managed(request, code)
    member = case.team.select_related("user").filter(pk=_int(request, "member")).first()
    if member is None:  # removed already (a second click)
        messages.info(request, _("Team changed."))
        return redirect("cases:case_detail", code=case.code)
    try:
        services.team_remove(member=member, acting_user=request.user)
    except ValidationError as error:
        report(request, error)
    return redirect("cases:case_detail", code=case.code)


def _next(request: AuthenticatedHttpRequest, default: str) -> str:
    """Where to go back to: a page of this site only (no open redirect)."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else default


def _int(request: AuthenticatedHttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise Http404 from None


@require_POST
@_cases
def client_add(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    case = access_case(request.user, code, write=True).record
    form = f.ClientForm(request.POST)
    if not form.is_valid():
        raise Http404
    person = access_person(request.user, form.cleaned_data["person"]).record
    try:
        services.client_add(case=case, person=person, acting_user=request.user)
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Client added."))
    return redirect("cases:case_detail", code=case.code)


@require_POST
@_cases
def action_add(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    goal, access = access_case_record(request.user, Goal, code)
    case = access.record
    form = f.ActionForm(request.POST, prefix="action", **_form_kwargs(request, case))
    if form.is_valid():
        services.plan_action_add(
            goal=goal, instance=form.save(commit=False), acting_user=request.user
        )
        messages.success(request, _("Saved."))
        return redirect(f"{case_url(case)}#goal")
    messages.error(request, _("Not saved: check the highlighted fields."))
    trail.record("case.viewed", actor=request.user, target=case)
    return _page(request, access, bound={"action": form}, action_goal=goal, status=400)


def _version(request: AuthenticatedHttpRequest) -> int | None:
    """The version a button's page was opened at (none from an older page: no check)."""
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


def _status_conflict(
    request: AuthenticatedHttpRequest,
    error: Conflict,
    choices: type[models.TextChoices],
    wanted: str,
    action: str,
) -> None:
    """A plan item's status changed from a page opened before someone else changed it: not
    applied; the message names both, and who changed it (ostoja.lib.locking)."""
    stored = error.stored
    assert isinstance(stored, Goal | Action)  # noqa: S101  # the two plan items with a status
    case = stored.case if isinstance(stored, Goal) else stored.goal.case
    entry = last_change(case, [action], record=str(stored.code))
    now = choices(stored.status).label
    mine = choices(wanted).label if wanted in choices.values else wanted
    if entry is not None and entry.actor is not None:
        text = _(
            "{who} changed this to “{now}” at {at}, after you opened the page: your “{mine}” "
            "was not saved. Choose again if it still holds."
        ).format(
            who=entry.actor,
            now=now,
            mine=mine,
            at=date_format(timezone.localtime(entry.at), "Y-m-d H:i"),
        )
    else:
        text = _(
            "Someone changed this to “{now}” after you opened the page: your “{mine}” was "
            "not saved. Choose again if it still holds."
        ).format(now=now, mine=mine)
    messages.error(request, text)


@require_POST
@_cases
def action_status(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    action, access = access_case_record(request.user, Action, code, via="goal__case")
    status = request.POST.get("status", "")
    try:
        services.plan_action_status(
            action=action, status=status, version=_version(request), acting_user=request.user
        )
    except ValidationError as error:
        report(request, error)
    except Conflict as error:
        _status_conflict(request, error, Action.Status, status, "case.action_changed")
    return redirect(_next(request, f"{case_url(access.record)}#goal"))


@require_POST
@_cases
def goal_status(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    goal, access = access_case_record(request.user, Goal, code)
    status = request.POST.get("status", "")
    try:
        services.goal_status(
            goal=goal, status=status, version=_version(request), acting_user=request.user
        )
    except ValidationError as error:
        report(request, error)
    except Conflict as error:
        _status_conflict(request, error, Goal.Status, status, "case.goal_changed")
    return redirect(f"{case_url(access.record)}#goal")


@require_POST
@_cases
def consent_withdraw(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    consent, access = access_case_record(request.user, Consent, code)
    form = f.WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(
                consent=consent, on=form.cleaned_data["on"], acting_user=request.user
            )
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Consent withdrawn."))
    else:
        messages.error(request, _("Give the date the consent was withdrawn."))
    return redirect(f"{case_url(access.record)}#consent")


@require_POST
@_cases
def deadline_met(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    deadline, access = access_case_record(request.user, Deadline, code)
    services.deadline_met(deadline=deadline, acting_user=request.user)
    messages.success(request, _("Deadline marked as dealt with."))
    return redirect(_next(request, f"{case_url(access.record)}#deadline"))


@require_POST
@_cases
def document_add(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    case = access_case(request.user, code, write=True).record
    form = f.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        client = None
        if form.cleaned_data["client"]:
            client = selectors.case_clients(case).filter(code=form.cleaned_data["client"]).first()
        try:
            services.document_add(
                case=case,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                client=client,
                acting_user=request.user,
            )
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Document stored."))
    else:
        messages.error(request, _("Give a title and choose a file."))
    return redirect(f"{case_url(case)}#documents")


@sudo_required
@_cases
def document_download(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """A sealed document of a case (sudo mode: a download of personal data)."""
    document, access = access_case_record(request.user, Document, code, write=False)
    trail.record(
        "case.document_downloaded",
        actor=request.user,
        target=access.record,
        data={"record": str(document.code)},
    )
    return file_response(
        EncryptedStorage(),
        document.stored_name,
        content_type=document.content_type,
        filename=document.filename,
    )


@_cases
def case_timeline(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    access = access_case(request.user, code)
    form = f.TimelineFilterForm(request.GET or None)
    form.fields["kind"].choices = list(selectors.KINDS.items())  # type: ignore[attr-defined]
    kinds = set(form.cleaned_data["kind"]) if form.is_valid() else set()
    trail.record("case.viewed", actor=request.user, target=access.record, data={"for": "timeline"})
    entries = selectors.timeline(access, contacts_visible_to(request.user), kinds)
    context = {"case": access.record, "form": form, "entries": entries}
    return render(request, "cases/case_timeline.html", context)


@_cases
def my_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My open actions (overdue, this week, later) and the deadlines of my cases."""
    today = timezone.localdate()
    actions = list(selectors.my_actions(request.user).order_by("due"))
    week = today + dt.timedelta(days=7)
    context = {
        "overdue": [a for a in actions if a.due and a.due < today],
        "this_week": [a for a in actions if a.due and today <= a.due <= week],
        "later": [a for a in actions if not a.due or a.due > week],
        "deadlines": selectors.upcoming_deadlines(selectors.my_cases(request.user), days=60),
        "today": today,
        # Hand-overs to take, mentions, deadline notices: what the notices ask of me.
        "notices": request.user.notices.filter(read_at__isnull=True)[:20],
    }
    return render(request, "cases/my_tasks.html", context)


@sudo_required
@_cases
def case_summary(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The referral summary (PDF) for the recipient of one sharing consent: only that
    client, only what the consent names, only what the user may read (sudo mode: an export
    of personal data)."""
    access = access_case(request.user, code)
    case = access.record
    chosen = parse_uuid(request.GET.get("consent"))
    consents = case.consents.filter(code=chosen).select_related("client") if chosen else []
    consent = next(iter(selectors.sharing_consents(consents)), None)
    if consent is None:
        messages.error(request, _("There is no consent in force to share this client's data."))
        return redirect(f"{case_url(case)}#consent")
    recipient = request.GET.get("to", "").strip()[:200]
    if not recipient:
        messages.error(request, _("Say to whom you are giving the summary."))
        return redirect(f"{case_url(case)}#consent")
    context = pdf.summary_context(access=access, consent=consent, user=request.user)
    document = pdf.render_summary(context)
    with transaction.atomic():
        trail.record(
            "case.summary_exported",
            actor=request.user,
            target=case,
            data={"consent": str(consent.code), "shares": consent.shares},
        )
        # It is downloaded to be handed over: the ledger says to whom (disclosures.py).
        ledger.disclosure_record(
            organisation=case.organisation,
            person=consent.client,
            case=case,
            recipient=recipient,
            kind=ledger.Kind.CASE_SUMMARY,
            parts=context["shares"],
            basis=ledger.Basis.CONSENT,
            consent=consent,
            document="referral_summary",
            channel=ledger.Channel.DOWNLOAD,
            by=request.user,
        )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{case.reference.replace("/", "-")}.pdf"'
    )
    return response
