"""Forms of identification: validation only."""

import json
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.identification.models import Answer, Assessment, Decision, Preliminary
from ostoja.lib.forms import ModelForm

_checks = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
_date = forms.DateInput(attrs={"type": "date"})


class StartForm(forms.Form):
    mode = forms.ChoiceField(label=_("Kind"), choices=Assessment.Mode.choices)
    exploitation = forms.MultipleChoiceField(
        label=_("Forms of exploitation suspected"),
        choices=[
            ("labour", _("Labour (incl. begging, criminal activities)")),
            ("sexual", _("Sexual")),
        ],
        required=False,
        widget=_checks,
        help_text=_("Both lists are used when both apply; labour when it is not known yet."),
    )
    age_at_exploitation = forms.IntegerField(
        label=_("Age at exploitation"),
        min_value=0,
        max_value=120,
        required=False,
        help_text=_("Under 18: the children's lists, where the means are not required."),
    )


class AnswerForm(forms.Form):
    indicator = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.ChoiceField(choices=Answer.Value.choices)
    source = forms.ChoiceField(choices=[("", "—"), *Answer.Source.choices], required=False)
    note = forms.CharField(max_length=2000, required=False)


class PreliminaryForm(ModelForm):
    reasons = forms.MultipleChoiceField(
        label=_("Why contact is limited"), choices=Preliminary.Reason.choices, widget=_checks
    )

    class Meta:
        model = Preliminary
        fields = ["reasons", "apply_standards", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class DecisionForm(ModelForm):
    class Meta:
        model = Decision
        fields = [
            "status",
            "decided_by",
            "decided_on",
            "certificate_issued_on",
            "assessment",
            "basis",
        ]
        widgets = {
            "decided_on": _date,
            "certificate_issued_on": _date,
            "basis": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, assessments: QuerySet[Assessment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assessment"]
        field.queryset = assessments  # type: ignore[attr-defined]
        # The time in Warsaw (stored in UTC): an assessment made at 00:30 is that day's.
        field.label_from_instance = lambda a: (  # type: ignore[attr-defined]  # ModelChoiceField
            f"{timezone.localtime(a.created_at):%Y-%m-%d %H:%M} · {a.get_mode_display()}"
        )


class CatalogueForm(forms.Form):
    file = forms.FileField(
        label=_("Catalogue file (JSON)"),
        help_text=_("Download the current version, edit it, raise its version and upload it."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            data = json.loads(upload.read(2_000_000).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise forms.ValidationError(_("The file is not valid JSON.")) from None
        if not isinstance(data, dict):
            raise forms.ValidationError(_("The file is not a catalogue."))
        return data
