"""Form helpers shared by every app."""

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import phonenumbers
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
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


# Dates a record of the centre can hold at all: a year typed as 1402 or 8440 is a slip of
# the keyboard, refused with a clear message rather than stored (ASVS 2.2.1).
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)
type Bound = dt.date | Callable[[], dt.date]


def _day(bound: Bound) -> dt.date:
    return bound() if callable(bound) else bound


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


class _Bounded:
    """A date or date-time between ``earliest`` and ``latest`` (dates, or callables giving
    them, e.g. ``tomorrow`` for what has happened)."""

    def __init__(
        self, *args: Any, earliest: Bound = EARLIEST, latest: Bound = LATEST, **kwargs: Any
    ):
        self.earliest, self.latest = earliest, latest
        super().__init__(*args, **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)  # type: ignore[misc]
        if value in (None, ""):
            return
        day = timezone.localtime(value).date() if isinstance(value, dt.datetime) else value
        earliest, latest = _day(self.earliest), _day(self.latest)
        if not earliest <= day <= latest:
            raise ValidationError(
                _("Give a date between %(earliest)s and %(latest)s."),
                code="out_of_range",
                params={"earliest": earliest.isoformat(), "latest": latest.isoformat()},
            )


class DateField(_Bounded, forms.DateField):
    pass


class DateTimeField(_Bounded, forms.DateTimeField):
    pass


def formfield(db_field: "models.Field[Any, Any]", **kwargs: Any) -> forms.Field | None:
    """Model forms' fields, with dates bounded (``ModelForm``)."""
    if isinstance(db_field, models.DateTimeField):
        return db_field.formfield(form_class=DateTimeField, **kwargs)
    if isinstance(db_field, models.DateField):
        return db_field.formfield(form_class=DateField, **kwargs)
    return db_field.formfield(**kwargs)


class ModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """The base of Ostoja's model forms: their dates are bounded like every other date."""

    class Meta:
        formfield_callback = formfield


class PhoneField(forms.CharField):
    """A phone number, in any usual way of writing it, kept as typed; refused unless
    ``phonenumbers`` finds a possible number in it (Polish when no country code is given)."""

    def __init__(self, *args: Any, region: str = "PL", **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        self.region = region
        super().__init__(*args, **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        try:
            number = phonenumbers.parse(value, self.region)
        except phonenumbers.NumberParseException:
            number = None
        allowed = re.fullmatch(r"[0-9+()./\- ]+", value) is not None
        if number is None or not allowed or not phonenumbers.is_possible_number(number):
            raise ValidationError(_("This is not a phone number."), code="phone")
