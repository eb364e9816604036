"""Shelter: the places the centre puts people up, their rooms and beds, and each stay from
the reservation at 2 a.m. to the discharge (issue 15; the seed: "a specialised shelter for
victims", "accommodation in a suitable place").

A **facility** is a place of the organisation's own (a shelter, a rented apartment) or one it
uses (a partner's crisis centre, a hotel or hostel in an emergency). Its address is
**sealed**: encrypted at rest and shown only under the policy's rule
(``access.address_visible``) — never on a list, in a message or in a log line.

A **placement** is one person in one bed: reserved, admitted, discharged (or a reservation
cancelled). A bed holds one active placement at a time and a person is in at most one active
placement: both are partial unique indexes, so two requests racing for the same bed cannot
both win, whatever the forms checked.

Nights are counted by the **morning rule** (``nights``): a night is counted for every
morning at 06:00, the organisation's local time, that finds the person placed — the night
of the day before that morning. A person admitted at 02:00 on Saturday has slept the night
of Friday; one admitted and discharged during the same day has slept none; a stay from
30 December to 2 January has two nights in the first year and one in the second.
"""

import datetime as dt
import uuid
from typing import ClassVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.lib.crypto.fields import EncryptedTextField
from ostoja.lib.inventory import Category, Inventory
from ostoja.lib.models import code_field

# The hour of the morning that counts a night (the module's docstring).
MORNING = dt.time(6, 0)


def morning_after(day: dt.date, time_zone: str) -> dt.datetime:
    """The instant that counts the night of ``day``: 06:00 local on the day after."""
    return dt.datetime.combine(day + dt.timedelta(days=1), MORNING, tzinfo=ZoneInfo(time_zone))


def first_night(at: dt.datetime, time_zone: str) -> dt.date:
    """The first night a stay beginning at ``at`` counts (the first morning on or after it)."""
    local = at.astimezone(ZoneInfo(time_zone))
    return local.date() - dt.timedelta(days=1) if local.time() <= MORNING else local.date()


def last_night(at: dt.datetime, time_zone: str) -> dt.date:
    """The last night a stay ending at ``at`` counts (the last morning before it)."""
    local = at.astimezone(ZoneInfo(time_zone))
    days = 1 if local.time() > MORNING else 2
    return local.date() - dt.timedelta(days=days)


def nights_between(
    admitted_at: dt.datetime | None,
    discharged_at: dt.datetime | None,
    first: dt.date,
    last: dt.date,
    time_zone: str,
) -> int:
    """The nights of a stay from the night of ``first`` to that of ``last`` (inclusive), by
    the morning rule; a stay not yet ended runs on."""
    if admitted_at is None:
        return 0
    start = max(first, first_night(admitted_at, time_zone))
    end = last if discharged_at is None else min(last, last_night(discharged_at, time_zone))
    return max(0, (end - start).days + 1)


class Facility(models.Model):
    """A place where the centre puts people up: its own shelter or rented apartment, or a
    partner's crisis centre, a hotel or hostel used when its own places are full."""

    class Kind(models.TextChoices):
        SHELTER = "shelter", _("Own shelter")
        APARTMENT = "apartment", _("Rented apartment")
        CRISIS_CENTRE = "crisis_centre", _("Partner crisis centre")
        HOSTEL = "hostel", _("Hotel or hostel")

    code = code_field()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    # Who it takes.
    takes_women = models.BooleanField(_("takes women"), default=False)
    takes_men = models.BooleanField(_("takes men"), default=False)
    takes_families = models.BooleanField(_("takes families with children"), default=False)
    takes_minors = models.BooleanField(
        _("takes minors (with a guardian's or court's decision)"), default=False
    )
    accessible = models.BooleanField(_("accessible"), default=False)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    house_rules = models.TextField(_("house rules"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    # The shelter staff who work here (they see its address and its residents).
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilities", verbose_name=_("staff")
    )
    active = models.BooleanField(_("in use"), default=True)
    # How late a resident may be back from going out before the alarm is raised.
    absence_grace_minutes = models.PositiveSmallIntegerField(
        _("minutes of grace before an absence raises the alarm"), default=30
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    personal_data = Inventory(
        about=(),  # the shelter's address: never in a client's export
        fields={"address": Category.LOCATION},
        not_personal=("house_rules",),
    )

    objects: ClassVar[models.Manager["Facility"]] = models.Manager()

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def takes(self) -> list[str]:
        """Whom it takes, in words (for lists: nothing sealed)."""
        labels = [
            (self.takes_women, _("women")),
            (self.takes_men, _("men")),
            (self.takes_families, _("families with children")),
            (self.takes_minors, _("minors with a guardian's decision")),
            (self.accessible, _("accessible")),
        ]
        return [str(label) for held, label in labels if held]


class Room(models.Model):
    """A room of a facility (an apartment may be one room)."""

    code = code_field()
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("room"), max_length=50)

    objects: ClassVar[models.Manager["Room"]] = models.Manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["facility", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="shelter_room_name")
        ]

    def __str__(self) -> str:
        return self.name


