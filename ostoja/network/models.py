"""The partner network: the directory of the institutions and organisations the centre
works with (Open Referral HSDS 3.0, DOMAIN.md §7: organization → service → location,
contacts and phones).

Each centre keeps its own directory (a record belongs to an organisation, ARCHITECTURE.md
§3). A partner is an *organization* in HSDS's words; its seat is its first *location*
(others: ``PartnerLocation``), its main number its first *phone* (others: ``PartnerPhone``);
the people there the centre deals with (an officer of an anti-trafficking team, a consul)
are its *contacts*. A partner that closed is archived, never deleted: the records that
name it keep it. The directory holds no client data: who may read and change it is
``ostoja.network.access``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ostoja.accounts import disclosures as ledger
from ostoja.lib.crypto.fields import EncryptedTextField
from ostoja.lib.inventory import Category, Inventory
from ostoja.lib.models import code_field
from ostoja.network.vocabulary import PartnerKind, ServiceKind, Voivodeship, Weekday


class Partner(models.Model):
    """An institution or organisation in the centre's directory: a Police unit, a
    consulate, a crisis intervention centre, an NGO running a shelter."""

    code = code_field()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    voivodeship = models.CharField(
        _("voivodeship"), max_length=2, choices=Voivodeship.choices, blank=True
    )
    # ISO 3166 alpha-2 of a partner abroad (a Polish consulate in Hamburg: "DE"); blank:
    # Poland, or not given. Its other locations are in the same country.
    country = models.CharField(_("country"), max_length=2, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # A partner that closed is archived: gone from the search and the pickers, still named
    # on the records that refer to it, and restored if it opens again.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    personal_data = Inventory(
        not_personal=("description",)  # an institution's public description
    )

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organisation", "kind"])]

    def __str__(self) -> str:
        return self.name


class PartnerLocation(models.Model):
    """Another place of a partner besides its seat (HSDS *location* with its *address*): a
    branch office, a Border Guard post's second crossing point."""

    code = code_field()
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("name"), max_length=200)
    voivodeship = models.CharField(
        _("voivodeship"), max_length=2, choices=Voivodeship.choices, blank=True
    )
    city = models.CharField(_("city"), max_length=100)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"


