"""Every change to helpline contacts (STYLE.md: one transaction, one audit entry)."""

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import ProtectedError, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ostoja.accounts.models import Notice, Organisation, User
from ostoja.accounts.policy import can_view, find_scope
from ostoja.accounts.records import register_mover
from ostoja.accounts.services import notice_send
from ostoja.audit.trail import record
from ostoja.helpline.intake import Incoming, claimed
from ostoja.helpline.mail import new_message_id, parse_email, reply_subject
from ostoja.helpline.models import (
    Attachment,
    Call,
    Contact,
    ContactLanguage,
    ContactLink,
    ContactPurpose,
    FollowUp,
    purpose_bit,
)
from ostoja.helpline.rollups import rebuild, tallied
from ostoja.helpline.tasks import send_reply
from ostoja.lib.crypto.files import EncryptedStorage, Upload, validate_upload

# Fields a form may set directly on the contact.
_PLAIN = (
    "channel",
    "direction",
    "caller_type",
    "interpreter",
    "urgency",
    "summary",
    "outcome",
    "caller_number",
    "number_withheld",
    "started_at",
    "ended_at",
)


def _line(organisation: Organisation, at: dt.datetime) -> str:
    return Contact.Line.OFFICE if organisation.is_office_time(at) else Contact.Line.DUTY


@transaction.atomic
def contact_start(
    *,
    organisation: Organisation,
    acting_user: User,
    channel: str = Contact.Channel.PHONE,
    caller_number: str = "",
) -> Contact:
    """A new contact, as a draft, the moment the phone rings (or a message is opened)."""
    now = timezone.now()
    contact = Contact.objects.create(
        organisation=organisation,
        counsellor=acting_user,
        channel=channel,
        started_at=now,
        line=_line(organisation, now),
        caller_number=caller_number,
        summary="",
    )
    record("contact.started", actor=acting_user, target=contact, data={"channel": channel})
    return contact


@transaction.atomic
def contact_save(
    *, contact: Contact, data: dict[str, Any], acting_user: User, complete: bool = False
) -> list[str]:
    """Save what the counsellor typed (autosave or the save button); ``complete`` closes
    the contact. Returns the names of the fields that changed. Only the fields in ``data``
    are touched, so a partly invalid form still saves its valid part."""
    if complete and contact.status == Contact.Status.COMPLETED:
        raise ValidationError(_("This contact is already completed."))
    with tallied([contact.pk]):  # the statistics' roll-up follows the counted fields
        return _contact_save(contact, data, acting_user, complete)


def _contact_save(
    contact: Contact, data: dict[str, Any], acting_user: User, complete: bool
) -> list[str]:
    changed = []
    if contact.counsellor_id is None:  # taking correspondence nobody had taken yet
        contact.counsellor = acting_user
        changed.append("counsellor")
    for name in _PLAIN:
        if name in data and getattr(contact, name) != data[name]:
            setattr(contact, name, data[name])
            changed.append(name)
    if "started_at" in changed:
        contact.line = _line(contact.organisation, contact.started_at)
    if complete:
        contact.status = Contact.Status.COMPLETED
        contact.ended_at = contact.ended_at or timezone.now()
        changed.append("status")
    if contact.ended_at and contact.ended_at < contact.started_at:
        raise ValidationError({"ended_at": _("The end is before the start.")})
    if "purposes" in data and _replace(contact, ContactPurpose, "purpose", data["purposes"]):
        contact.purpose_flags = sum(purpose_bit(p) for p in set(data["purposes"]))
        changed.append("purposes")
    if "languages" in data and _replace(contact, ContactLanguage, "language", data["languages"]):
        changed.append("languages")
    if changed:
        contact.save()
        action = "contact.completed" if complete else "contact.saved"
        record(action, actor=acting_user, target=contact, data={"fields": sorted(changed)})
    return changed


