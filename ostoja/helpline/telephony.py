"""Telephony: what happens to a call, whichever provider reports it (ARCHITECTURE.md §7).

The generic signed webhook and the Twilio adapter (``ostoja.helpline.webhooks``) both turn
what they receive into a ``CallEvent`` and hand it to ``handle`` — one code path:

* **ringing** — the call is recorded and routed: in office hours to the counsellors' queue;
  otherwise to the duty shift's primary worker, then the backup (``duty.roster``);
  with nobody on duty, to voicemail (logged: an uncovered hour is a roster failure).
* **answered** — a draft phone contact is started for the member of staff who answered,
  at the moment the call was answered and with the caller's number (so the live-call screen
  recognises a repeat caller); their screen pops up (``pending_screen``).
* **ended** — the contact's end is set.

Events are idempotent and may arrive in any order: each fills in what it knows about the
call (keyed by the provider's call id) and never undoes what a later event said.
"""

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from ostoja.accounts.models import Organisation, User
from ostoja.accounts.roles import Capability
from ostoja.duty.models import DutyPhone
from ostoja.duty.roster import on_duty
from ostoja.helpline import services
from ostoja.helpline.models import Call, Contact
from ostoja.lib.crypto.blind import normalise_phone

logger = logging.getLogger(__name__)

# A pop-up is offered for calls answered this recently: a screen that never popped (the
# counsellor was signed out) is not thrown at them hours later.
POP_UP_WITHIN = dt.timedelta(minutes=30)


class Event(StrEnum):
    RINGING = "ringing"
    ANSWERED = "answered"
    ENDED = "ended"


class Route(StrEnum):
    QUEUE = "queue"
    FORWARD = "forward"
    VOICEMAIL = "voicemail"


@dataclass(frozen=True)
class CallEvent:
    """One thing the provider says about a call. ``line`` is the number called (it chooses
    the organisation); ``user`` the member of staff who answered (for ``answered``)."""

    kind: Event
    call_id: str
    at: dt.datetime
    caller: str = ""
    line: str = ""
    user: User | None = None


@dataclass(frozen=True)
class Routing:
    """Where a ringing call goes: the counsellors' ``queue``; ``forward`` to the primary's
    duty phone (``to``), then the backup's (``then``); or ``voicemail``."""

    route: Route
    queue: str = ""
    to: str = ""
    then: str = ""
    primary: User | None = None
    backup: User | None = None

    def as_json(self) -> dict[str, str]:
        """The generic webhook's answer to "ringing"."""
        if self.route == Route.QUEUE:
            return {"route": self.route.value, "queue": self.queue}
        if self.route == Route.FORWARD:
            answer = {"route": self.route.value, "to": self.to}
            if self.then:
                answer["then"] = self.then
            return answer
        return {"route": self.route.value}


def organisation_for_line(line: str) -> Organisation | None:
    """The organisation that answers the called number (``OSTOJA_TELEPHONY_LINES``), else
    the first one (a deployment usually hosts one centre)."""
    lines: dict[str, str] = settings.OSTOJA_TELEPHONY_LINES
    if line:
        wanted = normalise_phone(line)
        for number, short_code in lines.items():
            if normalise_phone(number) == wanted:
                found = Organisation.objects.filter(short_code=short_code).first()
                if found is not None:
                    return found
                logger.warning("telephony: line mapped to unknown organisation %s", short_code)
    if lines:
        logger.warning("telephony: a call to a line not in OSTOJA_TELEPHONY_LINES")
    return Organisation.objects.order_by("pk").first()


def duty_number(user: User | None) -> str:
    """The user's duty phone in E.164, or '' when they have none."""
    if user is None or not user.is_active:
        return ""
    phone = DutyPhone.objects.filter(user=user).first()
    if phone is None or not phone.number:
        return ""
    number = normalise_phone(phone.number)
    return number if number.startswith("+") else ""


def routing_for(organisation: Organisation, at: dt.datetime) -> Routing:
    """Office hours: the queue. Otherwise the shift's primary, then its backup — whoever
    of them has a duty phone; nobody: voicemail."""
    duty = on_duty(organisation, at)
    if duty.office:
        return Routing(Route.QUEUE, queue=settings.OSTOJA_TELEPHONY_QUEUE)
    people = [(user, duty_number(user)) for user in (duty.primary, duty.backup)]
    reachable = [(user, number) for user, number in people if number]
    if not reachable:
        logger.warning(
            "telephony: nobody on duty for %s at %s: voicemail",
            organisation.short_code,
            at.isoformat(),
        )
        return Routing(Route.VOICEMAIL)
    (primary, to), *rest = reachable
    backup, then = rest[0] if rest else (None, "")
    return Routing(Route.FORWARD, to=to, then=then, primary=primary, backup=backup)


def answering_user(
    organisation: Organisation | None, *, email: str = "", code: str = ""
) -> User | None:
    """An active member of ``organisation`` (any, if None) who logs contacts, by e-mail or
    by code."""
    users = User.objects.filter(is_active=True, membership__isnull=False)
    if organisation is not None:
        users = users.filter(membership__organisation=organisation)
    if email:
        user = users.filter(email__iexact=email.strip()).first()
    elif code:
        try:
            user = users.filter(code=uuid.UUID(code)).first()
        except ValueError:  # not a UUID
            user = None
    else:
        user = None
    return user if user is not None and user.can(Capability.LOG_CONTACTS) else None


def call_organisation(call_id: str, line: str) -> Organisation | None:
    """The organisation of a known call, else the one answering ``line``."""
    call = Call.objects.filter(call_id=call_id).select_related("organisation").first()
    return call.organisation if call is not None else organisation_for_line(line)


def handle(event: CallEvent, organisation: Organisation | None = None) -> Routing | None:
    """Apply one event to its call (``services.call_event_record``, which audits what it
    changes); for ``ringing``, also say where the call goes."""
    organisation = organisation or call_organisation(event.call_id, event.line)
    if organisation is None:
        raise LookupError("no organisation to take the call")
    routing = routing_for(organisation, event.at) if event.kind == Event.RINGING else None
    services.call_event_record(
        organisation=organisation,
        call_id=event.call_id,
        state=Call.State(event.kind.value),
        at=event.at,
        caller=event.caller,
        answered_by=event.user,
        route=routing.route.value if routing else "",
    )
    return routing


def pending_screen(user: User) -> Contact | None:
    """The draft contact of a call ``user`` answered whose screen has not popped up yet —
    marked as popped, so it pops once. The poll almost always finds nothing: it looks
    first without a lock or a transaction (``services.call_screen_take`` locks)."""
    waiting = Call.objects.filter(
        answered_by=user,
        opened_at__isnull=True,
        contact__status=Contact.Status.DRAFT,
        answered_at__gte=timezone.now() - POP_UP_WITHIN,
    )
    if not waiting.exists():
        return None
    return services.call_screen_take(calls=waiting)
