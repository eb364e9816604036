"""The official exports, audited (who, which export, which period, what was suppressed),
and the organisation's suppression threshold (``Organisation.suppression_k``), audited too.

An export is a set of CSV files: the export's own (``crim_thb_*.csv``; ``ctdc.csv``;
``htcds.csv``) and ``suppression.csv``, which says what the suppression did.
"""

import csv
import datetime as dt
import io
import uuid
import zipfile
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.disclosures import Basis, Channel, disclosure_record
from ostoja.accounts.disclosures import Kind as LedgerKind
from ostoja.accounts.models import Organisation, User
from ostoja.audit import trail
from ostoja.lib.crypto.files import EncryptedStorage
from ostoja.reports.exports import ctdc, eurostat, htcds
from ostoja.reports.exports.models import KEPT, ExportJob, Kind
from ostoja.reports.exports.pseudonyms import Pseudonyms
from ostoja.reports.exports.suppression import Report, Suppressed
from ostoja.reports.exports.victims import assisted, assisted_in_cases, first_years

SUPPRESSION_FILE = "suppression.csv"
# What each export carries, as the disclosure ledger names it.
PARTS: dict[str, str] = {
    Kind.EUROSTAT: "aggregates",
    Kind.CTDC: "anonymised",
    Kind.HTCDS: "pseudonymised",
}
LONGEST = 366 * 10  # days: a decade at most in one export


def _csv(lines: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(lines)
    return out.getvalue()


def _table(columns: list[str], done: Suppressed) -> str:
    """The rows sorted by their values: their order must not follow the order the people
    were registered in (which someone may know), or it would point at them."""
    return _csv([columns, *sorted([row[c] for c in columns] for row in done.rows)])


def validate_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationError({"end": _("The period ends before it starts.")})
    if (end - start).days > LONGEST:
        raise ValidationError({"end": _("Export at most ten years at a time.")})


def _validate(kind: str, start: dt.date, end: dt.date) -> None:
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose an export.")})
    validate_period(start, end)


def export_files(
    *,
    kind: str,
    organisation: Organisation,
    start: dt.date,
    end: dt.date,
    recipient: str,
    acting_user: User | None,
    progress: Callable[[int], None] = lambda _percent: None,
) -> dict[str, str]:
    """The files of one export (name -> CSV text), for the organisation's cases of the
    period, small cells suppressed; audited, and one entry in the disclosure ledger (to
    ``recipient``, the period, aggregate / anonymised / pseudonymised). ``progress`` hears
    how far it is (per cent)."""
    _validate(kind, start, end)
    if not recipient.strip():
        raise ValidationError({"recipient": _("Say to whom the export is given.")})
    k = organisation.suppression_k
    files: dict[str, str]
    report: Report
    if kind == Kind.EUROSTAT:
        victims = assisted(organisation, start, end)
        progress(50)
        tables, report = eurostat.tables(victims, start=start, end=end, k=k)
        files = {f"{name}.csv": _csv(lines) for name, lines in tables.items()}
    elif kind == Kind.CTDC:
        victims = first_years(assisted(organisation, start, end))
        progress(50)
        done = ctdc.ctdc(victims, k=k)
        files, report = {"ctdc.csv": _table(ctdc.COLUMNS, done)}, done.report
    else:
        clients = assisted_in_cases(organisation, start, end)
        progress(50)
        done = htcds.htcds(clients, k=k, pseudonyms=Pseudonyms(organisation))
        files, report = {"htcds.csv": _table(htcds.COLUMNS, done)}, done.report
    progress(80)
    files[SUPPRESSION_FILE] = _csv(report.table())
    trail.record(
        "statistics.exported",
        actor=acting_user,
        organisation=organisation,
        data={
            "kind": kind,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "k": k,
            "rows": report.rows,
            "withheld": report.withheld,
        },
    )
    disclosure_record(
        organisation=organisation,
        recipient=recipient,
        kind=LedgerKind.STATISTICS,
        parts=[PARTS[kind]],
        basis=Basis.STATISTICS,
        document=kind,
        channel=Channel.DOWNLOAD,
        by=acting_user,
        period=(start, end),
    )
    return files


def zipped(files: dict[str, str]) -> bytes:
    """The files as one ZIP archive (a download)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


@transaction.atomic
def export_queue(
    *,
    kind: str,
    organisation: Organisation,
    start: dt.date,
    end: dt.date,
    recipient: str,
    acting_user: User,
) -> ExportJob:
    """Ask for an export to be prepared on the task queue (``tasks.export_build``)."""
    _validate(kind, start, end)
    if not recipient.strip():
        raise ValidationError({"recipient": _("Say to whom the export is given.")})
    job = ExportJob.objects.create(
        organisation=organisation,
        requested_by=acting_user,
        kind=kind,
        start=start,
        end=end,
        recipient=recipient.strip(),
    )
    trail.record(
        "statistics.export_queued",
        actor=acting_user,
        data={"job": str(job.code), "kind": kind, "start": str(start), "end": str(end)},
    )
    return job


def export_build(job: ExportJob) -> None:
    """Prepare a queued export: progress saved as it goes, the ZIP sealed at rest; audited
    as an export by the person who asked for it."""

    def progress(percent: int) -> None:
        job.progress = percent
        job.save(update_fields=["progress"])

    job.status = ExportJob.Status.RUNNING
    job.save(update_fields=["status"])
    try:
        files = export_files(
            kind=job.kind,
            organisation=job.organisation,
            start=job.start,
            end=job.end,
            recipient=job.recipient,
            acting_user=job.requested_by,
            progress=progress,
        )
    except Exception:
        job.status = ExportJob.Status.FAILED
        job.save(update_fields=["status"])
        raise
    name = f"exports/{uuid.uuid4().hex}.zip"
    job.stored_name = EncryptedStorage().save(name, ContentFile(zipped(files)))
    job.status, job.progress, job.finished_at = ExportJob.Status.DONE, 100, timezone.now()
    job.save(update_fields=["stored_name", "status", "progress", "finished_at"])


def exports_expire() -> int:
    """Delete the prepared exports older than a day, their files first; how many."""
    expired = ExportJob.objects.filter(created_at__lt=timezone.now() - KEPT)
    storage = EncryptedStorage()
    for job in expired.exclude(stored_name=""):
        storage.delete(job.stored_name)
    count, _deleted = expired.delete()
    return count


@transaction.atomic
def suppression_k_set(*, organisation: Organisation, k: int, acting_user: User) -> None:
    """Change the smallest group the organisation's exports publish (5 to 100 people)."""
    try:
        Organisation._meta.get_field("suppression_k").clean(k, organisation)
    except ValidationError as error:
        raise ValidationError({"suppression_k": error.messages}) from None
    before = organisation.suppression_k
    organisation.suppression_k = k
    organisation.save(update_fields=["suppression_k"])
    trail.record("statistics.threshold_changed", actor=acting_user, data={"from": before, "to": k})