class Bed(models.Model):
    """A bed of a room; out of use while broken, being cleaned, or kept free."""

    code = code_field()
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="beds")
    label = models.CharField(_("bed"), max_length=20)
    out_of_use = models.BooleanField(_("out of use"), default=False)

    objects: ClassVar[models.Manager["Bed"]] = models.Manager()

    class Meta:
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        ordering = ["room", "label"]
        constraints = [models.UniqueConstraint(fields=["room", "label"], name="shelter_bed_label")]

    def __str__(self) -> str:
        return f"{self.room.name} / {self.label}"


ACTIVE = ["reserved", "admitted"]


class Placement(models.Model):
    """One person in one bed: from the reservation to the discharge (or a reservation
    cancelled). A move to another bed ends one placement and starts the next
    (``moved_from``), so every night stays with the bed it was spent in."""

    class Status(models.TextChoices):
        RESERVED = "reserved", _("Reserved")
        ADMITTED = "admitted", _("Staying")
        DISCHARGED = "discharged", _("Discharged")
        CANCELLED = "cancelled", _("Reservation cancelled")

    class BroughtBy(models.TextChoices):
        SELF = "self", _("Came alone")
        STAFF = "staff", _("Our staff")
        POLICE = "police", _("Police")
        BORDER_GUARD = "border_guard", _("Border Guard")
        PARTNER = "partner", _("A partner organisation")
        OTHER = "other", _("Someone else")

    class Reason(models.TextChoices):
        PLAN_COMPLETED = "plan_completed", _("Stay plan completed")
        OWN_DECISION = "own_decision", _("The person's own decision")
        MOVED = "moved", _("Moved to another bed")
        LEFT = "left", _("Left without notice")
        EXPELLED = "expelled", _("Expelled for breaking the rules")
        OTHER = "other", _("Other")

    class Destination(models.TextChoices):
        OWN_FLAT = "own_flat", _("Own flat")
        FAMILY = "family", _("Family or friends")
        RETURN_HOME = "return_home", _("Return home (country of origin)")
        ANOTHER_SHELTER = "another_shelter", _("Another shelter")
        HOSPITAL = "hospital", _("Hospital")
        UNKNOWN = "unknown", _("Unknown (left without notice)")
        OTHER = "other", _("Other")

    code = code_field()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="placements")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="placements")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    intervention = models.ForeignKey(
        "interventions.Intervention",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RESERVED
    )
    reserved_at = models.DateTimeField(_("reserved"), default=timezone.now)
    expected_at = models.DateTimeField(_("expected arrival"), null=True, blank=True)
    admitted_at = models.DateTimeField(_("admitted"), null=True, blank=True)
    brought_by = models.CharField(
        _("brought by"), max_length=12, choices=BroughtBy.choices, blank=True
    )
    arrived_with = EncryptedTextField(_("arrived with"), blank=True)
    expected_departure = models.DateField(_("expected departure"), null=True, blank=True)
    discharged_at = models.DateTimeField(_("discharged"), null=True, blank=True)
    reason = models.CharField(
        _("reason for leaving"), max_length=14, choices=Reason.choices, blank=True
    )
    destination = models.CharField(
        _("where the person went"), max_length=15, choices=Destination.choices, blank=True
    )
    # A partner's referral the stay came from (the network sits beside the shelter: named
    # by the model's label, never imported; it shows the stays that came of it).
    referral = models.ForeignKey(
        "network.IncomingReferral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("referred by a partner"),
    )
    moved_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="moved_to"
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    personal_data = Inventory(about=("person",), fields={"arrived_with": Category.FREE_TEXT})

    objects: ClassVar[models.Manager["Placement"]] = models.Manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-reserved_at"]
        constraints = [
            # A bed holds one person at a time …
            models.UniqueConstraint(
                fields=["bed"], condition=Q(status__in=ACTIVE), name="shelter_one_per_bed"
            ),
            # … and a person is in one bed at a time.
            models.UniqueConstraint(
                fields=["person"], condition=Q(status__in=ACTIVE), name="shelter_one_bed_each"
            ),
            models.CheckConstraint(
                condition=Q(discharged_at__isnull=True)
                | Q(admitted_at__isnull=False, discharged_at__gte=models.F("admitted_at")),
                name="shelter_discharged_after_admission",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "admitted_at"])]

    def __str__(self) -> str:
        return str(self.code)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def age_at_admission(self) -> int | None:
        """The person's age on the day the stay began (the statistics' age groups; the date
        of birth is sealed, so it is computed here, not queried)."""
        if self.admitted_at is None:
            return None
        return self.person.age(timezone.localdate(self.admitted_at))

    def nights(self, first: dt.date, last: dt.date, time_zone: str) -> int:
        """The nights of the stay from the night of ``first`` to that of ``last``
        (inclusive), by the morning rule (the module's docstring)."""
        return nights_between(self.admitted_at, self.discharged_at, first, last, time_zone)


