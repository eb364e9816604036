"""Forms of the helpline: validation only."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import User
from ostoja.helpline.models import Contact
from ostoja.lib.forms import DateField, DateTimeField, PhoneField, tomorrow
from ostoja.lib.iso import common_language_choices, language_choices

SUMMARY_MAX = 20_000  # characters: a long call's notes, not a document
CONTACTS_SINCE = dt.date(2000, 1, 1)  # no centre's helpline record is older


@dataclass(frozen=True)
class SummaryTemplate:
    """A quick template of the live-call screen: headings the counsellor answers in the
    summary, one a line, and the purpose it ticks. Prompts, never statements: what the
    record says is what the counsellor wrote after them (a contact is not completed with
    a heading left unanswered)."""

    label: str | Promise
    purpose: str
    prompts: tuple[str | Promise, ...]

    @property
    def text(self) -> str:
        return "\n".join(str(prompt) for prompt in self.prompts)


SUMMARY_TEMPLATES = (
    SummaryTemplate(
        _("Prevention advice"),
        Contact.Purpose.PREVENTION,
        (
            _("Where and what work is offered:"),
            _("Employer or agency — what was checked:"),
            _("Contract and documents:"),
            _("Warning signs discussed:"),
            _("Materials given (safety sheet, helpline number):"),
        ),
    ),
    SummaryTemplate(
        _("Institution consultation"),
        Contact.Purpose.INSTITUTION,
        (
            _("Who asked (institution, role):"),
            _("The situation:"),
            _("What was advised:"),
            _("What they will do next:"),
        ),
    ),
)


def unanswered(summary: str) -> list[str]:
    """The template headings in ``summary`` with nothing written after them, in any of
    the interface's languages (a counsellor may switch language during a call)."""
    prompts: set[str] = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            prompts |= {str(p) for template in SUMMARY_TEMPLATES for p in template.prompts}
    return [line.strip() for line in summary.splitlines() if line.strip() in prompts]


class ContactForm(forms.Form):
    """The live-call screen, in the order a counsellor meets the fields."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Contact.Channel.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Contact.Direction.choices)
    caller_number = PhoneField(label=_("Caller's number"), required=False)
    number_withheld = forms.BooleanField(label=_("Number withheld or unknown"), required=False)
    caller_type = forms.ChoiceField(
        label=_("Who is calling"),
        choices=[("", "—"), *Contact.CallerType.choices],
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=language_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    interpreter = forms.BooleanField(label=_("An interpreter took part"), required=False)
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"),
        choices=Contact.Purpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Contact.Urgency.choices)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *Contact.Outcome.choices], required=False
    )
    # A contact has happened (the live call is now): never in the future, never in 1402.
    started_at = DateTimeField(label=_("Started"), earliest=CONTACTS_SINCE, latest=tomorrow)
    ended_at = DateTimeField(
        label=_("Ended"), required=False, earliest=CONTACTS_SINCE, latest=tomorrow
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        started, ended = data.get("started_at"), data.get("ended_at")
        if started and ended and ended < started:
            self.add_error("ended_at", _("The end is before the start."))
        if data.get("number_withheld") and data.get("caller_number"):
            self.add_error("caller_number", _("The number is withheld: leave it empty."))
        return data


class CompleteForm(ContactForm):
    """Closing a contact: what the statistics need must be there."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("caller_type"):
            self.add_error("caller_type", _("Say who called."))
        if not data.get("purposes"):
            self.add_error("purposes", _("Choose at least one purpose."))
        if left := unanswered(data.get("summary") or ""):
            message = _("Answer the template's headings or delete them: {headings}")
            self.add_error("summary", message.format(headings="; ".join(left)))
        return data


class FollowUpForm(forms.Form):
    task = forms.CharField(
        label=_("What to do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    due = DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    assignee = forms.ModelChoiceField(
        label=_("Who"),
        queryset=User.objects.none(),
        to_field_name="code",
        required=False,
        help_text=_("Empty: yourself."),
    )

    def __init__(self, *args: Any, staff: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if staff is not None:
            self.fields["assignee"].queryset = staff  # type: ignore[attr-defined]


class ContactFilterForm(forms.Form):
    """Filters of the contact list. Codes and dates only: nothing personal in the URL."""

    since = DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", "—"), *Contact.Channel.choices]
    )
    caller_type = forms.ChoiceField(
        label=_("Caller"), required=False, choices=[("", "—"), *Contact.CallerType.choices]
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"), required=False, choices=[("", "—"), *Contact.Purpose.choices]
    )
    language = forms.ChoiceField(  # the common ones: a short list renders fast
        label=_("Language"), required=False, choices=lambda: [("", "—"), *common_language_choices()]
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), required=False, choices=[("", "—"), *Contact.Urgency.choices]
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Answer"), max_length=SUMMARY_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )
