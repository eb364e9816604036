"""Every change of pre-departure counselling: one transaction, one audit entry that names
the fields changed (never their values)."""

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
from ostoja.helpline.intake import Incoming, register_claimer
from ostoja.helpline.models import Contact
from ostoja.interventions.models import Intervention
from ostoja.interventions.services import intervention_open
from ostoja.lib.crypto.fields import blind_lookup
from ostoja.network.vocabulary import PartnerKind
from ostoja.prevention.checkins import answer_of, new_token, send, token_in
from ostoja.prevention.kraz import agency_by_number
from ostoja.prevention.models import CheckIn, CheckInSeries, Counselling, Flag, FlagCatalogue

# The fields a counsellor fills, as typed or chosen (blank: not asked).
FIELDS = (
    "country",
    "city",
    "work",
    "work_detail",
    "channel",
    "agency_name",
    "agency_number",
    "contract_written",
    "contract_language",
    "passport_keeper",
    "housing",
    "transport",
    "money_asked",
    "money_detail",
    "advice_given",
    "plan_language",
    "emergency_number",
    "consulate_partner",
    "consulate",
    "code_word",
)


@transaction.atomic
def counselling_save(
    *,
    data: dict[str, Any],
    flags: list[Flag],
    acting_user: User,
    counselling: Counselling | None = None,
    organisation: Organisation | None = None,
    catalogue: FlagCatalogue | None = None,
    contact: Contact | None = None,
) -> Counselling:
    """Record a new counselling (``organisation``, ``catalogue``, perhaps the ``contact``
    it came from) or change ``counselling``: what the counsellor typed, the flags ticked,
    and the agency as found in KRAZ by the number given. Only what is in ``data`` is
    stored; a flag of another checklist version is not."""
    created = counselling is None
    if counselling is None:
        assert organisation is not None and catalogue is not None  # noqa: S101
        counselling = Counselling(
            organisation=organisation, catalogue=catalogue, contact=contact, counsellor=acting_user
        )
    partner = data.get("consulate_partner")
    if partner is not None and (
        partner.organisation_id != counselling.organisation_id
        or partner.kind != PartnerKind.CONSULATE
    ):
        raise ValidationError({"consulate_partner": _("Choose a consulate of the directory.")})
    changed = []
    for name in FIELDS:
        value = data.get(name, None if name == "consulate_partner" else "")
        if getattr(counselling, name) != value:
            setattr(counselling, name, value)
            changed.append(name)
    agency = agency_by_number(counselling.agency_number)
    if counselling.agency_id != (agency.pk if agency else None):
        counselling.agency = agency
        changed.append("agency")
    counselling.updated_at = timezone.now()
    counselling.save()
    ticked = {flag.pk for flag in flags if flag.catalogue_id == counselling.catalogue_id}
    if created or ticked != set(counselling.flags.values_list("pk", flat=True)):
        counselling.flags.set(ticked)
        changed.append("flags")
    data = {"fields": sorted(changed)}
    if created:
        record("counselling.created", actor=acting_user, target=counselling, data=data)
    elif changed:
        record("counselling.updated", actor=acting_user, target=counselling, data=data)
    return counselling


# --- Check-ins abroad -------------------------------------------------------------------

# The local hour at which a check-in falls due on its day.
CHECK_IN_HOUR = 10
# After this many failed attempts a check-in is given up (``failed``) and its counsellor told.
CHECK_IN_MAX_ATTEMPTS = 6


def _counselling_url(counselling: Counselling) -> str:
    return reverse("prevention:detail", args=[counselling.code]) + "#check-ins"


@transaction.atomic
def check_in_series_start(
    *, counselling: Counselling, data: dict[str, Any], acting_user: User
) -> CheckInSeries:
    """Start check-ins abroad with the consent recorded in ``data`` (who, when, the channel
    and its number or address, the language, the schedule). One series runs at a time."""
    if counselling.check_in_series.filter(status=CheckInSeries.Status.ACTIVE).exists():
        raise ValidationError(_("Check-ins are already running for this counselling."))
    sms = data["channel"] == CheckInSeries.Channel.SMS
    series = CheckInSeries.objects.create(
        counselling=counselling,
        channel=data["channel"],
        phone=data["phone"] if sms else "",
        email="" if sms else data["email"],
        language=data["language"],
        consent_by=data["consent_by"],
        consent_on=data["consent_on"],
        starts_on=data["starts_on"],
        interval_days=data["interval_days"],
        ends_on=data.get("ends_on"),
        count=data.get("count"),
        answer_hours=data["answer_hours"],
        created_by=acting_user,
    )
    record(
        "check_in_series.started",
        actor=acting_user,
        target=counselling,
        data={"series": str(series.code), "channel": series.channel},
    )
    return series


