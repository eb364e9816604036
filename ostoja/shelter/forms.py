"""Forms of the shelter: validation only."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ostoja.cases.models import Goal
from ostoja.lib.forms import DateField, DateTimeField, tomorrow
from ostoja.people.models import Person
from ostoja.shelter.models import (
    Bed,
    Facility,
    Incident,
    KeptItem,
    Placement,
    ShiftEntry,
    WaitingEntry,
)

_when = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_day = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BoardForm(forms.Form):
    on = DateField(label=_("Night of"), required=False, widget=_day)


class _PersonField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name())


class _BedField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.room.facility.name} · {obj.room.name} / {obj.label}"


class ReserveForm(forms.Form):
    person = _PersonField(label=_("Person"), queryset=Person.objects.none())
    facility = forms.ModelChoiceField(label=_("Facility"), queryset=Facility.objects.none())
    bed = _BedField(label=_("Bed"), queryset=Bed.objects.none())
    expected_at = DateTimeField(
        label=_("Expected arrival"), required=False, widget=_when, latest=tomorrow
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[Person],
        facilities: QuerySet[Facility],
        beds: QuerySet[Bed],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]
        self.fields["bed"].queryset = beds  # type: ignore[attr-defined]


class AdmitForm(forms.Form):
    at = DateTimeField(label=_("Arrived"), widget=_when, latest=tomorrow)
    brought_by = forms.ChoiceField(label=_("Brought by"), choices=Placement.BroughtBy.choices)
    arrived_with = forms.CharField(
        label=_("Arrived with"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Documents, phone, money, belongings. Stored sealed."),
    )
    expected_departure = DateField(label=_("Expected departure"), required=False, widget=_day)


class DischargeForm(forms.Form):
    at = DateTimeField(label=_("Left"), widget=_when, latest=tomorrow)
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[c for c in Placement.Reason.choices if c[0] != Placement.Reason.MOVED],
    )
    destination = forms.ChoiceField(
        label=_("Where the person went"), choices=Placement.Destination.choices
    )


class MoveForm(forms.Form):
    bed = _BedField(label=_("New bed"), queryset=Bed.objects.none())
    at = DateTimeField(label=_("When"), widget=_when, latest=tomorrow)

    def __init__(self, *args: Any, beds: QuerySet[Bed], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bed"].queryset = beds  # type: ignore[attr-defined]


class AbsenceForm(forms.Form):
    expected_back = DateTimeField(label=_("Expected back"), widget=_when)
    where = forms.CharField(
        label=_("Where (if the resident wishes to say)"),
        required=False,
        max_length=500,
        help_text=_("Stored sealed."),
    )


class _ResidentField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.display_name()} · {obj.bed}"


class ShiftEntryForm(forms.Form):
    shift = forms.ChoiceField(label=_("Shift"), choices=ShiftEntry.Shift.choices)
    text = forms.CharField(
        label=_("Entry"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Stored sealed."),
    )
    placement = _ResidentField(
        label=_("About the resident"), queryset=Placement.objects.none(), required=False
    )
    for_case_manager = forms.BooleanField(label=_("For the case manager"), required=False)

    def __init__(self, *args: Any, residents: QuerySet[Placement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["placement"].queryset = residents  # type: ignore[attr-defined]


class WaitingForm(forms.Form):
    person = _PersonField(label=_("Person"), queryset=Person.objects.none())
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=WaitingEntry.Priority.choices, coerce=int
    )
    needs = forms.CharField(
        label=_("What the place must offer"),
        required=False,
        max_length=1000,
        help_text=_("Stored sealed."),
    )
    offered = forms.ChoiceField(
        label=_("Offered instead"), choices=WaitingEntry.Offered.choices, required=False
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class KeptItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=KeptItem.Kind.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=1000,
        help_text=_("As on the receipt: e.g. passport of Ukraine, 200 PLN. Stored sealed."),
    )


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=Incident.Kind.choices)
    at = DateTimeField(label=_("When"), widget=_when, latest=tomorrow)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Stored sealed."),
    )
    placement = _ResidentField(
        label=_("About the resident"), queryset=Placement.objects.none(), required=False
    )

    def __init__(self, *args: Any, residents: QuerySet[Placement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["placement"].queryset = residents  # type: ignore[attr-defined]


class _GoalField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_domain_display()}: {obj.text}"


class StayStepForm(forms.Form):
    """A step of the case plan taken during the stay (safety, health, legal…)."""

    goal = _GoalField(label=_("Goal of the case plan"), queryset=Goal.objects.none())
    text = forms.CharField(
        label=_("Step"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    due = DateField(label=_("Due"), required=False, widget=_day)

    def __init__(self, *args: Any, goals: QuerySet[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals  # type: ignore[attr-defined]
