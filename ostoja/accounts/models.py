"""Who works in Ostoja: organisations (tenants), staff users and their one role each."""

import datetime as dt
import uuid
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.roles import Capability, Role, capabilities_of
from ostoja.lib.crypto.fields import EncryptedTextField
from ostoja.lib.hours import DEFAULT_OFFICE_HOURS, is_office_time
from ostoja.lib.inventory import Category, Inventory


def office_hours_default() -> dict[str, list[str]]:
    return {day: list(span) for day, span in DEFAULT_OFFICE_HOURS.items()}


class Organisation(models.Model):
    """A centre running Ostoja — e.g. the National Intervention-Consultation Centre.

    Every record belongs to one organisation; one deployment may host several (ARCHITECTURE
    §3). ``short_code`` prefixes human case numbers (``KCIK/2026/0042``).
    """

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    short_code = models.CharField(
        _("short code"),
        max_length=12,
        unique=True,
        help_text=_("Capital letters and digits, used in case numbers."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Warsaw")
    office_hours = models.JSONField(
        _("office hours"),
        default=office_hours_default,
        help_text=_("Per weekday (0 = Monday): opening and closing time. Holidays are off."),
    )
    # Statistics exports (ostoja.reports.exports): no published combination of sex, age
    # band, citizenship, form of exploitation and year describes fewer people than this.
    suppression_k = models.PositiveSmallIntegerField(
        _("smallest group published"),
        default=10,
        validators=[MinValueValidator(5), MaxValueValidator(100)],
        help_text=_(
            "Exports never show a combination of sex, age group, citizenship, form of "
            "exploitation and year shared by fewer people: such values are suppressed."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def is_office_time(self, at: dt.datetime) -> bool:
        """Office hours, or the duty line (``ostoja.lib.hours``)."""
        return is_office_time(at, hours=self.office_hours, time_zone=self.time_zone)


def notice_kinds_default() -> list[str]:
    """Every kind of notice goes by e-mail too, until the user says otherwise."""
    return [str(kind) for kind in Notice.Kind]


class UserManager(BaseUserManager["User"]):
    def get_queryset(self) -> "models.QuerySet[User]":
        # Every request asks the signed-in user's role and organisation: one query, not three.
        return super().get_queryset().select_related("membership__organisation")

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """A member of staff. Signs in with e-mail, password and a second factor (always).

    There are no superusers: what a user may do comes from their membership's role alone.
    """

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now, editable=False)
    notices_by_email = models.JSONField(
        _("notices also by e-mail"),
        default=notice_kinds_default,
        blank=True,
        help_text=_("Kinds of notice sent to the e-mail address as well (never a client's name)."),
    )

    personal_data = Inventory(
        about=(),  # staff: personal data of the centre's people, never a client's
        fields={"full_name": Category.IDENTITY, "email": Category.CONTACT},
    )

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def role(self) -> str | None:
        membership = getattr(self, "membership", None)
        return membership.role if membership else None

    @property
    def organisation(self) -> Organisation | None:
        membership = getattr(self, "membership", None)
        return membership.organisation if membership else None

    def can(self, capability: Capability) -> bool:
        """Whether this user's role grants ``capability`` (see ``roles.CAPABILITIES``)."""
        return self.is_active and capability in capabilities_of(self.role)


class Membership(models.Model):
    """A user's place in an organisation, with the one role that decides what they may do."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="membership", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"


class AccessGrant(models.Model):
    """A "break-the-glass" opening of one record outside the user's reach: the reason they
    gave, and until when it lasts. Audited, and the case manager and DPO are told."""

    class Reason(models.TextChoices):
        EMERGENCY = "emergency", _("Emergency: the client's safety is at stake")
        DUTY = "duty", _("Duty cover: the case manager cannot be reached")
        HANDOVER = "handover", _("Taking over the case")
        OTHER = "other", _("Other (explain)")

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="access_grants", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    target_type = models.CharField(_("record type"), max_length=64)
    target_code = models.CharField(_("record"), max_length=64)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    # Free text: staff may write client details in it, so it is sealed like every note.
    explanation = EncryptedTextField(_("explanation"), max_length=1000)
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    personal_data = Inventory(
        about=(),  # the staff member's break-the-glass; the client is named by code
        fields={"explanation": Category.FREE_TEXT},
    )

    class Meta:
        verbose_name = _("break-the-glass access")
        verbose_name_plural = _("break-the-glass accesses")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "target_type", "target_code", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.target_type} {self.target_code}"


class Notice(models.Model):
    """What a member of staff must know or do — a hand-over, a follow-up due, a deadline, a
    swap request, emergency access to their record, a mention — in their notification
    centre (the bell), and by e-mail if they wish. It says what happened, a reference and
    where to look; never who a client is."""

    class Kind(models.TextChoices):
        HANDOVER = "handover", _("Hand-over to you")
        HANDOVER_LATE = "handover_late", _("Hand-over not acknowledged")
        FOLLOW_UP = "follow_up", _("Follow-up")
        DEADLINE = "deadline", _("Legal deadline")
        SWAP = "swap", _("Duty swap")
        BREAK_GLASS = "break_glass", _("Emergency access to your record")
        MENTION = "mention", _("Mentioned in a note")
        # A shelter's resident not back (its alarm goes by its own e-mail and SMS too).
        ABSENCE = "absence", _("Resident not back")
        # A record's retention period ends soon (``ostoja.privacy.retention``).
        RETENTION = "retention", _("Data to be anonymised")

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notices", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.CharField(_("notice"), max_length=300)
    url = models.CharField(_("link"), max_length=300)
    # What it is about, as the policy names records, and what makes it new (a date): the
    # same notice is not sent twice.
    target_type = models.CharField(max_length=64, blank=True)
    target_code = models.CharField(max_length=64, blank=True)
    key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "target_type", "target_code", "key"],
                name="one_notice",
            )
        ]

    def __str__(self) -> str:
        return self.text
