"""Form helpers shared by every app."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_noop

# Django 6.1's label of an empty choice (``BLANK_CHOICE_LABEL``) has no Polish translation in
# Django's own catalogue; naming it here puts it in ours, which Django reads first.
BLANK_CHOICE_LABEL = gettext_noop("- Select an option -")


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on ``form``: per field where the error names
    fields the form has, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def report(request: HttpRequest, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` as messages, where there is no form to show it
    on (a button's POST that redirects back)."""
    for text in error.messages:
        messages.error(request, text)
