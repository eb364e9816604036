"""Reading the partner directory: the search by kind, place, language and service."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from ostoja.accounts.models import User
from ostoja.accounts.policy import Access, consults_institutions
from ostoja.accounts.records import Event, register_history
from ostoja.cases.access import cases_visible_to
from ostoja.network.access import (
    consultations_visible_to,
    interpreters_visible_to,
    partners_visible_to,
    referrals_visible_to,
)
from ostoja.network.models import (
    Booking,
    Consultation,
    Disclosure,
    IncomingReferral,
    Interpreter,
    Partner,
    PartnerService,
)
from ostoja.network.services import CONFLICTS, interpreter_conflicts
from ostoja.people.models import Person


def partners_found(user: User, filters: dict[str, Any]) -> QuerySet[Partner]:
    """The partners of the user's directory that match ``filters`` (``DirectorySearchForm``):
    a language or a kind of service matches a partner with an active service offering it;
    a voivodeship matches partners seated there and services serving it. Archived
    partners are found only when ``archived`` is asked for (and then only they)."""
    partners = partners_visible_to(user)
    # Archived partners (closed) only when asked for.
    partners = partners.filter(archived_at__isnull=not filters.get("archived"))
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


def consultation_follow_ups(user: User) -> QuerySet[Consultation]:
    """The user's open follow-ups of consultations, the soonest due first (overdue ones
    show as such: ``Consultation.follow_up_overdue``); never what was asked."""
    return (
        consultations_visible_to(user)
        .filter(
            follow_up_assignee=user, follow_up_done_at__isnull=True, follow_up_due__isnull=False
        )
        .select_related("partner")
        .order_by("follow_up_due", "pk")
        .defer("question", "advice")
    )


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


@dataclass(frozen=True)
class Candidate:
    """An interpreter for a booking, with the conflicts of interest found."""

    interpreter: Interpreter
    conflicts: list[str]

    def reasons(self) -> list[str]:
        return [str(CONFLICTS[c]) for c in self.conflicts]


def interpreter_candidates(
    user: User,
    *,
    language: str,
    case: Any,
    town: str = "",
    community: str = "",
    proceedings: str = "",
) -> list[Candidate]:
    """The active interpreters who speak ``language``, those without a conflict first."""
    if not language:
        return []
    found = (
        interpreters_visible_to(user)
        .filter(active=True, languages__icontains=f'"{language}"')
        .prefetch_related("related_people")
    )
    candidates = [
        Candidate(
            interpreter,
            interpreter_conflicts(
                interpreter, case=case, town=town, community=community, proceedings=proceedings
            ),
        )
        for interpreter in found
    ]
    return sorted(candidates, key=lambda c: (bool(c.conflicts), c.interpreter.name))


def person_language(case: Any) -> str:
    """The language of the case's clients, from their records (preferred, else first)."""
    for person in Person.objects.filter(case_links__case=case):
        if person.preferred_language or person.languages:
            return str(person.preferred_language or person.languages[0])
    return ""


def interpreting_totals(user: User, year: int) -> dict[str, Any]:
    """Interpreting hours and costs of ``year``: in all, and per case the user may open."""
    bookings = Booking.objects.filter(organisation=user.organisation, starts_at__year=year)
    total = bookings.aggregate(hours=Sum("hours"), cost=Sum("cost"), count=Count("pk"))
    per_case = (
        bookings.filter(case__in=cases_visible_to(user))
        .values("case__code", "case__reference")
        .annotate(hours=Sum("hours"), cost=Sum("cost"))
        .order_by("case__reference")
    )
    return {"year": year, "total": total, "per_case": list(per_case)}


def disclosures_of(access: "Access[Person]") -> QuerySet[Disclosure]:
    """What of the person's data left the centre, newest first — for whoever may see the
    person (``access``: the door already checked)."""
    return disclosures_of_person(access.record)


def disclosures_of_person(person: Person) -> QuerySet[Disclosure]:
    """The ledger's entries about ``person`` and the duplicates merged into them, newest
    first. No access check: for a caller that has made its own (the subject-access export,
    under dual control)."""
    return (
        Disclosure.objects.filter(organisation_id=person.organisation_id)
        .filter(Q(person=person) | Q(person__merged_into=person))
        .select_related("partner", "case", "consent", "by")
        .order_by("-at", "-pk")
    )
