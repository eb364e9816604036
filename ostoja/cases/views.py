"""The case pages: list and assignment, opening a case, the case with every section of the
case manager's work, its timeline, documents, tasks and the referral summary (PDF)."""

import datetime as dt
import uuid
from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Prefetch, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostoja.accounts.access import colleagues
from ostoja.accounts.decorators import capability_required, sudo_required
from ostoja.accounts.models import User
from ostoja.accounts.policy import FieldClass, Scope, TeamRole, can_view_field, within_reach
from ostoja.accounts.roles import Capability, Role
from ostoja.audit import trail
from ostoja.cases import forms as f
from ostoja.cases import pdf, selectors, services
from ostoja.cases.access import access_case, case_scope, cases_visible_to
from ostoja.cases.models import Action, Case, Consent, Deadline, Document, Goal
from ostoja.helpline.access import contact_of_request, contacts_visible_to
from ostoja.lib.crypto.files import EncryptedStorage, file_response
from ostoja.lib.forms import add_errors, report
from ostoja.lib.http import AuthenticatedHttpRequest, parse_uuid, uuid_or_404
from ostoja.lib.paging import lite_page
from ostoja.people.access import access_person, people_visible_to
from ostoja.people.models import Person

_cases = capability_required(Capability.WORK_CASES)


def _staff(user: User) -> QuerySet[User]:
    """Active case workers of the user's organisation (owners, team members)."""
    return colleagues(user, Capability.WORK_CASES)


def _managers(user: User) -> QuerySet[User]:
    return _staff(user).filter(membership__role__in=[Role.CASE_MANAGER, Role.COORDINATOR])


def _writable(user: User, code: uuid.UUID) -> tuple[Case, Scope]:
    """A case the user may change: within their reach (a break-the-glass grant reads only),
    and not closed (reopen it first)."""
    case, scope = access_case(user, code)
    if not within_reach(user, scope):
        raise PermissionDenied
    return case, scope


