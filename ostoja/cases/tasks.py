"""Background work of cases: reminders of legal deadlines and their escalation
(ARCHITECTURE.md §5: deadlines are computed, reminded and escalated by background tasks)."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from ostoja.accounts.models import User
from ostoja.accounts.policy import TeamRole
from ostoja.accounts.roles import Role
from ostoja.cases.models import Case, Deadline


def _send(deadline: Deadline, template: str, recipients: list[str], today: dt.date) -> None:
    context = {
        "deadline": deadline,
        "days": (deadline.due - today).days,
        "url": settings.BASE_URL + reverse("cases:case_detail", args=[deadline.case.code]),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"cases/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"cases/email/{template}_message.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, recipients)


def _managers(deadline: Deadline) -> list[str]:
    return list(
        User.objects.filter(
            is_active=True, case_teams__case=deadline.case, case_teams__role=TeamRole.CASE_MANAGER
        ).values_list("email", flat=True)
    )


def remind_deadlines() -> dict[str, int]:
    """Remind the case manager of each deadline entering its reminder window, once; tell
    the coordinators (and the case manager) of each deadline missed, once. A deadline is
    marked only after its e-mails went out, so a restart repeats none that were marked and
    loses none that were not. The e-mails name the case number only, never the client."""
    today = timezone.localdate()
    pending = (
        Deadline.objects.filter(met_at__isnull=True)
        .exclude(case__status=Case.Status.CLOSED)
        .select_related("case__organisation")
    )
    counts = {"reminded": 0, "escalated": 0}
    for deadline in pending.filter(reminded_at__isnull=True, due__gte=today):
        if deadline.due - dt.timedelta(days=deadline.remind_days) > today:
            continue
        _send(deadline, "deadline_reminder", _managers(deadline), today)
        Deadline.objects.filter(pk=deadline.pk).update(reminded_at=timezone.now())
        counts["reminded"] += 1
    for deadline in pending.filter(escalated_at__isnull=True, due__lt=today):
        coordinators = User.objects.filter(
            is_active=True,
            membership__organisation=deadline.case.organisation,
            membership__role=Role.COORDINATOR,
        ).values_list("email", flat=True)
        _send(deadline, "deadline_missed", sorted({*coordinators, *_managers(deadline)}), today)
        Deadline.objects.filter(pk=deadline.pk).update(escalated_at=timezone.now())
        counts["escalated"] += 1
    return counts


@db_periodic_task(crontab(minute="5"))  # type: ignore[untyped-decorator]
@lock_task("cases-deadline-reminders")  # type: ignore[untyped-decorator]
def deadline_reminders() -> dict[str, int]:
    """Every hour (ARCHITECTURE.md §5)."""
    return remind_deadlines()
