"""Reading the partner directory: the search by kind, place, language and service."""

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from ostoja.accounts.models import User
from ostoja.accounts.policy import consults_institutions
from ostoja.accounts.records import Event, register_history
from ostoja.cases.access import cases_visible_to
from ostoja.network.access import (
    consultations_visible_to,
    partners_visible_to,
    referrals_visible_to,
)
from ostoja.network.models import IncomingReferral, Partner, PartnerService


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


def partner_work(user: User, partner: Partner) -> dict[str, Any]:
    """Every consultation, referral and case in which ``partner`` took part, as far as
    ``user`` may see them (a consultation's question is not shown here: its own page is
    the read; a referral shows its case's number and status, never the client)."""
    consultations = list(
        consultations_visible_to(user)
        .filter(partner=partner)
        .defer("question", "advice", "follow_up")
        .select_related("case")
    )
    referrals = list(
        referrals_visible_to(user)
        .filter(partner=partner)
        .select_related("case")
        .defer("reason", "feedback")
    )
    incoming = IncomingReferral.objects.filter(partner=partner, case__isnull=False)
    cases = cases_visible_to(user).filter(
        Q(pk__in=[c.case_id for c in consultations if c.case_id])
        | Q(pk__in=[r.case_id for r in referrals])
        | Q(pk__in=incoming.values("case_id"))
    )
    return {
        "consultations": consultations,
        "referrals": referrals,
        "consulting": consults_institutions(user),
        "cases": list(cases.order_by("-opened_on")),
    }


def _consultations_of_case(user: User, case: Any) -> Iterator[Event]:
    """The consultation a case came from, on the case's page (each shows the other)."""
    found = consultations_visible_to(user).filter(case=case).select_related("partner")
    for consultation in found.defer("question", "advice", "follow_up"):
        yield Event(
            consultation.asked_at,
            str(_("Consultation for an institution")),
            f"{consultation.partner.name} · {consultation.get_topic_display()}",
            reverse("network:consultation_detail", args=[consultation.code]),
            record_type="network.consultation",
        )


register_history("cases.case", _consultations_of_case)