def _replace(contact: Contact, model: Any, field: str, values: list[str]) -> bool:
    current = set(model.objects.filter(contact=contact).values_list(field, flat=True))
    if current == set(values):
        return False
    model.objects.filter(contact=contact).exclude(**{f"{field}__in": values}).delete()
    model.objects.bulk_create(
        [model(contact=contact, **{field: v}) for v in sorted(set(values) - current)]
    )
    return True


@transaction.atomic
def contact_discard(*, contact: Contact, acting_user: User) -> None:
    """Throw away a draft contact started by mistake (a call that never came through, the
    wrong channel): only a draft staff started, with nothing linked to it yet — received
    correspondence is never thrown away, and a contact that led anywhere is a record. The
    audit trail keeps that it existed and who discarded it."""
    if contact.status != Contact.Status.DRAFT or contact.message_hash:
        raise ValidationError(_("Only a draft started here can be discarded."))
    linked = (
        contact.links.exists()
        or contact.follow_ups.exists()
        or contact.attachments.exists()
        or contact.replies.exists()
    )
    if linked:
        raise ValidationError(_("This contact is linked to other records: complete it instead."))
    record("contact.discarded", actor=acting_user, target=contact)
    Call.objects.filter(contact=contact).update(contact=None)
    try:
        with transaction.atomic(), tallied([contact.pk]):
            contact.delete()
    except ProtectedError:
        raise ValidationError(
            _("This contact is linked to other records: complete it instead.")
        ) from None


@transaction.atomic
def follow_up_add(
    *, contact: Contact, task: str, due: dt.date, assignee: User, acting_user: User
) -> FollowUp:
    follow_up = FollowUp.objects.create(contact=contact, task=task, due=due, assignee=assignee)
    record(
        "follow_up.added",
        actor=acting_user,
        target=contact,
        data={"follow_up": str(follow_up.code), "due": due.isoformat()},
    )
    if assignee != acting_user:  # given to a colleague: they hear of it
        _follow_up_notice(
            follow_up,
            _("%(name)s gives you a follow-up of the contact of %(contact)s, due %(due)s.")
            % {"name": str(acting_user), "contact": str(contact), "due": due.isoformat()},
            "given",
        )
    return follow_up


def _follow_up_notice(follow_up: FollowUp, text: str, key: str) -> None:
    notice_send(
        recipients=[follow_up.assignee],
        kind=Notice.Kind.FOLLOW_UP,
        text=text,
        url=reverse("helpline:contact_edit", args=[follow_up.contact.code]) + "#follow-ups",
        target_type="helpline.followup",
        target_code=str(follow_up.code),
        key=key,
    )


@transaction.atomic
def follow_ups_due(*, today: dt.date) -> int:
    """Tell each assignee of the open follow-ups due today or overdue (once a day each)."""
    due = FollowUp.objects.filter(done_at__isnull=True, due__lte=today).select_related(
        "contact", "assignee"
    )
    for follow_up in due:
        if follow_up.due == today:
            text = _("A follow-up of the contact of %(contact)s is due today.")
        else:
            text = _("A follow-up of the contact of %(contact)s is overdue (since %(due)s).")
        params = {"contact": str(follow_up.contact), "due": follow_up.due.isoformat()}
        _follow_up_notice(follow_up, text % params, today.isoformat())
    return len(due)


@transaction.atomic
def follow_up_done(*, follow_up: FollowUp, acting_user: User) -> FollowUp:
    follow_up.done_at = timezone.now()
    follow_up.save(update_fields=["done_at"])
    record(
        "follow_up.done",
        actor=acting_user,
        target=follow_up.contact,
        data={"follow_up": str(follow_up.code)},
    )
    return follow_up