class StayStep(models.Model):
    """A step of the case plan (``cases.Action``) that happens during a stay: a safety,
    health or legal step taken while the person is in the shelter. The step is the case
    plan's own — done, cancelled or changed there — and the stay lists it."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="steps")
    action = models.OneToOneField(
        "cases.Action", on_delete=models.CASCADE, related_name="stay_step"
    )
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[models.Manager["StayStep"]] = models.Manager()

    class Meta:
        verbose_name = _("step of the stay")
        verbose_name_plural = _("steps of the stay")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"{self.placement} {self.action_id}"


class Absence(models.Model):
    """A resident gone out, with the time they said they would be back. Not back by then
    and the facility's grace period, the alarm is raised (``services.absence_alarm``): a
    person who does not come back may have been taken back by the exploiters."""

    code = code_field()
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="absences")
    left_at = models.DateTimeField(_("went out"), default=timezone.now)
    expected_back = models.DateTimeField(_("expected back"))
    where = EncryptedTextField(_("where"), blank=True)
    returned_at = models.DateTimeField(_("came back"), null=True, blank=True)
    alarm_at = models.DateTimeField(_("alarm raised"), null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    personal_data = Inventory(about=("placement__person",), fields={"where": Category.LOCATION})

    objects: ClassVar[models.Manager["Absence"]] = models.Manager()

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["-left_at"]
        constraints = [
            # One absence open at a time per stay.
            models.UniqueConstraint(
                fields=["placement"],
                condition=Q(returned_at__isnull=True),
                name="shelter_one_open_absence",
            )
        ]
        indexes = [models.Index(fields=["returned_at", "alarm_at"])]

    def __str__(self) -> str:
        return str(self.code)

    def due_at(self) -> dt.datetime:
        """When the alarm is raised if the resident is not back."""
        grace = self.placement.bed.room.facility.absence_grace_minutes
        return self.expected_back + dt.timedelta(minutes=grace)


class AbsenceAlert(models.Model):
    """One message to one person about one resident not back. Written before it is sent,
    unique per (absence, recipient, channel): a restarted worker finds a pending row and
    sends it — never loses it, never sends it twice (as ``interventions.Notification``)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Role(models.TextChoices):
        SHIFT = "shift", _("Shelter staff")
        CASE_MANAGER = "case_manager", _("Case manager")
        DUTY = "duty", _("Duty worker")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    absence = models.ForeignKey(Absence, on_delete=models.CASCADE, related_name="alerts")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    objects: ClassVar[models.Manager["AbsenceAlert"]] = models.Manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["absence", "recipient", "channel"], name="shelter_one_absence_alert"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.channel}"


