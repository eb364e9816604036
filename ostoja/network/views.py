"""The partner directory's pages: the search, a partner's page with its services and the
people there, and the forms that keep it up to date."""

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostoja.accounts.decorators import permission_required_by
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.policy import edits_directory, reads_directory
from ostoja.audit import trail
from ostoja.lib.paging import lite_page
from ostoja.network import selectors, services
from ostoja.network.access import access_partner, access_partner_contact, access_service
from ostoja.network.forms import DirectorySearchForm, PartnerContactForm, PartnerForm, ServiceForm

_readers = permission_required_by(reads_directory)
_editors = permission_required_by(edits_directory)


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
        "editor": edits_directory(request.user),
    }
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
