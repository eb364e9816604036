"""Read-only views of cases: the case page, the timeline, the case manager's and
coordinator's panels, and the consents that allow sharing a client's data."""

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Count, F, Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import User
from ostoja.accounts.policy import Access, FieldClass, TeamRole, can_view
from ostoja.accounts.records import Event, register_history
from ostoja.audit.models import AuditEntry
from ostoja.cases.access import TARGET, cases_visible_to
from ostoja.cases.models import (
    Action,
    Case,
    CaseClient,
    Consent,
    Deadline,
    Decision,
    Goal,
    RiskAssessment,
    TeamMember,
    legal_source_text,
)
from ostoja.cases.vocabulary import (
    CONTROL_METHODS,
    FORMS,
    HARMS,
    INDUSTRIES,
    RECRUITMENT,
    DeadlineKind,
    Domain,
    ServiceKind,
)
from ostoja.helpline.models import Contact, ContactLink
from ostoja.lib.prepared import Prepared
from ostoja.people.access import TARGET as PERSON
from ostoja.people.access import person_scopes
from ostoja.people.models import Person

# Consents that allow a client's data to leave the centre (a referral summary, an
# assessment summary for the police): the one rule, used wherever sharing is offered.
SHARING = (Consent.Scope.SHARE_ORGANISATION, Consent.Scope.SHARE_POLICE)


def sharing_consents(consents: Iterable[Consent]) -> list[Consent]:
    """Of ``consents``, those in force today that allow sharing with someone outside."""
    return [c for c in consents if c.scope in SHARING and c.active()]


def client_sharing_consents(client: Person) -> list[Consent]:
    """A person's consents in force to share their data, in any of their cases."""
    consents = Consent.objects.filter(client=client, scope__in=SHARING).select_related("case")
    return sharing_consents(consents)


def case_clients(case: Case) -> QuerySet[Person]:
    """The people the case is for."""
    return Person.objects.filter(case_links__case=case)


def clients_of(cases: Iterable[Case], user: User) -> dict[int, list[tuple[Person, bool]]]:
    """The clients of each case of a list, each with whether ``user`` may see who they are
    (a client of another, restricted case may be out of reach): two queries in all."""
    by_case: dict[int, list[Person]] = {}
    links = CaseClient.objects.filter(case__in=list(cases)).select_related("person")
    for link in links:
        by_case.setdefault(link.case_id, []).append(link.person)
    scopes = person_scopes([p for people in by_case.values() for p in people])
    return {
        case_id: [(person, can_view(user, scopes[person.pk])) for person in people]
        for case_id, people in by_case.items()
    }


# Each section of the case page shows its newest entries; the timeline has them all.
SHOWN = 10
# The case page itself shows the first open goals and deadlines, each goal with its next
# open actions (by due date): what to do next, at a glance; the rest is a click away.
SHOWN_ON_PAGE = 5
NEXT_ACTIONS = 3


def _newest(
    queryset: QuerySet[Any] | list[Any], clients: dict[int, Person], shown: int = SHOWN
) -> dict[str, Any]:
    """The newest ``shown`` rows and whether there are more (a queryset, or a list of at
    most one row more). Their clients are the page's own client objects, so each name is
    decrypted once per page, not once per row."""
    rows = list(queryset[: shown + 1])
    for row in rows:
        if getattr(row, "client_id", None) in clients:
            row.client = clients[row.client_id]
    return {"rows": rows[:shown], "more": len(rows) > shown}


# The case page's queries that do not change with the case, compiled once (lib.prepared):
# the ORM's compiling was most of their cost on every view of the page.
_CLIENTS = Prepared(lambda case_id: Person.objects.filter(case_links__case_id=case_id))
_OPEN_GOALS = Prepared(
    lambda case_id: Goal.objects.filter(case_id=case_id, status=Goal.Status.OPEN)[
        : SHOWN_ON_PAGE + 1
    ]
)
_OPEN_DEADLINES = Prepared(
    lambda case_id: Deadline.objects.filter(case_id=case_id, met_at__isnull=True).annotate(
        period_source=F("period__source")
    )[: SHOWN_ON_PAGE + 1]
)
_RISKS = Prepared(lambda case_id: RiskAssessment.objects.filter(case_id=case_id)[:5])


