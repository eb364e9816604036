"""Background work of the audit trail: its checkpoints (``ostoja.audit.checkpoints``).

No task lock: each run appends one line in one write, so two runs at once do no harm."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ostoja.audit.checkpoints import checkpoint_write


@db_periodic_task(crontab(minute="41"))  # type: ignore[untyped-decorator]
def checkpoint_hourly() -> int:
    """Every hour: the head, signed, appended to the checkpoint file. Its number."""
    checkpoint, _file = checkpoint_write()
    return checkpoint.seq
