from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import User
from ostoja.audit import actions
from ostoja.audit.models import AuditEntry
from ostoja.lib.forms import DateField

# A whole app's actions in the action filter: "@" and the app's label (``@cases``).
GROUP = "@"


def action_choices() -> list[tuple[str, Any]]:
    """The action filter's options: every action, grouped by the app that writes it, each
    group led by "all of them" (in the current language)."""
    choices: list[tuple[str, Any]] = [("", _("Every action"))]
    for app_label, group, options in actions.grouped_choices():
        every = (f"{GROUP}{app_label}", _("All: {group}").format(group=group))
        choices.append((group, [every, *options]))
    return choices


class EntryFilterForm(forms.Form):
    """Filters of the DPO's audit view. Only codes and dates travel in the URL: no names."""

    actor = forms.ModelChoiceField(
        label=_("Who"), queryset=User.objects.none(), required=False, to_field_name="code"
    )
    action = forms.ChoiceField(label=_("Action"), required=False, choices=action_choices)
    target = forms.CharField(label=_("Record code"), required=False, max_length=64)
    since = DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = staff  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class PeriodForm(forms.Form):
    """The dates of "who has seen" a person's records (in the URL: dates only), and
    whether to show only the reads."""

    since = DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reads = forms.BooleanField(label=_("Only who has seen (no changes)"), required=False)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class RedactForm(forms.Form):
    """Why the DPO redacts an entry's data: a category only (``ostoja.audit.services`` says
    why there is no free text)."""

    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=AuditEntry.RedactionReason.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose why the data is redacted.")},
    )
