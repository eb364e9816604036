"""Background work of the DPO's tools: the daily checkpoint by e-mail, and the nightly
retention job."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ostoja.privacy import retention
from ostoja.privacy.checkpoints import checkpoint_share


@db_periodic_task(crontab(minute="53", hour="5"))  # type: ignore[untyped-decorator]
def checkpoint_daily() -> int:
    """Every day before work starts (05:53 UTC): a checkpoint to the file and, when
    ``OSTOJA_AUDIT_CHECKPOINT_MAIL`` is on, to each DPO's mailbox. How many were mailed."""
    _checkpoint, _file, sent = checkpoint_share()
    return sent


@db_periodic_task(crontab(minute="23", hour="2"))  # type: ignore[untyped-decorator]
def retention_nightly() -> dict[int, dict[str, dict[str, int]]]:
    """Every night (02:23 UTC): the retention schedules applied (``retention.run``)."""
    return retention.run()
