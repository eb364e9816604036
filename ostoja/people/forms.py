"""Forms of the people pages: validation only."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.lib.forms import DateField, ModelForm, PhoneField
from ostoja.lib.iso import country_choices, language_choices
from ostoja.people.models import Person, Relation

_multi = {"size": 5}


class PersonForm(ModelForm):
    """A person's details, in the order the case manager meets them."""

    phone = PhoneField(label=_("Phone"), required=False)
    citizenships = forms.MultipleChoiceField(
        label=_("Citizenship"),
        choices=country_choices,
        required=False,
        widget=forms.SelectMultiple(attrs=_multi),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=language_choices,
        required=False,
        widget=forms.SelectMultiple(attrs=_multi),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=lambda: [("", "—"), *language_choices()],
        required=False,
    )

    class Meta:
        model = Person
        fields = [
            "kind",
            "name",
            "name_latin",
            "aliases",
            "birth_date",
            "estimated_age",
            "possible_minor",
            "gender",
            "citizenships",
            "languages",
            "preferred_language",
            "interpreter_needed",
            "phone",
            "email",
            "other_contact",
            "safe_channel",
            "safe_times",
            "voicemail_ok",
            "sms_ok",
            "phone_controlled",
            "code_word",
            "safety_notes",
            "documents",
            "legal_status",
            "vulnerabilities",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}),
            "aliases": forms.Textarea(attrs={"rows": 2}),
            "other_contact": forms.Textarea(attrs={"rows": 2}),
            "safe_times": forms.Textarea(attrs={"rows": 2}),
            "safety_notes": forms.Textarea(attrs={"rows": 2}),
            "vulnerabilities": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_birth_date(self) -> Any:
        born = self.cleaned_data.get("birth_date")
        if born is not None and born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if born is not None and born.year < 1900:
            raise forms.ValidationError(_("Check the year of birth."))
        return born

    def clean_estimated_age(self) -> Any:
        age = self.cleaned_data.get("estimated_age")
        if age is not None and age > 120:
            raise forms.ValidationError(_("Check the estimated age."))
        return age

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("birth_date") and data.get("estimated_age") is not None:
            self.add_error("estimated_age", _("Give either the date of birth or an estimated age."))
        if data.get("phone_controlled") and (data.get("voicemail_ok") or data.get("sms_ok")):
            self.add_error(
                "phone_controlled",
                _("If someone else may control the phone, do not leave voicemail or SMS."),
            )
        return data


class RelationForm(forms.Form):
    other = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Relation"), choices=Relation.Kind.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class MatchForm(forms.Form):
    """The duplicate check as the person form is typed (all optional)."""

    name = forms.CharField(required=False, max_length=200)
    name_latin = forms.CharField(required=False, max_length=200)
    aliases = forms.CharField(required=False, max_length=2000)
    birth_date = DateField(required=False)
    estimated_age = forms.IntegerField(required=False, min_value=0, max_value=120)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=200, required=False)


class MergeForm(forms.Form):
    duplicate = forms.UUIDField(widget=forms.HiddenInput)
