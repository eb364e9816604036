"""The exports page: choose an export and a period, download it as a ZIP of CSV files
(recent authentication, audited); the coordinators set the smallest group published."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ostoja.accounts.decorators import capability_required, permission_required_by, sudo_required
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.models import Organisation, User
from ostoja.accounts.roles import Capability
from ostoja.lib.forms import add_errors
from ostoja.reports.exports import services
from ostoja.reports.exports.forms import ExportForm, ThresholdForm, last_year


def _sets_threshold(user: User) -> bool:
    """The coordinators: statistics, and every case of the organisation."""
    return user.can(Capability.SEE_STATISTICS) and user.can(Capability.SEE_ALL_CASES)


def _organisation(request: AuthenticatedHttpRequest) -> Organisation:
    organisation = request.user.organisation
    assert organisation is not None  # noqa: S101  # a role is held through a membership
    return organisation


def _page(request: AuthenticatedHttpRequest, form: ExportForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "k": _organisation(request).suppression_k,
        "sets_threshold": _sets_threshold(request.user),
    }
    return render(request, "reports/exports/exports.html", context, status=status)


@capability_required(Capability.SEE_STATISTICS)
def exports(request: AuthenticatedHttpRequest) -> HttpResponse:
    start, end = last_year()
    return _page(
        request, ExportForm(initial={"kind": services.Kind.EUROSTAT, "start": start, "end": end})
    )


@capability_required(Capability.SEE_STATISTICS)
@sudo_required
def export_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One export of the organisation's data as a ZIP of CSV files (sudo mode: built from
    personal data, even if no row names anyone)."""
    form = ExportForm(request.GET)
    if not form.is_valid():
        return _page(request, form, status=400)
    kind, start, end = (form.cleaned_data[name] for name in ("kind", "start", "end"))
    files = services.export_files(
        kind=kind,
        organisation=_organisation(request),
        start=start,
        end=end,
        acting_user=request.user,
    )
    response = HttpResponse(services.zipped(files), content_type="application/zip")
    name = f"{kind}-{start.isoformat()}-{end.isoformat()}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permission_required_by(_sets_threshold)
@sudo_required
def threshold(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The smallest group the exports publish (sudo mode: it decides what is published)."""
    organisation = _organisation(request)
    form = ThresholdForm(
        request.POST or None, instance=Organisation(suppression_k=organisation.suppression_k)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.suppression_k_set(
                organisation=organisation,
                k=form.cleaned_data["suppression_k"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("reports:exports")
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/exports/threshold.html", {"form": form}, status=status)