class ShiftEntry(models.Model):
    """An entry of a facility's shift book: what the shift saw and did, handed over to the
    next one; marked for the case manager when it matters to a resident's case."""

    class Shift(models.TextChoices):
        DAY = "day", _("Day shift")
        NIGHT = "night", _("Night shift")

    code = code_field()
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="shift_book")
    shift = models.CharField(_("shift"), max_length=5, choices=Shift.choices)
    written_at = models.DateTimeField(_("written"), default=timezone.now)
    text = EncryptedTextField(_("entry"))
    placement = models.ForeignKey(
        Placement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shift_entries",
        verbose_name=_("about the resident"),
    )
    for_case_manager = models.BooleanField(_("for the case manager"), default=False)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    personal_data = Inventory(
        about=("placement__person",),  # an entry of no stay names no one by link
        fields={"text": Category.FREE_TEXT},
    )

    objects: ClassVar[models.Manager["ShiftEntry"]] = models.Manager()

    class Meta:
        verbose_name = _("shift book entry")
        verbose_name_plural = _("shift book")
        ordering = ["-written_at", "-pk"]
        indexes = [models.Index(fields=["facility", "written_at"])]

    def __str__(self) -> str:
        return str(self.code)


class WaitingEntry(models.Model):
    """A person waiting for a place when nothing fits, with why they come first and what
    they were offered instead (a partner's bed, a hotel night). It ends when they are
    placed, or are refused for lack of places, or no longer need one."""

    class Priority(models.IntegerChoices):
        DANGER = 1, _("In danger")
        MINORS = 2, _("Minors involved")
        HEALTH = 3, _("Health")
        OTHER = 4, _("Other")

    class Offered(models.TextChoices):
        NOTHING = "", _("Nothing yet")
        PARTNER = "partner", _("A partner's bed")
        HOTEL = "hotel", _("A hotel or hostel night")
        OTHER = "other", _("Something else")

    class Outcome(models.TextChoices):
        PLACED = "placed", _("Placed")
        REFUSED = "refused", _("Refused for lack of places")
        WITHDRAWN = "withdrawn", _("No longer needed")

    code = code_field()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="waiting_entries"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    intervention = models.ForeignKey(
        "interventions.Intervention",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices)
    needs = EncryptedTextField(_("what the place must offer"), blank=True)
    offered = models.CharField(
        _("offered instead"), max_length=8, choices=Offered.choices, blank=True
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    personal_data = Inventory(about=("person",), fields={"needs": Category.FREE_TEXT})

    objects: ClassVar[models.Manager["WaitingEntry"]] = models.Manager()

    class Meta:
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list")
        ordering = ["priority", "added_at"]
        constraints = [
            # A person waits once at a time.
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_at__isnull=True), name="shelter_waits_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.code)


class KeptItem(models.Model):
    """Something the house keeps for a resident (a passport, a phone, money), received and
    handed back against the resident's signature on a receipt."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        PHONE = "phone", _("Phone")
        MONEY = "money", _("Money")
        OTHER = "other", _("Other")

    code = code_field()
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="kept_items")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    description = EncryptedTextField(_("description"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(_("handed back"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    personal_data = Inventory(
        about=("placement__person",), fields={"description": Category.FREE_TEXT}
    )

    objects: ClassVar[models.Manager["KeptItem"]] = models.Manager()

    class Meta:
        verbose_name = _("kept item")
        verbose_name_plural = _("kept items")
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return str(self.code)


class Incident(models.Model):
    """Something that happened in or around a house (a conflict, a health emergency, a
    suspicious person near the house, a breach of the rules), with its follow-up."""

    class Kind(models.TextChoices):
        CONFLICT = "conflict", _("Conflict")
        HEALTH = "health", _("Health emergency")
        SUSPICIOUS = "suspicious", _("A suspicious person near the house")
        RULES = "rules", _("A breach of the rules")
        OTHER = "other", _("Other")

    code = code_field()
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="incidents")
    placement = models.ForeignKey(
        Placement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("about the resident"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    description = EncryptedTextField(_("what happened"))
    follow_up = EncryptedTextField(_("follow-up"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    personal_data = Inventory(
        about=("placement__person",),
        fields={"description": Category.FREE_TEXT, "follow_up": Category.FREE_TEXT},
    )

    objects: ClassVar[models.Manager["Incident"]] = models.Manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return str(self.code)
