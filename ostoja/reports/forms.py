import datetime as dt
from collections.abc import Mapping

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.reports.figures import Period

# A report reads every record of the period: ten years at most.
LONGEST = dt.timedelta(days=3660)


class PeriodForm(forms.Form):
    """The period of a report (``?from=…&to=…``); the last full year when none is given."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    @staticmethod
    def data_from(query: Mapping[str, str], default: Period | None = None) -> dict[str, str]:
        """The form's data from the query string's ``from`` and ``to``; ``default`` (the
        last full year) for what is not given."""
        default = default or Period.year(timezone.localdate().year - 1)
        return {
            "start": query.get("from") or default.start.isoformat(),
            "end": query.get("to") or default.end.isoformat(),
        }

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            if end < start:
                raise forms.ValidationError(_("The period must end on or after its first day."))
            if end - start > LONGEST:
                raise forms.ValidationError(_("A report covers at most ten years."))
        return data

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])