@_cases
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My cases; for coordinators every case of the organisation, with assignment."""
    form = f.CaseFilterForm(request.GET or None, staff=_managers(request.user))
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
    trail.record("case.listed", actor=request.user)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "coordinator": request.user.can(Capability.SEE_ALL_CASES),
        "managers": _managers(request.user),
    }
    return render(request, "cases/case_list.html", context)


@_cases
def case_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open a case for a person (and from the contact that brought them, if given)."""
    raw = request.GET.get("person") or request.POST.get("person")
    person, _scope = access_person(request.user, uuid_or_404(raw))
    contact = contact_of_request(request)
    form = f.CaseOpenForm(
        request.POST or None,
        managers=_managers(request.user),
        initial={"manager": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        assert request.user.organisation is not None  # noqa: S101
        data = form.cleaned_data
        try:
            case = services.case_open(
                organisation=request.user.organisation,
                clients=[person],
                manager=data["manager"],
                data={k: data[k] for k in ("summary", "referred_by", "restricted")},
                contact=contact,
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            # Opening a case for a team one is not on would lock oneself out of it.
            if not case.team.filter(user=request.user).exists() and not request.user.can(
                Capability.SEE_ALL_CASES
            ):
                services.team_set(
                    case=case, user=request.user, role="member", acting_user=request.user
                )
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
            return redirect("cases:case_detail", code=case.code)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "person": person, "contact": contact}
    return render(request, "cases/case_new.html", context, status=status)


# Sections of the case page that add a record: form, service action, template anchor.
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


def _form_kwargs(case: Case, user: User) -> dict[str, Any]:
    clients = Person.objects.filter(case_links__case=case)
    return {"clients": clients, "staff": _staff(user)}


# Each section shows its newest entries; the timeline has them all.
SHOWN = 10


def _newest(queryset: QuerySet[Any], clients: dict[int, Person]) -> dict[str, Any]:
    """The newest ``SHOWN`` rows and whether there are more. Their clients are the page's
    own client objects, so each name is decrypted once per page, not once per row."""
    rows = list(queryset[: SHOWN + 1])
    for row in rows:
        if getattr(row, "client_id", None) in clients:
            row.client = clients[row.client_id]
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN}


def _page(
    request: AuthenticatedHttpRequest,
    case: Case,
    scope: Scope,
    bound: dict[str, BaseForm] | None = None,
    status: int = 200,
    action_goal: Goal | None = None,
) -> HttpResponse:
    """The case page. The add forms are loaded when opened (``case_form``), except a
    ``bound`` one coming back with errors, which keeps what was typed."""
    user = request.user
    health = can_view_field(user, scope, FieldClass.HEALTH)
    legal = can_view_field(user, scope, FieldClass.LEGAL)
    clients = {p.pk: p for p in Person.objects.filter(case_links__case=case)}
    services_shown = _newest(case.services.select_related("provided_by"), clients)
    services_shown["rows"] = [
        (s, {FieldClass.HEALTH: health, FieldClass.LEGAL: legal}.get(s.field_class, True))
        for s in services_shown["rows"]
    ]
    open_goals = case.goals.filter(status=Goal.Status.OPEN)
    consents = list(case.consents.all())
    for consent in consents:
        consent.client = clients[consent.client_id]
    context = {
        "case": case,
        "scope": scope,
        "clients": list(clients.values()),
        "team": case.team.select_related("user"),
        # Open goals with their open actions; the rest are in the timeline.
        "goals": _newest(
            open_goals.prefetch_related(
                Prefetch(
                    "actions",
                    queryset=Action.objects.filter(
                        status__in=[Action.Status.PLANNED, Action.Status.IN_PROGRESS]
                    ).select_related("owner"),
                )
            ),
            clients,
        ),
        "goals_done": case.goals.exclude(status=Goal.Status.OPEN).count(),
        "services": services_shown,
        "decisions": _newest(case.decisions.all(), clients),
        "consents": [c for c in consents if c.withdrawn_on is None][:SHOWN],
        "consents_more": len(consents) > SHOWN or any(c.withdrawn_on for c in consents),
        "deadlines": _newest(case.deadlines.filter(met_at__isnull=True), clients),
        "risks": case.risks.all()[:5],
        "route": case.route.all(),
        "documents": _newest(case.documents.all(), clients),
        "notes": case.notes.select_related("created_by")[:5],
        "bound": bound or {},
        "action_goal": action_goal,
        "status_form": f.StatusForm(initial={"status": case.status}, prefix="case"),
        "team_form": f.TeamForm(staff=_staff(user), prefix="team"),
        "document_form": f.DocumentForm(),
        "perpetrators": can_view_field(user, scope, FieldClass.PERPETRATOR),
        "legal": legal,
        "writable": within_reach(user, scope),
        "coordinator": user.can(Capability.SEE_ALL_CASES),
        "today": timezone.localdate(),
        "sharing_consents": [
            c
            for c in consents
            if c.active()
            and c.scope in (Consent.Scope.SHARE_ORGANISATION, Consent.Scope.SHARE_POLICE)
        ],
    }
    return render(request, "cases/case_detail.html", context, status=status)


@_cases
def case_form(request: AuthenticatedHttpRequest, code: uuid.UUID, section: str) -> HttpResponse:
    """One add form of the case page, loaded when its section is opened (htmx): the page
    itself stays light however many forms and choices there are."""
    case, _scope = _writable(request.user, code)
    kwargs = _form_kwargs(case, request.user)
    context: dict[str, Any] = {"case": case, "section": section}
    if section in SECTIONS:
        context["form"] = SECTIONS[section](prefix=section, **kwargs)
        context["action"] = reverse("cases:record_add", args=[case.code, section])
    elif section == "action":
        goal = case.goals.filter(code=uuid_or_404(request.GET.get("goal"))).first()
        if goal is None:
            raise Http404
        context["form"] = f.ActionForm(prefix="action", **kwargs)
        context["action"] = reverse("cases:action_add", args=[goal.code])
    elif section == "client":
        # People one may add as a further client (a group of workers is one case).
        context["candidates"] = (
            people_visible_to(request.user)
            .filter(merged_into__isnull=True)
            .exclude(case_links__case=case)
            .order_by("-created_at")[:200]
        )
        return render(request, "cases/partials/client_form.html", context)
    else:
        raise Http404
    return render(request, "cases/partials/add_form.html", context)


@_cases
def case_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    case, scope = access_case(request.user, code)
    trail.record("case.viewed", actor=request.user, target=case)
    return _page(request, case, scope)


@require_POST
@_cases
def record_add(request: AuthenticatedHttpRequest, code: uuid.UUID, section: str) -> HttpResponse:
    """Add a record to one section of the case; on bad input the page comes back with the
    form as typed and the errors beside the fields."""
    form_class = SECTIONS.get(section)
    if form_class is None:
        raise Http404
    case, scope = _writable(request.user, code)
    form = form_class(request.POST, prefix=section, **_form_kwargs(case, request.user))
    if form.is_valid():
        instance = form.save(commit=False)  # type: ignore[attr-defined]
        try:
            if section == "deadline":
                instance.due = form.cleaned_data["due"]
                services.deadline_add(case=case, instance=instance, acting_user=request.user)
            else:
                services.add_record(
                    case=case,
                    instance=instance,
                    acting_user=request.user,
                    action=f"case.{section}_added",
                )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{case_url(case)}#{section}")
    messages.error(request, _("Not saved: check the highlighted fields."))
    return _page(request, case, scope, bound={section: form}, status=400)


def case_url(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.code])


