"""Forty synthetic cases shaped like the centre's (DOMAIN.md §6: mostly forced labour of
foreign men in agriculture, construction and manufacturing; sexual exploitation of women;
a few cases of domestic servitude, begging and forced criminality; Polish victims exploited
abroad; a couple of minors; one group of workers from one workplace; one restricted case).

Every record goes through the services, so the audit trail, matching keys and computed
deadlines are what the application itself would write; only the dates a service stamps
with "today" (opened, closed, added) are moved back afterwards, to spread the cases over
the last two years. Never real people: the names are invented, the stories are stock
situations (``ostoja.demo.stories``), the phone numbers random.
"""

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from ostoja.accounts.models import Organisation, User
from ostoja.accounts.policy import TeamRole
from ostoja.accounts.roles import Role
from ostoja.cases import services
from ostoja.cases.models import (
    Action,
    Case,
    CaseClient,
    Consent,
    Deadline,
    Decision,
    Goal,
    Note,
    RiskAssessment,
    RouteEvent,
    Service,
)
from ostoja.cases.vocabulary import CHECKLIST, DeadlineKind, LegalArea, ServiceKind
from ostoja.demo.names import NATIONS, invented_name
from ostoja.demo.stories import (
    CLOSE_REASONS,
    GOALS,
    IOM,
    LEGAL_DETAILS,
    NOTES,
    OPENED,
    ORGANISATIONS,
    PERPETRATORS,
    POLICE,
    STAGES,
    STATUS_POOL,
    STORIES,
    E,
    R,
    Story,
    T,
)
from ostoja.people.models import Person, Relation
from ostoja.people.services import person_create, relation_add


@dataclass
class Plan:
    """One case to make: its story, status and dates."""

    story: Story
    status: str
    reason: str
    opened: dt.date
    closed: dt.date | None
    today: dt.date

    @property
    def end(self) -> dt.date:
        """The last day anything happened on the case."""
        return self.closed or self.today