def case_page(access: Access[Case]) -> dict[str, Any]:
    """What the case page shows at once, within what ``access`` lets the user read: the
    clients (with their safe-contact protocols), the team, the current risk, the open plan
    and the legal deadlines. The records that grow with the case's life (services,
    decisions, consents, documents, notes, the route) are its sections, each loaded as a
    panel (``case_section``): the page costs the same however long the case has run."""
    case = access.record
    clients = {p.pk: p for p in _CLIENTS(case.pk)}
    goals = _newest(_OPEN_GOALS(case.pk), clients, shown=SHOWN_ON_PAGE)
    # Each goal's next steps; the rest of its plan is a click away. Each row's address and
    # labels are made here, from one reversed address per kind of row and one mapping per
    # vocabulary: the template's ``{% url %}`` and ``get_FOO_display`` per row were a
    # large part of the page's time (bench/cases.py).
    next_actions = _next_actions([goal.pk for goal in goals["rows"]])
    goal_url = _by_code("cases:goal_status")
    domains, goal_statuses = _choices(Goal, "domain"), _choices(Goal, "status")
    for goal in goals["rows"]:
        goal.next_actions = next_actions.get(goal.pk, [])
        goal.more_actions = max(
            0, goal.next_actions[0].open_count - NEXT_ACTIONS if goal.next_actions else 0
        )
        goal.status_url = goal_url(goal.code)
        goal.domain_label = domains.get(goal.domain, goal.domain)
        goal.status_label = goal_statuses.get(goal.status, goal.status)
    deadlines = _newest(_OPEN_DEADLINES(case.pk), clients, shown=SHOWN_ON_PAGE)
    met_url, kinds = _by_code("cases:deadline_met"), _choices(Deadline, "kind")
    for deadline in deadlines["rows"]:
        deadline.met_url = met_url(deadline.code)
        deadline.kind_label = kinds.get(deadline.kind, deadline.kind)
        # The legal basis of the period it was computed from, in the reader's language.
        source = deadline.period_source
        deadline.source_text = legal_source_text(source) if source else ""
    person_url, identification_url = (
        _by_code("people:person_detail"),
        _by_code("identification:person"),
    )
    for person in clients.values():
        person.detail_url = person_url(person.code)  # type: ignore[attr-defined]
        person.identification_url = identification_url(person.code)  # type: ignore[attr-defined]
    code = case.code
    section_url = reverse("cases:case_section", args=[code, "SECTION"])
    return {
        "case": case,
        "scope": access.scope,
        "clients": list(clients.values()),
        "team": list(case.team.all()),  # prefetched with their users by ``access_case``
        # Open goals with their next actions; the rest are in the timeline.
        "goals": goals,
        "deadlines": deadlines,
        "urls": {
            "timeline": reverse("cases:case_timeline", args=[code]),
            "edit": reverse("cases:case_edit", args=[code]),
            "team_remove": reverse("cases:team_remove", args=[code]),
            "shelter": reverse("shelter:case_panel", args=[code]),
            "referrals": reverse("network:case_referrals", args=[code]),
        }
        | {s: section_url.replace("/SECTION/", f"/{s}/") for s in SECTIONS},
        "risks": _RISKS(case.pk),
        "context_labels": context_labels(case),
        "perpetrators": access.perpetrators,
        "legal": access.legal,
        "writable": access.writable,
        "manages": access.manages,
        "today": timezone.localdate(),
    }


@dataclass(frozen=True)
class NextAction:
    """One of a goal's next open steps, as the case page shows it."""

    text: str
    owner_name: str
    due: dt.date | None
    version: int
    status_label: str
    status_url: str
    open_count: int  # the goal's open actions in all

    @property
    def is_overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


def _next_actions(goals: list[int]) -> dict[int, list[NextAction]]:
    """Each goal's first NEXT_ACTIONS open actions and how many it has open, numbered in
    the database: however long a goal's plan, the page loads three of its actions. One
    query, without the prefetch machinery or the owners' whole rows."""
    # Written out, not built by the ORM: compiling the window filter (a subquery) cost more
    # than the rest of the page's queries together. The goals fill a fixed number of
    # parameters (no goal has the id 0).
    if not goals:
        return {}
    padded = (goals + [0] * SHOWN_ON_PAGE)[:SHOWN_ON_PAGE]
    actions = Action.objects.raw(NEXT_ACTIONS_SQL, [*padded, *OPEN_ACTIONS, NEXT_ACTIONS])
    url, statuses = _by_code("cases:action_status"), _choices(Action, "status")
    by_goal: dict[int, list[NextAction]] = {}
    for action in actions:
        status = statuses.get(action.status, action.status)
        by_goal.setdefault(action.goal_id, []).append(
            NextAction(
                action.text,
                action.owner_name or "",  # type: ignore[attr-defined]
                action.due,
                action.version,
                status,
                url(action.code),
                action.open_count,  # type: ignore[attr-defined]
            )
        )
    return by_goal