@transaction.atomic
def contact_receive_email(*, organisation: Organisation, raw: bytes) -> Contact | None:
    """Turn one e-mail into an incoming contact (a draft nobody has taken yet), its
    attachments into sealed files. ``None`` when the same message came in before, or when
    an app claimed it as a reply to what it sent (``intake``: a check-in's answer)."""
    mail = parse_email(raw)
    if Contact.objects.filter(message_hash=mail.message_hash).exists():
        return None
    started = mail.sent_at or timezone.now()
    incoming = Incoming(
        organisation=organisation,
        channel=Contact.Channel.EMAIL,
        sender=mail.sender,
        subject=mail.subject,
        text=mail.text,
        received_at=started,
        identity=mail.message_hash,
    )
    if claimed(incoming):
        return None
    contact = Contact.objects.create(
        organisation=organisation,
        channel=Contact.Channel.EMAIL,
        direction=Contact.Direction.INCOMING,
        started_at=started,
        line=_line(organisation, started),
        correspondent=mail.sender,
        subject=mail.subject,
        message_id=mail.message_id,
        message_hash=mail.message_hash,
        summary=mail.text,
        caller_number="",
    )
    refused = []
    storage = EncryptedStorage()
    for name, data in mail.attachments:
        try:
            upload = validate_upload(ContentFile(data, name=name))
        except ValidationError as error:
            refused.append(f"{name}: {' '.join(error.messages)}")
            continue
        Attachment.objects.create(
            contact=contact,
            stored_name=storage.save_upload(upload, "helpline"),
            content_type=upload.content_type,
            size=len(upload.content),
            filename=upload.original_name,
        )
    if refused:
        contact.summary += "\n\n" + _("Attachments not accepted:") + "\n" + "\n".join(refused)
        contact.save(update_fields=["summary"])
    record(
        "contact.received",
        actor=None,
        target=contact,
        organisation=organisation,
        data={"attachments": contact.attachments.count(), "refused": len(refused)},
    )
    return contact


@transaction.atomic
def contact_receive_sms(
    *, organisation: Organisation, sender: str, text: str, message_id: str
) -> Contact | None:
    """An SMS to the helpline's number (``webhooks.sms_inbound``): offered first to the
    apps waiting for a reply (``intake``), else an incoming SMS contact, a draft nobody has
    taken yet. ``None`` when it was claimed, or the gateway sent the same message again."""
    identity = hashlib.sha256(f"sms:{message_id}".encode()).hexdigest()
    if Contact.objects.filter(message_hash=identity).exists():
        return None
    now = timezone.now()
    incoming = Incoming(
        organisation=organisation,
        channel=Contact.Channel.SMS,
        sender=sender,
        subject="",
        text=text,
        received_at=now,
        identity=identity,
    )
    if claimed(incoming):
        return None
    contact = Contact.objects.create(
        organisation=organisation,
        channel=Contact.Channel.SMS,
        direction=Contact.Direction.INCOMING,
        started_at=now,
        line=_line(organisation, now),
        caller_number=sender,
        message_hash=identity,
        summary=text,
    )
    record("contact.received", actor=None, target=contact, organisation=organisation)
    return contact


@transaction.atomic
def contact_receive_web(
    *,
    organisation: Organisation,
    text: str,
    language: str,
    files: list[Upload],
    in_reply_to: Contact | None = None,
) -> Contact:
    """An anonymous message from the public portal (``ostoja.portal``): an incoming web
    contact, a draft nobody has taken yet (the helpline's triage), its language as
    detected, its files sealed. It knows nothing of the sender, and its time is kept to
    the hour only (SECURITY.md §2.4: no precise timestamps of the public zone)."""
    started = timezone.now().replace(minute=0, second=0, microsecond=0)
    contact = Contact.objects.create(
        organisation=organisation,
        channel=Contact.Channel.WEB,
        direction=Contact.Direction.INCOMING,
        started_at=started,
        line=_line(organisation, started),
        summary=text,
        caller_number="",
        in_reply_to=in_reply_to,
    )
    ContactLanguage.objects.create(contact=contact, language=language)
    storage = EncryptedStorage()
    for upload in files:
        Attachment.objects.create(
            contact=contact,
            stored_name=storage.save_upload(upload, "helpline"),
            content_type=upload.content_type,
            size=len(upload.content),
            filename=upload.original_name,
        )
    record(
        "contact.received",
        actor=None,
        target=contact,
        organisation=organisation,
        data={"attachments": len(files), "refused": 0},
    )
    return contact


