"""Identification: the ILO/EC indicator catalogues (versioned reference data), indicator
assessments, preliminary identification and the identification decisions (DOMAIN.md §0.1–0.3,
§1, §5.5).

An assessment's result is *decision support* ("indicators suggest trafficking"), never an
identification: in Poland formal identification is an act of the Police, Border Guard or
prosecutor. Decisions are recorded by a person, as a separate act, with who decided.
"""

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.lib.crypto.fields import EncryptedTextField
from ostoja.lib.inventory import Category, Inventory


class ListCode(models.TextChoices):
    """The four ILO/EC lists (adult/child × labour/sexual exploitation)."""

    ADULT_LABOUR = "adult_labour", _("Adults — labour exploitation")
    ADULT_SEXUAL = "adult_sexual", _("Adults — sexual exploitation")
    CHILD_LABOUR = "child_labour", _("Children — labour exploitation")
    CHILD_SEXUAL = "child_sexual", _("Children — sexual exploitation")


class Dimension(models.TextChoices):
    """The six elements of the definition (DOMAIN.md §1.7)."""

    DECEPTIVE_RECRUITMENT = "deceptive_recruitment", _("Deceptive recruitment")
    COERCIVE_RECRUITMENT = "coercive_recruitment", _("Coercive recruitment")
    RECRUITMENT_ABUSE = (
        "recruitment_abuse_vulnerability",
        _("Recruitment by abuse of vulnerability"),
    )
    EXPLOITATION = "exploitation", _("Exploitative conditions")
    COERCION_DESTINATION = "coercion_destination", _("Coercion at destination")
    ABUSE_DESTINATION = (
        "abuse_vulnerability_destination",
        _("Abuse of vulnerability at destination"),
    )


class Strength(models.TextChoices):
    STRONG = "S", _("strong")
    MEDIUM = "M", _("medium")
    WEAK = "W", _("weak")


class Verification(models.TextChoices):
    """How sure the row is (DOMAIN.md's marks)."""

    VERIFIED = "V", _("checked in the source")
    SECONDARY = "S", _("from a secondary source")
    UNVERIFIED = "U", _("not verified")


