"""Background work of the DPO's tools: the daily checkpoint by e-mail."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ostoja.privacy.checkpoints import checkpoint_share


@db_periodic_task(crontab(minute="53", hour="5"))  # type: ignore[untyped-decorator]
def checkpoint_daily() -> int:
    """Every day before work starts (05:53 UTC): a checkpoint to the file and, when
    ``OSTOJA_AUDIT_CHECKPOINT_MAIL`` is on, to each DPO's mailbox. How many were mailed."""
    _checkpoint, _file, sent = checkpoint_share()
    return sent
