"""Subject-rights requests: a person asking for a copy of what the centre holds about them
(GDPR Art. 15), for a correction (Art. 16) or for erasure (Art. 17).

A trafficker may pose as the victim, or coerce them, to obtain the file and the shelter's
address (SECURITY.md §6). So nothing happens before the person's identity was verified in
person by their case manager (who, when, on which document: recorded), and nothing is
produced or carried out before two different people approved it: the person's case
manager and the data protection officer (dual control; ``ostoja.privacy.services``).
"""

import datetime as dt
from typing import Any, ClassVar

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.lib.crypto.fields import EncryptedTextField
from ostoja.lib.forms import DateField
from ostoja.lib.inventory import Category, Inventory
from ostoja.lib.models import code_field
from ostoja.people.models import Person

# The details of a person's record a rectification may correct (through the people app's
# own service, ``person_update``): what a person can tell is wrong about them.
RECTIFIABLE = (
    "name",
    "name_latin",
    "aliases",
    "birth_date",
    "phone",
    "email",
    "other_contact",
    "safe_times",
    "vulnerabilities",
)
# Art. 12(3): "without undue delay and in any event within one month of receipt".
ANSWER_WITHIN = relativedelta(months=1)


def _staff(verbose_name: Any) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


def rectifiable_choices() -> list[tuple[str, str]]:
    """The details a rectification may correct, by their names on the person's record."""
    fields = [Person._meta.get_field(name) for name in RECTIFIABLE]
    return [(f.name, str(getattr(f, "verbose_name", f.name))) for f in fields]


def correction_value(field: str, text: str) -> Any:
    """The correction as the person's record holds it (a date for the date of birth);
    ``ValidationError`` if it cannot be one."""
    if field not in RECTIFIABLE:
        raise ValidationError({"field": _("Choose the detail to correct.")})
    value = text.strip()
    if not value and field == "name":
        raise ValidationError({"correction": _("Give the correct value.")})
    if field == "birth_date":
        try:
            return DateField(required=True).clean(value)
        except ValidationError as error:
            raise ValidationError({"correction": error.messages}) from None
    max_length = getattr(Person._meta.get_field(field), "max_length", None)
    if max_length and len(value) > max_length:
        raise ValidationError({"correction": _("The correct value is too long.")})
    return value


