"""Forms of the case pages: validation only."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import User
from ostoja.accounts.policy import TeamRole
from ostoja.cases import vocabulary as v
from ostoja.cases.models import (
    Action,
    Case,
    Consent,
    Deadline,
    Decision,
    Goal,
    Note,
    RiskAssessment,
    RouteEvent,
    Service,
)
from ostoja.lib.forms import DateField, ModelForm
from ostoja.lib.iso import country_choices
from ostoja.people.models import Person

_date = forms.DateInput(attrs={"type": "date"})
_checks = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


def _multi(label: Any, vocabulary: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=v.choices(vocabulary), required=False, widget=_checks
    )


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name())


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


class CaseOpenForm(forms.Form):
    manager = UserChoiceField(label=_("Case manager"), queryset=User.objects.none())
    referred_by = forms.ChoiceField(
        label=_("Referred by"), choices=[("", "—"), *v.Referrer.choices], required=False
    )
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    exploitation = _multi(_("Forms of exploitation (if known)"), v.FORMS)
    countries = forms.MultipleChoiceField(
        label=_("Countries of exploitation (if known)"),
        choices=country_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("More of the route (recruitment, transit) is added on the case's page."),
    )
    restricted = forms.BooleanField(
        label=_("Restricted"),
        required=False,
        help_text=_("Only the people on the case's team may open it, coordinators included."),
    )

    def __init__(self, *args: Any, managers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers  # type: ignore[attr-defined]


class CaseForm(ModelForm):
    """The case's own details and trafficking context."""

    forms = _multi(_("Forms of exploitation"), v.FORMS)
    harms = _multi(_("Other harm"), v.HARMS)
    industries = _multi(_("Industry"), v.INDUSTRIES)
    control_methods = _multi(_("Means of control"), v.CONTROL_METHODS)
    recruitment = _multi(_("Recruitment"), v.RECRUITMENT)

    class Meta:
        model = Case
        fields = [
            "stage",
            "referred_by",
            "summary",
            "restricted",
            "forms",
            "harms",
            "industries",
            "control_methods",
            "recruitment",
            "perpetrator_notes",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "perpetrator_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, perpetrators: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not perpetrators:  # a field the user may not read is not offered either
            del self.fields["perpetrator_notes"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Case.Status.choices)
    reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", "—"), *Case.CloseReason.choices],
        required=False,
    )


