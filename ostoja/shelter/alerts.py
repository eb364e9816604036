"""Who is told when a resident is not back, and how (issue 15: "a resident not back by the
expected time plus a grace period raises an alert on the task queue to the shift on duty,
the case manager and, outside office hours, the duty worker").

* The **shift**: the facility's shelter staff (the house has no roster of its own yet: its
  staff are its shift).
* The **case managers** of the resident (the people's scope: their cases' managers).
* Outside office hours (``Organisation.is_office_time``), the **duty worker** of the
  roster's shift (``duty.roster.on_duty``).

Each by e-mail, and by SMS too when they have a duty phone and a gateway is configured —
the intervention's channels (``interventions.notify``). The message names nobody and no
place: a resident is not back, and a link to Ostoja, where the rest is behind the policy.
"""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ostoja.accounts.models import User
from ostoja.duty.models import DutyPhone
from ostoja.duty.roster import on_duty
from ostoja.interventions import notify
from ostoja.people.access import person_scope
from ostoja.shelter.models import Absence, AbsenceAlert

Role = AbsenceAlert.Role


def recipients(absence: Absence, now: dt.datetime) -> list[tuple[str, User]]:
    """(role, user) of everyone to tell, each once (the first role they hold)."""
    placement = absence.placement
    facility = placement.bed.room.facility
    found: dict[int, tuple[str, User]] = {}
    for user in facility.staff.filter(is_active=True).order_by("pk"):
        found.setdefault(user.pk, (Role.SHIFT, user))
    managers = person_scope(placement.person).case_managers()
    for user in User.objects.filter(pk__in=managers, is_active=True).order_by("pk"):
        found.setdefault(user.pk, (Role.CASE_MANAGER, user))
    duty = on_duty(facility.organisation, now)
    if not duty.office and duty.primary is not None and duty.primary.is_active:
        found.setdefault(duty.primary.pk, (Role.DUTY, duty.primary))
    return list(found.values())


def channels(user: User) -> list[str]:
    """E-mail always; SMS too when they have a duty phone and a gateway is configured."""
    found = [AbsenceAlert.Channel.EMAIL.value]
    if notify.sms_enabled() and DutyPhone.objects.filter(user=user).exists():
        found.append(AbsenceAlert.Channel.SMS.value)
    return found


def link(alert: AbsenceAlert) -> str:
    path = reverse("shelter:placement", args=[alert.absence.placement.code])
    return settings.BASE_URL.rstrip("/") + path


def _context(alert: AbsenceAlert) -> dict[str, object]:
    return {
        "expected_back": timezone.localtime(alert.absence.expected_back),
        "link": link(alert),
        "role": alert.role,
    }


def render_email(alert: AbsenceAlert) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("shelter/email/absence_subject.txt", _context(alert))
        body = render_to_string("shelter/email/absence_message.txt", _context(alert))
    return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()), body


def render_sms(alert: AbsenceAlert) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("shelter/sms/absence.txt", _context(alert))
    return " ".join(text.split())


def send(alert: AbsenceAlert) -> None:
    """Deliver ``alert`` on its channel and mark it sent; raise if the peer refuses."""
    if alert.channel == AbsenceAlert.Channel.SMS:
        phone = DutyPhone.objects.filter(user=alert.recipient).first()
        if phone is None:
            raise notify.DeliveryError("the recipient has no duty phone")
        provider_id = notify.sms_post(phone.number, render_sms(alert), str(alert.code))
    else:
        subject, body = render_email(alert)
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "ostoja.invalid"
        provider_id = f"<{alert.code}@{domain}>"
        EmailMessage(
            subject=subject,
            body=body,
            to=[alert.recipient.email],
            headers={"Message-ID": provider_id},
        ).send()
    alert.status = AbsenceAlert.Status.SENT
    alert.sent_at = timezone.now()
    alert.provider_id = provider_id[:100]
    alert.error = ""
    alert.save(update_fields=["status", "sent_at", "provider_id", "error"])
