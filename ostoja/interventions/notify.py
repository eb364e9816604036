"""The notification channels behind one interface (issue "24/7 intervention";
ARCHITECTURE.md §7: "Notifications: e-mail and an HTTP SMS gateway").

``send(notification)`` delivers one :class:`Notification` on its channel and records the
outcome on the row (``status=sent``, ``sent_at``, ``provider_id``); it raises when the peer
refuses, so that the task calling it (``tasks.deliver``) retries with back-off.

* **E-mail** goes through Django's mail (SMTP in production, ``MAILERS``). Its Message-ID is
  made from the notification's code, so a copy re-sent after a crash is recognisable as the
  same message; it is stored as the ``provider_id``.
* **SMS** goes to a generic HTTP gateway: ``POST {OSTOJA_SMS_GATEWAY_URL}`` with the JSON
  ``{"to": "+48…", "text": "…", "reference": "<notification code>"}``, signed with
  HMAC-SHA256 under ``OSTOJA_SMS_GATEWAY_SECRET`` over ``"<timestamp>." + body`` (headers
  ``X-Ostoja-Timestamp``: Unix seconds, ``X-Ostoja-Signature``: hex digest). The gateway
  answers 2xx with ``{"id": "<its message id>"}``; anything else is an error. The reference
  lets a gateway drop a repeat of a request whose answer was lost. Delivery reports come
  back signed the same way (``webhooks.sms_status``).

Messages name no client: only the intervention's reference, the situation, a link to the
intervention in Ostoja and a request to acknowledge there (SECURITY.md: no client identity
leaves in a message). The texts are templates under ``templates/interventions/email/`` and
``templates/interventions/sms/``, rendered in ``settings.LANGUAGE_CODE``.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any

import phonenumbers
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ostoja.duty.models import DutyPhone
from ostoja.interventions.models import Notification

TIMESTAMP_HEADER = "X-Ostoja-Timestamp"
SIGNATURE_HEADER = "X-Ostoja-Signature"


class DeliveryError(Exception):
    """The peer did not take the message (the task retries)."""


def sms_enabled() -> bool:
    """Whether an SMS gateway is configured (without one, notifications go by e-mail only)."""
    return bool(settings.OSTOJA_SMS_GATEWAY_URL)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature of a gateway request or callback: HMAC-SHA256 of ``timestamp.body``."""
    message = timestamp.encode("ascii") + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def link(notification: Notification) -> str:
    """The intervention's page in Ostoja (the code, never anything about the client)."""
    base = settings.BASE_URL.rstrip("/")
    return f"{base}/interventions/{notification.intervention.code}/"


def _context(notification: Notification) -> dict[str, Any]:
    intervention = notification.intervention
    return {
        "step": notification.step,
        "reference": intervention.reference,
        "situation": intervention.get_situation_display(),
        "link": link(notification),
        "opened_at": timezone.localtime(intervention.opened_at),
        "sequence": notification.sequence,
    }


def render_email(notification: Notification) -> tuple[str, str]:
    """The subject and body of a notification e-mail, in the site's language."""
    context = _context(notification)
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("interventions/email/notification_subject.txt", context)
        body = render_to_string("interventions/email/notification_message.txt", context)
    return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()), body


def render_sms(notification: Notification) -> str:
    """The text of a notification SMS (one line), in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("interventions/sms/notification.txt", _context(notification))
    return " ".join(text.split())


def e164(number: str) -> str:
    """A phone number in E.164 (``+48600700800``); Polish when written without a prefix."""
    try:
        parsed = phonenumbers.parse(number, "PL")
    except phonenumbers.NumberParseException as error:
        raise DeliveryError("the duty phone number cannot be read") from error
    if not phonenumbers.is_possible_number(parsed):
        raise DeliveryError("the duty phone number is not a possible number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _mark_sent(notification: Notification, provider_id: str) -> None:
    notification.status = Notification.Status.SENT
    notification.sent_at = timezone.now()
    notification.provider_id = provider_id[:100]
    notification.error = ""
    notification.save(update_fields=["status", "sent_at", "provider_id", "error"])


def send_email(notification: Notification) -> None:
    subject, body = render_email(notification)
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "ostoja.invalid"
    message_id = f"<{notification.code}@{domain}>"
    EmailMessage(
        subject=subject,
        body=body,
        to=[notification.recipient.email],
        headers={"Message-ID": message_id},
    ).send()
    _mark_sent(notification, message_id)


def sms_post(number: str, text: str, reference: str) -> str:
    """Post one SMS to the gateway; return the gateway's id for it, raise if it refuses.
    ``reference`` lets the gateway drop a repeat (a notification's or an alert's code)."""
    url = settings.OSTOJA_SMS_GATEWAY_URL
    if not url.startswith(("https://", "http://")):
        raise DeliveryError("no SMS gateway is configured")
    payload = {"to": e164(number), "text": text}
    body = json.dumps(payload | {"reference": reference}).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310  # http(s) only, checked above
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(settings.OSTOJA_SMS_GATEWAY_SECRET, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(  # noqa: S310  # http(s) only, checked above
            request, timeout=settings.OSTOJA_SMS_GATEWAY_TIMEOUT
        ) as response:
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        error.close()  # it holds the connection
        raise DeliveryError(f"the SMS gateway answered {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise DeliveryError(f"the SMS gateway cannot be reached: {error}") from None
    except ValueError:
        raise DeliveryError("the SMS gateway's answer is not JSON") from None
    provider_id = answer.get("id") if isinstance(answer, dict) else None
    if not provider_id:
        raise DeliveryError("the SMS gateway's answer has no id")
    return str(provider_id)


def send_sms(notification: Notification) -> None:
    if not settings.OSTOJA_SMS_GATEWAY_URL.startswith(("https://", "http://")):
        raise DeliveryError("no SMS gateway is configured")
    phone = DutyPhone.objects.filter(user=notification.recipient).first()
    if phone is None:
        raise DeliveryError("the recipient has no duty phone")
    provider_id = sms_post(phone.number, render_sms(notification), str(notification.code))
    _mark_sent(notification, provider_id)


def send(notification: Notification) -> None:
    """Deliver ``notification`` on its channel and mark it sent; raise if the peer refuses."""
    if notification.channel == Notification.Channel.EMAIL:
        send_email(notification)
    elif notification.channel == Notification.Channel.SMS:
        send_sms(notification)
    else:
        raise DeliveryError(f"unknown channel {notification.channel!r}")
