"""Background work of the DPO's tools: the daily checkpoint by e-mail, the nightly
retention job and the breaches' 72-hour clock."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from ostoja.privacy import retention
from ostoja.privacy.checkpoints import checkpoint_share
from ostoja.privacy.services import breach_deadline_notices


@db_periodic_task(crontab(minute="53", hour="5"))  # type: ignore[untyped-decorator]
def checkpoint_daily() -> int:
    """Every day before work starts (05:53 UTC): a checkpoint to the file and, when
    ``OSTOJA_AUDIT_CHECKPOINT_MAIL`` is on, to each DPO's mailbox. How many were mailed."""
    _checkpoint, _file, sent = checkpoint_share()
    return sent


@db_periodic_task(crontab(minute="17"))  # type: ignore[untyped-decorator]
@lock_task("privacy-breach-deadlines")  # type: ignore[untyped-decorator]
def breach_deadlines() -> int:
    """Every hour: the DPOs of an undecided breach are told when its 72 hours to notify the
    supervisory authority end within a day, and when they have passed."""
    return breach_deadline_notices()


@db_periodic_task(crontab(minute="23", hour="2"))  # type: ignore[untyped-decorator]
def retention_nightly() -> dict[int, dict[str, dict[str, int]]]:
    """Every night (02:23 UTC): the retention schedules applied (``retention.run``)."""
    return retention.run()
