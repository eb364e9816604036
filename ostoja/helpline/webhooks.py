"""The telephony adapters' doors (ARCHITECTURE.md §7) and the counsellor's pop-up.

Two public doors, each checking the caller's signature before reading anything:

* ``events`` — the generic webhook for any PBX: a JSON event signed with HMAC-SHA256.
  ``X-Ostoja-Timestamp`` is the Unix time in seconds (at most 5 minutes off ours);
  ``X-Ostoja-Signature`` is the hex HMAC-SHA256, keyed with ``OSTOJA_TELEPHONY_SECRET``,
  of ``<timestamp>.<raw body>``. Body: ``{"event": "ringing"|"answered"|"ended",
  "call_id", "caller", "line", "user" (answering member's e-mail), "at" (ISO 8601)}``.
  "ringing" is answered with the routing (``telephony.Routing.as_json``).
* the Twilio adapter, signed with ``X-Twilio-Signature`` (``OSTOJA_TWILIO_AUTH_TOKEN``,
  over ``BASE_URL`` + the path): ``twilio_voice`` answers an incoming call with TwiML —
  office hours: ``<Enqueue>`` to the counsellors' queue (their softphones, Twilio Client
  with the user's code as identity, take callers through ``twilio_agent``); otherwise
  ``<Dial>`` the primary's duty phone for ``OSTOJA_TELEPHONY_DIAL_TIMEOUT`` seconds, then
  (``twilio_fallback``) the backup's; nobody: a message (in an emergency, 112) and a
  voicemail ``<Record>`` kept in the Twilio account. ``twilio_status`` takes the status
  callbacks: the number's own (ringing, completed …) and those of the legs we dial or
  dequeue to, whose URL names the member of staff (``?user=<code>``): their "in-progress"
  is the call being answered by that person.

A refused request is logged with its reason (never its body) and changes nothing.
"""

import datetime as dt
import email.utils
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import VoiceResponse

from ostoja.accounts.decorators import capability_required
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.middleware import idle_passive
from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Capability
from ostoja.helpline import telephony
from ostoja.helpline.models import Call
from ostoja.helpline.telephony import CallEvent, Event, Route, Routing

logger = logging.getLogger(__name__)

# How far the generic webhook's timestamp may be from our clock (replays are refused).
MAX_SKEW_SECONDS = 300
# The voice used for <Say>: Polish unless the deployment's language is another.
_SAY_LANGUAGES = {"pl": "pl-PL", "en": "en-GB"}
# Twilio's statuses that end a call.
_ENDED = {"completed", "busy", "failed", "no-answer", "canceled"}


# --- The generic webhook ------------------------------------------------------------------


def _generic_problem(request: HttpRequest) -> str:
    """Why the request's signature does not hold ('' when it does)."""
    secret: str = settings.OSTOJA_TELEPHONY_SECRET
    if not secret:
        return "OSTOJA_TELEPHONY_SECRET is not set"
    stamp = request.headers.get("X-Ostoja-Timestamp", "")
    signature = request.headers.get("X-Ostoja-Signature", "")
    if not stamp or not signature:
        return "no timestamp or signature"
    try:
        sent = int(stamp)
    except ValueError:
        return "malformed timestamp"
    if abs(time.time() - sent) > MAX_SKEW_SECONDS:
        return "stale timestamp"
    expected = hmac.new(
        secret.encode(), stamp.encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected, signature.strip().lower()):
        return "bad signature"
    return ""


def _event_from_json(payload: Any) -> tuple[CallEvent, str]:
    """The event in a JSON body, and the answering user's e-mail; ``ValueError`` if it is
    not one."""
    if not isinstance(payload, dict):
        raise ValueError("not an object")
    kind = Event(str(payload.get("event")))
    call_id = str(payload.get("call_id") or "")
    if not call_id or len(call_id) > 64:
        raise ValueError("call_id")
    at = parse_datetime(str(payload.get("at") or ""))
    if at is None:
        raise ValueError("at")
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    event = CallEvent(
        kind=kind,
        call_id=call_id,
        at=at,
        caller=_caller(str(payload.get("caller") or "")),
        line=str(payload.get("line") or ""),
    )
    return event, str(payload.get("user") or "")


