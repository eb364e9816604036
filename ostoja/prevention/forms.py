"""Forms of prevention: validation only."""

from typing import Any

from django import forms
from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import Organisation
from ostoja.interventions.notify import DeliveryError, e164
from ostoja.lib.iso import country_choices, country_name
from ostoja.network.models import Partner
from ostoja.prevention.models import Answer, CheckInSeries, Counselling, Flag, FlagCatalogue
from ostoja.prevention.plan import PLAN_LANGUAGES, consulates_of

_NOT_ASKED = [("", _("Not asked"))]
_text = forms.Textarea(attrs={"rows": 2})


def _choices(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return _NOT_ASKED + choices


class ConsulateField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A consulate of the directory, labelled with its town and country."""

    def label_from_instance(self, obj: Any) -> str:
        place = ", ".join(x for x in (obj.city, country_name(obj.country or "PL")) if x)
        return f"{obj.name} ({place})"


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
    consulate_partner = ConsulateField(
        label=_("Polish consulate from the partner directory"),
        required=False,
        queryset=Partner.objects.none(),
        help_text=_(
            "Its name, address and phone go into the safety plan. If you choose none and "
            "type none, the plan names the directory's consulate in the destination "
            "country, if it has only one there."
        ),
    )
    consulate = forms.CharField(
        label=_("Polish consulate (address, phone)"),
        help_text=_("If it is not in the directory."),
        required=False,
        max_length=1000,
        widget=_text,
    )
    code_word = forms.CharField(
        label=_("Code word agreed with the person"), required=False, max_length=100
    )

    def __init__(
        self,
        *args: Any,
        catalogue: FlagCatalogue,
        organisation: Organisation,
        destination: str = "",
        **kwargs: Any,
    ) -> None:
        """``destination``: the record's destination country, whose consulates come first."""
        super().__init__(*args, **kwargs)
        country: Any = self.fields["country"]
        country.choices = _choices(country_choices())
        flags: Any = self.fields["flags"]
        flags.queryset = catalogue.flags.order_by("order")
        consulates: Any = self.fields["consulate_partner"]
        there = Case(When(country=destination, then=0), default=1) if destination else Value(1)
        consulates.queryset = consulates_of(organisation).order_by(there, "name", "pk")


class AgencyLookupForm(forms.Form):
    q = forms.CharField(label=_("Agency name or KRAZ number"), max_length=400)


class CheckInSeriesForm(forms.Form):
    """Check-ins abroad: the person's consent, the channel and the schedule."""

    consent = forms.BooleanField(
        label=_("The person agreed to receive check-ins by this channel"), required=True
    )
    consent_by = forms.CharField(
        label=_("Consent given by"),
        max_length=200,
        help_text=_("Who agreed, as they said it (the person, or their guardian)."),
    )
    consent_on = forms.DateField(
        label=_("Consent given on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=CheckInSeries.Channel.choices)
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=40)
    email = forms.EmailField(label=_("E-mail address"), required=False, max_length=254)
    language = forms.ChoiceField(label=_("Language of the messages"), choices=PLAN_LANGUAGES)
    starts_on = forms.DateField(
        label=_("First check-in on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    interval_days = forms.IntegerField(
        label=_("Every (days)"), min_value=1, max_value=90, initial=7
    )
    ends_on = forms.DateField(
        label=_("Last check-in by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    count = forms.IntegerField(
        label=_("Number of check-ins"), required=False, min_value=1, max_value=200
    )
    answer_hours = forms.IntegerField(
        label=_("Hours to answer"), min_value=1, max_value=168, initial=48
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # On the counselling page beside its form, which has a "channel" of its own.
        kwargs.setdefault("auto_id", "check-in-%s")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        channel = data.get("channel")
        if channel == CheckInSeries.Channel.SMS and not data.get("phone"):
            self.add_error("phone", _("Give the number the messages go to."))
        elif channel == CheckInSeries.Channel.SMS:
            try:
                data["phone"] = e164(data["phone"])
            except DeliveryError:
                self.add_error("phone", _("This is not a phone number."))
        if channel == CheckInSeries.Channel.EMAIL and not data.get("email"):
            self.add_error("email", _("Give the address the messages go to."))
        if not data.get("ends_on") and not data.get("count"):
            self.add_error("count", _("Give a last date or a number of check-ins."))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last date is before the first."))
        return data
