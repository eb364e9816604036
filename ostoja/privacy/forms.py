import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.accounts import disclosures as ledger
from ostoja.accounts.models import User
from ostoja.audit import actions
from ostoja.audit.models import AuditEntry
from ostoja.lib.forms import DateField, DateTimeField, tomorrow
from ostoja.lib.inventory import Category
from ostoja.network.models import Partner
from ostoja.privacy.models import SubjectRequest
from ostoja.privacy.models.records import NOTIFY_WITHIN, DpiaEntry
from ostoja.privacy.models.requests import correction_value, rectifiable_choices

# A whole app's actions in the action filter: "@" and the app's label (``@cases``).
GROUP = "@"


def action_choices() -> list[tuple[str, Any]]:
    """The action filter's options: every action, grouped by the app that writes it, each
    group led by "all of them" (in the current language)."""
    choices: list[tuple[str, Any]] = [("", _("Every action"))]
    for app_label, group, options in actions.grouped_choices():
        every = (f"{GROUP}{app_label}", _("All: {group}").format(group=group))
        choices.append((group, [every, *options]))
    return choices


class EntryFilterForm(forms.Form):
    """Filters of the DPO's audit view. Only codes and dates travel in the URL: no names."""

    actor = forms.ModelChoiceField(
        label=_("Who"), queryset=User.objects.none(), required=False, to_field_name="code"
    )
    action = forms.ChoiceField(label=_("Action"), required=False, choices=action_choices)
    target = forms.CharField(label=_("Record code"), required=False, max_length=64)
    since = DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = staff  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class PeriodForm(forms.Form):
    """The dates of "who has seen" a person's records (in the URL: dates only), and
    whether to show only the reads."""

    since = DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reads = forms.BooleanField(label=_("Only who has seen (no changes)"), required=False)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class RedactForm(forms.Form):
    """Why the DPO redacts an entry's data: a category only (``ostoja.audit.services`` says
    why there is no free text)."""

    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=AuditEntry.RedactionReason.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose why the data is redacted.")},
    )


# --- Finding a record -------------------------------------------------------------------------


class SearchPurpose(models.TextChoices):
    """Why the DPO looks a record up: a category, kept as the search's purpose in the trail
    (no free text — the DPO's search entries are read by others, and a note is where a name
    slips in; the particulars belong in the DPO's own register)."""

    SUBJECT_REQUEST = (
        "subject_request",
        _("A person's request about their data (access, erasure, correction)"),
    )
    COMPLAINT = "complaint", _("A complaint or a suspicion of misused access")
    BREACH = "breach", _("A personal data breach being investigated")
    AUTHORITY = "authority", _("A request of the supervisory authority or a court")
    MONITORING = "monitoring", _("Monitoring of compliance (GDPR Art. 39)")


def _purpose() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Why"),
        choices=[("", "—"), *SearchPurpose.choices],
        error_messages={"required": _("Choose why you are looking the record up.")},
    )


@dataclass(frozen=True)
class CaseNumber:
    """A case number as typed, understood: the number, and the year when it was given."""

    number: int
    year: int | None

    def __str__(self) -> str:
        return f"{self.number:04d}" if self.year is None else f"{self.year}/{self.number:04d}"


_SEPARATORS = r"[\s/\\\-._:,#]"
_DIGITS = re.compile(rf"(\d{{1,6}})(?:{_SEPARATORS}+(\d{{1,6}}))?")
FIRST_YEAR, LAST_YEAR = 1990, 2199


def _year(digits: str) -> bool:
    return len(digits) == 4 and FIRST_YEAR <= int(digits) <= LAST_YEAR


def parse_case_number(text: str, prefix: str) -> CaseNumber:
    """Understand a case number typed any usual way — ``KCIK/2026/0042``, ``kcik 2026 42``,
    ``2026/42``, ``42/2026``, ``0042``, ``42`` — for the organisation whose numbers start
    with ``prefix``. Another organisation's prefix, letters, a number without a year that
    is not a year-and-number pair, or zero: ``ValidationError`` with an example."""
    raw = text.strip().upper()
    prefix = prefix.upper()
    if prefix and raw.startswith(prefix):
        raw = raw[len(prefix) :]
    raw = re.sub(rf"^{_SEPARATORS}+|{_SEPARATORS}+$", "", raw)
    found = _DIGITS.fullmatch(raw)
    if found is None:
        raise ValidationError(_example(prefix), code="invalid")
    first, second = found.groups()
    if second is None:
        number, year = int(first), None
    elif _year(first):  # 2026/0042: the order of the case number itself
        number, year = int(second), int(first)
    elif _year(second):  # 42/2026: the order people say it in
        number, year = int(first), int(second)
    else:
        raise ValidationError(_example(prefix), code="invalid")
    if number == 0:
        raise ValidationError(_example(prefix), code="invalid")
    return CaseNumber(number, year)