OPEN_ACTIONS = (Action.Status.PLANNED, Action.Status.IN_PROGRESS)
# Open actions by due date (none last), then the oldest, numbered per goal.
NEXT_ACTIONS_SQL = """
SELECT id, code, goal_id, text, due, version, status, owner_name, open_count FROM (
    SELECT a.id, a.code, a.goal_id, a.text, a.due, a.version, a.status, a.created_at,
        u.full_name AS owner_name,
        ROW_NUMBER() OVER (
            PARTITION BY a.goal_id ORDER BY a.due IS NULL, a.due, a.created_at, a.id
        ) AS place,
        COUNT(*) OVER (PARTITION BY a.goal_id) AS open_count
    FROM cases_action a LEFT JOIN accounts_user u ON u.id = a.owner_id
    WHERE a.goal_id IN (%s, %s, %s, %s, %s) AND a.status IN (%s, %s)  -- SHOWN_ON_PAGE goals
) numbered
WHERE place <= %s
ORDER BY due IS NULL, due, created_at, id
"""
_ZERO = uuid.UUID(int=0)


def _by_code(name: str) -> Callable[[uuid.UUID], str]:
    """The address of the view ``name`` for a record's code: reversed once, then filled in."""
    pattern = reverse(name, args=[_ZERO])
    return lambda code: pattern.replace(str(_ZERO), str(code))


@cache
def _choices(model: type[Model], field: str) -> dict[Any, Any]:
    """A field's choices by value (their lazy labels, translated when shown): what
    ``get_FOO_display`` gives, without rebuilding the mapping on every call."""
    return dict(getattr(model._meta.get_field(field), "flatchoices", ()))


def context_labels(case: Case) -> list[tuple[Promise, list[str]]]:
    """The trafficking context the case records, each vocabulary by its name with the
    labels of what was chosen (forms of exploitation first): for the case page."""
    vocabularies: list[tuple[Promise, list[str], dict[str, Any]]] = [
        (_("Forms of exploitation"), case.forms, {k: f.label for k, f in FORMS.items()}),
        (_("Other harm"), case.harms, HARMS),
        (_("Industry"), case.industries, INDUSTRIES),
        (_("Means of control"), case.control_methods, CONTROL_METHODS),
        (_("Recruitment"), case.recruitment, RECRUITMENT),
    ]
    return [
        (name, [str(labels.get(value, value)) for value in chosen])
        for name, chosen, labels in vocabularies
        if chosen
    ]


# The case page's sections that grow with the case: each a panel of its newest entries.
SECTION_TITLES: dict[str, Promise] = {
    # What the case came from and what came of it in the other apps (an intervention, a
    # consultation for an institution, a stay in the shelter): ``accounts.records.history``.
    "linked": _("Linked records"),
    "route": _("Route"),
    "service": _("Services delivered"),
    "decision": _("The client's decisions"),
    "consent": _("Consents"),
    "document": _("Documents"),
    "note": _("Latest notes"),
}
SECTIONS = tuple(SECTION_TITLES)


def case_section(access: Access[Case], section: str) -> dict[str, Any]:
    """One section of the case page: its newest entries, and whether there are more (the
    timeline has them all)."""
    case = access.record
    clients = {p.pk: p for p in case_clients(case)}
    context: dict[str, Any] = {"case": case, "section": section, "writable": access.writable}
    if section == "route":
        context["rows"] = list(case.route.all())
    elif section == "service":
        services = _newest(case.services.select_related("provided_by"), clients)
        readable = {FieldClass.HEALTH: access.health, FieldClass.LEGAL: access.legal}
        rows = [(s, readable.get(s.field_class, True)) for s in services["rows"]]
        context |= {"rows": rows, "more": services["more"]}
    elif section == "decision":
        context |= _newest(case.decisions.all(), clients)
    elif section == "consent":
        consents = list(case.consents.all())
        for consent in consents:
            consent.client = clients[consent.client_id]
        context |= {
            "rows": [c for c in consents if c.withdrawn_on is None][:SHOWN],
            "more": len(consents) > SHOWN or any(c.withdrawn_on for c in consents),
            "sharing_consents": sharing_consents(consents),
            "today": timezone.localdate(),
        }
    elif section == "document":
        context |= _newest(case.documents.all(), clients)
    else:
        notes = list(case.notes.select_related("created_by")[: SHOWN + 1])
        context |= {"rows": notes[:SHOWN], "more": len(notes) > SHOWN}
    return context


