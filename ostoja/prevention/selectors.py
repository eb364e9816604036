"""Read-only views of counselling for the other apps (``accounts.records``): the
pre-departure counselling recorded from a helpline contact, shown on the contact's page."""

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from ostoja.accounts.models import User
from ostoja.accounts.records import Event, register_history
from ostoja.lib.iso import country_name
from ostoja.prevention.access import counselling_visible_to
from ostoja.prevention.models import CheckIn

TARGET = "prevention.counselling"


def _from_contact(user: User, contact: Any) -> Iterator[Event]:
    for counselling in (
        counselling_visible_to(user)
        .filter(contact=contact)
        .only("code", "created_at", "country", "city")
    ):
        where = ", ".join(x for x in (counselling.city, country_name(counselling.country)) if x)
        yield Event(
            counselling.created_at,
            _("Pre-departure counselling"),
            where or _("Destination not given"),
            reverse("prevention:detail", args=[counselling.code]),
            record_type=TARGET,
        )


register_history("helpline.contact", _from_contact)


def _from_intervention(user: User, intervention: Any) -> Iterator[Event]:
    """The check-in whose HELP opened the intervention (outside office hours)."""
    for check_in in CheckIn.objects.filter(
        intervention=intervention, series__counselling__in=counselling_visible_to(user)
    ).select_related("series__counselling"):
        yield Event(
            check_in.answered_at or check_in.due_at,
            _("Check-in abroad answered HELP"),
            str(check_in.series.counselling),
            reverse("prevention:detail", args=[check_in.series.counselling.code]) + "#check-ins",
            record_type=TARGET,
        )


register_history("interventions.intervention", _from_intervention)