def _example(prefix: str) -> str:
    year = timezone.localdate().year
    return str(
        _("This is not a case number of your organisation. Type it as {example}, 42/{year} or 42.")
    ).format(example=f"{prefix}/{year}/0042", year=year)


class CaseSearchForm(forms.Form):
    """Find a case by its number (not an identity: a case number names a file, not a
    person)."""

    number = forms.CharField(
        label=_("Case number"),
        max_length=40,
        error_messages={"required": _("Type a case number.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    purpose = _purpose()
    prefix = "case"  # the page holds two forms: their fields are told apart

    def __init__(self, *args: Any, short_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.short_code = short_code
        self.fields["number"].help_text = _("For example {example}, 42/2026 or 42.").format(
            example=f"{short_code}/2026/0042"
        )

    def clean_number(self) -> CaseNumber:
        return parse_case_number(self.cleaned_data["number"], self.short_code)


class PersonSearchForm(forms.Form):
    """Find a person by name, in any script or spelling (the people app's matcher), and a
    date of birth if the DPO knows it. Posted, never in a URL; never stored."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Type the person's name.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Any script or spelling: Олександр, Oleksandr and Aleksander find each other."),
    )
    birth_date = DateField(
        label=_("Date of birth, if known"),
        required=False,
        latest=tomorrow,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "off"}),
    )
    purpose = _purpose()
    prefix = "person"

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if not any(character.isalpha() for character in name):
            raise ValidationError(_("Type the person's name."), code="invalid")
        return name


class DisclosureFilterForm(forms.Form):
    """The disclosure ledger's filters: what, the recipient (a partner, or words of a
    recipient's name) and the period."""

    kind = forms.ChoiceField(
        label=_("What"), choices=[("", "—"), *ledger.Kind.choices], required=False
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Partner.objects.none(), required=False
    )
    recipient = forms.CharField(label=_("Recipient"), max_length=100, required=False)
    since = DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, partners: QuerySet[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


# --- The DPO's records (GDPR Art. 30, 33, 35): validation only ----------------------------

_day = forms.DateInput(attrs={"type": "date"})
_when = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_text = forms.Textarea(attrs={"rows": 4})


def _activities() -> list[tuple[str, Any]]:
    # Imported here: the record of processing reads the retention schedules, whose job
    # imports the services, which import these forms (through subject access).
    from ostoja.privacy.processing import ACTIVITIES  # noqa: PLC0415

    return [(a.key, a.name) for a in ACTIVITIES]


class DpiaForm(forms.Form):
    """An impact assessment of one processing activity (Art. 35(7))."""

    activity = forms.ChoiceField(label=_("Processing activity"), choices=_activities)
    assessed_on = DateField(label=_("Assessed on"), widget=_day, latest=tomorrow)
    assessor = forms.CharField(label=_("Assessed by"), max_length=200)
    risks = forms.CharField(
        label=_("Risks to the people concerned"),
        max_length=10000,
        widget=_text,
        help_text=_("About the processing, never about a person: this text is not sealed."),
    )
    measures = forms.CharField(
        label=_("Measures that address them"), max_length=10000, widget=_text
    )
    residual_risk = forms.ChoiceField(label=_("Residual risk"), choices=DpiaEntry.Risk.choices)
    status = forms.ChoiceField(label=_("Status"), choices=DpiaEntry.Status.choices)
    next_review = DateField(label=_("Next review by"), widget=_day)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        assessed, review = data.get("assessed_on"), data.get("next_review")
        if assessed and review and review <= assessed:
            self.add_error("next_review", _("The next review comes after the assessment."))
        return data


class BreachForm(forms.Form):
    """A personal data breach as the DPO records it, and as the answers come (Art. 33(3),
    34). The notification question is answered one way or the other, never both."""

    aware_at = DateTimeField(
        label=_("The centre became aware at"),
        widget=_when,
        latest=tomorrow,
        help_text=_("The 72 hours to notify the supervisory authority run from here."),
    )
    occurred_at = DateTimeField(
        label=_("It happened at"), widget=_when, latest=tomorrow, required=False
    )
    description = forms.CharField(
        label=_("What happened"), max_length=10000, widget=_text, help_text=_("Stored sealed.")
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories of data affected"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people_affected = forms.IntegerField(
        label=_("People affected (approximately)"), min_value=0, required=False
    )
    records_affected = forms.IntegerField(
        label=_("Records affected (approximately)"), min_value=0, required=False
    )
    consequences = forms.CharField(
        label=_("Likely consequences"), max_length=10000, widget=_text, required=False
    )
    measures = forms.CharField(
        label=_("Measures taken or proposed"), max_length=10000, widget=_text, required=False
    )
    authority_notified_at = DateTimeField(
        label=_("Supervisory authority (UODO) notified at"),
        widget=_when,
        latest=tomorrow,
        required=False,
    )
    delay_reason = forms.CharField(
        label=_("Reasons for the delay"),
        max_length=5000,
        widget=_text,
        required=False,
        help_text=_("Required when the authority was told after the 72 hours (Art. 33(1))."),
    )
    not_notified_reason = forms.CharField(
        label=_("Why the authority is not notified"),
        max_length=5000,
        widget=_text,
        required=False,
        help_text=_("Only when the breach is unlikely to result in a risk to anyone."),
    )
    subjects_informed_at = DateTimeField(
        label=_("People concerned informed at"), widget=_when, latest=tomorrow, required=False
    )
    subjects_not_informed_reason = forms.CharField(
        label=_("Why the people concerned are not informed"),
        max_length=5000,
        widget=_text,
        required=False,
        help_text=_("Art. 34(3): no high risk, the data was unintelligible, or other measures."),
    )
    closed = forms.BooleanField(label=_("The breach is dealt with (closed)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        aware, occurred = data.get("aware_at"), data.get("occurred_at")
        notified = data.get("authority_notified_at")
        if aware and occurred and occurred > aware:
            self.add_error("occurred_at", _("It cannot have happened after the centre knew."))
        if aware and notified and notified < aware:
            self.add_error(
                "authority_notified_at", _("The notification comes after becoming aware.")
            )
        if notified and data.get("not_notified_reason"):
            self.add_error(
                "not_notified_reason",
                _("Either the authority was notified, or the reason it is not: not both."),
            )
        late = aware and notified and notified > aware + NOTIFY_WITHIN
        if late and not data.get("delay_reason"):
            self.add_error("delay_reason", _("Notified after 72 hours: say why it was late."))
        if data.get("subjects_informed_at") and data.get("subjects_not_informed_reason"):
            self.add_error(
                "subjects_not_informed_reason",
                _("Either the people were informed, or the reason they are not: not both."),
            )
        undecided = not notified and not data.get("not_notified_reason")
        if data.get("closed") and undecided:
            self.add_error(
                "closed", _("Before closing, record the notification or why there is none.")
            )
        return data


# --- Subject-rights requests ------------------------------------------------------------------


class SubjectRequestForm(forms.Form):
    """A request a person made about their data, as their case manager registers it."""

    kind = forms.ChoiceField(label=_("Request"), choices=SubjectRequest.Kind.choices)
    received_on = DateField(
        label=_("Received on"),
        latest=tomorrow,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    channel = forms.ChoiceField(label=_("Received"), choices=SubjectRequest.Channel.choices)
    details = forms.CharField(
        label=_("What the person asks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    field = forms.ChoiceField(
        label=_("Detail to correct"),
        required=False,
        choices=lambda: [("", "—"), *rectifiable_choices()],
        help_text=_("For a rectification: what on the person's record is wrong."),
    )
    correction = forms.CharField(
        label=_("Correct value"),
        required=False,
        max_length=4000,
        help_text=_("For a rectification: what it should say (a date as YYYY-MM-DD)."),
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("kind") == SubjectRequest.Kind.RECTIFICATION:
            correction_value(data.get("field") or "", data.get("correction") or "")
        else:
            data["field"], data["correction"] = "", ""
        return data


class VerifyForm(forms.Form):
    """How the case manager verified, in person, that the person asking is the person."""

    evidence = forms.ChoiceField(
        label=_("How the identity was verified"),
        choices=SubjectRequest.Evidence.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        help_text=_(
            "Not the document's number: only what helps if the verification is asked about."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I met the person and compared them with the document (or know them in person)."),
    )


class RefuseForm(forms.Form):
    """Why a request is refused: the reason the person will be told, and a note. An Art.
    17(3) ground is the data protection officer's to record."""

    reason = forms.ChoiceField(label=_("Reason"), choices=SubjectRequest.Refusal.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, reasons: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reasons is not None:
            self.fields["reason"].choices = [  # type: ignore[attr-defined]
                (value, label)
                for value, label in SubjectRequest.Refusal.choices
                if value in reasons
            ]
