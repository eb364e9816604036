"""The DPO's forms of retention: a schedule, a legal hold (issue #19)."""

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.lib.forms import DateField
from ostoja.privacy.forms import CaseNumber, parse_case_number
from ostoja.privacy.models import LegalHold
from ostoja.privacy.models.retention import Unit

# Longest a schedule may say: nothing is kept longer than 50 years by default.
MAX_DAYS = 50 * 366
DAYS = {Unit.DAYS: 1, Unit.MONTHS: 31, Unit.YEARS: 366}


class ScheduleForm(forms.Form):
    """How long one kind of record is kept, the warning, and why."""

    length = forms.IntegerField(label=_("Kept for"), min_value=1, max_value=999)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    warn_days = forms.IntegerField(
        label=_("Warn the case manager (days before)"), min_value=0, max_value=365
    )
    basis = forms.CharField(
        label=_("Legal basis"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The provisions and the reasoning, as your register of processing has them."),
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        length, unit, warn = data.get("length"), data.get("unit"), data.get("warn_days")
        if length and unit:
            days = length * DAYS[Unit(unit)]
            if days > MAX_DAYS:
                raise ValidationError(_("Keep records for 50 years at most."), code="too_long")
            if warn is not None and warn >= days:
                raise ValidationError(
                    _("The warning must come before the end of the period."), code="warn"
                )
        return data


class HoldForm(forms.Form):
    """A legal hold on a case, found by its number, or on a person, by their record's code
    (as the DPO's search shows it): never by a name."""

    number = forms.CharField(
        label=_("Case number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    person = forms.UUIDField(
        label=_("Or a person's record code"),
        required=False,
        help_text=_("The code your search for the person showed. A hold on a case keeps its "
                    "clients too."),
    )  # fmt: skip
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=LegalHold.Reason.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label=_("Particulars"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the file number of the proceedings. No names."),
    )
    starts_on = DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, short_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.short_code = short_code
        self.fields["number"].help_text = _("For example {example}, 42/2026 or 42.").format(
            example=f"{short_code}/2026/0042"
        )

    def clean_number(self) -> CaseNumber | None:
        typed = str(self.cleaned_data.get("number") or "").strip()
        return parse_case_number(typed, self.short_code) if typed else None

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        number: CaseNumber | None = data.get("number")
        person: uuid.UUID | None = data.get("person")
        if "number" in self.errors:
            return data
        if (number is None) == (person is None):
            raise ValidationError(_("Give a case number or a person's code (one of them)."))
        starts: dt.date = data.get("starts_on") or timezone.localdate()
        ends: dt.date | None = data.get("ends_on")
        if ends is not None and ends < max(starts, timezone.localdate()):
            raise ValidationError(_("The hold must end on a later day."), code="dates")
        data["starts_on"] = starts
        return data