class PartnerPhone(models.Model):
    """Another phone number of a partner besides its main one (HSDS *phone*): a duty
    officer's line, a location's reception."""

    code = code_field()
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="phones")
    location = models.ForeignKey(
        PartnerLocation,
        on_delete=models.CASCADE,
        related_name="phones",
        null=True,
        blank=True,
        verbose_name=_("location"),
    )
    number = models.CharField(_("number"), max_length=32)
    description = models.CharField(_("what it is for"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.number


class PartnerService(models.Model):
    """What a partner offers to the people the centre refers (HSDS *service*): shelter for
    women, legal advice in Ukrainian, a 24-hour crisis line; with its languages, the
    voivodeships it serves and its hours."""

    class Status(models.TextChoices):
        # HSDS 3.0 ``service.status``.
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        DEFUNCT = "defunct", _("Defunct")
        TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")

    code = code_field()
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of service"), max_length=20, choices=ServiceKind.choices)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    # ISO 639-3 codes (``ostoja.lib.iso``), e.g. ["ukr", "rus"].
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Voivodeships served (``Voivodeship`` codes); empty: the whole country.
    areas = models.JSONField(_("voivodeships served"), default=list, blank=True)
    # Opening days (RFC 5545 ``BYDAY`` names) and hours; no days: by arrangement.
    days = models.JSONField(_("open on"), default=list, blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    personal_data = Inventory(
        not_personal=("description",)  # a service's public description
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def area_names(self) -> list[str]:
        return [Voivodeship(code).label for code in self.areas]

    def day_names(self) -> list[str]:
        return [str(Weekday(day).label) for day in self.days]


class PartnerContact(models.Model):
    """A person at a partner the centre deals with (HSDS *contact*): an officer, a consul,
    a social worker — their work details, never private ones."""

    code = code_field()
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("function"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    personal_data = Inventory(
        about=(),  # partners' staff
        fields={"name": Category.IDENTITY, "phone": Category.CONTACT, "email": Category.CONTACT},
    )

    class Meta:
        verbose_name = _("person at the partner")
        verbose_name_plural = _("people at the partner")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Consultation(models.Model):
    """A consultation given to an institution (one of the centre's five tasks): a Police
    officer asks how to identify a presumed victim, a social worker about the support
    programme. The question and the advice may be about people: they are sealed.

    For the statistics (``ostoja.reports``), never reading the sealed texts:
    consultations by institution kind (``partner.kind``), by ``topic``, by voivodeship
    (``partner.voivodeship``) and by month (``asked_at``); the response time is
    ``answered_at - asked_at`` (``answered_at`` is when the advice was given: typed, or
    the moment the advice was first recorded; empty while the question waits for an
    answer); the share that led to a case is those with ``case`` (or ``intervention``)
    set. ``minutes`` is the time spent."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        MEETING = "meeting", _("Meeting")
        LETTER = "letter", _("Letter")

    class Topic(models.TextChoices):
        IDENTIFICATION = "identification", _("Identification of a suspected case")
        LEGAL_CRIMINAL = "legal_criminal", _("Legal question: criminal law")
        LEGAL_RESIDENCE = "legal_residence", _("Legal question: residence")
        LEGAL_LABOUR = "legal_labour", _("Legal question: labour law")
        LEGAL_FAMILY = "legal_family", _("Legal question: family law")
        KPWIOO = "kpwioo", _("Procedure of the support programme (KPWiOO)")
        RETURN = "return", _("Return")
        SHELTER = "shelter", _("Shelter")
        TRAINING = "training", _("Training request")
        MEDIA = "media", _("Media")
        OTHER = "other", _("Other")

    code = code_field()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("institution"),
    )
    asker = models.CharField(_("person asking"), max_length=200, blank=True)
    asker_function = models.CharField(_("their function"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    asked_at = models.DateTimeField(_("asked at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    question = EncryptedTextField(_("question"), blank=True)
    advice = EncryptedTextField(_("advice given"), blank=True)
    minutes = models.PositiveIntegerField(_("time spent (minutes)"), default=0)
    documents_sent = models.CharField(_("documents sent"), max_length=500, blank=True)
    follow_up = EncryptedTextField(_("follow-up"), blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("follow-up by"),
    )
    follow_up_done_at = models.DateTimeField(_("follow-up done"), null=True, blank=True)
    # What the consultation led to (each shows the other).
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    intervention = models.ForeignKey(
        "interventions.Intervention",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    personal_data = Inventory(
        about=("case__clients__person",),
        fields={
            "asker": Category.IDENTITY,  # an institution's staff member
            "question": Category.FREE_TEXT,
            "advice": Category.FREE_TEXT,
            "follow_up": Category.FREE_TEXT,
        },
    )

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-asked_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "asked_at"])]

    def __str__(self) -> str:
        return f"{self.partner} · {self.get_topic_display()}"

    @property
    def follow_up_overdue(self) -> bool:
        return (
            self.follow_up_due is not None
            and self.follow_up_done_at is None
            and self.follow_up_due < timezone.localdate()
        )


class Training(models.Model):
    """A training or presentation the centre gave to an institution: part of the same
    reporting line as consultations."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        PRESENTATION = "presentation", _("Presentation")

    code = code_field()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="trainings",
        null=True,
        blank=True,
        verbose_name=_("institution"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    held_on = models.DateField(_("held on"))
    audience = models.CharField(_("audience"), max_length=200)
    participants = models.PositiveIntegerField(_("participants"))
    topic = models.CharField(_("topic"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("training or presentation")
        verbose_name_plural = _("trainings and presentations")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class Disclosure(models.Model):
    """The disclosure ledger: one entry each time data leaves the centre — a referral, a
    summary handed to the police, a subject-access export, a statistics export — saying
    what (``parts``, ``document``), to whom (a partner of the directory, or a recipient
    named in words), about whom (a person and a case; none for statistics), when, by whom,
    and under which consent or legal basis (GDPR Art. 30 and 15(1)(c): the recipients of a
    person's data). Written only through ``ostoja.accounts.disclosures.disclosure_record``
    (every app's door to it, see there why), in the transaction of what discloses; never
    changed."""

    code = code_field()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("what was disclosed"), max_length=20, choices=ledger.Kind.choices)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("person"),
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="disclosures",
        null=True,
        blank=True,
        verbose_name=_("recipient"),
    )
    # A recipient outside the directory, as typed ("KWP w Krakowie, Wydział …"), or one of
    # ``ledger.RECIPIENTS`` (the data subject, the public).
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    basis = models.CharField(_("legal basis"), max_length=20, choices=ledger.Basis.choices)
    consent = models.ForeignKey(
        "cases.Consent",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("consent"),
    )
    parts = models.JSONField(_("what was shared"), default=list)
    document = models.CharField(_("document"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=12, choices=ledger.Channel.choices)
    sent_to = models.EmailField(_("sent by e-mail to"), blank=True)
    # The period a statistics export covers (its first and last day).
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period until"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,  # an export from the command line (the server's operator)
        blank=True,
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    personal_data = Inventory(about=("person",))

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "person", "at"], name="disclosure_person_at")
        ]
        constraints = [
            # To whom: a partner of the directory or a named recipient.
            models.CheckConstraint(
                condition=models.Q(partner__isnull=False) | ~models.Q(recipient=""),
                name="disclosure_has_recipient",
            ),
            # Under a consent only with the consent itself.
            models.CheckConstraint(
                condition=~models.Q(basis="consent") | models.Q(consent__isnull=False),
                name="disclosure_consent_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name} {self.at:%Y-%m-%d}"

    @property
    def recipient_name(self) -> str:
        """The partner's name, or the recipient in words."""
        if self.partner_id is not None:
            return str(self.partner)
        return ledger.recipient_label(self.recipient)


class Referral(models.Model):
    """A client referred to a partner's service, with the partner's answer and feedback:
    sent → accepted or declined → in progress → completed."""

    class Status(models.TextChoices):
        SENT = "sent", pgettext_lazy("referral", "Sent")
        ACCEPTED = "accepted", pgettext_lazy("referral", "Accepted")
        DECLINED = "declined", pgettext_lazy("referral", "Declined")
        IN_PROGRESS = "in_progress", pgettext_lazy("referral", "In progress")
        COMPLETED = "completed", pgettext_lazy("referral", "Completed")

    code = code_field()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("client")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("partner")
    )
    service = models.ForeignKey(
        PartnerService,
        on_delete=models.SET_NULL,
        related_name="referrals",
        null=True,
        blank=True,
        verbose_name=_("service"),
    )
    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, related_name="referral")
    reason = EncryptedTextField(_("what for"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SENT
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    answer_due = models.DateField(_("answer expected by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    feedback = EncryptedTextField(_("the partner's feedback"), blank=True)
    document = models.CharField(max_length=200, editable=False)  # the sealed summary PDF
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    personal_data = Inventory(
        about=("client",), fields={"reason": Category.FREE_TEXT, "feedback": Category.FREE_TEXT}
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "status", "answer_due"])]

    def __str__(self) -> str:
        return f"{self.partner} · {self.get_status_display()}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.SENT and self.answer_due < timezone.localdate()


class IncomingReferral(models.Model):
    """A presumed victim referred to the centre by an institution (a Police unit): it
    opens a helpline contact at once and, when the centre accepts it, a case."""

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("referral", "Received")
        ACCEPTED = "accepted", pgettext_lazy("referral", "Accepted")
        DECLINED = "declined", pgettext_lazy("referral", "Declined")

    code = code_field()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="incoming_referrals",
        verbose_name=_("referred by"),
    )
    referrer = models.CharField(_("person referring"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received at"))
    summary = EncryptedTextField(_("what the institution says"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    contact = models.OneToOneField("helpline.Contact", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    personal_data = Inventory(
        about=("case__clients__person",),
        linked=("contact__links",),
        fields={"referrer": Category.IDENTITY, "summary": Category.FREE_TEXT},
    )

    class Meta:
        verbose_name = _("incoming referral")
        verbose_name_plural = _("incoming referrals")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.partner} {self.received_at:%Y-%m-%d}"


class Interpreter(models.Model):
    """An interpreter the centre books: sworn translator or community interpreter, with the
    languages, the ways they work and their confidentiality agreement. What a conflict of
    interest is checked against (``services.interpreter_conflicts``): where they come from,
    their community, the people in the centre's records they are related to, and the
    proceedings in which they interpreted for a suspect."""

    class Kind(models.TextChoices):
        SWORN = "sworn", _("Sworn translator")
        COMMUNITY = "community", _("Community interpreter")

    class Sex(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")

    class Mode(models.TextChoices):
        PHONE = "phone", _("By phone")
        VIDEO = "video", _("By video")
        IN_PERSON = "in_person", _("In person")

    code = code_field()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    languages = models.JSONField(_("languages"), default=list)  # ISO 639-3
    dialects = models.CharField(_("dialects"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sex = models.CharField(_("sex"), max_length=5, choices=Sex.choices)
    modes = models.JSONField(_("works"), default=list)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    cost_per_hour = models.DecimalField(_("cost per hour (PLN)"), max_digits=7, decimal_places=2)
    confidentiality_signed_on = models.DateField(
        _("confidentiality agreement signed on"), null=True, blank=True
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    home_town = models.CharField(_("comes from (town)"), max_length=100, blank=True)
    community = models.CharField(_("community"), max_length=200, blank=True)
    related_people = models.ManyToManyField(
        "people.Person", blank=True, related_name="+", verbose_name=_("related to")
    )
    # References of proceedings in which they interpreted for a suspect (e.g. "RSD 123/26").
    suspect_proceedings = models.JSONField(_("interpreted for a suspect in"), default=list)
    active = models.BooleanField(_("active"), default=True)

    personal_data = Inventory(
        about=(),  # the interpreter; the clients they are related to are named by link only
        fields={
            "name": Category.IDENTITY,
            "phone": Category.CONTACT,
            "home_town": Category.LOCATION,
            "community": Category.IDENTITY,
        },
    )

    class Meta:
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Booking(models.Model):
    """An interpreter booked for a consultation, a call, a police interview or a medical
    visit, with the hours and the cost; a conflict of interest found when booking stays
    on record with the written reason it was overridden."""

    class Purpose(models.TextChoices):
        CONSULTATION = "consultation", _("Consultation")
        CALL = "call", _("Call")
        POLICE_INTERVIEW = "police_interview", _("Police interview")
        MEDICAL_VISIT = "medical_visit", _("Medical visit")

    code = code_field()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    interpreter = models.ForeignKey(
        Interpreter,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("interpreter"),
    )
    purpose = models.CharField(_("for"), max_length=20, choices=Purpose.choices)
    language = models.CharField(_("language"), max_length=3)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="bookings", null=True, blank=True
    )
    starts_at = models.DateTimeField(_("when"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    cost = models.DecimalField(_("cost (PLN)"), max_digits=9, decimal_places=2)
    proceedings = models.CharField(_("proceedings"), max_length=100, blank=True)
    conflicts = models.JSONField(_("conflicts of interest"), default=list, blank=True)
    override = EncryptedTextField(_("why booked despite the conflict"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    personal_data = Inventory(
        about=("case__clients__person",), fields={"override": Category.FREE_TEXT}
    )

    class Meta:
        verbose_name = _("interpreter booking")
        verbose_name_plural = _("interpreter bookings")
        ordering = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.interpreter} {self.starts_at:%Y-%m-%d}"
