"""People: clients (victims and presumed victims) and the persons related to them.

Everything that says who a person is, where they can be reached, or what happened to them
is sealed at rest (ARCHITECTURE.md §4); what statistics count without knowing anyone —
gender, citizenship, languages, whether a minor — is plain. Matching finds a person again
through blind-indexed keys (``PersonKey``, ``ostoja.people.matching``), never by decrypting
the table.
"""

import datetime as dt
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ostoja.lib.crypto.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedTextField,
)
from ostoja.lib.inventory import Category, Inventory
from ostoja.lib.locking import version_field

ADULT_AGE = 18
# People a centre registers in ~10 years (~250 a year, many related persons): 2 <= C <= sqrt(R).
PHONE_INDEX_BITS = 11


class Person(models.Model):
    """One person, as the centre knows them (HTCDS ``prs_``; DOMAIN.md §3.1)."""

    class Kind(models.TextChoices):
        CLIENT = "client", _("Client (victim or presumed victim)")
        RELATED = "related", _("Related person")

    class Gender(models.TextChoices):
        """HTCDS v2.0 ``prs_Gender``."""

        FEMININE = "Feminine", _("Woman")
        MASCULINE = "Masculine", _("Man")
        TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender woman")
        TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender man")
        NON_CONFORMING = "NonConforming", _("Gender non-conforming")
        UNKNOWN = "NonSpecifiedUnknown", _("Not specified or unknown")

    class Documents(models.TextChoices):
        HELD = "held", _("Holds their passport or ID")
        WITHHELD = "withheld", _("Withheld by someone else")
        LOST = "lost", _("Lost or destroyed")
        NONE = "none", _("Never had one")
        UNKNOWN = "unknown", _("Unknown")

    class LegalStatus(models.TextChoices):
        """Legal status in Poland (DOMAIN.md §5.3)."""

        CITIZEN = "citizen", _("Polish citizen")
        EU = "eu", _("EU/EEA or Swiss citizen")
        VISA_FREE = "visa_free", _("Visa-free stay")
        VISA = "visa", _("Visa")
        RESIDENCE = "residence", _("Residence permit")
        INTERNATIONAL_PROTECTION = "protection", _("International protection or applicant")
        CERTIFICATE = "certificate", _("Presumed-victim certificate (art. 170)")
        VICTIM_PERMIT = "victim_permit", _("Temporary residence permit for a victim (art. 176)")
        IRREGULAR = "irregular", _("Irregular stay")
        ABROAD = "abroad", _("Lives abroad")
        UNKNOWN = "unknown", _("Unknown")

    class ContactChannel(models.TextChoices):
        PHONE = "phone", _("Phone call")
        SMS = "sms", _("SMS")
        MESSENGER = "messenger", _("Messaging app")
        EMAIL = "email", _("E-mail")
        THIRD_PARTY = "third_party", _("Through a trusted person")
        NONE = "none", _("Do not contact — wait for the person")

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.CLIENT)
    # Identity (sealed). ``name`` as the person writes it, in their own script.
    name = EncryptedCharField(pgettext_lazy("a person's", "name"), max_length=200)
    name_latin = EncryptedCharField(
        _("name in Latin letters"),
        max_length=200,
        blank=True,
        help_text=_("As in a passport, if the name is written in another script."),
    )
    aliases = EncryptedTextField(
        _("other names and aliases"), blank=True, help_text=_("One per line.")
    )
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(
        _("estimated age"), null=True, blank=True, help_text=_("When the date is not known.")
    )
    age_estimated_on = models.DateField(_("age estimated on"), null=True, blank=True)
    possible_minor = models.BooleanField(
        _("may be under 18"),
        default=False,
        help_text=_("Age uncertain and possibly a child: the person is treated as a minor."),
    )
    gender = models.CharField(
        _("gender"), max_length=24, choices=Gender.choices, default=Gender.UNKNOWN
    )
    citizenships = models.JSONField(
        _("citizenship"), default=list, blank=True, help_text=_("ISO 3166 codes.")
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("ISO 639-3 codes.")
    )
    preferred_language = models.CharField(_("preferred language"), max_length=3, blank=True)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    # Contact details (sealed); the number also blind-indexed, to recognise a caller.
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True)
    phone_index = BlindIndexField(source="phone", kind="phone", bits=PHONE_INDEX_BITS)
    email = EncryptedCharField(_("e-mail"), max_length=254, blank=True)
    other_contact = EncryptedTextField(_("other contact details"), blank=True)
    # The safe-contact protocol: shown wherever someone is about to contact the person.
    safe_channel = models.CharField(
        _("safe way to contact"),
        max_length=12,
        choices=ContactChannel.choices,
        default=ContactChannel.PHONE,
    )
    safe_times = EncryptedTextField(_("when it is safe"), blank=True)
    voicemail_ok = models.BooleanField(_("a voicemail may be left"), default=False)
    sms_ok = models.BooleanField(_("an SMS may be sent"), default=False)
    phone_controlled = models.BooleanField(
        _("the phone may be controlled by someone else"), default=False
    )
    code_word = EncryptedCharField(_("code word"), max_length=100, blank=True)
    safety_notes = EncryptedTextField(_("safety notes"), blank=True)
    # Situation.
    documents = models.CharField(
        _("identity documents"), max_length=10, choices=Documents.choices, default=Documents.UNKNOWN
    )
    legal_status = models.CharField(
        _("legal status in Poland"),
        max_length=16,
        choices=LegalStatus.choices,
        default=LegalStatus.UNKNOWN,
    )
    vulnerabilities = EncryptedTextField(_("vulnerabilities"), blank=True)
    # A duplicate merged into another record points at it; its links were moved there.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Raised by every save of the edit form's fields (optimistic locking, ostoja.lib.locking).
    version = version_field()

    personal_data = Inventory(
        about=("pk",),
        fields={
            "name": Category.IDENTITY,
            "name_latin": Category.IDENTITY,
            "aliases": Category.IDENTITY,
            "birth_date": Category.IDENTITY,
            "phone": Category.CONTACT,
            "phone_index": Category.CONTACT,
            "email": Category.CONTACT,
            "other_contact": Category.CONTACT,
            "safe_times": Category.CONTACT,
            "code_word": Category.CONTACT,
            "safety_notes": Category.FREE_TEXT,
            "vulnerabilities": Category.HEALTH,
        },
    )
    objects: ClassVar[models.Manager["Person"]] = models.Manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.code)

    def display_name(self) -> str:
        """The name, with its Latin spelling beside it when the two differ; an anonymised
        record (``privacy.services.anonymise_person``) has none and says so."""
        if not self.name:
            return str(_("Anonymised person"))
        if self.name_latin and self.name_latin != self.name:
            return f"{self.name} ({self.name_latin})"
        return str(self.name)

    def all_names(self) -> list[str]:
        """Every name the person is known by: the matcher compares them all."""
        names = [self.name, self.name_latin, *str(self.aliases or "").splitlines()]
        return [n.strip() for n in names if n and n.strip()]

    def age(self, on: dt.date | None = None) -> int | None:
        """Age in years on ``on`` (today): from the date of birth, else from the estimate."""
        on = on or timezone.localdate()
        if self.birth_date is not None:
            born: dt.date = self.birth_date
            return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        if self.estimated_age is not None:
            since = self.age_estimated_on or timezone.localdate(self.created_at)
            return self.estimated_age + (on - since).days // 365
        return None

    def is_minor(self, on: dt.date | None = None) -> bool:
        """A child, or possibly one: a possible minor is treated as a minor (DOMAIN.md §0.3)."""
        if self.possible_minor:
            return True
        age = self.age(on)
        return age is not None and age < ADULT_AGE

    @property
    def contact_warnings(self) -> bool:
        """Whether contacting the person needs care beyond the default."""
        return bool(
            self.phone_controlled
            or self.code_word
            or self.safe_channel != self.ContactChannel.PHONE
            or self.safe_times
        )


