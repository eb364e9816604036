"""The official exports, audited (who, which export, which period, what was suppressed),
and the organisation's suppression threshold (``Organisation.suppression_k``), audited too.

An export is a set of CSV files: the export's own (``crim_thb_*.csv``; ``ctdc.csv``;
``htcds.csv``) and ``suppression.csv``, which says what the suppression did.
"""

import csv
import datetime as dt
import io
import zipfile

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import Organisation, User
from ostoja.audit import trail
from ostoja.reports.exports import ctdc, eurostat, htcds
from ostoja.reports.exports.suppression import Report, Suppressed
from ostoja.reports.exports.victims import assisted, assisted_in_cases, first_years

SUPPRESSION_FILE = "suppression.csv"
LONGEST = 366 * 10  # days: a decade at most in one export


class Kind(models.TextChoices):
    EUROSTAT = "eurostat", _("Eurostat: registered victims by sex and age, citizenship, form")
    CTDC = "ctdc", _("CTDC: anonymised victims, one row each")
    HTCDS = "htcds", _("HTCDS v2.0: cases, one row per client")


def _csv(lines: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(lines)
    return out.getvalue()


def _table(columns: list[str], done: Suppressed) -> str:
    return _csv([columns, *([row[c] for c in columns] for row in done.rows)])


def validate_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationError({"end": _("The period ends before it starts.")})
    if (end - start).days > LONGEST:
        raise ValidationError({"end": _("Export at most ten years at a time.")})


def export_files(
    *,
    kind: str,
    organisation: Organisation,
    start: dt.date,
    end: dt.date,
    acting_user: User | None,
) -> dict[str, str]:
    """The files of one export (name -> CSV text), for the organisation's cases of the
    period, small cells suppressed; audited."""
    validate_period(start, end)
    k = organisation.suppression_k
    files: dict[str, str]
    report: Report
    if kind == Kind.EUROSTAT:
        tables, report = eurostat.tables(
            assisted(organisation, start, end), start=start, end=end, k=k
        )
        files = {f"{name}.csv": _csv(lines) for name, lines in tables.items()}
    elif kind == Kind.CTDC:
        done = ctdc.ctdc(first_years(assisted(organisation, start, end)), k=k)
        files, report = {"ctdc.csv": _table(ctdc.COLUMNS, done)}, done.report
    elif kind == Kind.HTCDS:
        done = htcds.htcds(assisted_in_cases(organisation, start, end), k=k)
        files, report = {"htcds.csv": _table(htcds.COLUMNS, done)}, done.report
    else:
        raise ValidationError({"kind": _("Choose an export.")})
    files[SUPPRESSION_FILE] = _csv(report.table())
    trail.record(
        "statistics.exported",
        actor=acting_user,
        organisation=organisation,
        data={
            "export": kind,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "k": k,
            "rows": report.rows,
            "withheld": report.withheld,
        },
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
