"""The helpline's record of contacts (the seed: about 7,000 calls a year, most by phone,
many from abroad; DOMAIN.md §0.10: a helpline contact is not a victim case)."""

import datetime as dt
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.lib.crypto.fields import BlindIndexField, EncryptedCharField, EncryptedTextField
from ostoja.lib.inventory import Category, Inventory
from ostoja.lib.iso import language_name

# Repeat callers over ~10 years of ~7,000 contacts: 2 <= coincidences <= sqrt(R) at 15 bits.
CALLER_INDEX_BITS = 15


class Contact(models.Model):
    """One contact on any channel — a call, an SMS, an e-mail, a letter, an anonymous web
    message, or a meeting that staff initiated (never one a caller asks to hold: the seed).
    Starts as a draft when the phone rings and is completed when the counsellor closes it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        COMPLETED = "completed", _("Completed")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone call")
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Letter")
        WEB = "web", _("Anonymous web message")
        MEETING = "meeting", _("Meeting initiated by staff")

    class Direction(models.TextChoices):
        INCOMING = "in", _("Incoming")
        OUTGOING = "out", _("Outgoing")

    class Line(models.TextChoices):
        OFFICE = "office", _("Office line")
        DUTY = "duty", _("Duty mobile")

    class CallerType(models.TextChoices):
        VICTIM = "victim", _("Victim")
        PRESUMED_VICTIM = "presumed_victim", _("Presumed victim")
        AT_RISK = "at_risk", _("Person at risk")
        RELATIVE = "relative", _("Relative or friend")
        GOING_ABROAD = "going_abroad", _("Person planning to work abroad")
        POLICE = "police", _("Police")
        BORDER_GUARD = "border_guard", _("Border Guard")
        PROSECUTOR = "prosecutor", _("Prosecutor or court")
        SOCIAL_SERVICES = "social_services", _("Social services")
        NGO = "ngo", _("NGO")
        CONSULATE = "consulate", _("Consulate or embassy")
        EMPLOYER = "employer", _("Employer")
        LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
        MEDIA = "media", _("Media")
        OTHER = "other", _("Other or anonymous")

    class Purpose(models.TextChoices):
        IDENTIFICATION = "identification", _("Identification")
        INTERVENTION = "intervention", _("Intervention or emergency")
        PREVENTION = "prevention", _("Preventive counselling")
        INSTITUTION = "institution", _("Consultation for an institution")
        LEGAL = "legal", _("Legal question")
        HEALTH = "health", _("Health")
        SHELTER = "shelter", _("Shelter request")
        INFORMATION = "information", _("Information")
        NOT_TRAFFICKING = "not_trafficking", _("Not trafficking-related (e.g. labour dispute)")
        SILENT = "silent", _("Silent or abusive call")

    class Urgency(models.TextChoices):
        EMERGENCY = "emergency", _("Emergency")
        URGENT = "urgent", _("Urgent")
        ROUTINE = "routine", _("Routine")

    class Outcome(models.TextChoices):
        ADVICE = "advice", _("Advice or information given")
        REFERRED = "referred", _("Referred to another organisation")
        CASE = "case", _("Case opened or continued")
        INTERVENTION = "intervention", _("Intervention started")
        CALLBACK = "callback", _("Call back agreed")
        NONE = "none", _("No further action")

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("counsellor"),
        null=True,
        blank=True,
        help_text=_("Empty for correspondence nobody has taken yet."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.PHONE
    )
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default=Direction.INCOMING
    )
    line = models.CharField(_("line"), max_length=8, choices=Line.choices, editable=False)
    started_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    caller_type = models.CharField(
        _("caller"), max_length=24, choices=CallerType.choices, blank=True
    )
    interpreter = models.BooleanField(_("interpreter took part"), default=False)
    number_withheld = models.BooleanField(
        _("number withheld or unknown"),
        default=False,
        help_text=_("Said explicitly, so that an empty number is not mistaken for one."),
    )
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    summary = EncryptedTextField(_("summary"))
    # The purposes again, as bits (``purpose_bit``): the list filters by purpose while it
    # walks the newest contacts, without a join per row. ``ContactPurpose`` rows stay the
    # record (and what statistics count); services keep the two in step.
    purpose_flags = models.PositiveIntegerField(default=0, editable=False)
    caller_number = EncryptedCharField(_("caller's number"), max_length=40)
    caller_number_index = BlindIndexField(
        source="caller_number", kind="phone", bits=CALLER_INDEX_BITS
    )
    # Correspondence (e-mail): the other party's address, the subject, the Message-ID that
    # threads replies, and the contact this one answers.
    correspondent = EncryptedCharField(_("e-mail address"), max_length=254)
    subject = EncryptedCharField(_("subject"), max_length=500)
    message_id = EncryptedCharField(_("message id"), max_length=500)
    # A received message's identity (an e-mail's hash, an SMS's gateway id hashed); NULL,
    # not '', for other contacts: uniqueness applies to received messages only.
    message_hash = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False
    )
    in_reply_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    personal_data = Inventory(
        about=(),
        linked=("links",),
        fields={
            "summary": Category.FREE_TEXT,
            "caller_number": Category.CONTACT,
            "caller_number_index": Category.CONTACT,
            "correspondent": Category.CONTACT,
            "subject": Category.FREE_TEXT,
            "message_id": Category.CONTACT,
        },
    )

    objects: ClassVar[models.Manager["Contact"]] = models.Manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["organisation", "-started_at"]),  # the list, newest first
            models.Index(fields=["organisation", "status", "started_at"]),
            # The list's filters on rare values walk these instead of the whole year.
            models.Index(fields=["organisation", "channel", "-started_at"]),
            models.Index(fields=["organisation", "urgency", "-started_at"]),
            models.Index(fields=["organisation", "caller_type", "-started_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"

    @property
    def duration(self) -> dt.timedelta | None:
        return self.ended_at - self.started_at if self.ended_at else None


def purpose_bit(purpose: str) -> int:
    return 1 << Contact.Purpose.values.index(purpose)


class ContactPurpose(models.Model):
    """One purpose of a contact (several are allowed)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="purposes")
    purpose = models.CharField(_("purpose"), max_length=24, choices=Contact.Purpose.choices)

    class Meta:
        verbose_name = _("purpose")
        verbose_name_plural = _("purposes")
        constraints = [models.UniqueConstraint(fields=["contact", "purpose"], name="one_purpose")]
        indexes = [models.Index(fields=["purpose"])]

    def __str__(self) -> str:
        return self.get_purpose_display()


