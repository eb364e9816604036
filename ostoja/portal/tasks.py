"""Background work of the portal: abandoned anonymous reports erased every night."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ostoja.portal.services import reports_abandoned_erase


@db_periodic_task(crontab(minute="17", hour="3"))  # type: ignore[untyped-decorator]
def reports_abandoned_daily() -> int:
    """Every night (03:17 UTC): erase the reports with no message for 90 days. How many
    were erased."""
    return reports_abandoned_erase()[1]