KINDS: dict[str, Promise] = {
    "note": _("Notes"),
    "contact": _("Contacts"),
    "service": _("Services"),
    "decision": _("Decisions"),
    "consent": _("Consents"),
    "deadline": _("Deadlines"),
    "risk": _("Risk"),
    "document": _("Documents"),
    "plan": _("Plan"),
    "status": _("Status and team"),
}

# Audit actions that are events of the case's life (the rest have records of their own).
_LIFE = {
    "case.opened": _("Case opened"),
    "case.status_changed": _("Status changed"),
    "case.team_changed": _("Team changed"),
    "case.client_added": _("Client added"),
    "case.updated": _("Details changed"),
}


@dataclass
class Entry:
    at: dt.datetime
    kind: str
    title: Any
    text: str = ""
    by: User | None = None
    url: str = ""


def _day(value: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(value, dt.time(12)))


def _labels() -> dict[str, dict[str, str]]:
    """Display names of the choices, translated once per page (``get_FOO_display`` per
    row rebuilds the choices each time: measured, a third of the timeline's time)."""
    kinds = {
        "service": ServiceKind,
        "decision": Decision.Kind,
        "choice": Decision.Choice,
        "consent": Consent.Scope,
        "deadline": DeadlineKind,
        "risk": RiskAssessment.Level,
        "domain": Domain,
        "channel": Contact.Channel,
        "line": Contact.Line,
    }
    return {name: {v: str(label) for v, label in kind.choices} for name, kind in kinds.items()}


def timeline(access: Access[Case], contacts: QuerySet[Contact], kinds: set[str]) -> list[Entry]:
    """Every note, contact, service, decision, consent, deadline, risk assessment, document,
    plan step and status change of the case, newest first. Details the user may not read
    (health, legal) are named, not shown."""
    case = access.record
    show = kinds or set(KINDS)
    labels = _labels()
    entries: list[Entry] = []
    health, legal = access.health, access.legal
    if "note" in show:
        for note in case.notes.select_related("created_by"):
            entries.append(Entry(note.at, "note", _("Note"), note.text, note.created_by))
    if "service" in show:
        for service in case.services.select_related("created_by"):
            readable = {FieldClass.HEALTH: health, FieldClass.LEGAL: legal}.get(
                service.field_class, True
            )
            text = service.details if readable else str(_("(details for the inner team)"))
            entries.append(
                Entry(
                    _day(service.delivered_on),
                    "service",
                    labels["service"][service.kind],
                    text,
                    service.created_by,
                )
            )
    if "decision" in show:
        for decision in case.decisions.select_related("created_by"):
            title = f"{labels['decision'][decision.kind]}: {labels['choice'][decision.choice]}"
            entries.append(
                Entry(
                    _day(decision.decided_on),
                    "decision",
                    title,
                    decision.notes,
                    decision.created_by,
                )
            )
    if "consent" in show:
        for consent in case.consents.select_related("created_by"):
            entries.append(
                Entry(
                    _day(consent.given_on),
                    "consent",
                    labels["consent"][consent.scope],
                    consent.recipient,
                    consent.created_by,
                )
            )
            if consent.withdrawn_on:
                title = f"{labels['consent'][consent.scope]}: {_('withdrawn')}"
                entries.append(Entry(_day(consent.withdrawn_on), "consent", title))
    if "deadline" in show:
        for deadline in case.deadlines.select_related("created_by"):
            title = f"{labels['deadline'][deadline.kind]} — {deadline.due:%Y-%m-%d}"
            entries.append(
                Entry(
                    _day(deadline.starts_on or deadline.due),
                    "deadline",
                    title,
                    deadline.note if legal else "",
                    deadline.created_by,
                )
            )
    if "risk" in show:
        for risk in case.risks.select_related("created_by"):
            entries.append(
                Entry(
                    _day(risk.assessed_on),
                    "risk",
                    f"{_('Risk')}: {labels['risk'][risk.level]}",
                    risk.safety_plan,
                    risk.created_by,
                )
            )
    if "document" in show:
        for document in case.documents.select_related("created_by"):
            entries.append(
                Entry(document.uploaded_at, "document", document.title, "", document.created_by)
            )
    if "plan" in show:
        actions = (
            Action.objects.filter(goal__case=case)
            .select_related("goal", "owner")
            .defer("goal__text")
        )
        for action in actions:
            entries.append(
                Entry(
                    action.created_at,
                    "plan",
                    labels["domain"][action.goal.domain],
                    action.text,
                    action.owner,
                )
            )
    if "contact" in show:
        codes = [str(c) for c in case.clients.values_list("person__code", flat=True)]
        links = Q(target_type=TARGET, target_code=str(case.code))
        links |= Q(target_type=PERSON, target_code__in=codes)
        linked = ContactLink.objects.filter(links).values("contact_id")
        for contact in contacts.filter(pk__in=linked).select_related("counsellor"):
            title = f"{labels['channel'][contact.channel]} ({labels['line'][contact.line]})"
            entries.append(Entry(contact.started_at, "contact", title, "", contact.counsellor))
    if "status" in show:
        life = AuditEntry.objects.filter(
            target_type=TARGET, target_code=str(case.code), action__in=list(_LIFE)
        ).select_related("actor")
        for audit in life:
            text = ""
            if audit.action == "case.status_changed":
                text = str(Case.Status(audit.data.get("to")).label)
            entries.append(Entry(audit.at, "status", _LIFE[audit.action], text, audit.actor))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def my_cases(user: User) -> QuerySet[Case]:
    return Case.objects.filter(team__user=user).exclude(status=Case.Status.CLOSED)


