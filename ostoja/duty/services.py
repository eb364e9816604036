"""Every change to the roster: shifts, swaps, handover notes, duty phones and the escalation
settings (STYLE.md: one transaction, one audit entry; the entries name records, never
locations or people)."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ostoja.accounts.models import Notice, Organisation, User
from ostoja.accounts.services import notice_send
from ostoja.audit.trail import record
from ostoja.duty.models import DutyPhone, DutySettings, Shift, SwapRequest
from ostoja.lib.hours import validate_office_hours


def _check_span(start: dt.datetime, end: dt.datetime) -> None:
    if end <= start:
        raise ValidationError({"end": _("The end cannot be before the start.")})
    if end - start > dt.timedelta(days=4):
        raise ValidationError({"end": _("A shift lasts at most four days.")})


@transaction.atomic
def shift_add(*, organisation: Organisation, data: dict[str, Any], acting_user: User) -> Shift:
    _check_span(data["start"], data["end"])
    if data.get("backup") is not None and data["backup"] == data["primary"]:
        raise ValidationError({"backup": _("The backup must be someone else.")})
    shift = Shift.objects.create(
        organisation=organisation,
        start=data["start"],
        end=data["end"],
        primary=data["primary"],
        backup=data.get("backup"),
        handover="",
        created_by=acting_user,
    )
    record(
        "shift.added",
        actor=acting_user,
        target=shift,
        data={"primary": str(shift.primary.code), "start": shift.start.isoformat()},
    )
    return shift


@transaction.atomic
def shift_remove(*, shift: Shift, acting_user: User) -> None:
    record(
        "shift.removed", actor=acting_user, target=shift, data={"start": shift.start.isoformat()}
    )
    shift.delete()


@transaction.atomic
def shift_handover_write(*, shift: Shift, text: str, acting_user: User) -> None:
    """What the next person on duty must know (sealed)."""
    shift.handover = text
    shift.save(update_fields=["handover"])
    record("shift.handover_written", actor=acting_user, target=shift)


@transaction.atomic
def swap_ask(*, shift: Shift, asked: User, acting_user: User) -> SwapRequest:
    if acting_user.pk not in (shift.primary_id, shift.backup_id):
        raise ValidationError(_("Only the people on a shift can ask to swap it."))
    if asked.pk in (shift.primary_id, shift.backup_id):
        raise ValidationError(_("Ask someone who is not on this shift."))
    swap = SwapRequest.objects.create(shift=shift, requested_by=acting_user, asked=asked)
    record("shift.swap_asked", actor=acting_user, target=shift, data={"asked": str(asked.code)})
    notice_send(
        recipients=[asked],
        kind=Notice.Kind.SWAP,
        text=_("%(name)s asks you to take their place on the duty shift of %(start)s.")
        % {"name": str(acting_user), "start": _when(shift.start)},
        url=reverse("duty:roster"),
        target_type="duty.shift",
        target_code=str(shift.code),
        key=f"ask:{swap.code}",
    )
    return swap


def _when(at: dt.datetime) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M}"


@transaction.atomic
def swap_answer(*, swap: SwapRequest, accept: bool, acting_user: User) -> None:
    """The colleague accepts (and takes the requester's place) or declines."""
    if swap.asked_id != acting_user.pk or swap.status != SwapRequest.Status.OPEN:
        raise ValidationError(_("This request is not waiting for you."))
    shift = swap.shift
    if accept:
        if shift.primary_id == swap.requested_by_id:
            shift.primary = acting_user
        else:
            shift.backup = acting_user
        shift.save(update_fields=["primary", "backup"])
    swap.status = SwapRequest.Status.ACCEPTED if accept else SwapRequest.Status.DECLINED
    swap.decided_at = timezone.now()
    swap.save(update_fields=["status", "decided_at"])
    record("shift.swap_answered", actor=acting_user, target=shift, data={"accepted": accept})
    if accept:
        text = _("%(name)s takes your place on the duty shift of %(start)s.")
    else:
        text = _("%(name)s cannot take your place on the duty shift of %(start)s.")
    notice_send(
        recipients=[swap.requested_by],
        kind=Notice.Kind.SWAP,
        text=text % {"name": str(acting_user), "start": _when(shift.start)},
        url=reverse("duty:roster"),
        target_type="duty.shift",
        target_code=str(shift.code),
        key=f"answer:{swap.code}",
    )


@transaction.atomic
def duty_phone_set(*, user: User, number: str, acting_user: User) -> None:
    phone = DutyPhone.objects.filter(user=user).first() or DutyPhone(user=user)
    phone.number = number
    phone.save()
    record("duty_phone.changed", actor=acting_user, target=user)


@transaction.atomic
def duty_settings_set(
    *,
    organisation: Organisation,
    data: dict[str, Any],
    hours: dict[str, list[str]],
    acting_user: User,
) -> None:
    """The organisation's escalation timing and office hours (``ostoja.lib.hours``); every
    hour outside office hours is duty."""
    validate_office_hours(hours)
    DutySettings.objects.update_or_create(organisation=organisation, defaults=data)
    organisation.office_hours = hours
    organisation.save(update_fields=["office_hours"])
    record("duty_settings.changed", actor=acting_user, data={**data, "hours": hours})
