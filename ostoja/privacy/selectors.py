"""Read-only questions to the audit trail."""

import datetime as dt
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from ostoja.accounts import disclosures as ledger
from ostoja.accounts.models import User
from ostoja.accounts.policy import Existence
from ostoja.audit import actions
from ostoja.audit.models import ENTRY_TARGET, REDACTION, AuditEntry
from ostoja.cases.models import CaseClient
from ostoja.network.models import Disclosure
from ostoja.people.access import TARGET as PERSON
from ostoja.privacy.forms import GROUP
from ostoja.privacy.models import SubjectRequest

# An action nobody registered (``ostoja.audit.actions``; the registry's test keeps that to
# tests' own actions) counts as a read by its verb, as before the registry.
READ_VERBS = ("viewed", "searched", "exported", "printed", "downloaded")
# Actions that name people in their data rather than as their target: a name search shows
# its candidates (by name to those who may open them), so each candidate has been seen.
MENTIONS = ("person.matched",)


def reads() -> Q:
    """Entries that mean someone saw personal data."""
    unregistered = ~Q(action__in=list(actions.ACTIONS)) & Q(
        action__regex=r"\.(" + "|".join(READ_VERBS) + r")$"
    )
    return Q(action__in=actions.reads()) | unregistered


def in_period(
    entries: QuerySet[AuditEntry], since: dt.date | None, until: dt.date | None
) -> QuerySet[AuditEntry]:
    """The entries from ``since`` to ``until`` (whole days, in the local time zone)."""
    zone = timezone.get_current_timezone()
    if since:
        entries = entries.filter(at__gte=dt.datetime.combine(since, dt.time(), zone))
    if until:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), zone)
        entries = entries.filter(at__lt=end)
    return entries


def filter_entries(entries: QuerySet[AuditEntry], filters: dict[str, Any]) -> QuerySet[AuditEntry]:
    if filters.get("actor"):
        entries = entries.filter(actor=filters["actor"])
    action = filters.get("action") or ""
    if action.startswith(GROUP):
        entries = entries.filter(action__in=actions.actions_of(action.removeprefix(GROUP)))
    elif action:
        entries = entries.filter(action=action)
    if filters.get("target"):
        entries = entries.filter(target_code=filters["target"].strip())
    entries = in_period(entries, filters.get("since"), filters.get("until"))
    return entries.select_related("actor")


def _readers(reads: QuerySet[AuditEntry]) -> list[dict[str, Any]]:
    """Each reader once, with when first and last, how often, and what they did (the
    actions in words); the latest first."""
    rows = reads.values("actor_id", "actor__full_name", "actor__email", "action").annotate(
        first=Min("at"), last=Max("at"), times=Count("id")
    )
    readers: dict[int | None, dict[str, Any]] = {}
    for row in rows.order_by("actor_id", "action"):
        reader = readers.setdefault(
            row["actor_id"],
            {
                "actor__full_name": row["actor__full_name"],
                "actor__email": row["actor__email"],
                "first": row["first"],
                "last": row["last"],
                "times": 0,
                "did": [],
            },
        )
        reader["first"] = min(reader["first"], row["first"])
        reader["last"] = max(reader["last"], row["last"])
        reader["times"] += row["times"]
        reader["did"].append(actions.label_of(row["action"]))
    for reader in readers.values():
        reader["did"].sort()
    return sorted(readers.values(), key=itemgetter("last"), reverse=True)


def seen_by(
    entries: QuerySet[AuditEntry], target_type: str, target_code: str
) -> list[dict[str, Any]]:
    """Who has seen a record: each person once, with when first and last, and how often."""
    return _readers(entries.filter(reads(), target_type=target_type, target_code=target_code))


def about(entries: QuerySet[AuditEntry], records: Iterable[Existence]) -> QuerySet[AuditEntry]:
    """The entries about any of ``records``: those targeting them, and those naming a
    person among them in their data (``MENTIONS``), newest first."""
    codes: dict[str, list[str]] = {}
    for record in records:
        codes.setdefault(record.target_type, []).append(record.target_code)
    targeted = Q(pk__in=[])
    for target_type, of_type in sorted(codes.items()):
        targeted |= Q(target_type=target_type, target_code__in=of_type)
    named = Q(pk__in=[])
    for code in codes.get(PERSON, []):  # a code is a UUID: it is found only where it is
        named |= Q(text__contains=code)
    mentioned = Q(action__in=MENTIONS) & named
    return (
        entries.annotate(text=Cast("data", output_field=TextField()))
        .filter(targeted | mentioned)
        .order_by("-seq")
    )


def readers_of(entries: QuerySet[AuditEntry]) -> list[dict[str, Any]]:
    """Who has seen what ``entries`` are about (``about``): each person once."""
    return _readers(entries.filter(reads()).order_by())


def redaction_of(entry: AuditEntry) -> AuditEntry | None:
    """The entry that records the redaction of ``entry`` (who, why, when), if it was
    redacted through the application; ``None`` for one redacted behind its back."""
    if not entry.is_redacted:
        return None
    redactions = AuditEntry.objects.filter(
        action=REDACTION, target_type=ENTRY_TARGET, target_code=str(entry.seq), seq__gt=entry.seq
    )
    return redactions.select_related("actor").order_by("seq").first()


def redactable(user: User, entry: AuditEntry) -> bool:
    """Whether to offer ``user`` the redaction of ``entry`` (the service decides)."""
    own = entry.organisation_id is not None and entry.organisation_id == getattr(
        user.organisation, "pk", None
    )
    return own and not entry.is_redaction and not entry.is_redacted


def filter_disclosures(
    disclosures: QuerySet[Disclosure], filters: dict[str, Any]
) -> QuerySet[Disclosure]:
    """The ledger's entries of one kind, to one partner (``partner``) or to a recipient
    whose name holds the words typed (``recipient``: typed names, partners' names and the
    reserved recipients in the reader's language), in a period (``since``, ``until``: days,
    in the organisation's time zone), newest first."""
    if filters.get("kind"):
        disclosures = disclosures.filter(kind=filters["kind"])
    if filters.get("partner"):
        disclosures = disclosures.filter(partner=filters["partner"])
    if words := (filters.get("recipient") or "").strip():
        reserved = [
            k for k, v in ledger.RECIPIENTS.items() if words.casefold() in str(v).casefold()
        ]
        disclosures = disclosures.filter(
            Q(recipient__icontains=words)
            | Q(partner__name__icontains=words)
            | Q(recipient__in=reserved)
        )
    if filters.get("since"):
        disclosures = disclosures.filter(at__date__gte=filters["since"])
    if filters.get("until"):
        disclosures = disclosures.filter(at__date__lte=filters["until"])
    return disclosures.order_by("-at", "-pk")


def request_cases(requests: Iterable[SubjectRequest]) -> dict[int, list[str]]:
    """The case numbers of each request's person (request id -> numbers): how the DPO tells
    the requests apart without knowing who the people are."""
    found = list(requests)
    rows = (
        CaseClient.objects.filter(person_id__in={r.person_id for r in found})
        .order_by("case__year", "case__number")
        .values_list("person_id", "case__reference")
    )
    numbers: dict[int, list[str]] = {}
    for person_id, reference in rows:
        numbers.setdefault(person_id, []).append(reference)
    return {r.pk: numbers.get(r.person_id, []) for r in found}
