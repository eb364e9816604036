"""The SMS gateway's delivery reports (issue "24/7 intervention"; ARCHITECTURE.md §7).

``sms_status`` is public — the gateway has no session — so the signature is the only
door: HMAC-SHA256 under ``OSTOJA_SMS_GATEWAY_SECRET`` of ``"<timestamp>." + body`` in
``X-Ostoja-Signature``, with ``X-Ostoja-Timestamp`` (Unix seconds) within five minutes of
our clock (a replayed old report is refused). A bad or stale signature is logged and
answered 403, and nothing changes. The body is JSON: ``{"id": "<the gateway's message id>",
"status": "delivered" | "failed" | …}``; other statuses (queued, sent…) are acknowledged and
ignored, as is an id we do not know.
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