@transaction.atomic
def check_in_series_stop(*, series: CheckInSeries, acting_user: User) -> None:
    """Staff end a series: nothing more is sent (a check-in waiting to be sent is not)."""
    if series.status != CheckInSeries.Status.ACTIVE:
        raise ValidationError(_("These check-ins have already ended."))
    _end(series, CheckInSeries.Status.STOPPED)
    record(
        "check_in_series.stopped",
        actor=acting_user,
        target=series.counselling,
        data={"series": str(series.code)},
    )


def _end(series: CheckInSeries, status: str) -> None:
    series.status = status
    series.ended_at = timezone.now()
    series.save(update_fields=["status", "ended_at"])
    series.check_ins.filter(status=CheckIn.Status.PENDING, kind=CheckIn.Kind.CHECK_IN).delete()


def check_in_due_at(series: CheckInSeries, number: int) -> dt.datetime:
    """When check-in ``number`` (from 1) falls due: its day at ``CHECK_IN_HOUR``, local."""
    day = series.starts_on + dt.timedelta(days=series.interval_days * (number - 1))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(CHECK_IN_HOUR)))


def _within(series: CheckInSeries, number: int) -> bool:
    """Whether the schedule has a check-in ``number``."""
    if series.count is not None and number > series.count:
        return False
    return series.ends_on is None or check_in_due_at(series, number).date() <= series.ends_on


@transaction.atomic
def check_ins_schedule(*, now: dt.datetime) -> list[CheckIn]:
    """Write the check-ins due by ``now`` of every running series, as pending rows (sent
    by ``check_ins_send``): the latest due only, if the queue was down for several. A series
    whose schedule has run out and whose last check-in is settled is finished."""
    created = []
    for series in CheckInSeries.objects.filter(
        status=CheckInSeries.Status.ACTIVE
    ).select_for_update():
        last = series.check_ins.filter(kind=CheckIn.Kind.CHECK_IN).order_by("-number").first()
        number = last.number + 1 if last else 1
        if not _within(series, number):
            if last is None or last.status not in (CheckIn.Status.PENDING, CheckIn.Status.SENT):
                _end(series, CheckInSeries.Status.FINISHED)
                record(
                    "check_in_series.finished",
                    actor=None,
                    target=series.counselling,
                    organisation=series.counselling.organisation,
                    data={"series": str(series.code)},
                )
            continue
        if check_in_due_at(series, number) > now:
            continue
        while _within(series, number + 1) and check_in_due_at(series, number + 1) <= now:
            number += 1
        created.append(
            CheckIn.objects.create(
                series=series,
                number=number,
                token=new_token(),
                due_at=check_in_due_at(series, number),
            )
        )
    return created


def check_in_send(*, check_in_id: int) -> bool:
    """Send one pending message, locked while it is sent (a second run waits, then finds it
    sent); whether it went. A refusal is kept on the row and tried again at the next run;
    after ``CHECK_IN_MAX_ATTEMPTS`` the row is ``failed`` and its counsellor told."""
    with transaction.atomic():
        row = (
            CheckIn.objects.select_for_update(of=("self",))
            .select_related("series__counselling__counsellor", "series__counselling__organisation")
            .filter(pk=check_in_id, status=CheckIn.Status.PENDING)
            .first()
        )
        if row is None:
            return False
        row.attempts += 1
        try:
            row.provider_id = send(row)[:100]
        except Exception as error:  # any refusal: recorded, tried again at the next run
            row.error = f"{type(error).__name__}: {error}"[:300]
            if row.attempts >= CHECK_IN_MAX_ATTEMPTS:
                row.status = CheckIn.Status.FAILED
                _task(row, "failed", _("A check-in abroad could not be sent (%(counselling)s)."))
                record(
                    "check_in.failed",
                    actor=None,
                    target=row.series.counselling,
                    organisation=row.series.counselling.organisation,
                    data={"series": str(row.series.code), "number": row.number},
                )
            row.save(update_fields=["attempts", "error", "status"])
            return False
        now = timezone.now()
        row.status = CheckIn.Status.SENT
        row.sent_at, row.error = now, ""
        if row.kind == CheckIn.Kind.CHECK_IN:
            row.answer_by = now + dt.timedelta(hours=row.series.answer_hours)
        else:  # a confirmation waits for no answer
            row.status = CheckIn.Status.OK
        row.save()
        counselling = row.series.counselling
        record(
            "check_in.sent",
            actor=None,
            target=counselling,
            organisation=counselling.organisation,
            data={"series": str(row.series.code), "number": row.number, "kind": row.kind},
        )
        return True


