"""Reading the partner directory: the search by kind, place, language and service."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from ostoja.accounts.models import User
from ostoja.network.access import partners_visible_to
from ostoja.network.models import Partner, PartnerService


def partners_found(user: User, filters: dict[str, Any]) -> QuerySet[Partner]:
    """The partners of the user's directory that match ``filters`` (``DirectorySearchForm``):
    a language or a kind of service matches a partner with an active service offering it;
    a voivodeship matches partners seated there and services serving it."""
    partners = partners_visible_to(user)
    if filters.get("q"):
        partners = partners.filter(
            Q(name__icontains=filters["q"]) | Q(alternate_name__icontains=filters["q"])
        )
    if filters.get("kind"):
        partners = partners.filter(kind=filters["kind"])
    if filters.get("city"):
        partners = partners.filter(city__icontains=filters["city"])
    services = PartnerService.objects.filter(
        partner=OuterRef("pk"), status=PartnerService.Status.ACTIVE
    )
    if filters.get("language"):
        # A JSON list's text holds each code in quotes: '["ukr", "rus"]'.
        services = services.filter(languages__icontains=f'"{filters["language"]}"')
    if filters.get("service"):
        services = services.filter(kind=filters["service"])
    if filters.get("voivodeship"):
        served = services.filter(areas__icontains=f'"{filters["voivodeship"]}"')
        partners = partners.filter(Q(voivodeship=filters["voivodeship"]) | Exists(served))
    if filters.get("language") or filters.get("service"):
        partners = partners.filter(Exists(services))
    return partners.order_by("name", "pk")