@csrf_exempt
@login_not_required
@require_POST
def events(request: HttpRequest) -> HttpResponse:
    """The generic signed webhook: ringing (answered with the routing), answered, ended."""
    problem = _generic_problem(request)
    if problem:
        logger.warning("telephony webhook refused: %s", problem)
        return HttpResponseForbidden()
    try:
        event, email_address = _event_from_json(json.loads(request.body))
    except (ValueError, TypeError) as error:
        logger.warning("telephony webhook: malformed event (%s)", error)
        return JsonResponse({"error": "malformed event"}, status=400)
    organisation = telephony.call_organisation(event.call_id, event.line)
    if organisation is None:
        return JsonResponse({"error": "no organisation"}, status=400)
    if event.kind == Event.ANSWERED:
        user = telephony.answering_user(organisation, email=email_address)
        if user is None:
            logger.warning("telephony webhook: answered by an unknown user")
            return JsonResponse({"error": "unknown user"}, status=400)
        event = CallEvent(event.kind, event.call_id, event.at, event.caller, event.line, user)
    routing = telephony.handle(event, organisation)
    return JsonResponse(routing.as_json() if routing else {"status": "ok"})


def _caller(raw: str) -> str:
    """A caller's number as given, or '' for a withheld one or a softphone identity."""
    raw = raw.strip()
    if not raw or raw.startswith("client:") or raw.lower() in {"anonymous", "unknown"}:
        return ""
    return raw[:40]


# --- Twilio -------------------------------------------------------------------------------


def _twilio_valid(request: HttpRequest) -> bool:
    """Whether Twilio signed this request (its own validator, over the public URL)."""
    token: str = settings.OSTOJA_TWILIO_AUTH_TOKEN
    if not token:
        logger.warning("twilio webhook refused: OSTOJA_TWILIO_AUTH_TOKEN is not set")
        return False
    url = settings.BASE_URL.rstrip("/") + request.get_full_path()
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not RequestValidator(token).validate(url, request.POST, signature):
        logger.warning("twilio webhook refused: bad signature")
        return False
    return True


