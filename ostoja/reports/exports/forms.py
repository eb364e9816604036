import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import Organisation
from ostoja.lib.forms import DateField, ModelForm
from ostoja.reports.exports.models import Kind
from ostoja.reports.exports.services import validate_period

_day = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def last_year() -> tuple[dt.date, dt.date]:
    year = timezone.localdate().year - 1
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Export"),
        choices=Kind.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    start = DateField(label=_("From"), widget=_day)
    end = DateField(label=_("Until"), widget=_day)
    # Every export is an entry in the disclosure ledger: to whom it goes.
    recipient = forms.CharField(
        label=_("Given to"),
        max_length=200,
        help_text=_("E.g. the Ministry of the Interior, Eurostat through Statistics Poland, IOM."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end"):
            try:
                validate_period(data["start"], data["end"])
            except ValidationError as error:
                self.add_error(None, error)
        return data


class ThresholdForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Organisation
        fields = ["suppression_k"]