@_cases
def case_edit(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    case, scope = _writable(request.user, code)
    perpetrators = can_view_field(request.user, scope, FieldClass.PERPETRATOR)
    form = f.CaseForm(request.POST or None, instance=case, perpetrators=perpetrators)
    if request.method == "POST" and form.is_valid():
        services.case_update(case=case, data=form.cleaned_data, acting_user=request.user)
        messages.success(request, _("Saved."))
        return redirect("cases:case_detail", code=case.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/case_edit.html", {"form": form, "case": case}, status=status)


@require_POST
@_cases
def case_status(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    case, scope = _writable(request.user, code)
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
    return redirect("cases:case_detail", code=case.code)


@require_POST
@_cases
def team_set(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Assign the case manager or add to the team: the case manager and coordinators."""
    case, scope = _writable(request.user, code)
    if scope.team.get(request.user.pk) != TeamRole.CASE_MANAGER and not request.user.can(
        Capability.SEE_ALL_CASES
    ):
        raise PermissionDenied
    form = f.TeamForm(request.POST, staff=_staff(request.user), prefix="team")
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
    case, scope = _writable(request.user, code)
    if scope.team.get(request.user.pk) != TeamRole.CASE_MANAGER and not request.user.can(
        Capability.SEE_ALL_CASES
    ):
        raise PermissionDenied
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
    case, _scope = _writable(request.user, code)
    form = f.ClientForm(request.POST)
    if not form.is_valid():
        raise Http404
    person, _person_scope = access_person(request.user, form.cleaned_data["person"])
    try:
        services.client_add(case=case, person=person, acting_user=request.user)
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Client added."))
    return redirect("cases:case_detail", code=case.code)


def _case_record[M: Model](
    request: AuthenticatedHttpRequest, model: type[M], code: uuid.UUID, via: str = "case"
) -> tuple[M, Case]:
    """A record of a case (``via`` leads from it to the case) that the user may change."""
    found = model._default_manager.select_related(via).filter(code=code).first()
    if found is None:
        raise Http404
    case, _scope = _writable(request.user, attrgetter(via.replace("__", "."))(found).code)
    return found, case


@require_POST
@_cases
def action_add(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    goal, case = _case_record(request, Goal, code)
    scope = case_scope(case)
    form = f.ActionForm(request.POST, prefix="action", **_form_kwargs(case, request.user))
    if form.is_valid():
        services.action_add(goal=goal, instance=form.save(commit=False), acting_user=request.user)
        messages.success(request, _("Saved."))
        return redirect(f"{case_url(case)}#goal")
    messages.error(request, _("Not saved: check the highlighted fields."))
    return _page(request, case, scope, bound={"action": form}, action_goal=goal, status=400)


@require_POST
@_cases
def action_status(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    action, case = _case_record(request, Action, code, via="goal__case")
    try:
        services.action_status(
            action=action, status=request.POST.get("status", ""), acting_user=request.user
        )
    except ValidationError as error:
        report(request, error)
    return redirect(_next(request, f"{case_url(case)}#goal"))


@require_POST
@_cases
def goal_status(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    goal, case = _case_record(request, Goal, code)
    try:
        services.goal_status(
            goal=goal, status=request.POST.get("status", ""), acting_user=request.user
        )
    except ValidationError as error:
        report(request, error)
    return redirect(f"{case_url(case)}#goal")


@require_POST
@_cases
def consent_withdraw(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    consent, case = _case_record(request, Consent, code)
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
    return redirect(f"{case_url(case)}#consent")


@require_POST
@_cases
def deadline_met(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    deadline, case = _case_record(request, Deadline, code)
    services.deadline_met(deadline=deadline, acting_user=request.user)
    messages.success(request, _("Deadline marked as dealt with."))
    return redirect(_next(request, f"{case_url(case)}#deadline"))


@require_POST
@_cases
def document_add(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    case, _scope = _writable(request.user, code)
    form = f.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        client = None
        if form.cleaned_data["client"]:
            client = Person.objects.filter(
                case_links__case=case, code=form.cleaned_data["client"]
            ).first()
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


@_cases
def document_download(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    document = Document.objects.select_related("case").filter(code=code).first()
    if document is None:
        raise Http404
    case, _scope = access_case(request.user, document.case.code)
    trail.record(
        "case.document_downloaded",
        actor=request.user,
        target=case,
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
    case, scope = access_case(request.user, code)
    form = f.TimelineFilterForm(request.GET or None)
    form.fields["kind"].choices = list(selectors.KINDS.items())  # type: ignore[attr-defined]
    kinds = set(form.cleaned_data["kind"]) if form.is_valid() else set()
    trail.record("case.viewed", actor=request.user, target=case, data={"for": "timeline"})
    entries = selectors.timeline(
        case, request.user, scope, contacts_visible_to(request.user), kinds
    )
    context = {"case": case, "form": form, "entries": entries}
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
    }
    return render(request, "cases/my_tasks.html", context)


@sudo_required
@_cases
def case_summary(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The referral summary (PDF) for the recipient of one sharing consent: only that
    client, only what the consent names, only what the user may read."""
    case, scope = access_case(request.user, code)
    chosen = parse_uuid(request.GET.get("consent"))
    consent = case.consents.filter(code=chosen).select_related("client").first() if chosen else None
    sharing = (Consent.Scope.SHARE_ORGANISATION, Consent.Scope.SHARE_POLICE)
    if consent is None or consent.scope not in sharing or not consent.active():
        messages.error(request, _("There is no consent in force to share this client's data."))
        return redirect(f"{case_url(case)}#consent")
    trail.record(
        "case.summary_exported",
        actor=request.user,
        target=case,
        data={"consent": str(consent.code), "shares": consent.shares},
    )
    document = pdf.case_summary(case=case, consent=consent, user=request.user, scope=scope)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{case.reference.replace("/", "-")}.pdf"'
    )
    return response
