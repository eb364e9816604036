"""Forms of prevention: validation only."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ostoja.lib.iso import country_choices
from ostoja.prevention.models import Answer, Counselling, Flag, FlagCatalogue
from ostoja.prevention.plan import PLAN_LANGUAGES

_NOT_ASKED = [("", _("Not asked"))]
_text = forms.Textarea(attrs={"rows": 2})


def _choices(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return _NOT_ASKED + choices


class CounsellingForm(forms.Form):
    """The pre-departure counselling record, in the order a conversation goes."""

    country = forms.ChoiceField(label=_("Destination country"), required=False)
    city = forms.CharField(label=_("Destination town"), required=False, max_length=120)
    work = forms.ChoiceField(
        label=_("Kind of work"), required=False, choices=_choices(Counselling.Work.choices)
    )
    work_detail = forms.CharField(
        label=_("The work as described"), required=False, max_length=2000, widget=_text
    )
    channel = forms.ChoiceField(
        label=_("How the offer came"),
        required=False,
        choices=_choices(Counselling.Channel.choices),
    )
    agency_name = forms.CharField(label=_("Agency or recruiter"), required=False, max_length=400)
    agency_number = forms.CharField(
        label=_("KRAZ register number given"),
        required=False,
        max_length=32,
        help_text=_("Checked against the register when saved."),
    )
    contract_written = forms.ChoiceField(
        label=_("Is there a written contract?"), required=False, choices=_choices(Answer.choices)
    )
    contract_language = forms.ChoiceField(
        label=_("Is it in a language the person reads?"),
        required=False,
        choices=_choices(Answer.choices),
    )
    passport_keeper = forms.ChoiceField(
        label=_("Who will keep the passport?"),
        required=False,
        choices=_choices(Counselling.Keeper.choices),
    )
    housing = forms.ChoiceField(
        label=_("Who arranges housing?"),
        required=False,
        choices=_choices(Counselling.Arranged.choices),
    )
    transport = forms.ChoiceField(
        label=_("Who arranges the journey?"),
        required=False,
        choices=_choices(Counselling.Arranged.choices),
    )
    money_asked = forms.ChoiceField(
        label=_("Was money asked in advance?"), required=False, choices=_choices(Answer.choices)
    )
    money_detail = forms.CharField(
        label=_("How much and what for"), required=False, max_length=1000, widget=_text
    )
    flags = forms.ModelMultipleChoiceField(
        label=_("Red flags"),
        required=False,
        queryset=Flag.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    advice_given = forms.CharField(
        label=_("What you advised"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In your own words: what you actually said or handed over."),
    )

    plan_language = forms.ChoiceField(
        label=_("Language of the safety plan"), required=False, choices=_choices(PLAN_LANGUAGES)
    )
    emergency_number = forms.CharField(
        label=_("Emergency number abroad"),
        required=False,
        max_length=20,
        help_text=_("Left empty: 112, which answers across the European Union."),
    )
    consulate = forms.CharField(
        label=_("Polish consulate (address, phone)"),
        required=False,
        max_length=1000,
        widget=_text,
    )
    code_word = forms.CharField(
        label=_("Code word agreed with the person"), required=False, max_length=100
    )

    def __init__(self, *args: Any, catalogue: FlagCatalogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country: Any = self.fields["country"]
        country.choices = _choices(country_choices())
        flags: Any = self.fields["flags"]
        flags.queryset = catalogue.flags.order_by("order")


class AgencyLookupForm(forms.Form):
    q = forms.CharField(label=_("Agency name or KRAZ number"), max_length=400)