class TeamForm(forms.Form):
    user = UserChoiceField(label=_("Member of staff"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role on the case"), choices=TeamRole.choices)

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff  # type: ignore[attr-defined]


class ClientForm(forms.Form):
    person = forms.UUIDField(label=_("Person"))


class _CaseRecordForm(ModelForm):
    """A record of one case: ``client`` (if the form has one) is one of its clients."""

    def __init__(
        self,
        *args: Any,
        clients: QuerySet[Person] | None = None,
        staff: QuerySet[User] | None = None,
        team: QuerySet[User] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if "client" in self.fields:
            people = list(clients) if clients is not None else []
            field = PersonChoiceField(
                queryset=clients if clients is not None else Person.objects.none(),
                label=self.fields["client"].label,
                required=self.fields["client"].required,
            )
            self.fields["client"] = field
            if len(people) == 1 and not self.is_bound:  # a case of one: that client
                self.initial.setdefault("client", people[0].pk)
        for name in ("owner", "provided_by"):
            if name in self.fields:
                self.fields[name] = UserChoiceField(
                    queryset=staff if staff is not None else User.objects.none(),
                    label=self.fields[name].label,
                    required=False,
                )

    def _check_order(self, start: str, end: str) -> None:
        first, last = self.cleaned_data.get(start), self.cleaned_data.get(end)
        if first and last and last < first:
            self.add_error(end, _("The end cannot be before the start."))

    def _not_future(self, name: str) -> None:
        value = self.cleaned_data.get(name)
        if value and value > timezone.localdate():
            self.add_error(name, _("This date cannot be in the future."))


class RouteForm(_CaseRecordForm):
    country = forms.ChoiceField(
        label=_("Country"),
        choices=country_choices,
        error_messages={"invalid_choice": _("Unknown country code: %(value)s.")},
    )

    class Meta:
        model = RouteEvent
        fields = ["kind", "country", "place", "start", "end", "description"]
        widgets = {"start": _date, "end": _date, "description": forms.Textarea(attrs={"rows": 2})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_order("start", "end")
        return data


class GoalForm(_CaseRecordForm):
    class Meta:
        model = Goal
        fields = ["domain", "client", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class ActionForm(_CaseRecordForm):
    class Meta:
        model = Action
        fields = ["text", "owner", "due"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due": _date}


class ServiceForm(_CaseRecordForm):
    class Meta:
        model = Service
        fields = [
            "client",
            "kind",
            "legal_area",
            "delivered_on",
            "provided_by",
            "partner",
            "hours",
            "details",
        ]
        widgets = {"delivered_on": _date, "details": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._not_future("delivered_on")
        if data.get("kind") == v.ServiceKind.LEGAL and not data.get("legal_area"):
            self.add_error("legal_area", _("Choose the area of law."))
        if not data.get("provided_by") and not data.get("partner"):
            self.add_error("partner", _("Say who provided it: a member of staff or a partner."))
        return data


class DecisionForm(_CaseRecordForm):
    information = _multi(_("Information given first"), v.INFORMATION)

    class Meta:
        model = Decision
        fields = ["client", "kind", "choice", "decided_on", "information", "notes"]
        widgets = {"decided_on": _date, "notes": forms.Textarea(attrs={"rows": 2})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._not_future("decided_on")
        return data


class ConsentForm(_CaseRecordForm):
    shares = _multi(_("What may be shared"), v.SHARES)
    checklist = _multi(_("The person was informed"), v.CHECKLIST)

    class Meta:
        model = Consent
        fields = [
            "client",
            "scope",
            "recipient",
            "shares",
            "checklist",
            "method",
            "interpreter",
            "given_on",
        ]
        widgets = {"given_on": _date}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._not_future("given_on")
        sharing = data.get("scope") in (
            Consent.Scope.SHARE_ORGANISATION,
            Consent.Scope.SHARE_POLICE,
        )
        if sharing and not data.get("recipient"):
            self.add_error("recipient", _("Name the organisation the data may be shared with."))
        if sharing and not data.get("shares"):
            self.add_error("shares", _("Choose what may be shared."))
        return data


class WithdrawForm(forms.Form):
    on = DateField(label=_("Withdrawn on"), widget=_date)


class DeadlineForm(_CaseRecordForm):
    # Not a model field here: the service computes it for the reflection period.
    due = DateField(
        label=_("Due"),
        required=False,
        widget=_date,
        help_text=_("Computed for the reflection period: leave it empty."),
    )

    class Meta:
        model = Deadline
        fields = ["kind", "client", "starts_on", "remind_days", "note"]
        widgets = {"starts_on": _date, "note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "starts_on": _("For the reflection period: the date the certificate was issued."),
        }


class RiskForm(_CaseRecordForm):
    factors = _multi(_("Risk factors"), v.RISK_FACTORS)

    class Meta:
        model = RiskAssessment
        fields = ["level", "factors", "safety_plan", "assessed_on", "review_on"]
        widgets = {
            "assessed_on": _date,
            "review_on": _date,
            "safety_plan": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._not_future("assessed_on")
        self._check_order("assessed_on", "review_on")
        return data


class NoteForm(_CaseRecordForm):
    tell = forms.ModelMultipleChoiceField(
        label=_("Tell"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Colleagues on the case's team who should read this note now."),
    )

    class Meta:
        model = Note
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, team: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tell"]
        field.queryset = team if team is not None else User.objects.none()  # type: ignore[attr-defined]
        field.label_from_instance = lambda user: user.full_name or user.email  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))
    client = forms.UUIDField(required=False, widget=forms.HiddenInput)


class TimelineFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(label=_("Show"), required=False, widget=_checks)


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All open")), *Case.Status.choices], required=False
    )
    manager = UserChoiceField(label=_("Case manager"), queryset=User.objects.none(), required=False)
    mine = forms.BooleanField(label=_("My cases"), required=False)

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = staff  # type: ignore[attr-defined]
