"""Prevention: counselling people who consider working abroad (the seed: counselling "also
covers people considering going abroad for non-tourist purposes who want to reduce the
risks of that decision").

A counselling record holds what the person told the counsellor about the offer, the red
flags the counsellor ticked from a versioned catalogue (``FlagCatalogue``, reference data
like the identification's indicator catalogue), and what the counsellor advised in their
own words. Nothing is written into it that the counsellor did not tick or type: a question
not asked stays blank, never "no".

Employment agencies are looked up in KRAZ, Poland's register of employment agencies, as
imported from the CSV the register publishes (``manage.py kraz_import``).
"""

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ostoja.lib.crypto.fields import BlindIndexField, EncryptedCharField, EncryptedTextField
from ostoja.lib.inventory import Category, Inventory

# A check-in's number or address: few rows, so few bits (many share a value; a reply's
# candidates are then compared decrypted).
CHECK_IN_INDEX_BITS = 8


# The person's languages: the public portal's five (the safety plan's and the check-ins').
PERSON_LANGUAGES = [
    ("pl", "Polski"),
    ("en", "English"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("vi", "Tiếng Việt"),
]


def in_language(texts: dict[str, str], language: str | None = None) -> str:
    """One text of a ``{language: text}`` map in ``language`` (the current one by default),
    English when it has no such language."""
    language = (language or get_language() or "pl").split("-")[0]
    return texts.get(language) or texts.get("en", "")


class FlagCatalogue(models.Model):
    """One version of the red-flag checklist: the flags of a job offer that point to
    trafficking or forced labour, each with its weight and the advice to give, and the
    scores at which the risk is medium and high. A counselling keeps the version it used;
    a new version changes new counselling only."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    source = models.TextField(_("source"))
    notes = models.TextField(_("notes"), blank=True)
    # The score from which the risk is medium, and from which it is high.
    medium_from = models.PositiveSmallIntegerField(_("medium risk from"))
    high_from = models.PositiveSmallIntegerField(_("high risk from"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    personal_data = Inventory(
        not_personal=("source", "notes")  # the catalogue's provenance and editors' notes
    )

    objects: ClassVar[models.Manager["FlagCatalogue"]] = models.Manager()

    class Meta:
        verbose_name = _("red-flag catalogue")
        verbose_name_plural = _("red-flag catalogues")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @classmethod
    def current(cls) -> "FlagCatalogue | None":
        return cls.objects.order_by("-version").first()


class Flag(models.Model):
    """One red flag of a catalogue: how a counsellor names it, how the public self-check
    asks it, its weight, and the advice that goes with it — each in every language the
    catalogue carries (``{"pl": …, "en": …}``)."""

    catalogue = models.ForeignKey(FlagCatalogue, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(_("code"), max_length=80)
    weight = models.PositiveSmallIntegerField(_("weight"))
    text = models.JSONField(_("wording"))
    question = models.JSONField(_("question"))
    advice = models.JSONField(_("advice"))
    order = models.PositiveSmallIntegerField(_("order"))

    objects: ClassVar[models.Manager["Flag"]] = models.Manager()

    class Meta:
        verbose_name = _("red flag")
        verbose_name_plural = _("red flags")
        ordering = ["catalogue", "order"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="one_flag_per_code")
        ]

    def __str__(self) -> str:
        return in_language(self.text)

    @property
    def advice_text(self) -> str:
        return in_language(self.advice)

    @property
    def question_text(self) -> str:
        return in_language(self.question)


class Agency(models.Model):
    """An employment agency as entered in KRAZ (Poland's register of employment agencies:
    agencies must be on it to place workers, in Poland or abroad)."""

    number = models.CharField(_("register number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=400)
    # The name lower-cased with runs of spaces as one: what a lookup by name matches.
    name_key = models.CharField(max_length=400, db_index=True, editable=False)
    city = models.CharField(_("town"), max_length=120, blank=True)
    tax_number = models.CharField(_("tax number (NIP)"), max_length=20, blank=True)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)

    objects: ClassVar[models.Manager["Agency"]] = models.Manager()

    class Meta:
        verbose_name = _("employment agency")
        verbose_name_plural = _("employment agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return _("{name} (KRAZ {number})").format(name=self.name, number=self.number)


class Answer(models.TextChoices):
    """A question's answer as the person gave it; blank when it was not asked."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Does not know")


class Counselling(models.Model):
    """Pre-departure counselling of someone considering work abroad: the offer as the
    person described it, the red flags ticked and the advice given."""

    class Work(models.TextChoices):
        AGRICULTURE = "agriculture", _("Agriculture, fruit picking")
        CONSTRUCTION = "construction", _("Construction")
        FACTORY = "factory", _("Factory, warehouse")
        CARE = "care", _("Care of the elderly or children")
        DOMESTIC = "domestic", _("Domestic work")
        HOSPITALITY = "hospitality", _("Hotels, restaurants, cleaning")
        TRANSPORT = "transport", _("Driving, transport")
        ENTERTAINMENT = "entertainment", _("Entertainment, modelling, escort")
        OTHER = "other", pgettext_lazy("kind of work", "Other")

    class Channel(models.TextChoices):
        AGENCY = "agency", _("An employment agency")
        FRIEND = "friend", _("A friend or relative")
        SOCIAL = "social", _("Social media or a messenger")
        AD = "ad", _("An advertisement")
        OTHER = "other", pgettext_lazy("how the offer came", "Other")

    class Keeper(models.TextChoices):
        SELF = "self", _("The person")
        EMPLOYER = "employer", _("The employer")
        AGENCY = "agency", _("The agency or recruiter")
        UNKNOWN = "unknown", _("Does not know")

    class Arranged(models.TextChoices):
        EMPLOYER = "employer", _("By the employer or agency")
        SELF = "self", _("By the person")
        UNKNOWN = "unknown", _("Does not know")

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(
        "helpline.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="counselling",
        verbose_name=_("contact"),
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("counsellor"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    catalogue = models.ForeignKey(
        FlagCatalogue, on_delete=models.PROTECT, related_name="+", verbose_name=_("checklist")
    )
    country = models.CharField(_("destination country"), max_length=2, blank=True)
    city = models.CharField(_("destination town"), max_length=120, blank=True)
    work = models.CharField(_("kind of work"), max_length=16, choices=Work.choices, blank=True)
    work_detail = EncryptedTextField(_("the work as described"), blank=True)
    channel = models.CharField(
        _("how the offer came"), max_length=8, choices=Channel.choices, blank=True
    )
    agency_name = models.CharField(_("agency or recruiter"), max_length=400, blank=True)
    agency_number = models.CharField(_("KRAZ number given"), max_length=32, blank=True)
    # The agency as found in KRAZ when the record was saved; none: not found or not asked.
    agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency in KRAZ"),
    )
    contract_written = models.CharField(
        _("written contract"), max_length=8, choices=Answer.choices, blank=True
    )
    contract_language = models.CharField(
        _("contract in a language the person reads"),
        max_length=8,
        choices=Answer.choices,
        blank=True,
    )
    passport_keeper = models.CharField(
        _("who keeps the passport"), max_length=8, choices=Keeper.choices, blank=True
    )
    housing = models.CharField(
        _("housing arranged"), max_length=8, choices=Arranged.choices, blank=True
    )
    transport = models.CharField(
        _("travel arranged"), max_length=8, choices=Arranged.choices, blank=True
    )
    money_asked = models.CharField(
        _("money asked in advance"), max_length=8, choices=Answer.choices, blank=True
    )
    money_detail = EncryptedTextField(_("how much and what for"), blank=True)
    flags = models.ManyToManyField(Flag, blank=True, related_name="+", verbose_name=_("red flags"))
    advice_given = EncryptedTextField(_("advice given"), blank=True)
    # The safety plan handed to the person (``prevention.plan``), in their language.
    plan_language = models.CharField(_("language of the safety plan"), max_length=2, blank=True)
    emergency_number = models.CharField(_("emergency number abroad"), max_length=20, blank=True)
    # A consulate of the partner directory, else what the counsellor typed.
    consulate_partner = models.ForeignKey(
        "network.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Polish consulate from the directory"),
    )
    consulate = EncryptedTextField(_("Polish consulate"), blank=True)
    code_word = EncryptedTextField(_("code word"), blank=True)

    personal_data = Inventory(
        linked=("contact__links",),
        fields={
            "city": Category.LOCATION,
            "work_detail": Category.FREE_TEXT,
            "money_detail": Category.FREE_TEXT,
            "advice_given": Category.FREE_TEXT,
            # where the person will be: the consulate of their destination
            "consulate": Category.LOCATION,
            "code_word": Category.CONTACT,
        },
    )

    objects: ClassVar[models.Manager["Counselling"]] = models.Manager()

    class Meta:
        verbose_name = _("pre-departure counselling")
        verbose_name_plural = _("pre-departure counselling")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return _("Pre-departure counselling of {date}").format(
            date=timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M")
        )


class CheckInSeries(models.Model):
    """Check-ins abroad: with the person's consent, messages at a set interval by SMS or
    e-mail in their language ("Reply OK if all is well, HELP if you need us, STOP to end"),
    sent by the task queue (``prevention.tasks``). The number or address is sealed, with a
    blind index by which a reply is matched."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("check-in series", "Active")
        STOPPED = "stopped", _("Stopped by staff")
        STOPPED_BY_REPLY = "stop_reply", _("Ended by the person (STOP)")
        FINISHED = "finished", pgettext_lazy("check-in series", "Finished")

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    counselling = models.ForeignKey(
        Counselling, on_delete=models.PROTECT, related_name="check_in_series"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    phone = EncryptedCharField(_("phone number"), max_length=40, blank=True)
    phone_index = BlindIndexField(source="phone", kind="phone", bits=CHECK_IN_INDEX_BITS)
    email = EncryptedCharField(_("e-mail address"), max_length=254, blank=True)
    email_index = BlindIndexField(source="email", kind="email", bits=CHECK_IN_INDEX_BITS)
    language = models.CharField(
        _("language of the messages"), max_length=2, choices=PERSON_LANGUAGES
    )
    # The consent as the counsellor recorded it: who gave it and when (typed, never assumed).
    consent_by = EncryptedCharField(_("consent given by"), max_length=200)
    consent_on = models.DateField(_("consent given on"))
    starts_on = models.DateField(_("first check-in on"))
    interval_days = models.PositiveSmallIntegerField(_("every (days)"))
    ends_on = models.DateField(_("last check-in by"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("number of check-ins"), null=True, blank=True)
    answer_hours = models.PositiveSmallIntegerField(_("hours to answer"), default=48)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    personal_data = Inventory(
        linked=("counselling__contact__links",),
        fields={
            "phone": Category.CONTACT,
            "phone_index": Category.CONTACT,
            "email": Category.CONTACT,
            "email_index": Category.CONTACT,
            "consent_by": Category.IDENTITY,
        },
    )

    objects: ClassVar[models.Manager["CheckInSeries"]] = models.Manager()

    class Meta:
        verbose_name = _("check-in series")
        verbose_name_plural = _("check-in series")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return _("Check-ins from {date}").format(date=self.starts_on.isoformat())


class CheckIn(models.Model):
    """One message of a series (or the confirmation of a STOP). The row is written before
    the message is sent and is unique per (series, number): a run killed while sending
    leaves it pending, and the next run sends it (the gateway drops a repeat by its code)."""

    class Kind(models.TextChoices):
        CHECK_IN = "check_in", _("Check-in")
        STOP_CONFIRMATION = "stop_ok", _("Confirmation of STOP")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent, no answer yet")
        OK = "ok", _("Answered OK")
        HELP = "help", _("Answered HELP")
        STOP = "stop", _("Answered STOP")
        MISSED = "missed", _("Not answered in time")
        FAILED = "failed", _("Could not be sent")

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(CheckInSeries, on_delete=models.CASCADE, related_name="check_ins")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.CHECK_IN)
    number = models.PositiveSmallIntegerField(_("number"))
    # What a reply by e-mail carries in its subject (``[CI-…]``).
    token = models.CharField(max_length=16, unique=True, editable=False)
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_id = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answer_by = models.DateTimeField(_("answer by"), null=True, blank=True)
    missed_at = models.DateTimeField(_("noted as missed"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reply = EncryptedTextField(_("reply"), blank=True)
    # What identifies the reply (the gateway's id, the e-mail's hash): a repeat changes nothing.
    reply_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # A HELP out of office hours opens an emergency intervention (the duty worker is told).
    intervention = models.ForeignKey(
        "interventions.Intervention",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    personal_data = Inventory(
        linked=("series__counselling__contact__links",), fields={"reply": Category.FREE_TEXT}
    )

    objects: ClassVar[models.Manager["CheckIn"]] = models.Manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["series", "number"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="one_check_in_per_number")
        ]
        indexes = [models.Index(fields=["status", "answer_by"])]

    def __str__(self) -> str:
        return f"{self.number}"
