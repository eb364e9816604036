"""Read-only questions about contacts: lists, repeat callers and statistics."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ostoja.accounts.models import User
from ostoja.accounts.records import Event, register_history
from ostoja.helpline.access import contacts_visible_to
from ostoja.helpline.models import (
    Contact,
    ContactLanguage,
    ContactPurpose,
    FollowUp,
    purpose_bit,
)
from ostoja.lib.crypto.fields import blind_lookup

PERSON = "people.person"  # as the access policy names people (the helpline knows no more)


def filter_contacts(
    contacts: QuerySet[Contact], filters: dict[str, Any], user_id: int
) -> QuerySet[Contact]:
    zone = timezone.get_current_timezone()
    if filters.get("since"):
        contacts = contacts.filter(
            started_at__gte=dt.datetime.combine(filters["since"], dt.time(), zone)
        )
    if filters.get("until"):
        end = dt.datetime.combine(filters["until"] + dt.timedelta(days=1), dt.time(), zone)
        contacts = contacts.filter(started_at__lt=end)
    for name in ("channel", "caller_type", "urgency"):
        if filters.get(name):
            contacts = contacts.filter(**{name: filters[name]})
    if filters.get("purpose"):
        bit = purpose_bit(filters["purpose"])
        contacts = contacts.annotate(purpose_hit=F("purpose_flags").bitand(bit)).filter(
            purpose_hit__gt=0
        )
    if filters.get("language"):
        contacts = contacts.filter(languages__language=filters["language"])
    if filters.get("mine"):
        contacts = contacts.filter(counsellor_id=user_id)
    # The list shows no sealed field: leave the ciphertexts (notes can be long) in the table.
    sealed = ("summary", "caller_number", "correspondent", "subject", "message_id")
    return (
        contacts.defer(*sealed)
        .select_related("counsellor")
        .prefetch_related("purposes", "languages")
    )


def previous_contacts(contact: Contact, contacts: QuerySet[Contact]) -> list[Contact]:
    """Earlier contacts from the same number (blind index, then exact comparison)."""
    if not contact.caller_number:
        return []
    found = blind_lookup(
        contacts.exclude(pk=contact.pk), "caller_number_index", contact.caller_number
    )
    return sorted(found, key=lambda c: c.started_at, reverse=True)


def contact_counts(
    contacts: QuerySet[Contact], since: dt.datetime, until: dt.datetime
) -> dict[str, dict[str, int]]:
    """Completed contacts in ``[since, until)`` counted by channel, caller type, purpose,
    language and line — the statistics the reports issue builds on."""
    period = contacts.filter(
        status=Contact.Status.COMPLETED, started_at__gte=since, started_at__lt=until
    )
    counts: dict[str, dict[str, int]] = {"total": {"all": period.count()}}
    for name in ("channel", "caller_type", "line"):
        counts[name] = {row[name]: row["n"] for row in period.values(name).annotate(n=Count("id"))}
    counts["purpose"] = {
        row["purpose"]: row["n"]
        for row in ContactPurpose.objects.filter(contact__in=period)
        .values("purpose")
        .annotate(n=Count("id"))
    }
    counts["language"] = {
        row["language"]: row["n"]
        for row in ContactLanguage.objects.filter(contact__in=period)
        .values("language")
        .annotate(n=Count("id"))
    }
    return counts


def open_follow_ups(user: User) -> QuerySet[FollowUp]:
    """The follow-ups given to ``user`` and not done, the soonest due first."""
    return user.follow_ups.filter(done_at__isnull=True).select_related("contact").order_by("due")


def contacts_linked_to(
    contacts: QuerySet[Contact], target_type: str, target_code: str
) -> QuerySet[Contact]:
    """The contacts about one person or case (for its timeline), newest first."""
    return contacts.filter(links__target_type=target_type, links__target_code=target_code)


def _contacts_about(user: User, person: Any) -> Iterator[Event]:
    """A person's contacts (``accounts.records`` history), as far as the user sees them."""
    found = contacts_linked_to(contacts_visible_to(user), PERSON, str(person.code))
    for contact in found.defer("summary", "caller_number", "correspondent", "subject")[:100]:
        yield Event(
            contact.started_at,
            str(_("Helpline contact")),
            str(contact),
            reverse("helpline:contact_edit", args=[contact.code]),
        )


register_history(PERSON, _contacts_about)
