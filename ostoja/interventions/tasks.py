"""Background work of the 24/7 intervention (issue "24/7 intervention"; ARCHITECTURE.md §6:
escalations run on the real queue — embedded SQLite store or Redis).

* ``escalate_intervention(id)`` — enqueued by the service that opens an intervention, once
  committed: writes the notifications due now and sends each after commit.
* ``deliver(id)`` — sends one notification. At most one delivery of a row runs at a time
  (the row is locked while it is sent) and a row that is no longer ``pending`` is never sent
  again. A refusal is retried with exponential back-off by the queue:
  ``RETRIES`` retries after 30 s, 1, 2, 4 and 8 min (``retry_delay`` × ``retry_backoff``);
  after ``MAX_ATTEMPTS`` the row is ``failed``. ``attempts`` counts finished attempts — one
  cut short by a killed worker is rolled back with its transaction and made again.
* ``escalation_check()`` — every minute: escalates every open intervention (the backup, the
  coordinators and the reminders fall due with time) and enqueues again the ``pending``
  rows whose next attempt is overdue by ``OSTOJA_NOTIFY_RESEND_AFTER_SECONDS`` (one minute):
  a row lost between its commit and its enqueue, or whose worker was killed. That is what
  makes a restarted worker neither lose nor repeat a notification.
"""

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from ostoja.interventions import notify
from ostoja.interventions.escalation import escalate
from ostoja.interventions.models import Intervention, Notification

logger = logging.getLogger(__name__)

RETRIES = 5
RETRY_DELAY = 30  # seconds, doubled after each retry
RETRY_BACKOFF = 2
MAX_ATTEMPTS = 1 + RETRIES


def _send_after_commit(notifications: list[Notification]) -> None:
    for row in notifications:
        transaction.on_commit(partial(deliver, row.pk))


@db_task(retries=3, retry_delay=10)  # type: ignore[untyped-decorator]
def escalate_intervention(intervention_id: int) -> int:
    """Tell whoever is due to be told about a just-opened intervention (the primary on duty
    at once, when it was opened outside office hours). Returns how many rows it wrote."""
    intervention = (
        Intervention.objects.select_related("organisation", "acknowledged_by", "opened_by")
        .filter(pk=intervention_id)
        .first()
    )
    if intervention is None:
        return 0
    created = escalate(intervention, timezone.now())
    _send_after_commit(created)
    return len(created)


@db_task(  # type: ignore[untyped-decorator]
    retries=RETRIES, retry_delay=RETRY_DELAY, retry_backoff=RETRY_BACKOFF
)
def deliver(notification_id: int) -> None:
    """Send one notification unless it is no longer pending; raise to be retried."""
    failure: Exception | None = None
    with transaction.atomic():
        # Locked while it is sent: a second delivery of the same row (a retry and the
        # check's resend) waits here, then finds it sent.
        row = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if row is None or row.status != Notification.Status.PENDING:
            return
        row.attempts += 1
        try:
            notify.send(row)
        except Exception as error:  # any refusal: recorded, then retried
            failure = error
            row.error = f"{type(error).__name__}: {error}"[:300]
            if row.attempts >= MAX_ATTEMPTS:
                row.status = Notification.Status.FAILED
        row.save(update_fields=["attempts", "error", "status"])
    if failure is None:
        return
    if row.status == Notification.Status.FAILED:
        logger.error(
            "notification %s (%s, %s) failed after %d attempts: %s",
            row.code,
            row.step,
            row.channel,
            row.attempts,
            row.error,
        )
        return
    raise notify.DeliveryError(row.error) from failure


def resend_due_at(row: Notification) -> dt.datetime:
    """When a pending row is overdue: its back-off so far (each attempt given the gateway's
    timeout) plus ``OSTOJA_NOTIFY_RESEND_AFTER_SECONDS``, from its creation."""
    waited = sum(RETRY_DELAY * RETRY_BACKOFF**n for n in range(row.attempts))
    waited += row.attempts * settings.OSTOJA_SMS_GATEWAY_TIMEOUT
    return row.created_at + dt.timedelta(
        seconds=waited + settings.OSTOJA_NOTIFY_RESEND_AFTER_SECONDS
    )


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
@lock_task("interventions-escalation-check")  # type: ignore[untyped-decorator]
def escalation_check() -> int:
    """Every minute: escalate every open intervention and resend overdue pending rows.
    Returns how many notifications it enqueued."""
    now = timezone.now()
    enqueued = 0
    interventions = Intervention.objects.filter(status=Intervention.Status.OPEN).select_related(
        "organisation", "acknowledged_by", "opened_by"
    )
    for intervention in interventions:
        try:
            created = escalate(intervention, now)
        except Exception:  # one intervention must not stop the others
            logger.exception("escalation of intervention %s failed", intervention.code)
            continue
        _send_after_commit(created)
        enqueued += len(created)
    pending = Notification.objects.filter(
        status=Notification.Status.PENDING,
        attempts__lt=MAX_ATTEMPTS,
        created_at__lte=now - dt.timedelta(seconds=settings.OSTOJA_NOTIFY_RESEND_AFTER_SECONDS),
    )
    for row in pending:
        if resend_due_at(row) <= now:
            # One attempt: the next one, if needed, is this check's again, a minute on.
            deliver(row.pk, retries=0)
            enqueued += 1
    return enqueued


@db_periodic_task(crontab(minute="*/15"))  # type: ignore[untyped-decorator]
@lock_task("handovers-escalate")  # type: ignore[untyped-decorator]
def handover_check() -> int:
    """Every quarter of an hour: hand-overs not acknowledged by noon of their day go to
    the coordinators (once each)."""
    from ostoja.interventions.services import handovers_escalate

    return handovers_escalate(now=timezone.now())
