"""Forms of interventions: validation only."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import User
from ostoja.duty.forms import StaffField
from ostoja.interventions.models import Intervention, InterventionAction
from ostoja.lib.forms import DateTimeField, tomorrow

_when = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class InterventionForm(forms.Form):
    situation = forms.ChoiceField(label=_("Situation"), choices=Intervention.Situation.choices)
    location = forms.CharField(
        label=_("Where"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Stored sealed; shown only in Ostoja, never in a notification."),
    )
    description = forms.CharField(
        label=_("What is happening"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    first_contact_at = DateTimeField(
        label=_("First contact"),
        required=False,
        latest=tomorrow,
        widget=_when,
        help_text=_("When the person or someone about them first got through; now if empty."),
    )


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Action"), choices=InterventionAction.Kind.choices)
    at = DateTimeField(label=_("When"), widget=_when, latest=tomorrow)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Intervention.Outcome.choices)
    handover_to = StaffField(
        label=_("Hand over to (case manager)"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, managers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handover_to"].queryset = managers  # type: ignore[attr-defined]


class HandoverAssignForm(forms.Form):
    handover_to = StaffField(label=_("Hand over to (case manager)"), queryset=User.objects.none())

    def __init__(self, *args: Any, managers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handover_to"].queryset = managers  # type: ignore[attr-defined]
