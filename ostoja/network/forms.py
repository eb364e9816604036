"""Forms of the partner directory: validation only."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ostoja.lib.forms import PhoneField
from ostoja.lib.iso import language_choices
from ostoja.network.models import Partner, PartnerService
from ostoja.network.vocabulary import PartnerKind, ServiceKind, Voivodeship, Weekday

_ANY: list[tuple[str, Any]] = [("", _("Any"))]


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=_ANY + PartnerKind.choices, required=False)
    voivodeship = forms.ChoiceField(
        label=_("Voivodeship"), choices=_ANY + Voivodeship.choices, required=False
    )
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    language = forms.ChoiceField(label=_("Language"), choices=(), required=False)
    service = forms.ChoiceField(
        label=_("Service"), choices=_ANY + ServiceKind.choices, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _ANY + language_choices()  # type: ignore[attr-defined]


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    alternate_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    voivodeship = forms.ChoiceField(
        label=_("Voivodeship"), choices=[("", "—"), *Voivodeship.choices], required=False
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.RegexField(
        label=_("Postal code"),
        regex=r"^\d{2}-\d{3}$",
        required=False,
        error_messages={"invalid": _("A Polish postal code looks like 00-950.")},
    )
    phone = PhoneField(label=_("Phone"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def of(cls, partner: Partner) -> dict[str, Any]:
        """The form's initial values from a partner."""
        return {name: getattr(partner, name) for name in cls.base_fields}


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of service"), choices=ServiceKind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=PartnerService.Status.choices)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    areas = forms.MultipleChoiceField(
        label=_("Voivodeships served"),
        choices=Voivodeship.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: the whole country."),
    )
    days = forms.MultipleChoiceField(
        label=_("Open on"),
        choices=Weekday.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opens_at = forms.TimeField(
        label=_("Opens at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    closes_at = forms.TimeField(
        label=_("Closes at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    phone = PhoneField(label=_("Phone"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("It closes before it opens."))
        return data

    @classmethod
    def of(cls, service: PartnerService) -> dict[str, Any]:
        return {name: getattr(service, name) for name in cls.base_fields}


class PartnerContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(
        label=_("Function"),
        max_length=200,
        required=False,
        help_text=_("E.g. officer of the anti-trafficking team, consul."),
    )
    department = forms.CharField(label=_("Department"), max_length=200, required=False)
    phone = PhoneField(label=_("Phone"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    @classmethod
    def of(cls, contact: Any) -> dict[str, Any]:
        return {name: getattr(contact, name) for name in cls.base_fields}
