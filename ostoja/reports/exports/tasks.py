"""Exports on the task queue: one prepared at a time per request, and the files deleted
after a day (``services.export_build``, ``services.exports_expire``)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from ostoja.reports.exports import services
from ostoja.reports.exports.models import ExportJob


@db_task()  # type: ignore[untyped-decorator]
def export_build(job_id: int) -> None:
    job = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).first()
    if job is not None:
        services.export_build(job)


@db_periodic_task(crontab(minute="20"))  # type: ignore[untyped-decorator]
def exports_expire() -> int:
    return services.exports_expire()