class Catalogue(models.Model):
    """One version of the indicator lists and of the rule that reads them. Assessments keep
    the version they used; a new version changes new assessments only."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    source = models.TextField(_("source"))
    notes = models.TextField(_("notes"), blank=True)
    # The rule as data: {"dimension": [{"S": 2}, {"S": 1, "MW": 1}, …],
    # "adult": [[dimension, …], …], "child": [[…], …]} — all groups, any dimension of each.
    rules = models.JSONField(_("rule"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    personal_data = Inventory(
        not_personal=("source", "notes")  # the catalogue's provenance and editors' notes
    )

    objects: ClassVar[models.Manager["Catalogue"]] = models.Manager()

    class Meta:
        verbose_name = _("indicator catalogue")
        verbose_name_plural = _("indicator catalogues")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @classmethod
    def current(cls) -> "Catalogue | None":
        return cls.objects.order_by("-version").first()


class Indicator(models.Model):
    """One indicator of one list, in one dimension, with its strength in that list."""

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="indicators")
    list_code = models.CharField(_("list"), max_length=16, choices=ListCode.choices)
    dimension = models.CharField(_("dimension"), max_length=40, choices=Dimension.choices)
    code = models.SlugField(_("code"), max_length=80)
    strength = models.CharField(_("strength"), max_length=1, choices=Strength.choices)
    text_en = models.CharField(_("wording (English)"), max_length=300)
    text_pl = models.CharField(_("wording (Polish)"), max_length=300)
    verification = models.CharField(_("verification"), max_length=1, choices=Verification.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The few asked in a first call (screening), with a question a counsellor can ask.
    screening = models.BooleanField(_("screening question"), default=False)
    question_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    question_pl = models.CharField(_("question (Polish)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["list_code", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["catalogue", "list_code", "dimension", "code"], name="one_indicator"
            )
        ]

    def __str__(self) -> str:
        return self.text_en

    def text(self, language: str) -> str:
        return self.text_pl if language.startswith("pl") else self.text_en

    def question(self, language: str) -> str:
        question = self.question_pl if language.startswith("pl") else self.question_en
        return question or self.text(language)


class Assessment(models.Model):
    """An indicator assessment of one person — in a case, or from a contact before any
    case exists; a short screening in the live call, continued later as a full one."""

    class Mode(models.TextChoices):
        SCREENING = "screening", _("Screening (first call)")
        FULL = "full", _("Full assessment")

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="assessments"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    contact = models.ForeignKey(
        "helpline.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    catalogue = models.ForeignKey(Catalogue, on_delete=models.PROTECT, related_name="+")
    lists = models.JSONField(_("lists"), default=list)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.FULL)
    age_at_exploitation = models.PositiveSmallIntegerField(
        _("age at exploitation"), null=True, blank=True
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    personal_data = Inventory(about=("person",), fields={"notes": Category.FREE_TEXT})

    objects: ClassVar[models.Manager["Assessment"]] = models.Manager()

    class Meta:
        verbose_name = _("indicator assessment")
        verbose_name_plural = _("indicator assessments")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.created_at):%Y-%m-%d}"


class Answer(models.Model):
    class Value(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNKNOWN = "unknown", _("Unknown")

    class Source(models.TextChoices):
        SELF_REPORT = "self_report", _("The person's own account")
        OBSERVATION = "observation", _("Staff observation")
        DOCUMENT = "document", _("Document")
        THIRD_PARTY = "third_party", _("Third party")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("answer"), max_length=8, choices=Value.choices)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    answered_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    personal_data = Inventory(about=("assessment__person",), fields={"note": Category.FREE_TEXT})

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="one_answer")
        ]

    def __str__(self) -> str:
        return self.value


class Preliminary(models.Model):
    """Preliminary identification: contact is limited (trauma, captivity, language…), and
    the centre decides to apply victim standards on suspicion — recorded with who and when."""

    class Reason(models.TextChoices):
        MENTAL_STATE = "mental_state", _("Mental state or trauma")
        CAPTIVITY = "captivity", _("Captivity or control by others")
        LANGUAGE = "language", _("Language barrier")
        HEALTH = "health", _("Health condition")
        FEAR = "fear", _("Fear of perpetrators or authorities")
        AGE = "age", _("Young age")
        TIME = "time", _("No time: immediate danger")
        OTHER = "other", _("Other")

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="preliminary_identifications"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reasons = models.JSONField(_("why contact is limited"), default=list)
    apply_standards = models.BooleanField(_("apply victim standards on suspicion"), default=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    personal_data = Inventory(
        about=("person",),
        # a victim of a crime (Art. 10)
        fields={"notes": Category.LEGAL},
    )

    class Meta:
        verbose_name = _("preliminary identification")
        verbose_name_plural = _("preliminary identifications")
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.decided_at):%Y-%m-%d}"

    def reason_labels(self) -> list[str]:
        return [str(self.Reason(r).label) for r in self.reasons if r in self.Reason.values]


class Decision(models.Model):
    """One identification decision — a human act — in a person's status history (HTCDS
    ``vic_TraffickingStatus`` and ``…DecisionMakingOrg``)."""

    class Status(models.TextChoices):
        POSSIBLE = "PossibleVictimOfTrafficking", _("Possible victim of trafficking")
        ACTUAL = "ActualVictimOfTrafficking", _("Identified victim of trafficking")
        NOT_A_VICTIM = "NotAVictimOfTrafficking", _("Not a victim of trafficking")

    class DecidedBy(models.TextChoices):
        CENTRE = "centre", _("This centre")
        POLICE = "police", _("Police")
        BORDER_GUARD = "border_guard", _("Border Guard")
        PROSECUTOR = "prosecutor", _("Prosecutor or court")
        OTHER_ORG = "other_org", _("Another organisation")

    # HTCDS vic_TraffickingStatusDecisionMakingOrg for each.
    HTCDS_ORG: ClassVar[dict[str, str]] = {
        "centre": "NGO",
        "police": "Police",
        "border_guard": "Police",
        "prosecutor": "CourtOrProsecution",
        "other_org": "Other",
    }
    LAW_ENFORCEMENT: ClassVar[frozenset[str]] = frozenset({"police", "border_guard", "prosecutor"})

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="identification_decisions"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=32, choices=Status.choices)
    decided_by = models.CharField(_("decided by"), max_length=16, choices=DecidedBy.choices)
    decided_on = models.DateField(_("decided on"))
    basis = EncryptedTextField(_("basis"), blank=True)
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indicator assessment relied on"),
    )
    certificate_issued_on = models.DateField(
        _("presumed-victim certificate issued on"),
        null=True,
        blank=True,
        help_text=_("Art. 170 of the Act on Foreigners: starts the reflection period."),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    personal_data = Inventory(about=("person",), fields={"basis": Category.LEGAL})

    class Meta:
        verbose_name = _("identification decision")
        verbose_name_plural = _("identification decisions")
        ordering = ["-decided_on", "-recorded_at"]

    def __str__(self) -> str:
        return self.get_status_display()

    @property
    def is_formal(self) -> bool:
        """Formal identification is an act of law enforcement (DOMAIN.md §5.5)."""
        return self.decided_by in self.LAW_ENFORCEMENT
