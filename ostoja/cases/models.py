"""Cases: the case manager's whole job in one record (the seed: "every case is analysed
thoroughly and treated individually; the next steps are planned and organised by the case
manager"). DOMAIN.md §0, §3.1 (HTCDS), §5 (Polish law).

A case has one or many clients (a group of workers from one workplace is one case), a team
with one case manager, the trafficking context (mapped to HTCDS/CTDC and Eurostat in
``vocabulary``), a support plan, the services delivered, the client's decisions, consents,
legal deadlines, risk assessments, notes and documents. Narrative, health, legal and
perpetrator details are sealed at rest and read by field class (``ostoja.accounts.policy``).
"""

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ostoja.accounts.policy import FieldClass, TeamRole
from ostoja.cases import vocabulary as v
from ostoja.lib.crypto.fields import EncryptedCharField, EncryptedTextField
from ostoja.lib.inventory import Category, Inventory
from ostoja.lib.locking import version_field
from ostoja.lib.models import code_field


def _by() -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )


class Case(models.Model):
    class Status(models.TextChoices):
        # A case is "sprawa" in Polish: its statuses agree with it (feminine).
        OPEN = "open", pgettext_lazy("case status", "Open")
        ACTIVE = "active", pgettext_lazy("case status", "Active")
        ON_HOLD = "on_hold", pgettext_lazy("case status", "On hold")
        CLOSED = "closed", pgettext_lazy("case status", "Closed")

    class Stage(models.TextChoices):
        INTAKE = "intake", _("Intake and first needs")
        ASSESSMENT = "assessment", _("Identification and assessment")
        SUPPORT = "support", _("Support")
        REFLECTION = "reflection", _("Reflection period")
        PROCEEDINGS = "proceedings", _("Criminal proceedings")
        REINTEGRATION = "reintegration", _("Return or integration")
        FOLLOW_UP = "follow_up", _("Follow-up")

    class CloseReason(models.TextChoices):
        GOALS_MET = "goals_met", _("Support plan completed")
        REFERRED = "referred", _("Referred to another organisation")
        RETURNED = "returned", _("Returned to the country of origin")
        CLIENT_ENDED = "client_ended", _("The client ended the support")
        CONTACT_LOST = "contact_lost", _("Contact lost")
        NOT_TRAFFICKING = "not_trafficking", _("Not a trafficking case")
        OTHER = "other", _("Other")

    code = code_field()
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number"), editable=False)
    reference = models.CharField(_("case number"), max_length=40, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.INTAKE)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(
        _("reason for closing"), max_length=16, choices=CloseReason.choices, blank=True
    )
    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Only the people on the case's team may open it, coordinators included."),
    )
    summary = EncryptedTextField(_("summary"), blank=True)
    referred_by = models.CharField(
        _("referred by"), max_length=16, choices=v.Referrer.choices, blank=True
    )
    # Trafficking context: the centre's categories, mapped to the standards (vocabulary).
    forms = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    harms = models.JSONField(_("other harm"), default=list, blank=True)
    industries = models.JSONField(_("industry (ISIC)"), default=list, blank=True)
    control_methods = models.JSONField(_("means of control"), default=list, blank=True)
    recruitment = models.JSONField(_("recruitment"), default=list, blank=True)
    perpetrator_notes = EncryptedTextField(_("perpetrators"), blank=True)
    created_by = _by()
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Raised by every save of the edit form's fields (optimistic locking, ostoja.lib.locking).
    version = version_field()

    personal_data = Inventory(
        about=("clients__person",),
        fields={"summary": Category.FREE_TEXT, "perpetrator_notes": Category.PERPETRATOR},
    )

    objects: ClassVar[models.Manager["Case"]] = models.Manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "number"], name="case_number")
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class CaseClient(models.Model):
    """A client of the case; each has their own identification, plan items and decisions."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clients")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_links")
    added_on = models.DateField(_("added on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="one_client")]

    def __str__(self) -> str:
        return str(self.person_id)


class TeamMember(models.Model):
    """Who works on the case and as what; exactly one case manager (services keep it so)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_teams"
    )
    role = models.CharField(_("role on the case"), max_length=16, choices=TeamRole.choices)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="one_membership")]

    def __str__(self) -> str:
        return self.get_role_display()


class RouteEvent(models.Model):
    """One stop of the route: recruitment, transit, exploitation (HTCDS ``hte_``)."""

    class Kind(models.TextChoices):
        RECRUITMENT = "Recruitment", _("Recruitment")
        TRANSIT = "Transit", _("Transit")
        EXPLOITATION = "Exploitation", _("Exploitation")

    code = code_field()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="route")
    kind = models.CharField(_("stage of the route"), max_length=12, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2)
    place = EncryptedCharField(_("place"), max_length=200, blank=True)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)
    description = EncryptedTextField(_("description"), blank=True)
    created_by = _by()

    personal_data = Inventory(
        about=("case__clients__person",),
        fields={"place": Category.LOCATION, "description": Category.FREE_TEXT},
    )

    class Meta:
        verbose_name = _("route stop")
        verbose_name_plural = _("route")
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.country}"


