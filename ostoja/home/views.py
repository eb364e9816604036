"""The shell's own pages: the dashboard, the health and readiness checks, and the error
pages."""

import ipaddress

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.policy import OutOfReach, consults_institutions, works_with_people
from ostoja.accounts.roles import Capability, Role
from ostoja.audit import trail
from ostoja.cases.access import cases_visible_to
from ostoja.cases.selectors import case_manager_panel, coordinator_panel
from ostoja.duty.selectors import duty_now
from ostoja.helpline.selectors import open_follow_ups
from ostoja.home import readiness
from ostoja.home.forms import SearchForm
from ostoja.home.metrics import StateCollector
from ostoja.home.search import search as run_search
from ostoja.lib.metrics import exposition
from ostoja.network.selectors import consultation_follow_ups
from ostoja.reports import dashboards
from ostoja.reports.forms import PeriodForm
from ostoja.shelter.selectors import staff_panel


def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each role's start page, with the panels of what the role does."""
    role = request.user.role or ""
    template = f"home/dashboard/{role}.html" if role in Role.values else "home/dashboard/none.html"
    context: dict[str, object] = {"role_label": Role(role).label if role else ""}
    # What is mine to do: unread notices (hand-overs, deadlines, mentions…) and my open
    # follow-ups, whatever the role.
    context["todo_notices"] = request.user.notices.filter(read_at__isnull=True)[:10]
    if request.user.can(Capability.LOG_CONTACTS):
        context["follow_ups"] = follow_ups = list(open_follow_ups(request.user)[:10])
        if follow_ups:  # what to do is written about people: a read
            trail.record("follow_up.listed", actor=request.user, data={"for": "dashboard"})
        context["helpline"] = dashboards.counsellor(request.user)
    if consults_institutions(request.user):  # consultations' follow-ups given to me
        context["consultation_follow_ups"] = list(consultation_follow_ups(request.user)[:10])
    if request.user.organisation is not None:  # every dashboard: who answers now
        context["duty"] = duty_now(request.user)
        context["on_call"] = works_with_people(request.user)
    if request.user.can(Capability.WORK_CASES):
        context["cases"] = case_manager_panel(request.user)
    if request.user.can(Capability.SEE_ALL_CASES):
        context["all_cases"] = coordinator_panel(cases_visible_to(request.user))
        context["stats"] = dashboards.coordinator(request.user)
    if role == Role.ANALYST and request.user.organisation is not None:
        form = PeriodForm(PeriodForm.data_from(request.GET, dashboards.year_to_date()))
        context["form"] = form
        if form.is_valid():
            context.update(dashboards.analyst(request.user.organisation, form.period))
            context["query"] = f"from={form.period.start}&to={form.period.end}"
    if role == Role.SHELTER_STAFF:  # the houses they work in (coordinators have the board)
        context["shelter"] = shelter = staff_panel(request.user)
        if shelter["residents"] or shelter["arriving"] or shelter["entries"]:
            trail.record("placement.listed", actor=request.user, data={"for": "dashboard"})
    return render(request, template, context)


def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The top bar's search (``home.search``): the query comes in a POST (a name must not
    land in a URL or a log), results are grouped by kind, only what the user may see; the
    audit entry says how much was found, never what was asked."""
    form = SearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = run_search(request.user, form.cleaned_data["q"])
        trail.record(
            "search.performed",
            actor=request.user,
            data={"found": {str(kind): len(hits) for kind, hits in results.groups}},
        )
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "home/search.html", {"form": form, "results": results}, status=status)


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer and monitoring: is the database answering? Says nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def _straight_from_this_machine(request: HttpRequest) -> bool:
    """A request made to the application itself on the server, not through the proxy
    (which always adds X-Forwarded-For)."""
    if "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_FORWARDED" in request.META:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@login_not_required
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus's scrape (``ostoja.lib.metrics``): request times by view, failed sign-ins,
    the queue and the escalations waiting. Like ``/ready/``, for the server itself only."""
    if not _straight_from_this_machine(request):
        raise Http404
    body, content_type = exposition([StateCollector()])
    return HttpResponse(body, content_type=content_type)


@login_not_required
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """For the monitoring on the server: database, Redis, task queue, disk, backup age.
    Not found for anyone else (README "Deployment")."""
    if not _straight_from_this_machine(request):
        raise Http404
    results = readiness.run()
    healthy = all(ok for ok, _ in results.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": {
                name: {"ok": ok, "detail": detail} for name, (ok, detail) in results.items()
            },
        },
        status=200 if healthy else 503,
    )


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent after its page went stale (e.g. an expired session): say so plainly."""
    message = _(
        "This form has expired or was sent from another page. Go back, reload the page "
        "and try again; what you typed is still in the form if you go back."
    )
    return render(
        request, "home/error.html", {"title": _("Form expired"), "message": message}, status=403
    )


_ERRORS = {
    400: (
        gettext_lazy("The request could not be used"),
        gettext_lazy(
            "What was sent was too large or malformed, so nothing was changed. What you typed "
            "is still on the previous page: go back, shorten it and try again."
        ),
    ),
    403: (
        gettext_lazy("Not allowed"),
        gettext_lazy("Your role does not give access to this page."),
    ),
    404: (
        gettext_lazy("Not found"),
        gettext_lazy("This page does not exist, or you have no access to it."),
    ),
    500: (
        gettext_lazy("Something went wrong"),
        gettext_lazy("The error has been logged. Please try again later."),
    ),
}


def error_view(status: int):  # type: ignore[no-untyped-def]
    """The handler for an error ``status``: a plain, translated page in the site's shell."""

    @login_not_required
    def view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        title, message = _ERRORS[status]
        context: dict[str, object] = {"title": title, "message": message}
        if isinstance(exception, OutOfReach):  # the record exists: offer break-the-glass
            scope = exception.scope
            context["break_glass"] = reverse(
                "break_glass", args=[scope.target_type, scope.target_code]
            )
        return render(request, "home/error.html", context, status=status)

    return view


@login_not_required
def not_found(request: HttpRequest) -> HttpResponse:
    """Parts of django-allauth Ostoja does not use (self-service e-mail changes, signup)."""
    raise Http404