class Relation(models.Model):
    """How two people are related (read both ways)."""

    class Kind(models.TextChoices):
        FAMILY = "family", _("Family member")
        PARTNER = "partner", _("Partner or spouse")
        DEPENDENT_CHILD = "child", _("Dependent child")
        PARENT = "parent", _("Parent or guardian")
        SAME_GROUP = "group", _("Same group of workers")
        TRUSTED = "trusted", _("Trusted person")
        OTHER = "other", _("Other")

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="relations", verbose_name=_("person")
    )
    other = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("related person")
    )
    kind = models.CharField(_("relation"), max_length=8, choices=Kind.choices)
    note = EncryptedTextField(_("note"), blank=True)

    personal_data = Inventory(about=("person", "other"), fields={"note": Category.FREE_TEXT})
    objects: ClassVar[models.Manager["Relation"]] = models.Manager()

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        constraints = [
            models.UniqueConstraint(fields=["person", "other", "kind"], name="one_relation"),
            models.CheckConstraint(
                condition=~models.Q(person=models.F("other")), name="not_self_related"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class PersonKey(models.Model):
    """One blind-indexed matching key of a person (``ostoja.people.matching``): a
    truncated keyed hash of a folded name token, a phonetic code or a birth year, so that
    likely duplicates are found by equality on this table, and only they are decrypted."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="keys")
    key = models.IntegerField()

    personal_data = Inventory(about=("person",), fields={"key": Category.IDENTITY})

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="one_person_key")]
        # The lookup's aggregate reads only these columns: with the person included the
        # index alone answers it on PostgreSQL (an index-only scan, no heap rows; bench
        # B6); other databases ignore ``include``.
        indexes = [
            models.Index(
                fields=["organisation", "key"], include=["person"], name="person_key_lookup"
            )
        ]

    def __str__(self) -> str:
        return str(self.key)
