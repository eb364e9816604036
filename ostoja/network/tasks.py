"""Background work of the partner network: referrals left unanswered, consultations'
follow-ups falling due."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task


@db_periodic_task(crontab(hour="7", minute="15"))  # type: ignore[untyped-decorator]
@lock_task("network-referrals-overdue")  # type: ignore[untyped-decorator]
def referrals_overdue() -> int:
    """Every morning: the case managers hear of each referral unanswered past its date."""
    from ostoja.network.services import referrals_overdue as tell

    return tell(today=timezone.localdate())


@db_periodic_task(crontab(hour="6", minute="10"))  # type: ignore[untyped-decorator]
@lock_task("network-follow-ups-due")  # type: ignore[untyped-decorator]
def consultation_follow_ups_due() -> int:
    """Every morning: each consultation's follow-up that falls due reaches its colleague
    (once)."""
    from ostoja.network.services import consultation_follow_ups_due as tell

    return tell(today=timezone.localdate())
