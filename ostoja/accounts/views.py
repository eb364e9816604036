"""User administration (the administrator's own pages: no Django admin), opening a record
by breaking the glass, and each member of staff's notification centre."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostoja.accounts import services
from ostoja.accounts.access import access_user, users_visible_to
from ostoja.accounts.decorators import capability_required, sudo_required
from ostoja.accounts.forms import BreakGlassForm, InviteForm, PreferencesForm, UserForm
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.mfa import has_mfa
from ostoja.accounts.models import AccessGrant, Notice
from ostoja.accounts.policy import Scope, find_scope, has_grant, may_break_glass, within_reach
from ostoja.accounts.roles import Capability, Role
from ostoja.audit import trail
from ostoja.lib.forms import add_errors
from ostoja.lib.http import uuid_or_404
from ostoja.lib.paging import lite_page

_manage = capability_required(Capability.MANAGE_USERS)


@_manage
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(users_visible_to(request.user), 50).get_page(request.GET.get("page"))
    trail.record("user.listed", actor=request.user, data={"page": page.number})
    return render(request, "accounts/user_list.html", {"page": page})


@_manage
@sudo_required
def user_invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert request.user.organisation is not None  # noqa: S101  # MANAGE_USERS implies one
        try:
            user = services.user_invite(
                organisation=request.user.organisation,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=Role(form.cleaned_data["role"]),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Invitation sent to {email}.").format(email=user.email))
            return redirect("accounts:user_detail", code=user.code)
    return render(request, "accounts/user_invite.html", {"form": form})


@_manage
@sudo_required
def user_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    target = access_user(request.user, code)
    if request.method == "GET":
        trail.record("user.viewed", actor=request.user, target=target)
    initial = {"full_name": target.full_name, "role": target.role, "is_active": target.is_active}
    form = UserForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                user=target,
                full_name=form.cleaned_data["full_name"],
                role=Role(form.cleaned_data["role"]),
                is_active=form.cleaned_data["is_active"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("accounts:user_detail", code=target.code)
    context = {"target": target, "form": form, "has_mfa": has_mfa(target)}
    return render(request, "accounts/user_detail.html", context)


@require_POST
@_manage
@sudo_required
def user_action(request: AuthenticatedHttpRequest, code: uuid.UUID, action: str) -> HttpResponse:
    """The one-button actions on a user: end sessions, reset MFA, resend the invitation."""
    target = access_user(request.user, code)
    if action not in ("end-sessions", "reset-mfa", "resend-invitation"):
        raise Http404
    try:
        if action == "end-sessions":
            count = services.user_end_sessions(user=target, acting_user=request.user)
            messages.success(request, _("Sessions ended: {count}.").format(count=count))
        elif action == "reset-mfa":
            services.user_reset_mfa(user=target, acting_user=request.user)
            messages.success(request, _("Second factors removed; the user must enrol again."))
        else:
            services.user_resend_invitation(user=target, acting_user=request.user)
            messages.success(request, _("Invitation sent again."))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("accounts:user_detail", code=target.code)


def break_glass(request: AuthenticatedHttpRequest, target_type: str, code: str) -> HttpResponse:
    """Open a record outside one's reach, with a reason (ARCHITECTURE §3). Only those who
    could break the glass on it learn that it exists: to anyone else — analysts, the DPO,
    administrators, another organisation's staff — a missing record and a forbidden one
    look the same (404)."""
    scope = find_scope(request.user, target_type, code)
    if scope is None:
        raise Http404
    if within_reach(request.user, scope) or has_grant(request.user, scope):
        return redirect(scope.url)
    if not may_break_glass(request.user, scope):
        raise Http404
    return _break_glass(request, scope)


@sudo_required
def _break_glass(request: AuthenticatedHttpRequest, scope: Scope) -> HttpResponse:
    """The reason form, in sudo mode."""
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.glass_break(
                scope=scope,
                reason=AccessGrant.Reason(form.cleaned_data["reason"]),
                explanation=form.cleaned_data["explanation"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(scope.url)
    context = {"form": form, "minutes": settings.BREAK_GLASS_MINUTES}
    return render(request, "accounts/break_glass.html", context)


# --- The notification centre: one's own notices (the bell), read, and by e-mail ----------


def notice_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My notices, newest first; which kinds also come by e-mail."""
    notices = Notice.objects.filter(recipient=request.user)
    if request.GET.get("unread"):
        notices = notices.filter(read_at__isnull=True)
    form = PreferencesForm(initial={"kinds": request.user.notices_by_email})
    context = {"page": lite_page(notices, request.GET.get("page")), "form": form}
    return render(request, "accounts/notices.html", context)


@require_POST
def notice_open(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open one notice: it is read, and its record shown."""
    notice = Notice.objects.filter(
        recipient=request.user, code=uuid_or_404(request.POST.get("notice"))
    ).first()
    if notice is None:
        return redirect("notices:list")
    services.notices_read(user=request.user, notices=[notice])
    return redirect(notice.url)


@require_POST
def notices_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = services.notices_read(user=request.user)
    messages.success(request, _("Marked as read: {count}.").format(count=count))
    return redirect("notices:list")


@require_POST
def notice_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST)
    if form.is_valid():
        services.notice_preferences_set(
            user=request.user, kinds=form.cleaned_data["kinds"], acting_user=request.user
        )
        messages.success(request, _("Saved."))
    return redirect("notices:list")