def my_actions(user: User) -> QuerySet[Action]:
    return Action.objects.filter(
        owner=user, status__in=[Action.Status.PLANNED, Action.Status.IN_PROGRESS]
    ).select_related("goal__case")


def upcoming_deadlines(cases: QuerySet[Case], days: int = 30) -> QuerySet[Deadline]:
    until = timezone.localdate() + dt.timedelta(days=days)
    return Deadline.objects.filter(
        case__in=cases, met_at__isnull=True, due__lte=until
    ).select_related("case")


def case_manager_panel(user: User) -> dict[str, Any]:
    """Caseload, deadlines in the next 30 days (and missed), overdue actions."""
    today = timezone.localdate()
    actions = my_actions(user)
    return {
        "caseload": my_cases(user).count(),
        "deadlines": list(upcoming_deadlines(my_cases(user))[:10]),
        "overdue": list(actions.filter(due__lt=today)[:10]),
        "this_week": list(actions.filter(due__gte=today, due__lte=today + dt.timedelta(7))[:10]),
        "today": today,
    }


def coordinator_panel(cases: QuerySet[Case]) -> dict[str, Any]:
    """Open cases by case manager; missed deadlines (the counts by status and stage are
    statistics': ``ostoja.reports.dashboards``)."""
    open_cases = cases.exclude(status=Case.Status.CLOSED)
    # Each case once per manager (the visible cases' query joins the team already: counting
    # over it counted a case once per member of its team).
    managers = (
        TeamMember.objects.filter(case__in=open_cases.values("pk"), role=TeamRole.CASE_MANAGER)
        .values("user__full_name")
        .annotate(n=Count("case", distinct=True))
        .order_by("-n", "user__full_name")
    )
    missed = Deadline.objects.filter(
        case__in=open_cases, met_at__isnull=True, due__lt=timezone.localdate()
    ).select_related("case")
    return {
        "managers": list(managers),
        "missed": list(missed[:10]),
    }


def _cases_of(user: User, person: Person) -> Iterator[Event]:
    """A person's cases (``accounts.records`` history), as far as the user may open them."""
    statuses = dict(Case.Status.choices)
    for case in cases_visible_to(user).filter(clients__person=person).defer("summary"):
        yield Event(
            timezone.make_aware(dt.datetime.combine(case.opened_on, dt.time(12))),
            str(_("Case")),
            f"{case.reference} · {statuses[case.status]}",
            reverse("cases:case_detail", args=[case.code]),
            record_type=TARGET,
        )


register_history(PERSON, _cases_of)
