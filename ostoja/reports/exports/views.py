"""The exports page: choose an export and a period, download it as a ZIP of CSV files
(recent authentication, audited); the coordinators set the smallest group published."""

import uuid
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ostoja.accounts.decorators import capability_required, permission_required_by, sudo_required
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.models import Organisation, User
from ostoja.accounts.roles import Capability
from ostoja.audit import trail
from ostoja.lib.crypto.files import EncryptedStorage, file_response
from ostoja.lib.forms import add_errors
from ostoja.reports.exports import services, tasks
from ostoja.reports.exports.forms import ExportForm, ThresholdForm, last_year
from ostoja.reports.exports.models import KEPT, ExportJob, Kind


def _sets_threshold(user: User) -> bool:
    """The coordinators: statistics, and every case of the organisation."""
    return user.can(Capability.SEE_STATISTICS) and user.can(Capability.SEE_ALL_CASES)


def _organisation(request: AuthenticatedHttpRequest) -> Organisation:
    organisation = request.user.organisation
    assert organisation is not None  # noqa: S101  # a role is held through a membership
    return organisation


def _jobs(user: User) -> QuerySet[ExportJob]:
    """The user's own prepared exports of the last day."""
    return ExportJob.objects.filter(
        requested_by=user,
        organisation=user.organisation,
        created_at__gte=timezone.now() - KEPT,
    )


def _page(request: AuthenticatedHttpRequest, form: ExportForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "k": _organisation(request).suppression_k,
        "sets_threshold": _sets_threshold(request.user),
        "jobs": _jobs(request.user),
    }
    return render(request, "reports/exports/exports.html", context, status=status)


@capability_required(Capability.SEE_STATISTICS)
def exports(request: AuthenticatedHttpRequest) -> HttpResponse:
    start, end = last_year()
    return _page(request, ExportForm(initial={"kind": Kind.EUROSTAT, "start": start, "end": end}))


@capability_required(Capability.SEE_STATISTICS)
@sudo_required
def export_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One export of the organisation's data as a ZIP of CSV files (sudo mode: built from
    personal data, even if no row names anyone); posted with ``background``, prepared on
    the task queue instead."""
    form = ExportForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return _page(request, form, status=400)
    kind, start, end, recipient = (
        form.cleaned_data[name] for name in ("kind", "start", "end", "recipient")
    )
    if request.method == "POST" and "background" in request.POST:
        job = services.export_queue(
            kind=kind,
            organisation=_organisation(request),
            start=start,
            end=end,
            recipient=recipient,
            acting_user=request.user,
        )
        transaction.on_commit(partial(tasks.export_build, job.pk))
        return redirect("reports:export_job", code=job.code)
    files = services.export_files(
        kind=kind,
        organisation=_organisation(request),
        start=start,
        end=end,
        recipient=recipient,
        acting_user=request.user,
    )
    response = HttpResponse(services.zipped(files), content_type="application/zip")
    name = f"{kind}-{start.isoformat()}-{end.isoformat()}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _job(request: AuthenticatedHttpRequest, code: uuid.UUID) -> ExportJob:
    """One of the user's own prepared exports (another's, or an expired one: 404)."""
    return get_object_or_404(_jobs(request.user), code=code)


@capability_required(Capability.SEE_STATISTICS)
def export_job(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """How far a prepared export is; its file once ready."""
    job = _job(request, code)
    return render(request, "reports/exports/job.html", {"job": job})


@capability_required(Capability.SEE_STATISTICS)
@sudo_required
def export_job_file(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """A prepared export's file (sudo mode, like every export)."""
    job = _job(request, code)
    if job.status != ExportJob.Status.DONE:
        raise Http404
    trail.record("statistics.export_downloaded", actor=request.user, data={"job": str(job.code)})
    return file_response(
        EncryptedStorage(), job.stored_name, content_type="application/zip", filename=job.filename
    )


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
