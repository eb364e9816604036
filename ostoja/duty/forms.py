"""Forms of the roster: shifts, swaps, handover notes, the duty phone, office hours and the
escalation timing. Validation only."""

from typing import Any

import phonenumbers
from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import User
from ostoja.duty.models import DutySettings
from ostoja.lib.forms import DateTimeField, ModelForm, PhoneField

_when = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StaffField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


class ShiftForm(forms.Form):
    start = DateTimeField(label=_("From"), widget=_when)
    end = DateTimeField(label=_("Until"), widget=_when)
    primary = StaffField(label=_("On duty"), queryset=User.objects.none())
    backup = StaffField(label=_("Backup"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("primary", "backup"):
            self.fields[name].queryset = staff  # type: ignore[attr-defined]


class HandoverForm(forms.Form):
    text = forms.CharField(
        label=_("Handover notes"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SwapForm(forms.Form):
    asked = StaffField(label=_("Colleague"), queryset=User.objects.none())

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asked"].queryset = staff  # type: ignore[attr-defined]


class DutyPhoneForm(forms.Form):
    number = PhoneField(label=_("Duty phone"))

    def clean_number(self) -> str:
        """In E.164: the telephony provider forwards calls to it."""
        number = phonenumbers.parse(self.cleaned_data["number"], "PL")
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(_("This is not a phone number."))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class SettingsForm(ModelForm):
    class Meta:
        model = DutySettings
        fields = ["acknowledge_minutes", "idle_minutes"]

    def clean_acknowledge_minutes(self) -> int:
        value: int = self.cleaned_data["acknowledge_minutes"]
        if not 1 <= value <= 120:
            raise forms.ValidationError(_("Between 1 and 120 minutes."))
        return value

    def clean_idle_minutes(self) -> int:
        value: int = self.cleaned_data["idle_minutes"]
        if not 5 <= value <= 720:
            raise forms.ValidationError(_("Between 5 and 720 minutes."))
        return value


class MonthForm(forms.Form):
    month = forms.RegexField(regex=r"^\d{4}-\d{2}$", required=False)


WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]
_time = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class OfficeHoursForm(forms.Form):
    """Opening and closing time per weekday; a day left empty is closed (duty all day).
    Polish public holidays are always closed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, day in enumerate(WEEKDAYS):
            self.fields[f"opens_{number}"] = forms.TimeField(
                label=format_lazy("{day}: {what}", day=day, what=_("opens")),
                required=False,
                widget=_time,
            )
            self.fields[f"closes_{number}"] = forms.TimeField(
                label=format_lazy("{day}: {what}", day=day, what=_("closes")),
                required=False,
                widget=_time,
            )

    @staticmethod
    def initial_from(hours: dict[str, list[str]]) -> dict[str, str]:
        initial = {}
        for weekday, (opens, closes) in hours.items():
            initial[f"opens_{weekday}"], initial[f"closes_{weekday}"] = opens, closes
        return initial

    def hours(self) -> dict[str, list[str]]:
        """The cleaned hours as the organisation stores them."""
        found = {}
        for number in range(7):
            opens = self.cleaned_data.get(f"opens_{number}")
            closes = self.cleaned_data.get(f"closes_{number}")
            if opens and closes:
                found[str(number)] = [opens.strftime("%H:%M"), closes.strftime("%H:%M")]
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in range(7):
            opens, closes = data.get(f"opens_{number}"), data.get(f"closes_{number}")
            if bool(opens) != bool(closes):
                self.add_error(
                    f"closes_{number}", _("Give both times, or neither for a closed day.")
                )
            elif opens and closes and opens >= closes:
                self.add_error(f"closes_{number}", _("The office must close after it opens."))
        return data