def _twilio_door(
    view: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Public, without CSRF (Twilio signs instead), POST only, signature checked first,
    TwiML spoken in the deployment's language."""

    def door(request: HttpRequest) -> HttpResponse:
        if not _twilio_valid(request):
            return HttpResponseForbidden()
        with translation.override(settings.LANGUAGE_CODE):
            return view(request)

    door.__name__ = view.__name__
    door.__doc__ = view.__doc__
    return csrf_exempt(login_not_required(require_POST(door)))


def _twiml(response: Any) -> HttpResponse:
    return HttpResponse(str(response), content_type="text/xml; charset=utf-8")


def _url(name: str, **query: str) -> str:
    """An absolute URL of ours for Twilio to call back (signed over this very URL)."""
    path = reverse(f"helpline:{name}")
    return settings.BASE_URL.rstrip("/") + path + (f"?{urlencode(query)}" if query else "")


def _say(response: Any, text: str) -> None:
    language = _SAY_LANGUAGES.get(translation.get_language() or "pl", "pl-PL")
    response.say(text, language=language)


def _dial(response: Any, user: Any, number: str, step: str) -> None:
    """Ring one duty phone; its answering (status callback) names the user; ``step`` says
    what the fallback does if nobody answers."""
    dial = response.dial(
        action=_url("twilio_fallback", step=step),
        timeout=settings.OSTOJA_TELEPHONY_DIAL_TIMEOUT,
    )
    dial.number(
        number,
        status_callback=_url("twilio_status", user=str(user.code)),
        status_callback_event="answered",
    )


def _voicemail(response: Any) -> None:
    _say(
        response,
        _(
            "You have reached the helpline outside office hours and nobody can answer now. "
            "In an emergency call 112. Leave a message with your phone number after the tone "
            "and we will call you back."
        ),
    )
    response.record(
        action=_url("twilio_fallback", step="done"), max_length=120, timeout=10, play_beep=True
    )


def _answer(routing: Routing) -> Any:
    response = VoiceResponse()
    if routing.route == Route.QUEUE:
        _say(response, _("Thank you for calling. A counsellor will answer shortly."))
        response.enqueue(routing.queue)
    elif routing.route == Route.FORWARD and routing.primary is not None:
        step = "backup" if routing.then else "voicemail"
        _dial(response, routing.primary, routing.to, step)
    else:
        _voicemail(response)
    return response


def _twilio_at(request: HttpRequest) -> dt.datetime:
    """When Twilio says the status changed (``Timestamp``, RFC 2822), else now."""
    stamp = request.POST.get("Timestamp", "")
    if stamp:
        try:
            at = email.utils.parsedate_to_datetime(stamp)
        except (TypeError, ValueError):
            pass
        else:
            return at if timezone.is_aware(at) else at.replace(tzinfo=dt.UTC)
    return timezone.now()


def _organisation(request: HttpRequest) -> Organisation | None:
    return telephony.call_organisation(request.POST.get("CallSid", ""), request.POST.get("To", ""))


@_twilio_door
def twilio_voice(request: HttpRequest) -> HttpResponse:
    """An incoming call rings: record it and answer where it goes, in TwiML."""
    call_id = request.POST.get("CallSid", "")
    organisation = _organisation(request)
    if not call_id or organisation is None:
        return _twiml(VoiceResponse().reject())
    routing = telephony.handle(
        CallEvent(
            Event.RINGING,
            call_id,
            timezone.now(),
            caller=_caller(request.POST.get("From", "")),
            line=request.POST.get("To", ""),
        ),
        organisation,
    )
    assert routing is not None  # noqa: S101  # "ringing" always routes
    return _twiml(_answer(routing))


@_twilio_door
def twilio_fallback(request: HttpRequest) -> HttpResponse:
    """After a ``<Dial>`` (or the recording): hang up if someone answered, else the next
    step — the backup's duty phone, then voicemail."""
    response = VoiceResponse()
    step = request.GET.get("step", "")
    answered = request.POST.get("DialCallStatus", "") in {"completed", "answered"}
    call = Call.objects.filter(call_id=request.POST.get("CallSid", "")).first()
    if step == "done" or answered or call is None:
        if step == "done":
            _say(response, _("Thank you. Goodbye."))
        response.hangup()
        return _twiml(response)
    routing = telephony.routing_for(call.organisation, timezone.now())
    if step == "backup" and routing.backup is not None and routing.then:
        _dial(response, routing.backup, routing.then, "voicemail")
    else:
        _voicemail(response)
    return _twiml(response)


@_twilio_door
def twilio_status(request: HttpRequest) -> HttpResponse:
    """Status callbacks (and the dequeue URL): the same events as the generic webhook."""
    status = request.POST.get("CallStatus", "")
    parent = request.POST.get("ParentCallSid", "")
    call_id = parent or request.POST.get("CallSid", "")
    user_code = request.GET.get("user", "")
    # A leg we dialled (ParentCallSid) has the duty phone as "To": its caller is "From".
    caller = _caller(request.POST.get("From", ""))
    line = "" if parent else request.POST.get("To", "")
    kind = None
    if user_code and (status in {"in-progress", "answered"} or "DequeingCallSid" in request.POST):
        kind = Event.ANSWERED
    elif not parent and status == "ringing":
        kind = Event.RINGING
    elif not parent and status in _ENDED:
        kind = Event.ENDED
    organisation = telephony.call_organisation(call_id, line) if call_id else None
    if kind is None or organisation is None:
        return _twiml(VoiceResponse())
    user = None
    if kind == Event.ANSWERED:
        user = telephony.answering_user(organisation, code=user_code)
        if user is None:
            logger.warning("twilio status: answered by an unknown user")
            return _twiml(VoiceResponse())
    telephony.handle(
        CallEvent(kind, call_id, _twilio_at(request), caller=caller, line=line, user=user),
        organisation,
    )
    return _twiml(VoiceResponse())


@_twilio_door
def twilio_agent(request: HttpRequest) -> HttpResponse:
    """A counsellor's softphone (Twilio Client, identity = their user code) takes the
    next caller from the queue; the dequeue URL reports who answered."""
    identity = request.POST.get("From", "").removeprefix("client:")
    user = telephony.answering_user(None, code=identity)
    response = VoiceResponse()
    if user is None:
        logger.warning("twilio agent: an unknown softphone identity")
        response.reject()
        return _twiml(response)
    dial = response.dial()
    dial.queue(settings.OSTOJA_TELEPHONY_QUEUE, url=_url("twilio_status", user=str(user.code)))
    return _twiml(response)


# --- The counsellor's pop-up --------------------------------------------------------------


@idle_passive
@require_POST
@capability_required(Capability.LOG_CONTACTS)
def incoming(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Polled every few seconds (htmx): the live-call screen of a call this user has just
    answered, once (``HX-Redirect``); otherwise nothing (204). A POST because it marks the
    screen as shown; a poll is not activity (``idle_passive``)."""
    contact = telephony.pending_screen(request.user)
    if contact is None:
        return HttpResponse(status=204)
    target = reverse("helpline:contact_edit", kwargs={"code": contact.code})
    response = HttpResponse(status=200)
    response["HX-Redirect"] = target
    return response