class ContactLanguage(models.Model):
    """A language used in a contact (ISO 639-3, as ``pycountry`` knows them)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=3)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [models.UniqueConstraint(fields=["contact", "language"], name="one_language")]
        indexes = [models.Index(fields=["language"])]

    def __str__(self) -> str:
        return language_name(self.language)


class FollowUp(models.Model):
    """Something to do after a contact: call back, send information, check on someone."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("contact")
    )
    task = EncryptedTextField(_("what to do"))
    due = models.DateField(_("due"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("assignee"),
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    personal_data = Inventory(linked=("contact__links",), fields={"task": Category.FREE_TEXT})

    objects: ClassVar[models.Manager["FollowUp"]] = models.Manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due"]

    def __str__(self) -> str:
        return f"{self.due}"

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due < timezone.localdate()


class Attachment(models.Model):
    """A file that came with a contact (an e-mail's attachment), sealed at rest and served
    only through the contact's access check (``ostoja.lib.crypto.files``)."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("contact")
    )
    stored_name = models.CharField(max_length=200, editable=False)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    filename = EncryptedCharField(_("file name"), max_length=255)

    personal_data = Inventory(linked=("contact__links",), fields={"filename": Category.FREE_TEXT})

    objects: ClassVar[models.Manager["Attachment"]] = models.Manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.content_type


class ContactLink(models.Model):
    """A contact's link to a record it concerns — a person, a case — once known.

    Records are named as the access policy names them (``target_type``, ``target_code``:
    ``people.person``/``cases.case`` and their codes), so a link is made only to a record
    whose scope the policy can find and the user may see, and a contact can concern several
    people (a group of workers) and a case. The apps that own those records register their
    scopes (``ostoja.accounts.policy.register_scope``) and list a record's contacts with
    ``selectors.contacts_linked_to``.
    """

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="links", verbose_name=_("contact")
    )
    target_type = models.CharField(_("record type"), max_length=64)
    target_code = models.CharField(_("record"), max_length=64)
    created_at = models.DateTimeField(_("linked at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("linked by"),
    )

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "target_type", "target_code"], name="one_link"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_code"])]

    def __str__(self) -> str:
        return f"{self.target_type} {self.target_code}"


class Call(models.Model):
    """A telephone call as the telephony provider reports it (``ostoja.helpline.telephony``).

    Keyed by the provider's call id, so every event about the call — ringing, answered,
    ended, in any order and any number of times — lands on one row. The caller's number is
    personal data and is kept only on the contact (sealed), never here."""

    class State(models.TextChoices):
        RINGING = "ringing", _("Ringing")
        ANSWERED = "answered", _("Answered")
        ENDED = "ended", _("Ended")

    call_id = models.CharField(_("call id"), max_length=64, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("contact"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.RINGING
    )
    route = models.CharField(_("route"), max_length=16, blank=True)
    ringing_at = models.DateTimeField(_("ringing"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    # When the answering counsellor's live-call screen popped up (once per call).
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[models.Manager["Call"]] = models.Manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [models.Index(fields=["answered_by", "opened_at"])]

    def __str__(self) -> str:
        return self.call_id