class _Builder:
    def __init__(
        self, organisation: Organisation, staff: dict[str, User], today: dt.date, seed: int
    ) -> None:
        self.organisation = organisation
        self.today = today
        self.rng = random.Random(seed)  # noqa: S311  # synthetic demo data, reproducible
        self.zone = ZoneInfo(organisation.time_zone)
        self.manager = staff[Role.CASE_MANAGER]
        self.coordinator = staff.get(Role.COORDINATOR)
        self.specialist = staff.get(Role.SPECIALIST)
        self.names: set[str] = set()

    # -- helpers ---------------------------------------------------------------------------

    def day(self, plan: Plan, start: float, end: float = 1.0) -> dt.date:
        """A day between fractions ``start`` and ``end`` of the case's life so far."""
        span = (plan.end - plan.opened).days
        return plan.opened + dt.timedelta(days=round(span * self.rng.uniform(start, end)))

    def at(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(
            day, dt.time(self.rng.randrange(9, 18), self.rng.randrange(60)), self.zone
        )

    def add(self, case: Case, instance: Any, section: str, by: User) -> Any:
        return services.case_record_add(case=case, instance=instance, acting_user=by)

    # -- the plan --------------------------------------------------------------------------

    def plans(self) -> list[Plan]:
        rng = self.rng
        free = sum(1 for story in STORIES if not story.status)
        pool = STATUS_POOL + [Case.Status.ACTIVE] * (free - len(STATUS_POOL))
        rng.shuffle(pool)
        reasons = iter(CLOSE_REASONS * 3)
        plans = []
        for story in STORIES:
            status = story.status or pool.pop()
            reason = story.reason or (next(reasons) if status == Case.Status.CLOSED else "")
            low, high = OPENED[status]
            opened = self.today - dt.timedelta(days=rng.randint(low, high))
            closed = None
            if status == Case.Status.CLOSED:
                closed = min(
                    opened + dt.timedelta(days=rng.randint(30, 180)),
                    self.today - dt.timedelta(days=2),
                )
            plans.append(Plan(story, status, reason, opened, closed, self.today))
        plans.sort(key=lambda p: p.opened)
        return plans

    # -- people ----------------------------------------------------------------------------

    def person(self, plan: Plan, certificate: dt.date | None) -> Person:
        story, rng = plan.story, self.rng
        nation = NATIONS[story.nation]
        while True:
            name, latin = invented_name(rng, story.nation, story.woman)
            if name not in self.names:
                self.names.add(name)
                break
        data: dict[str, Any] = {
            "name": name,
            "name_latin": latin,
            "gender": Person.Gender.FEMININE if story.woman else Person.Gender.MASCULINE,
            "citizenships": [story.nation],
            "languages": list(nation.languages),
            "preferred_language": nation.languages[0],
            "interpreter_needed": rng.random() < nation.interpreter,
        }
        if story.minor and story.nation == "VN":  # no papers: the age is estimated
            data |= {"estimated_age": 16, "age_estimated_on": plan.opened, "possible_minor": True}
        else:
            age = 16 if story.minor else rng.randint(19, 32 if story.sexual else 55)
            data["birth_date"] = plan.opened - relativedelta(years=age, days=rng.randrange(1, 360))
        if rng.random() < 0.75:
            data["phone"] = f"{nation.phone} {rng.randrange(10**8, 10**9)}"
            data["sms_ok"] = rng.random() < 0.5
        if story.sexual or story.restricted:
            data |= {
                "safe_channel": Person.ContactChannel.MESSENGER,
                "safe_times": "Po 20:00, gdy jest sama.",
                "phone_controlled": rng.random() < 0.4,
                "sms_ok": False,
                "safety_notes": "Nie przedstawiać się nazwą Centrum.",
            }
        if story.restricted:
            data["code_word"] = "Kalina"
        withheld = "WithholdsDocuments" in story.control
        data["documents"] = Person.Documents.WITHHELD if withheld else Person.Documents.HELD
        if story.minor and story.nation == "VN":
            data["documents"] = Person.Documents.NONE
        if story.nation == "PL":
            data["legal_status"] = Person.LegalStatus.CITIZEN
        elif nation.eu:
            data["legal_status"] = Person.LegalStatus.EU
        elif certificate is not None:
            data["legal_status"] = (
                Person.LegalStatus.CERTIFICATE
                if certificate + relativedelta(months=4) >= self.today
                else Person.LegalStatus.VICTIM_PERMIT
            )
        else:
            data["legal_status"] = rng.choice(
                [
                    Person.LegalStatus.VISA_FREE,
                    Person.LegalStatus.IRREGULAR,
                    Person.LegalStatus.VISA,
                ]
            )
        if story.trafficking and rng.random() < 0.5:
            data["vulnerabilities"] = "Brak znajomości języka polskiego; zadłużenie rodziny."
        return person_create(organisation=self.organisation, data=data, acting_user=self.manager)

    # -- one case --------------------------------------------------------------------------

    def case(self, plan: Plan, index: int) -> Case:
        story, rng, status = plan.story, self.rng, plan.status
        foreign = story.nation != "PL"
        non_eu = foreign and not NATIONS[story.nation].eu
        certificate = None
        if story.trafficking and non_eu and status != Case.Status.OPEN:
            certificate = plan.opened + dt.timedelta(days=rng.randint(2, 10))
        clients = [self.person(plan, certificate) for _ in range(story.clients)]
        manager = self.coordinator if self.coordinator and index % 8 == 5 else self.manager
        case = services.case_open(
            organisation=self.organisation,
            clients=clients,
            manager=manager,
            acting_user=manager,
            data={
                "summary": story.summary,
                "referred_by": story.referred_by,
                "restricted": story.restricted,
                "stage": self.stage(plan, certificate),
            },
        )
        if story.clients > 1:
            for other in clients[1:]:
                relation_add(
                    person=clients[0],
                    other=other,
                    kind=Relation.Kind.SAME_GROUP,
                    note="Ta sama budowa i ten sam pośrednik.",
                    acting_user=manager,
                )
        specialist = self.specialist
        legal_help = story.restricted or story.minor or rng.random() < 0.45
        if specialist is not None and legal_help:
            services.team_set(
                case=case, user=specialist, role=TeamRole.SPECIALIST, acting_user=manager
            )
        else:
            specialist = None
        services.case_update(
            case=case,
            acting_user=manager,
            data={
                "forms": list(story.forms),
                "harms": list(story.harms),
                "industries": list(story.industries),
                "control_methods": list(story.control),
                "recruitment": list(story.recruitment),
                "perpetrator_notes": PERPETRATORS[story.labour] if story.trafficking else "",
            },
        )
        self.route(case, plan, manager)
        for client in clients:
            self.add(
                case,
                Consent(
                    client=client,
                    scope=Consent.Scope.PROCESSING,
                    checklist=list(CHECKLIST),
                    method=Consent.Method.GUARDIAN if story.minor else Consent.Method.WRITTEN,
                    interpreter=client.interpreter_needed,
                    given_on=plan.opened,
                ),
                "consent",
                manager,
            )
        self.risks(case, plan, manager)
        cooperation = self.decisions(case, plan, clients, manager)
        self.goals(case, plan, clients, manager, specialist, cooperation, non_eu)
        self.deliver(case, plan, clients, manager, specialist, cooperation)
        self.sharing(case, plan, clients, manager, cooperation)
        self.deadlines(case, plan, clients, manager, certificate, cooperation)
        for _ in range(1 if status == Case.Status.OPEN else rng.randint(1, 3)):
            self.add(
                case,
                Note(text=rng.choice(NOTES), at=self.at(self.day(plan, 0, 1))),
                "note",
                manager,
            )
        if status != Case.Status.OPEN:
            services.case_status(case=case, status=Case.Status.ACTIVE, acting_user=manager)
        if status in (Case.Status.ON_HOLD, Case.Status.CLOSED):
            services.case_status(case=case, status=status, reason=plan.reason, acting_user=manager)
        Case.objects.filter(pk=case.pk).update(opened_on=plan.opened, closed_on=plan.closed)
        CaseClient.objects.filter(case=case).update(added_on=plan.opened)
        return case

    def stage(self, plan: Plan, certificate: dt.date | None) -> str:
        if plan.status != Case.Status.ACTIVE:
            return self.rng.choice(STAGES[plan.status])
        if certificate is not None and certificate + relativedelta(months=3) >= self.today:
            return Case.Stage.REFLECTION
        if plan.story.restricted or plan.story.minor:
            return Case.Stage.PROCEEDINGS
        return self.rng.choice([*STAGES[plan.status], Case.Stage.PROCEEDINGS])

    def route(self, case: Case, plan: Plan, by: User) -> None:
        rng = self.rng
        recruited = plan.opened - dt.timedelta(days=rng.randint(60, 400))
        arrived = recruited + dt.timedelta(days=rng.randint(7, 30))
        dates: dict[str, tuple[dt.date, dt.date]] = {
            R: (recruited, recruited),
            T: (recruited + dt.timedelta(days=2), recruited + dt.timedelta(days=4)),
            E: (arrived, plan.opened - dt.timedelta(days=rng.randint(0, 10))),
        }
        for kind, country, place in plan.story.route:
            start, end = dates[kind]
            event = RouteEvent(kind=kind, country=country, place=place, start=start, end=end)
            event.description = ""
            self.add(case, event, "route", by)

    def risks(self, case: Case, plan: Plan, by: User) -> None:
        story = plan.story
        if story.restricted:
            level, factors = RiskAssessment.Level.CRITICAL, ["perpetrators_know", "threats"]
        elif story.minor:
            level, factors = RiskAssessment.Level.HIGH, ["minor", "contact_with_perpetrators"]
        elif story.sexual or "criminal" in story.forms:
            level, factors = RiskAssessment.Level.HIGH, ["threats", "debt"]
        elif story.trafficking:
            level, factors = RiskAssessment.Level.MEDIUM, ["debt", "family_at_risk"]
        else:
            level, factors = RiskAssessment.Level.LOW, []
        if "WithholdsDocuments" in story.control:
            factors.append("no_documents")
        assessed = plan.opened + dt.timedelta(days=1)
        self.add(
            case,
            RiskAssessment(
                level=level,
                factors=factors,
                safety_plan="Bezpieczny numer, adres schronienia nieujawniany, "
                "kontakt tylko w ustalonych godzinach.",
                assessed_on=assessed,
                review_on=assessed + dt.timedelta(days=30),
            ),
            "risk",
            by,
        )
        if plan.status != Case.Status.OPEN and (plan.end - plan.opened).days > 120:
            lower = {"critical": "high", "high": "medium", "medium": "low", "low": "low"}[level]
            again = plan.opened + dt.timedelta(days=60)
            self.add(
                case,
                RiskAssessment(
                    level=lower,
                    factors=factors[:1],
                    safety_plan="Ryzyko niższe: sprawcy nie kontaktowali się od dwóch miesięcy.",
                    assessed_on=again,
                    review_on=again + dt.timedelta(days=90),
                ),
                "risk",
                by,
            )

    def decisions(self, case: Case, plan: Plan, clients: list[Person], by: User) -> dict[int, str]:
        """The clients' decisions; returns each one's choice about cooperating with law
        enforcement."""
        story, rng, status = plan.story, self.rng, plan.status
        choices: dict[int, str] = {}
        choice: str
        if not story.trafficking:
            return choices
        foreign = story.nation != "PL"
        for client in clients:
            if status == Case.Status.OPEN or (story.minor and foreign):
                choice = Decision.Choice.UNDECIDED
            elif story.restricted or story.minor:
                choice = Decision.Choice.YES
            else:
                choice = rng.choice(["yes", "yes", "yes", "no", "undecided"])
            choices[client.pk] = choice
            information = ["rights", "procedure", "risks", "confidentiality"]
            if foreign:
                information += ["reflection", "residence"]
            self.add(
                case,
                Decision(
                    client=client,
                    kind=Decision.Kind.COOPERATION,
                    choice=choice,
                    decided_on=self.day(plan, 0.05, 0.3),
                    information=information,
                    notes={
                        "yes": "Zgadza się złożyć zeznania; prosi o obecność tłumacza.",
                        "no": "Obawia się o bezpieczeństwo rodziny w kraju pochodzenia.",
                        "undecided": "Potrzebuje czasu; wrócimy do tematu po konsultacji.",
                    }[choice],
                ),
                "decision",
                by,
            )
            if foreign and status != Case.Status.OPEN and client is clients[0]:
                self.add(
                    case,
                    Decision(
                        client=client,
                        kind=Decision.Kind.PROGRAMME,
                        choice=Decision.Choice.YES if rng.random() < 0.8 else Decision.Choice.NO,
                        decided_on=self.day(plan, 0.05, 0.3),
                        information=["programme", "reflection", "confidentiality"],
                    ),
                    "decision",
                    by,
                )
            if plan.reason == Case.CloseReason.RETURNED:
                self.add(
                    case,
                    Decision(
                        client=client,
                        kind=Decision.Kind.RETURN,
                        choice=Decision.Choice.YES,
                        decided_on=self.day(plan, 0.6, 0.8),
                        information=["return", "risks"],
                    ),
                    "decision",
                    by,
                )
        return choices

    def goals(
        self,
        case: Case,
        plan: Plan,
        clients: list[Person],
        manager: User,
        specialist: User | None,
        cooperation: dict[int, str],
        non_eu: bool,
    ) -> None:
        story, rng, status = plan.story, self.rng, plan.status
        domains = ["safety"]
        if story.minor:
            domains.append("family_law")
        if non_eu and story.trafficking:
            domains.append("residence")
        if "yes" in cooperation.values():
            domains.append("criminal")
        if plan.reason == Case.CloseReason.RETURNED:
            domains.append("return")
        if story.sexual or story.restricted:
            domains += ["mental_health", "physical_health"]
        if story.labour or story.harms == ("workers_rights",):
            domains.append("money")
        if "WithholdsDocuments" in story.control:
            domains.append("documents")
        if story.nation != "PL" and story.trafficking:
            domains.append("accommodation")
        domains.append("work")
        closed = status == Case.Status.CLOSED
        # Open actions in turn: overdue, due this week, later, done.
        states = (
            ["overdue", "week", "later", "done"]
            if status != Case.Status.OPEN
            else ["week", "later"]
        )
        turn = rng.randrange(len(states))
        for domain in domains[: 2 if status == Case.Status.OPEN else 4]:
            text, steps = GOALS[domain]
            created = self.at(plan.opened + dt.timedelta(days=rng.randint(0, 5)))
            goal = self.add(
                case,
                Goal(
                    client=clients[0] if domain in ("residence", "family_law") else None,
                    domain=domain,
                    text=text,
                    created_at=created,
                ),
                "goal",
                manager,
            )
            for step in steps[: rng.randint(1, 2)]:
                if closed or step is steps[0] and domain == "safety" and status != Case.Status.OPEN:
                    state = "done"
                else:
                    state = states[turn % len(states)]
                    turn += 1
                due = {
                    "done": self.day(plan, 0.1, 0.9),
                    "overdue": self.today - dt.timedelta(days=rng.randint(1, 12)),
                    "week": self.today + dt.timedelta(days=rng.randint(0, 6)),
                    "later": self.today + dt.timedelta(days=rng.randint(9, 45)),
                }[state]
                legal = domain in ("residence", "criminal", "money", "family_law")
                owner = specialist if legal and specialist is not None else manager
                action = services.plan_action_add(
                    goal=goal,
                    instance=Action(text=step, owner=owner, due=due, created_at=created),
                    acting_user=manager,
                )
                if state == "done":
                    services.plan_action_status(
                        action=action, status=Action.Status.DONE, acting_user=manager
                    )
                elif state == "later" and rng.random() < 0.4:
                    services.plan_action_status(
                        action=action, status=Action.Status.IN_PROGRESS, acting_user=manager
                    )
            if closed:
                achieved = plan.reason in (Case.CloseReason.GOALS_MET, Case.CloseReason.RETURNED)
                services.goal_status(
                    goal=goal,
                    status=Goal.Status.ACHIEVED if achieved else Goal.Status.DROPPED,
                    acting_user=manager,
                )

    def deliver(
        self,
        case: Case,
        plan: Plan,
        clients: list[Person],
        manager: User,
        specialist: User | None,
        cooperation: dict[int, str],
    ) -> None:
        story, rng, status = plan.story, self.rng, plan.status
        nation = NATIONS[story.nation]
        limit = {"open": 2, "on_hold": 4, "active": 6, "closed": 7}[status]
        if story.clients > 1:
            limit = 3
        shelter = (
            "Schronisko dla kobiet KCIK"
            if story.woman
            else "Mieszkanie interwencyjne dla mężczyzn KCIK"
        )
        for client in clients:
            wanted: list[tuple[str, str]] = []  # (kind, legal area)
            if story.labour or story.harms:
                wanted.append((ServiceKind.LEGAL, LegalArea.LABOUR))
            if cooperation.get(client.pk) == "yes":
                wanted.append((ServiceKind.LEGAL, LegalArea.CRIMINAL))
            if story.nation != "PL" and not nation.eu and story.trafficking:
                wanted.append((ServiceKind.LEGAL, LegalArea.RESIDENCE))
            if story.minor:
                wanted.append((ServiceKind.LEGAL, LegalArea.FAMILY))
            if client.interpreter_needed:
                wanted.append((ServiceKind.INTERPRETATION, ""))
            if story.nation != "PL" and story.trafficking:
                wanted.append((ServiceKind.ACCOMMODATION, ""))
            if story.sexual or story.minor or story.restricted or rng.random() < 0.5:
                wanted.append((ServiceKind.PSYCHOLOGICAL, ""))
            if story.sexual:
                wanted.append((ServiceKind.HEALTH, ""))
            if cooperation.get(client.pk) == "yes" and status != Case.Status.OPEN:
                wanted.append((ServiceKind.ACCOMPANIMENT, ""))
            if plan.reason == Case.CloseReason.RETURNED:
                wanted.append((ServiceKind.RETURN, ""))
            if rng.random() < 0.4:
                wanted.append((ServiceKind.MATERIAL, ""))
            if status == Case.Status.CLOSED and story.trafficking and rng.random() < 0.5:
                wanted.append((ServiceKind.LEGAL, LegalArea.COMPENSATION))
            hours: Decimal | None
            by: User | None
            for n, (kind, area) in enumerate(wanted[:limit]):
                partner, by, hours = "", None, Decimal("1.0")
                if kind == ServiceKind.LEGAL:
                    details, by, hours = LEGAL_DETAILS[area], specialist or manager, Decimal("1.5")
                elif kind == ServiceKind.INTERPRETATION:
                    details, partner = (
                        "Tłumaczenie rozmowy z pełnomocnikiem.",
                        "Tłumacz języka " + (nation.language_pl or "angielskiego"),
                    )
                elif kind == ServiceKind.ACCOMMODATION:
                    nights = rng.randint(7, 90)
                    details, partner, hours = f"Zakwaterowanie na {nights} nocy.", shelter, None
                elif kind == ServiceKind.PSYCHOLOGICAL:
                    details = "Sesja wsparcia; objawy stresu pourazowego, zaburzenia snu."
                    partner = "Psycholog — Fundacja La Strada"
                elif kind == ServiceKind.HEALTH:
                    details, partner = "Badanie lekarskie i skierowanie do poradni.", "Przychodnia"
                elif kind == ServiceKind.ACCOMPANIMENT:
                    details, by, hours = (
                        "Towarzyszenie podczas przesłuchania.",
                        manager,
                        Decimal("4.0"),
                    )
                elif kind == ServiceKind.RETURN:
                    details, partner, hours = "Bilet, dokument podróży, kontakt w kraju.", IOM, None
                else:
                    details, by, hours = "Żywność, środki higieniczne, karta SIM.", manager, None
                share = (n / max(1, len(wanted[:limit]))) * 0.9
                self.add(
                    case,
                    Service(
                        client=client,
                        kind=kind,
                        legal_area=area,
                        delivered_on=self.day(plan, share, share + 0.1),
                        provided_by=by,
                        partner=partner,
                        hours=hours,
                        details=details,
                    ),
                    "service",
                    manager,
                )

    def sharing(
        self,
        case: Case,
        plan: Plan,
        clients: list[Person],
        by: User,
        cooperation: dict[int, str],
    ) -> None:
        rng = self.rng
        for client in clients[:2]:
            if cooperation.get(client.pk) == "yes":
                consent = self.add(
                    case,
                    Consent(
                        client=client,
                        scope=Consent.Scope.SHARE_POLICE,
                        recipient=rng.choice(POLICE),
                        shares=["identity", "context", "decisions"],
                        checklist=["purpose", "use", "withdraw"],
                        method=Consent.Method.WRITTEN,
                        interpreter=client.interpreter_needed,
                        given_on=self.day(plan, 0.2, 0.4),
                    ),
                    "consent",
                    by,
                )
                if plan.reason == Case.CloseReason.CLIENT_ENDED:
                    services.consent_withdraw(
                        consent=consent, on=self.day(plan, 0.8), acting_user=by
                    )
            if plan.status != Case.Status.OPEN and rng.random() < 0.4:
                returned = plan.reason == Case.CloseReason.RETURNED
                self.add(
                    case,
                    Consent(
                        client=client,
                        scope=Consent.Scope.SHARE_ORGANISATION,
                        recipient=IOM if returned else rng.choice(ORGANISATIONS),
                        shares=["identity", "contact", "plan"],
                        checklist=["purpose", "use", "withdraw"],
                        method=Consent.Method.ORAL,
                        interpreter=client.interpreter_needed,
                        given_on=self.day(plan, 0.3, 0.6),
                    ),
                    "consent",
                    by,
                )

    def deadlines(
        self,
        case: Case,
        plan: Plan,
        clients: list[Person],
        by: User,
        certificate: dt.date | None,
        cooperation: dict[int, str],
    ) -> None:
        rng, status = self.rng, plan.status
        if certificate is not None:
            for client in clients:
                deadline = services.deadline_add(
                    case=case,
                    instance=Deadline(
                        client=client,
                        kind=DeadlineKind.REFLECTION,
                        starts_on=certificate,
                        note="Zaświadczenie wydane przez Straż Graniczną.",
                    ),
                    acting_user=by,
                )
                if deadline.due < self.today and (
                    status != Case.Status.ON_HOLD or rng.random() < 0.5
                ):
                    services.deadline_met(deadline=deadline, acting_user=by)
                elif deadline.due < self.today:
                    continue  # missed: the coordinator's panel shows it
                if (
                    deadline.due < self.today
                    and status != Case.Status.CLOSED
                    and client is clients[0]
                ):
                    services.deadline_add(
                        case=case,
                        instance=Deadline(
                            client=client,
                            kind=DeadlineKind.PERMIT,
                            starts_on=deadline.due,
                            due=deadline.due + relativedelta(years=1),
                            note="Zezwolenie na pobyt czasowy (art. 176) na rok.",
                        ),
                        acting_user=by,
                    )
        if "yes" in cooperation.values() and status != Case.Status.OPEN:
            closed = status == Case.Status.CLOSED
            due = (
                self.day(plan, 0.4, 0.8)
                if closed
                else self.today + dt.timedelta(days=rng.randint(2, 40))
            )
            hearing = services.deadline_add(
                case=case,
                instance=Deadline(
                    client=clients[0],
                    kind=DeadlineKind.HEARING,
                    due=due,
                    remind_days=7,
                    note="Przesłuchanie pokrzywdzonego w prokuraturze, z tłumaczem.",
                ),
                acting_user=by,
            )
            if closed:
                services.deadline_met(deadline=hearing, acting_user=by)

    def renumber(self, cases: list[Case]) -> None:
        """Number the cases by the year they were opened in, in order (they were numbered
        in the current year when they were made)."""
        counters: dict[int, int] = {}
        for case in sorted(cases, key=lambda c: (c.opened_on, c.pk)):
            year = case.opened_on.year
            number = counters[year] = counters.get(year, 0) + 1
            if (case.year, case.number) != (year, number):
                reference = f"{self.organisation.short_code}/{year}/{number:04d}"
                Case.objects.filter(pk=case.pk).update(
                    year=year, number=number, reference=reference
                )


def _staff_by_role(staff: Mapping[Role, User] | Sequence[User]) -> dict[str, User]:
    if isinstance(staff, Mapping):
        return {str(role): user for role, user in staff.items()}
    return {str(user.role): user for user in staff if user.role}


def build(
    organisation: Organisation,
    staff: Mapping[Role, User] | Sequence[User],
    *,
    today: dt.date,
    seed: int = 2026,
) -> int:
    """Make the demo cases of ``organisation`` (which has none yet) with its staff (a case
    manager; a coordinator and a specialist if given); returns how many."""
    builder = _Builder(organisation, _staff_by_role(staff), today, seed)
    made = []
    for index, plan in enumerate(builder.plans()):
        case = builder.case(plan, index)
        case.opened_on = plan.opened
        made.append(case)
    if (
        not Case.objects.filter(organisation=organisation)
        .exclude(pk__in=[c.pk for c in made])
        .exists()
    ):
        builder.renumber(made)
    return len(made)