class Goal(models.Model):
    """A goal of the support plan in one domain, for one client or the whole case."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("goal status", "Open")
        ACHIEVED = "achieved", pgettext_lazy("goal status", "Achieved")
        DROPPED = "dropped", pgettext_lazy("goal status", "Dropped")

    code = code_field()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    client = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("client"),
    )
    domain = models.CharField(_("domain"), max_length=16, choices=v.Domain.choices)
    text = EncryptedTextField(_("goal"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = _by()
    version = version_field()  # raised by every change of status (ostoja.lib.locking)

    personal_data = Inventory(
        # a goal of no one client is the whole case's
        about=("client", "case__clients__person"),
        fields={"text": Category.FREE_TEXT},
    )

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["domain", "created_at"]

    def __str__(self) -> str:
        return self.get_domain_display()


class Action(models.Model):
    """One step towards a goal: who does it and by when."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("action status", "Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("action status", "In progress")
        DONE = "done", pgettext_lazy("action status", "Done")
        CANCELLED = "cancelled", pgettext_lazy("action status", "Cancelled")

    code = code_field()
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    text = EncryptedTextField(_("action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_actions",
        verbose_name=_("who"),
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    version = version_field()  # raised by every change of status (ostoja.lib.locking)

    personal_data = Inventory(
        about=("goal__client", "goal__case__clients__person"), fields={"text": Category.FREE_TEXT}
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due", "created_at"]
        indexes = [models.Index(fields=["owner", "status", "due"])]

    def __str__(self) -> str:
        return self.get_status_display()

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due is not None and self.due < timezone.localdate()


class Service(models.Model):
    """A service delivered to a client, by staff or a partner. Its details are read by the
    field class of its kind: health details by the inner team, legal ones likewise."""

    code = code_field()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    client = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("client")
    )
    kind = models.CharField(_("service"), max_length=16, choices=v.ServiceKind.choices)
    legal_area = models.CharField(
        _("area of law"), max_length=12, choices=v.LegalArea.choices, blank=True
    )
    delivered_on = models.DateField(_("date"))
    provided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provided by (staff)"),
    )
    partner = models.CharField(_("provided by (partner)"), max_length=200, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, null=True, blank=True)
    details = EncryptedTextField(_("details"), blank=True)
    created_by = _by()

    personal_data = Inventory(
        about=("client",),
        # legal, health or psychological by kind (vocabulary.SERVICE_FIELD_CLASS): marked with
        # the stricter Art. 9 category, read only by the specialists
        fields={"details": Category.HEALTH},
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["-delivered_on", "-pk"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def field_class(self) -> FieldClass:
        return v.SERVICE_FIELD_CLASS.get(self.kind, FieldClass.NARRATIVE)


class Decision(models.Model):
    """A decision of the client, dated, with what they were told first."""

    class Kind(models.TextChoices):
        COOPERATION = "cooperation", _("Cooperation with law enforcement")
        FAMILY_CONTACT = "family_contact", _("Contact with relatives")
        RETURN = "return", _("Return to the country of origin")
        PROGRAMME = "programme", _("Joining the support programme (KPWiOO)")
        SHELTER = "shelter", _("Staying in the shelter")

    class Choice(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNDECIDED = "undecided", _("Not yet decided")

    code = code_field()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    client = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("client")
    )
    kind = models.CharField(_("decision about"), max_length=16, choices=Kind.choices)
    choice = models.CharField(_("decision"), max_length=10, choices=Choice.choices)
    decided_on = models.DateField(_("decided on"))
    information = models.JSONField(_("information given first"), default=list)
    notes = EncryptedTextField(_("notes"), blank=True)
    created_by = _by()

    personal_data = Inventory(
        about=("client",),
        # cooperation with law enforcement, return, family contact: criminal-matter context
        fields={"notes": Category.LEGAL},
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Consent(models.Model):
    """A consent (HTCDS ``con_`` and its checklist): to processing, or to sharing with a
    named organisation or the police; dated, with how it was given; withdrawable."""

    class Scope(models.TextChoices):
        PROCESSING = "processing", _("Processing of personal data")
        SHARE_ORGANISATION = "share_org", _("Sharing with a named organisation")
        SHARE_POLICE = "share_police", _("Sharing with police, Border Guard or prosecutor")
        RESEARCH = "research", _("Use of non-identifying data for research")

    class Method(models.TextChoices):
        WRITTEN = "written", _("In writing")
        ORAL = "oral", _("Orally, recorded by staff")
        ELECTRONIC = "electronic", _("Electronically")
        GUARDIAN = "guardian", _("By a legal guardian")

    code = code_field()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    client = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("client")
    )
    scope = models.CharField(_("consent to"), max_length=12, choices=Scope.choices)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    shares = models.JSONField(_("what may be shared"), default=list, blank=True)
    checklist = models.JSONField(_("the person was informed"), default=list, blank=True)
    method = models.CharField(_("given"), max_length=12, choices=Method.choices)
    interpreter = models.BooleanField(_("with an interpreter"), default=False)
    given_on = models.DateField(_("given on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    created_by = _by()

    personal_data = Inventory(about=("client",))

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return self.get_scope_display()

    def active(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.given_on <= on and (self.withdrawn_on is None or self.withdrawn_on > on)


# The sources of the periods Ostoja ships (migration 0003), stored as the law cites them
# in Polish and shown in the reader's language; a source a coordinator adds is shown as
# they wrote it.
LEGAL_SOURCES = {
    "Ustawa z 12 grudnia 2013 r. o cudzoziemcach, art. 170 i art. 172 ust. 2": _(
        "Act of 12 December 2013 on Foreigners, Article 170 and Article 172(2)"
    ),
}


def legal_source_text(source: str) -> str:
    """A period's legal basis in the reader's language (``LEGAL_SOURCES``)."""
    return str(LEGAL_SOURCES.get(source, source))


class LegalPeriod(models.Model):
    """Reference data: how long a legal period runs, by source, for adults and minors
    (DOMAIN.md §5.3: art. 172 ust. 2 — 3 months, 4 for a minor). Editable data, not
    constants; a deadline keeps the period it was computed from."""

    kind = models.CharField(_("deadline"), max_length=16, choices=v.DeadlineKind.choices)
    months_adult = models.PositiveSmallIntegerField(_("months (adult)"))
    months_minor = models.PositiveSmallIntegerField(_("months (minor)"))
    source = models.CharField(_("source"), max_length=300)
    valid_from = models.DateField(_("valid from"))

    class Meta:
        verbose_name = _("legal period")
        verbose_name_plural = _("legal periods")
        ordering = ["kind", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.valid_from})"

    @property
    def source_text(self) -> str:
        return legal_source_text(self.source)


class Deadline(models.Model):
    """A legal deadline: computed from a legal period (reflection period from the
    certificate's date) or entered (permit expiry, a hearing). The case manager is reminded
    ahead of it; the coordinator is told when it passes unmet."""

    code = code_field()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    client = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("client"),
    )
    kind = models.CharField(_("deadline"), max_length=16, choices=v.DeadlineKind.choices)
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    due = models.DateField(_("due"))
    period = models.ForeignKey(
        LegalPeriod, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    remind_days = models.PositiveSmallIntegerField(_("remind days before"), default=14)
    note = EncryptedTextField(_("note"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    met_at = models.DateTimeField(_("dealt with"), null=True, blank=True)
    created_by = _by()

    personal_data = Inventory(
        about=("client", "case__clients__person"), fields={"note": Category.LEGAL}
    )

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due"]
        indexes = [models.Index(fields=["met_at", "due"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due}"

    @property
    def is_missed(self) -> bool:
        return self.met_at is None and self.due < timezone.localdate()


class RiskAssessment(models.Model):
    """A risk assessment with a safety plan; the newest is the current one."""

    class Level(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    code = code_field()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risks")
    level = models.CharField(_("risk level"), max_length=8, choices=Level.choices)
    factors = models.JSONField(_("risk factors"), default=list, blank=True)
    safety_plan = EncryptedTextField(_("safety plan"), blank=True)
    assessed_on = models.DateField(_("assessed on"))
    review_on = models.DateField(_("review by"), null=True, blank=True)
    created_by = _by()

    personal_data = Inventory(
        about=("case__clients__person",), fields={"safety_plan": Category.FREE_TEXT}
    )

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return self.get_level_display()


class Note(models.Model):
    code = code_field()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = EncryptedTextField(_("note"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    created_by = _by()

    personal_data = Inventory(about=("case__clients__person",), fields={"text": Category.FREE_TEXT})

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d}"


class Document(models.Model):
    """An uploaded file of the case, sealed at rest (``ostoja.lib.crypto.files``), served
    only through the case's access check."""

    code = code_field()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    client = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("concerns"),
    )
    title = EncryptedCharField(_("title"), max_length=200)
    filename = EncryptedCharField(_("file name"), max_length=255)
    stored_name = models.CharField(max_length=200, editable=False)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    created_by = _by()

    personal_data = Inventory(
        about=("client", "case__clients__person"),
        # the file itself (stored_name) is named by no one's name: its content is the record
        fields={"title": Category.FREE_TEXT, "filename": Category.FREE_TEXT},
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.content_type