@transaction.atomic
def contact_reply(*, contact: Contact, body: str, acting_user: User) -> Contact:
    """Answer an e-mail (an outgoing contact in the same thread, sent on commit) or an
    anonymous web message (an outgoing web contact the sender reads on the portal with
    their receipt code)."""
    web = contact.channel == Contact.Channel.WEB
    if not web and (contact.channel != Contact.Channel.EMAIL or not contact.correspondent):
        raise ValidationError(_("Only e-mail can be answered by e-mail."))
    if not body.strip():
        raise ValidationError({"body": _("Write the answer first.")})
    now = timezone.now()
    if web:
        reply = Contact.objects.create(
            organisation=contact.organisation,
            counsellor=acting_user,
            status=Contact.Status.COMPLETED,
            channel=Contact.Channel.WEB,
            direction=Contact.Direction.OUTGOING,
            started_at=now,
            ended_at=now,
            line=_line(contact.organisation, now),
            summary=body.strip(),
            caller_number="",
            in_reply_to=contact,
            caller_type=contact.caller_type,
        )
        _tally_new(reply)
        record(
            "contact.replied", actor=acting_user, target=contact, data={"reply": str(reply.code)}
        )
        return reply
    reply = Contact.objects.create(
        organisation=contact.organisation,
        counsellor=acting_user,
        status=Contact.Status.COMPLETED,
        channel=Contact.Channel.EMAIL,
        direction=Contact.Direction.OUTGOING,
        started_at=now,
        ended_at=now,
        line=_line(contact.organisation, now),
        correspondent=contact.correspondent,
        subject=reply_subject(contact.subject),
        message_id=new_message_id(),
        summary=body.strip(),
        caller_number="",
        in_reply_to=contact,
        caller_type=contact.caller_type,
    )
    _tally_new(reply)
    record("contact.replied", actor=acting_user, target=contact, data={"reply": str(reply.code)})
    transaction.on_commit(lambda: send_reply(reply.pk))
    return reply


def _tally_new(contact: Contact) -> None:
    """A contact created completed (a reply) counts in the roll-up at once."""
    with tallied() as created:
        created.append(contact.pk)


@transaction.atomic
def contact_tallies_rebuild(*, organisation: Organisation, acting_user: User | None) -> int:
    """Count the organisation's roll-up of contacts afresh (``manage.py rollups_rebuild``):
    after a bulk load, or a change of its time zone. Audited; the rows written."""
    rows = rebuild(organisation)
    record(
        "contact.tallies_rebuilt", actor=acting_user, organisation=organisation, data={"rows": rows}
    )
    return rows


@transaction.atomic
def contact_link(
    *, contact: Contact, target_type: str, target_code: str, acting_user: User
) -> ContactLink:
    """Link a contact to a person or case the user may see (same organisation)."""
    scope = find_scope(acting_user, target_type, target_code)
    if (
        scope is None
        or scope.organisation_id != contact.organisation_id
        or not can_view(acting_user, scope)
    ):
        raise ValidationError(_("There is no such record, or you cannot see it."))
    link, created = ContactLink.objects.get_or_create(
        contact=contact,
        target_type=target_type,
        target_code=scope.target_code,
        defaults={"created_by": acting_user},
    )
    if created:
        record(
            "contact.linked",
            actor=acting_user,
            target=contact,
            data={"type": target_type, "record": scope.target_code},
        )
    return link


@transaction.atomic
def contact_unlink(*, link: ContactLink, acting_user: User) -> None:
    record(
        "contact.unlinked",
        actor=acting_user,
        target=link.contact,
        data={"type": link.target_type, "record": link.target_code},
    )
    link.delete()


