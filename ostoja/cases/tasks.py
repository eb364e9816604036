"""Background work of cases: reminders of legal deadlines and their escalation
(ARCHITECTURE.md §5: deadlines are computed, reminded and escalated by background tasks)."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from ostoja.accounts.access import coordinators
from ostoja.accounts.models import Notice, User
from ostoja.accounts.policy import TeamRole
from ostoja.accounts.services import notice_send
from ostoja.cases.access import TARGET
from ostoja.cases.models import Case, Deadline
from ostoja.cases.vocabulary import DeadlineKind


def _managers(deadline: Deadline) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, case_teams__case=deadline.case, case_teams__role=TeamRole.CASE_MANAGER
        )
    )


def _tell(deadline: Deadline, recipients: list[User], text: str, key: str) -> None:
    notice_send(
        recipients=recipients,
        kind=Notice.Kind.DEADLINE,
        text=text,
        url=reverse("cases:case_detail", args=[deadline.case.code]) + "#deadline",
        target_type=TARGET,
        target_code=str(deadline.case.code),
        key=f"{key}:{deadline.code}",
    )


def remind_deadlines() -> dict[str, int]:
    """Remind the case manager of each deadline entering its reminder window, once; tell
    the coordinators (and the case manager) of each deadline missed, once — in their
    notification centre, and by e-mail as each wishes. A deadline is marked in the same
    transaction as its notices, so a restart repeats none and loses none. The notices name
    the case number only, never the client."""
    today = timezone.localdate()
    kinds = dict(DeadlineKind.choices)
    pending = (
        Deadline.objects.filter(met_at__isnull=True)
        .exclude(case__status=Case.Status.CLOSED)
        .select_related("case__organisation")
    )
    counts = {"reminded": 0, "escalated": 0}
    for deadline in pending.filter(reminded_at__isnull=True, due__gte=today):
        if deadline.due - dt.timedelta(days=deadline.remind_days) > today:
            continue
        text = _("%(kind)s of case %(ref)s: %(due)s, in %(days)s days.") % {
            "kind": kinds.get(deadline.kind, deadline.kind),
            "ref": deadline.case.reference,
            "due": deadline.due.isoformat(),
            "days": (deadline.due - today).days,
        }
        with transaction.atomic():
            _tell(deadline, _managers(deadline), text, "remind")
            Deadline.objects.filter(pk=deadline.pk).update(reminded_at=timezone.now())
        counts["reminded"] += 1
    for deadline in pending.filter(escalated_at__isnull=True, due__lt=today):
        text = _("%(kind)s of case %(ref)s was missed (%(due)s).") % {
            "kind": kinds.get(deadline.kind, deadline.kind),
            "ref": deadline.case.reference,
            "due": deadline.due.isoformat(),
        }
        recipients = [*coordinators(deadline.case.organisation), *_managers(deadline)]
        with transaction.atomic():
            _tell(deadline, recipients, text, "missed")
            Deadline.objects.filter(pk=deadline.pk).update(escalated_at=timezone.now())
        counts["escalated"] += 1
    return counts


@db_periodic_task(crontab(minute="5"))  # type: ignore[untyped-decorator]
@lock_task("cases-deadline-reminders")  # type: ignore[untyped-decorator]
def deadline_reminders() -> dict[str, int]:
    """Every hour (ARCHITECTURE.md §5)."""
    return remind_deadlines()
