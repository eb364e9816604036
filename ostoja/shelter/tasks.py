"""Background work of the shelter (ARCHITECTURE.md §6): the alarm for residents not back.

* ``absence_check()`` — every minute: raises the alarm for every open absence past its
  expected return and grace period (``services.absence_alarm``: writes the alert rows not
  written before), sends the new rows after commit, and enqueues again the ``pending``
  rows whose sending is overdue — a row lost between its commit and its enqueue, or whose
  worker was killed. So a restarted worker neither loses nor repeats an alert (as
  ``interventions.tasks.escalation_check``).
* ``deliver_absence_alert(id)`` — sends one alert row; the row is locked while it is sent
  and never sent again once it is not ``pending``; a refusal is retried with back-off, and
  after ``MAX_ATTEMPTS`` the row is ``failed``.
"""

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from ostoja.interventions.tasks import MAX_ATTEMPTS, RETRIES, RETRY_BACKOFF, RETRY_DELAY
from ostoja.shelter import alerts
from ostoja.shelter.models import Absence, AbsenceAlert
from ostoja.shelter.services import absence_alarm

logger = logging.getLogger(__name__)


@db_task(  # type: ignore[untyped-decorator]
    retries=RETRIES, retry_delay=RETRY_DELAY, retry_backoff=RETRY_BACKOFF
)
def deliver_absence_alert(alert_id: int) -> None:
    """Send one alert unless it is no longer pending; raise to be retried."""
    failure: Exception | None = None
    with transaction.atomic():
        row = (
            AbsenceAlert.objects.select_for_update()
            .select_related("recipient", "absence__placement")
            .filter(pk=alert_id)
            .first()
        )
        if row is None or row.status != AbsenceAlert.Status.PENDING:
            return
        row.attempts += 1
        try:
            alerts.send(row)
        except Exception as error:  # any refusal: recorded, then retried
            failure = error
            row.error = f"{type(error).__name__}: {error}"[:300]
            if row.attempts >= MAX_ATTEMPTS:
                row.status = AbsenceAlert.Status.FAILED
        row.save(update_fields=["attempts", "error", "status"])
    if failure is None:
        return
    if row.status == AbsenceAlert.Status.FAILED:
        logger.error("absence alert %s failed after %d attempts", row.code, row.attempts)
        return
    raise failure


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
@lock_task("shelter-absence-check")  # type: ignore[untyped-decorator]
def absence_check() -> int:
    """Every minute: raise the alarm for residents not back, resend overdue pending alerts.
    Returns how many alerts it enqueued."""
    now = timezone.now()
    enqueued = 0
    open_ = Absence.objects.filter(returned_at__isnull=True, expected_back__lt=now).select_related(
        "placement__bed__room__facility__organisation", "placement__person"
    )
    for absence in open_:
        try:
            created = absence_alarm(absence=absence, now=now)
        except Exception:  # one absence must not stop the others
            logger.exception("the alarm for absence %s failed", absence.code)
            continue
        for row in created:
            transaction.on_commit(partial(deliver_absence_alert, row.pk))
        enqueued += len(created)
    overdue = now - dt.timedelta(seconds=settings.OSTOJA_NOTIFY_RESEND_AFTER_SECONDS)
    pending = AbsenceAlert.objects.filter(
        status=AbsenceAlert.Status.PENDING, attempts__lt=MAX_ATTEMPTS, created_at__lte=overdue
    )
    for row in pending:
        deliver_absence_alert(row.pk, retries=0)
        enqueued += 1
    return enqueued
