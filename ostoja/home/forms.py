"""Forms of the shell: validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        help_text=_("A case number, a phone number or a name, in any script or spelling."),
    )