def _task(row: CheckIn, key: str, text: str) -> None:
    """A task for the counselling's counsellor (their notification centre and the
    dashboard's list of what is theirs to do), once per check-in and reason."""
    counselling = row.series.counselling
    notice_send(
        recipients=[counselling.counsellor],
        kind=Notice.Kind.FOLLOW_UP,
        text=text % {"counselling": str(counselling)},
        url=_counselling_url(counselling),
        target_type="prevention.checkin",
        target_code=str(row.code),
        key=key,
    )


@transaction.atomic
def check_ins_missed(*, now: dt.datetime) -> int:
    """Check-ins not answered by their time: each noted missed, and a task for the
    counsellor (once). How many."""
    late = (
        CheckIn.objects.select_for_update(of=("self",))
        .filter(status=CheckIn.Status.SENT, kind=CheckIn.Kind.CHECK_IN, answer_by__lt=now)
        .select_related("series__counselling__counsellor", "series__counselling__organisation")
    )
    for row in late:
        row.status, row.missed_at = CheckIn.Status.MISSED, now
        row.save(update_fields=["status", "missed_at"])
        _task(row, "missed", _("A check-in abroad was not answered in time (%(counselling)s)."))
        record(
            "check_in.missed",
            actor=None,
            target=row.series.counselling,
            organisation=row.series.counselling.organisation,
            data={"series": str(row.series.code), "number": row.number},
        )
    return len(late)


def _series_of(message: Incoming) -> tuple[CheckInSeries | None, CheckIn | None]:
    """The running series the message answers, and the check-in it names by its token."""
    running = CheckInSeries.objects.filter(
        status=CheckInSeries.Status.ACTIVE, counselling__organisation=message.organisation
    ).select_related("counselling__counsellor", "counselling__organisation")
    if message.channel == CheckInSeries.Channel.EMAIL:
        token = token_in(message.subject, message.text)
        named = (
            CheckIn.objects.filter(token=token, series__in=running).select_related("series").first()
            if token
            else None
        )
        if named is not None:
            return named.series, named
        found = blind_lookup(running.filter(channel="email"), "email_index", message.sender)
    else:
        found = blind_lookup(running.filter(channel="sms"), "phone_index", message.sender)
    return (found[0] if found else None), None


@transaction.atomic
def check_in_reply(message: Incoming) -> bool:
    """A message that may answer a check-in (``helpline.intake``'s claimer): taken when it
    comes from a running series' number or address (or names its check-in) and says OK,
    HELP or STOP (or the code word: HELP). OK settles the check-in; HELP is a task for the
    counsellor and, out of office hours, an emergency intervention whose escalation
    reaches the duty worker; STOP ends the series and confirms it. Anything else is left
    to the helpline as an ordinary contact."""
    if CheckIn.objects.filter(reply_hash=message.identity).exists():
        return True  # the same reply again
    series, named = _series_of(message)
    if series is None:
        return False
    answer = answer_of(message.text, series.counselling.code_word)
    if not answer:
        return False
    sent = series.check_ins.filter(kind=CheckIn.Kind.CHECK_IN).exclude(
        status__in=(CheckIn.Status.PENDING, CheckIn.Status.FAILED)
    )
    row = named or sent.order_by("-number").first()
    if row is None:
        return False
    row = CheckIn.objects.select_for_update().get(pk=row.pk)
    counselling = series.counselling
    row.status, row.answered_at = answer, message.received_at
    row.reply, row.reply_hash = message.text[:2000], message.identity
    data: dict[str, Any] = {"series": str(series.code), "number": row.number, "answer": answer}
    if answer == CheckIn.Status.HELP:
        _task(row, "help", _("A check-in abroad was answered HELP (%(counselling)s)."))
        organisation = counselling.organisation
        if not organisation.is_office_time(timezone.now()):
            row.intervention = intervention_open(
                organisation=organisation,
                data={
                    "situation": Intervention.Situation.OTHER,
                    "description": _("Check-in abroad answered HELP: %(reply)s")
                    % {"reply": row.reply},
                    "first_contact_at": min(message.received_at, timezone.now()),
                },
                acting_user=counselling.counsellor,
            )
            data["intervention"] = str(row.intervention.code)
    row.save()
    if answer == CheckIn.Status.STOP:
        _end(series, CheckInSeries.Status.STOPPED_BY_REPLY)
        last = series.check_ins.order_by("-number").first()
        CheckIn.objects.create(
            series=series,
            kind=CheckIn.Kind.STOP_CONFIRMATION,
            number=(last.number if last else 0) + 1,
            token=new_token(),
            due_at=timezone.now(),
        )
    record(
        "check_in.answered",
        actor=None,
        target=counselling,
        organisation=counselling.organisation,
        data=data,
    )
    return True


register_claimer(check_in_reply)