class SubjectRequest(models.Model):
    """One request of a person to exercise their rights over their data, from its receipt
    through the verification of who is asking and the two approvals to its answer: the
    copy handed over, the correction made, the record anonymised — or a refusal with its
    reason."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access to one's data (GDPR Art. 15)")
        RECTIFICATION = "rectification", _("Rectification (GDPR Art. 16)")
        ERASURE = "erasure", _("Erasure (GDPR Art. 17)")

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        LETTER = "letter", _("By letter")
        EMAIL = "email", _("By e-mail")
        PHONE = "phone", _("By phone")
        REPRESENTATIVE = "representative", _("Through a lawyer or representative")

    class Evidence(models.TextChoices):
        """How the case manager verified, in person, that the person asking is the person."""

        PASSPORT = "passport", _("Passport seen")
        NATIONAL_ID = "national_id", _("National identity card seen")
        RESIDENCE_CARD = "residence_card", _("Residence card seen")
        OTHER_DOCUMENT = "other_document", _("Another identity document seen")
        KNOWN = "known", _("Known in person to the case manager from their work together")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Identity to be verified")
        VERIFIED = "verified", _("Awaiting approval")
        APPROVED = "approved", _("Approved: to be carried out")
        DONE = "done", _("Answered")
        REFUSED = "refused", _("Refused")

    class Refusal(models.TextChoices):
        """Why a request was refused (Art. 12(4): the person is told why)."""

        IDENTITY = "identity", _("The identity of the person asking could not be verified")
        LEGAL_HOLD = (
            "legal_hold",
            _("A legal hold applies (proceedings pending, a court's request)"),
        )
        LEGAL_OBLIGATION = (
            "legal_obligation",
            _(
                "Keeping the data is a legal obligation or a task in the public interest "
                "(Art. 17(3)(b))"
            ),
        )
        PUBLIC_HEALTH = "public_health", _("Public health (Art. 17(3)(c))")
        ARCHIVING = "archiving", _("Archiving, research or statistics (Art. 17(3)(d))")
        LEGAL_CLAIMS = (
            "legal_claims",
            _("Needed for legal claims: their establishment, exercise or defence (Art. 17(3)(e))"),
        )
        ACCURATE = "accurate", _("The data is accurate (Art. 16)")
        UNFOUNDED = "unfounded", _("Manifestly unfounded or excessive (Art. 12(5))")
        OTHER = "other", _("Another reason (see the note)")

    code = code_field()
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    kind = models.CharField(_("request"), max_length=14, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    channel = models.CharField(_("received"), max_length=14, choices=Channel.choices)
    details = EncryptedTextField(_("what the person asks"), blank=True)
    # Rectification: which detail of the person's record is wrong, and what it should say.
    field = models.CharField(_("detail to correct"), max_length=40, blank=True)
    correction = EncryptedTextField(_("correct value"), blank=True)
    # The verification of identity, in person, by the case manager.
    verified_by = _staff(_("identity verified by"))
    verified_at = models.DateTimeField(_("identity verified at"), null=True, blank=True)
    evidence = models.CharField(
        _("how the identity was verified"), max_length=16, choices=Evidence.choices, blank=True
    )
    verification_note = EncryptedTextField(_("note on the verification"), blank=True)
    # Dual control: the person's case manager and the data protection officer.
    manager_approved_by = _staff(_("approved by the case manager"))
    manager_approved_at = models.DateTimeField(
        _("approved by the case manager at"), null=True, blank=True
    )
    dpo_approved_by = _staff(_("approved by the data protection officer"))
    dpo_approved_at = models.DateTimeField(
        _("approved by the data protection officer at"), null=True, blank=True
    )
    refused_by = _staff(_("refused by"))
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    refusal = models.CharField(
        _("reason for refusal"), max_length=16, choices=Refusal.choices, blank=True
    )
    refusal_note = EncryptedTextField(_("note on the refusal"), blank=True)
    done_by = _staff(_("answered by"))
    done_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # What was done: the fields corrected, how many records the copy held (codes, counts).
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)

    personal_data = Inventory(
        about=("person",),
        fields={
            "details": Category.FREE_TEXT,
            "correction": Category.FREE_TEXT,
            "verification_note": Category.IDENTITY,
            "refusal_note": Category.FREE_TEXT,
        },
    )
    objects: ClassVar[models.Manager["SubjectRequest"]] = models.Manager()

    class Meta:
        verbose_name = _("data protection request")
        verbose_name_plural = _("data protection requests")
        ordering = ["-received_on", "-created_at"]
        indexes = [models.Index(fields=["organisation", "status"])]
        constraints = [
            # Dual control: two different people, whatever the code above does.
            models.CheckConstraint(
                condition=models.Q(manager_approved_by__isnull=True)
                | models.Q(dpo_approved_by__isnull=True)
                | ~models.Q(manager_approved_by=models.F("dpo_approved_by")),
                name="subject_request_two_approvers",
            ),
        ]

    def __str__(self) -> str:
        return str(self.code)

    @property
    def deadline(self) -> dt.date:
        """The day the answer is due (Art. 12(3): one month from receipt)."""
        due: dt.date = self.received_on + ANSWER_WITHIN
        return due

    @property
    def overdue(self) -> bool:
        open_ = self.status not in (self.Status.DONE, self.Status.REFUSED)
        return open_ and timezone.localdate() > self.deadline

    @property
    def open(self) -> bool:
        return self.status not in (self.Status.DONE, self.Status.REFUSED)

    @property
    def approved(self) -> bool:
        """Both approvals given, by two different people, after the identity was verified."""
        return (
            self.verified_at is not None
            and self.manager_approved_by_id is not None
            and self.dpo_approved_by_id is not None
            and self.manager_approved_by_id != self.dpo_approved_by_id
        )
