"""Forms of the partner directory: validation only."""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import User
from ostoja.duty.forms import StaffField
from ostoja.interventions.models import Intervention
from ostoja.lib.forms import DateField, DateTimeField, PhoneField, tomorrow
from ostoja.lib.iso import country_choices, country_name, language_choices
from ostoja.network.models import (
    Booking,
    Consultation,
    Interpreter,
    Partner,
    PartnerLocation,
    PartnerService,
    Referral,
    Training,
)
from ostoja.network.vocabulary import PartnerKind, ServiceKind, Voivodeship, Weekday
from ostoja.people.models import Person

_ANY: list[tuple[str, Any]] = [("", _("Any"))]
POSTAL_CODE = re.compile(r"^\d{2}-\d{3}$")


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
    archived = forms.BooleanField(label=_("Archived partners only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _ANY + language_choices()  # type: ignore[attr-defined]


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    alternate_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    country = forms.ChoiceField(
        label=_("Country"),
        choices=(),
        required=False,
        help_text=_("Of a partner abroad, e.g. a Polish consulate."),
    )
    voivodeship = forms.ChoiceField(
        label=_("Voivodeship"), choices=[("", "—"), *Voivodeship.choices], required=False
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    phone = PhoneField(label=_("Phone"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Poland is stored as no country: the directory is a Polish centre's.
        abroad = [(code, name) for code, name in country_choices() if code != "PL"]
        self.fields["country"].choices = [("", country_name("PL")), *abroad]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A Polish postal code in Poland; abroad, the country's own (a consulate in Berlin).
        code = data.get("postal_code")
        if code and not data.get("country") and not POSTAL_CODE.match(code):
            self.add_error("postal_code", _("A Polish postal code looks like 00-950."))
        if data.get("country") and data.get("voivodeship"):
            self.add_error("voivodeship", _("A partner abroad is in no voivodeship."))
        return data

    @classmethod
    def of(cls, partner: Partner) -> dict[str, Any]:
        """The form's initial values from a partner."""
        return {name: getattr(partner, name) for name in cls.base_fields}


class LocationForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("E.g. branch office, second post.")
    )
    voivodeship = forms.ChoiceField(
        label=_("Voivodeship"), choices=[("", "—"), *Voivodeship.choices], required=False
    )
    city = forms.CharField(label=_("City"), max_length=100)
    address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.RegexField(
        label=_("Postal code"),
        regex=r"^\d{2}-\d{3}$",
        required=False,
        error_messages={"invalid": _("A Polish postal code looks like 00-950.")},
    )


class PhoneForm(forms.Form):
    number = PhoneField(label=_("Number"))
    description = forms.CharField(
        label=_("What it is for"),
        max_length=200,
        required=False,
        help_text=_("E.g. duty officer, 24 hours."),
    )
    location = forms.ModelChoiceField(
        label=_("Location"), queryset=PartnerLocation.objects.none(), required=False
    )

    def __init__(self, *args: Any, partner: Partner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = partner.locations.all()  # type: ignore[attr-defined]


class DirectoryUploadForm(forms.Form):
    package = forms.FileField(
        label=_("HSDS data package"),
        help_text=_(
            "A zip file with the tables as JSON (organization.json, service.json) or as CSV "
            "(organizations.csv, services.csv, phones.csv…)."
        ),
    )


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
        help_text=_("Empty means the whole country."),
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


class PartnerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        place = f" ({obj.city})" if obj.city else ""
        return f"{obj.name}{place}"


_when = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_day = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsultationForm(forms.Form):
    """Logged in under a minute: the institution, who asks, the topic, what was asked and
    advised; the rest when there is one."""

    partner = PartnerChoiceField(
        label=_("Institution"),
        queryset=Partner.objects.none(),
        required=False,
        help_text=_("From the directory; or type a new one below."),
    )
    new_partner = forms.CharField(label=_("New institution"), max_length=200, required=False)
    new_kind = forms.ChoiceField(
        label=_("Its kind"), choices=[("", "—"), *PartnerKind.choices], required=False
    )
    new_voivodeship = forms.ChoiceField(
        label=_("Its voivodeship"), choices=[("", "—"), *Voivodeship.choices], required=False
    )
    new_city = forms.CharField(label=_("Its city"), max_length=100, required=False)
    asker = forms.CharField(label=_("Person asking"), max_length=200, required=False)
    asker_function = forms.CharField(label=_("Their function"), max_length=200, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Consultation.Channel.choices)
    topic = forms.ChoiceField(label=_("Topic"), choices=Consultation.Topic.choices)
    asked_at = DateTimeField(label=_("Asked at"), widget=_when, latest=tomorrow)
    answered_at = DateTimeField(
        label=_("Answered at"),
        widget=_when,
        latest=tomorrow,
        required=False,
        help_text=_("When the advice was given; empty: when it is written here."),
    )
    question = forms.CharField(
        label=_("Question"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    advice = forms.CharField(
        label=_("Advice given"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    minutes = forms.IntegerField(label=_("Time spent (minutes)"), min_value=0, max_value=1440)
    documents_sent = forms.CharField(label=_("Documents sent"), max_length=500, required=False)
    follow_up = forms.CharField(label=_("Follow-up"), max_length=2000, required=False)
    follow_up_due = DateField(label=_("Follow-up due"), required=False, widget=_day)
    follow_up_assignee = StaffField(
        label=_("Follow-up by"), queryset=User.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        partners: QuerySet[Partner],
        staff: QuerySet[User],
        new: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        self.fields["follow_up_assignee"].queryset = staff  # type: ignore[attr-defined]
        if not new:  # the institution of a logged consultation stays
            for name in ("partner", "new_partner", "new_kind", "new_voivodeship", "new_city"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "partner" in self.fields and not data.get("partner"):
            if not data.get("new_partner"):
                self.add_error("partner", _("Choose the institution, or type a new one."))
            elif not data.get("new_kind"):
                self.add_error("new_kind", _("Say what kind of institution it is."))
        asked, answered = data.get("asked_at"), data.get("answered_at")
        if asked and answered and answered < asked:
            self.add_error("answered_at", _("It was answered before it was asked."))
        if data.get("follow_up") and not (
            data.get("follow_up_due") and data.get("follow_up_assignee")
        ):
            self.add_error("follow_up_due", _("A follow-up needs a due date and a person."))
        return data

    @classmethod
    def of(cls, consultation: Consultation) -> dict[str, Any]:
        names = [n for n in cls.base_fields if not n.startswith("new_") and n != "partner"]
        initial = {name: getattr(consultation, name) for name in names}
        for name in ("asked_at", "answered_at"):
            when = getattr(consultation, name)
            initial[name] = timezone.localtime(when).replace(tzinfo=None) if when else None
        return initial


class CaseFromConsultationForm(forms.Form):
    """A case for the people a consultation was about: a name for each, one a line."""

    names = forms.CharField(
        label=_("The people, one a line"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('A name or a description ("woman, about 30") for each person.'),
    )
    citizenship = forms.ChoiceField(label=_("Citizenship"), choices=(), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=(), required=False)
    manager = StaffField(label=_("Case manager"), queryset=User.objects.none())
    summary = forms.CharField(
        label=_("Summary"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, managers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers  # type: ignore[attr-defined]
        self.fields["citizenship"].choices = [("", "—"), *country_choices()]  # type: ignore[attr-defined]
        self.fields["language"].choices = [("", "—"), *language_choices()]  # type: ignore[attr-defined]

    def clean_names(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data["names"].splitlines() if line.strip()]
        if len(names) > 50:
            raise ValidationError(_("At most 50 people at once."))
        if any(len(name) > 200 for name in names):
            raise ValidationError(_("A name is at most 200 characters long."))
        return names

    def people(self) -> list[dict[str, Any]]:
        """The people as ``person_create`` takes them."""
        data = self.cleaned_data
        extra: dict[str, Any] = {}
        if data["citizenship"]:
            extra["citizenships"] = [data["citizenship"]]
        if data["language"]:
            extra |= {"languages": [data["language"]], "preferred_language": data["language"]}
        return [{"name": name} | extra for name in data["names"]]


class InterventionFromConsultationForm(forms.Form):
    situation = forms.ChoiceField(label=_("Situation"), choices=Intervention.Situation.choices)


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Training.Kind.choices)
    partner = PartnerChoiceField(
        label=_("Institution"), queryset=Partner.objects.none(), required=False
    )
    held_on = DateField(label=_("Held on"), widget=_day, latest=tomorrow)
    audience = forms.CharField(label=_("Audience"), max_length=200)
    participants = forms.IntegerField(label=_("Participants"), min_value=1, max_value=10000)
    topic = forms.CharField(label=_("Topic"), max_length=300)

    def __init__(self, *args: Any, partners: QuerySet[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]


class ReferralForm(forms.Form):
    client = forms.ModelChoiceField(label=_("Client"), queryset=Person.objects.none())
    partner = PartnerChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=PartnerService.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("What for"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    answer_due = DateField(label=_("Answer expected by"), widget=_day)

    def __init__(
        self,
        *args: Any,
        clients: QuerySet[Person],
        partners: QuerySet[Partner],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients  # type: ignore[attr-defined]
        self.fields["client"].label_from_instance = lambda p: p.display_name()  # type: ignore[attr-defined]
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        self.fields["service"].queryset = PartnerService.objects.filter(  # type: ignore[attr-defined]
            partner__in=partners
        ).select_related("partner")
        self.fields["service"].label_from_instance = (  # type: ignore[attr-defined]
            lambda s: f"{s.partner.name}: {s.name}"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        service, partner = data.get("service"), data.get("partner")
        if service and partner and service.partner_id != partner.pk:
            self.add_error("service", _("This is another partner's service."))
        return data


class ReferralAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[c for c in Referral.Status.choices if c[0] != Referral.Status.SENT],
    )
    feedback = forms.CharField(
        label=_("The partner's feedback"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IncomingReferralForm(forms.Form):
    partner = PartnerChoiceField(label=_("Referred by"), queryset=Partner.objects.none())
    referrer = forms.CharField(label=_("Person referring"), max_length=200, required=False)
    received_at = DateTimeField(label=_("Received at"), widget=_when, latest=tomorrow)
    summary = forms.CharField(
        label=_("What the institution says"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, partners: QuerySet[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]


class ListField(forms.CharField):
    """Values separated by commas or lines, as a list."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


class PersonChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name())


class InterpreterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=(), widget=forms.SelectMultiple(attrs={"size": 6})
    )
    dialects = forms.CharField(label=_("Dialects"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Interpreter.Kind.choices)
    sex = forms.ChoiceField(label=_("Sex"), choices=Interpreter.Sex.choices)
    modes = forms.MultipleChoiceField(
        label=_("Works"), choices=Interpreter.Mode.choices, widget=forms.CheckboxSelectMultiple
    )
    availability = forms.CharField(label=_("Availability"), max_length=200, required=False)
    cost_per_hour = forms.DecimalField(
        label=_("Cost per hour (PLN)"), min_value=Decimal(0), max_digits=7, decimal_places=2
    )
    confidentiality_signed_on = DateField(
        label=_("Confidentiality agreement signed on"), required=False, widget=_day, latest=tomorrow
    )
    phone = PhoneField(label=_("Phone"), required=False)
    home_town = forms.CharField(label=_("Comes from (town)"), max_length=100, required=False)
    community = forms.CharField(label=_("Community"), max_length=200, required=False)
    suspect_proceedings = ListField(
        label=_("Interpreted for a suspect in"),
        max_length=2000,
        required=False,
        help_text=_("References of the proceedings, separated by commas."),
    )
    related_people = PersonChoiceField(
        label=_("Related to"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("People in the centre's records the interpreter is related to or knows."),
    )

    def __init__(self, *args: Any, people: QuerySet[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]
        if people is None:  # adding one: whom they are related to is set when changing them
            del self.fields["related_people"]
        else:
            self.fields["related_people"].queryset = people  # type: ignore[attr-defined]

    @classmethod
    def of(cls, interpreter: Interpreter) -> dict[str, Any]:
        initial = {
            name: getattr(interpreter, name) for name in cls.base_fields if name != "related_people"
        }
        initial["suspect_proceedings"] = ", ".join(interpreter.suspect_proceedings)
        initial["related_people"] = list(interpreter.related_people.all())
        return initial


class BookingForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=())
    purpose = forms.ChoiceField(label=_("For"), choices=Booking.Purpose.choices)
    starts_at = DateTimeField(label=_("When"), widget=_when)
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.25"), max_value=24, max_digits=5, decimal_places=2
    )
    town = forms.CharField(label=_("The person comes from (town)"), max_length=100, required=False)
    community = forms.CharField(label=_("The person's community"), max_length=200, required=False)
    proceedings = forms.CharField(
        label=_("Proceedings"),
        max_length=100,
        required=False,
        help_text=_("The reference of the criminal proceedings, if the booking is for them."),
    )
    interpreter = forms.ModelChoiceField(
        label=_("Interpreter"), queryset=Interpreter.objects.none(), required=False
    )
    override = forms.CharField(
        label=_("Why book them despite the conflict"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, interpreters: QuerySet[Interpreter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]
        self.fields["interpreter"].queryset = interpreters  # type: ignore[attr-defined]
