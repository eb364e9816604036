"""Background tasks of the shell."""

import logging

from django.conf import settings
from django.utils import translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task, task

from ostoja.home import alerts, consistency

logger = logging.getLogger(__name__)


@task()  # type: ignore[untyped-decorator]
def ping(token: str) -> str:
    """Echo ``token`` from the worker: proves a worker is running and reading the queue."""
    return token


@db_periodic_task(crontab(minute="17", hour="3"))  # type: ignore[untyped-decorator]
@lock_task("home-consistency-check")  # type: ignore[untyped-decorator]
def consistency_nightly() -> int:
    """Every night (03:17 UTC, between the backup and the restore drill): the consistency
    check; its findings mailed to the administrators, an OK line logged when there are
    none. How many findings."""
    with translation.override(settings.LANGUAGE_CODE):
        lines = [finding.line() for finding in consistency.run()]
        if lines:
            sent = alerts.findings_report(lines)
            logger.warning("Consistency check: %d findings, mailed to %d", len(lines), sent)
        else:
            logger.info("Consistency check: OK")
    return len(lines)
