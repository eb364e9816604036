"""The SMS gateway's doors (issue "24/7 intervention"; ARCHITECTURE.md §7): its delivery
reports, and the messages sent to the centre's number.

``sms_status`` and ``sms_inbound`` are public — the gateway has no session — so the
signature is the only door: HMAC-SHA256 under ``OSTOJA_SMS_GATEWAY_SECRET`` of
``"<timestamp>." + body`` in ``X-Ostoja-Signature``, with ``X-Ostoja-Timestamp`` (Unix
seconds) within five minutes of our clock (a replayed old report is refused). A bad or
stale signature is logged and answered 403, and nothing changes. A report's body is JSON:
``{"id": "<the gateway's message id>", "status": "delivered" | "failed" | …}``; other
statuses (queued, sent…) are acknowledged and ignored, as is an id we do not know.

``sms_inbound`` takes a message sent to the centre, signed the same way:
``{"id": "<the gateway's message id>", "from": "+48…", "to": "<our number>", "text": "…"}``.
It is offered first to what waits for a reply (a check-in abroad), else it becomes an
incoming SMS contact of the helpline (``helpline.services.contact_receive_sms``); a repeat
of the same id changes nothing.
"""

import hmac
import json
import logging
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ostoja.helpline.services import contact_receive_sms
from ostoja.helpline.telephony import organisation_for_line
from ostoja.interventions.models import Notification
from ostoja.interventions.notify import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

logger = logging.getLogger(__name__)

MAX_SKEW_SECONDS = 300
MAX_BODY_BYTES = 10_000
FINAL = {
    "delivered": Notification.Status.DELIVERED,
    "failed": Notification.Status.FAILED,
    "undelivered": Notification.Status.FAILED,
    "rejected": Notification.Status.FAILED,
    "expired": Notification.Status.FAILED,
}


def signature_valid(request: HttpRequest, body: bytes) -> bool:
    """Whether the report is signed with our secret, recently."""
    secret = settings.OSTOJA_SMS_GATEWAY_SECRET
    timestamp = request.headers.get(TIMESTAMP_HEADER, "")
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not secret or not timestamp.isdigit() or not signature:
        return False
    if abs(time.time() - int(timestamp)) > MAX_SKEW_SECONDS:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature.strip().lower())


@login_not_required
@csrf_exempt
@require_POST
def sms_status(request: HttpRequest) -> HttpResponse:
    """A delivery report: mark the notification sent with that id delivered or failed."""
    body = request.body[:MAX_BODY_BYTES]
    if len(request.body) > MAX_BODY_BYTES or not signature_valid(request, body):
        # No body or address in the log: the report is refused, and that is what matters.
        logger.warning("SMS status callback refused: bad or stale signature")
        return HttpResponse(status=403)
    try:
        report = json.loads(body)
        provider_id, status = str(report["id"]), str(report["status"]).lower()
    except (ValueError, KeyError, TypeError):
        return HttpResponse(status=400)
    if status not in FINAL or not provider_id:
        return HttpResponse(status=204)
    updated = Notification.objects.filter(
        channel=Notification.Channel.SMS,
        provider_id=provider_id,
        status=Notification.Status.SENT,
    ).update(status=FINAL[status])
    if not updated:
        logger.info("SMS status callback for an unknown or settled message")
    return HttpResponse(status=204)


@login_not_required
@csrf_exempt
@require_POST
def sms_inbound(request: HttpRequest) -> HttpResponse:
    """A message to the centre's number: a check-in's answer, or a new SMS contact."""
    body = request.body[:MAX_BODY_BYTES]
    if len(request.body) > MAX_BODY_BYTES or not signature_valid(request, body):
        logger.warning("SMS inbound refused: bad or stale signature")
        return HttpResponse(status=403)
    try:
        message = json.loads(body)
        message_id, sender = str(message["id"]), str(message["from"])[:40]
        text, line = str(message["text"]), str(message.get("to") or "")
    except (ValueError, KeyError, TypeError):
        return HttpResponse(status=400)
    organisation = organisation_for_line(line)
    if not message_id or organisation is None:
        return HttpResponse(status=400)
    contact_receive_sms(organisation=organisation, sender=sender, text=text, message_id=message_id)
    return HttpResponse(status=204)