def _mover(target_type: str) -> Callable[[models.Model, models.Model], int]:
    def move(duplicate: models.Model, keep: models.Model) -> int:
        """A merge of two records: the contacts linked to the duplicate are linked to the
        record that is kept (once per contact)."""
        old, new = str(getattr(duplicate, "code", "")), str(getattr(keep, "code", ""))
        moved = 0
        for link in ContactLink.objects.filter(target_type=target_type, target_code=old):
            kept = ContactLink.objects.filter(
                contact_id=link.contact_id, target_type=target_type, target_code=new
            )
            if kept.exists():
                link.delete()
            else:
                link.target_code = new
                link.save(update_fields=["target_code"])
            moved += 1
        return moved

    return move


register_mover("people.person", "contacts", _mover("people.person"))


# Call events may arrive in any order: a later state is never undone by an earlier one.
_ORDER = {Call.State.RINGING: 0, Call.State.ANSWERED: 1, Call.State.ENDED: 2}


@transaction.atomic
def call_event_record(
    *,
    organisation: Organisation,
    call_id: str,
    state: Call.State,
    at: dt.datetime,
    caller: str = "",
    answered_by: User | None = None,
    route: str = "",
) -> Call:
    """What the telephony provider says of a call (``ostoja.helpline.telephony``): keyed by
    its call id, each event fills in what it knows and never undoes what a later one said.
    An answered call starts a draft phone contact for whoever answered, at the moment it
    was answered, with the caller's number; the call's end and a number the answering
    event lacked are carried to that draft. Every change of the contact is audited (the
    fields, never their values), with the member of staff who answered as the actor."""
    call, _created = Call.objects.select_for_update().get_or_create(
        call_id=call_id, defaults={"organisation": organisation}
    )
    if state == Call.State.RINGING:
        call.route = route
        call.ringing_at = call.ringing_at or at
    elif state == Call.State.ANSWERED:
        if call.answered_by_id is None and answered_by is not None:
            call.contact = _call_contact(call.organisation, answered_by, at, caller)
            call.answered_by, call.answered_at = answered_by, at
    else:
        call.ended_at = call.ended_at or at
    if _ORDER[state] > _ORDER[Call.State(call.state)]:
        call.state = state
    call.save()
    record(
        f"call.{state}",
        actor=answered_by,
        organisation=call.organisation,
        target=call,
        data={"route": call.route} if route else {},
    )
    if call.contact is not None and call.contact.status == Contact.Status.DRAFT:
        _call_contact_update(call, caller)
    return call


def _call_contact(organisation: Organisation, user: User, at: dt.datetime, caller: str) -> Contact:
    """The draft contact of an answered call: it began when it was answered, not when the
    event reached us."""
    contact = contact_start(
        organisation=organisation,
        acting_user=user,
        channel=Contact.Channel.PHONE,
        caller_number=caller,
    )
    contact_save(contact=contact, data={"started_at": at}, acting_user=user)
    return contact


def _call_contact_update(call: Call, caller: str) -> None:
    """Carry what the call knows to its draft contact: the end, a caller's number the
    answering event lacked."""
    contact = call.contact
    assert contact is not None  # noqa: S101  # the caller checked
    data: dict[str, Any] = {}
    if call.ended_at and call.ended_at >= contact.started_at:
        data["ended_at"] = call.ended_at
    if caller and not contact.caller_number:
        data["caller_number"] = caller
    if data and call.answered_by is not None:
        contact_save(contact=contact, data=data, acting_user=call.answered_by)


@transaction.atomic
def call_screen_take(*, calls: QuerySet[Call]) -> Contact | None:
    """Of the answered ``calls`` whose screen has not popped up, take the newest: marked as
    popped (so it pops once) and its draft contact returned."""
    call = (
        calls.select_for_update(of=("self",))
        .select_related("contact")
        .order_by("-answered_at")
        .first()
    )
    if call is None:  # another poll took it
        return None
    call.opened_at = timezone.now()
    call.save(update_fields=["opened_at"])
    record("call.screen_opened", actor=call.answered_by, target=call)
    return call.contact
