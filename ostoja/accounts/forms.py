"""Forms of the user administration pages: validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import AccessGrant, Notice
from ostoja.accounts.roles import Role


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class UserForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_active = forms.BooleanField(
        label=_("May sign in"),
        required=False,
        help_text=_("Switching this off signs the user out everywhere at once."),
    )


class BreakGlassForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=AccessGrant.Reason.choices)
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by the case manager and the data protection officer."),
    )


class PreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Also by e-mail"),
        # A resident not back is e-mailed (and texted) by the shelter's alarm whatever one
        # chooses here.
        choices=[c for c in Notice.Kind.choices if c[0] != Notice.Kind.ABSENCE],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
