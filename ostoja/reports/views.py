"""Statistics pages: the annual report for any period, and its PDF and XLSX. Aggregates
only, for the roles that see statistics; every view and download is audited (who, which
period, which figures); a download needs recent authentication."""

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from ostoja.accounts.decorators import capability_required, sudo_required
from ostoja.accounts.disclosures import PUBLIC, Basis, Channel, Kind, disclosure_record
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.models import Organisation, User
from ostoja.accounts.roles import Capability
from ostoja.audit import trail
from ostoja.reports import report as r
from ostoja.reports.forms import PeriodForm

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
REPORT_LANGUAGES = ("pl", "en")


def _organisation(request: AuthenticatedHttpRequest) -> Organisation:
    if request.user.organisation is None:
        raise Http404
    return request.user.organisation


def audit_report(report: r.Report, *, actor: User | None, form: str, language: str) -> None:
    """Who produced which figures of which period, in which form."""
    data = {
        "from": report.period.start.isoformat(),
        "to": report.period.end.isoformat(),
        "format": form,
        "language": language,
        "figures": report.figure_keys,
    }
    if form == "html":
        trail.record("report.viewed", actor=actor, organisation=report.organisation, data=data)
    else:
        trail.record("report.downloaded", actor=actor, organisation=report.organisation, data=data)


@capability_required(Capability.SEE_STATISTICS)
@require_GET
def annual(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The report on the page, with its downloads."""
    organisation = _organisation(request)
    form = PeriodForm(PeriodForm.data_from(request.GET))
    if not form.is_valid():
        return render(request, "reports/annual.html", {"form": form}, status=400)
    report = r.build(organisation, form.period)
    audit_report(
        report, actor=request.user, form="html", language=translation.get_language() or "pl"
    )
    query = f"from={form.period.start.isoformat()}&to={form.period.end.isoformat()}"
    context = {
        "form": form,
        "report": report,
        "title": r.title(report),
        "query": query,
        "report_languages": [
            (code, translation.get_language_info(code)["name_local"]) for code in REPORT_LANGUAGES
        ],
    }
    return render(request, "reports/annual.html", context)


@capability_required(Capability.SEE_STATISTICS)
@sudo_required
@require_GET
def annual_download(request: AuthenticatedHttpRequest, form: str) -> HttpResponse:
    """The report as a PDF or an XLSX workbook, in Polish or English (``?lang=``)."""
    organisation = _organisation(request)
    period_form = PeriodForm(PeriodForm.data_from(request.GET))
    if not period_form.is_valid():
        return render(request, "reports/annual.html", {"form": period_form}, status=400)
    language = request.GET.get("lang", "")
    language = language if language in REPORT_LANGUAGES else translation.get_language() or "pl"
    with translation.override(language):
        report = r.build(organisation, period_form.period)
        content = r.pdf(report) if form == "pdf" else r.xlsx(report)
    period = period_form.period
    with transaction.atomic():
        audit_report(report, actor=request.user, form=form, language=language)
        # The annual report is published: aggregates only, to the public (disclosures.py).
        disclosure_record(
            organisation=organisation,
            recipient=PUBLIC,
            kind=Kind.ANNUAL_REPORT,
            parts=["aggregates"],
            basis=Basis.STATISTICS,
            document=f"annual_report_{form}_{language}",
            channel=Channel.DOWNLOAD,
            by=request.user,
            period=(period.start, period.end),
        )
    name = f"report-{period.start.isoformat()}-{period.end.isoformat()}-{language}.{form}"
    response = HttpResponse(content, content_type=FORMATS[form])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
