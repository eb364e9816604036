"""Background work of prevention: the check-ins abroad (``services``; the texts and
channels are ``checkins``).

``check_ins_run()`` — every five minutes: writes the check-ins fallen due as pending rows
(each committed before anything is sent), sends every pending row (each locked while it
is sent; a refusal stays pending for the next run), and notes those not answered in time
(a task for the counsellor, once). A worker killed while sending leaves its row pending,
rolled back with its transaction, and the next run sends it: nothing is lost, and the
gateway drops a repeat by the check-in's code. Replies come in through the helpline's SMS
webhook and mailbox (``helpline.intake``).
"""

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/5"))  # type: ignore[untyped-decorator]
@lock_task("prevention-check-ins")  # type: ignore[untyped-decorator]
def check_ins_run() -> int:
    """Schedule, send and watch the check-ins; returns how many messages went out."""
    from ostoja.prevention.models import CheckIn
    from ostoja.prevention.services import check_in_send, check_ins_missed, check_ins_schedule

    check_ins_schedule(now=timezone.now())
    sent = 0
    pending = CheckIn.objects.filter(status=CheckIn.Status.PENDING).order_by("pk")
    for check_in_id in pending.values_list("pk", flat=True):
        try:
            sent += check_in_send(check_in_id=check_in_id)
        except Exception:  # one message must not stop the others; it stays pending
            logger.exception("check-in %s could not be sent", check_in_id)
    check_ins_missed(now=timezone.now())
    return sent
