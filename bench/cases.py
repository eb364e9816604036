"""Benchmark of the case pages: one case with ~300 timeline entries (notes, services,
decisions, consents, deadlines, plan actions, status changes — written through the
services, audit entries included); the server time of opening the case page and its
timeline as its case manager, p50/p95 of 200 requests each after a warm-up, with the
number of queries each page runs.

Run against PostgreSQL (it migrates the database it is given and makes the case once):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ostoja_bench make bench-cases
Targets (issue #13), as ratios to the minimal signed-in page measured in the same run
(``bench/urls.py``): the case page ≤ 3×, at most 12 queries whatever the case's length.
"""

import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.settings")

import django

django.setup()

from django.conf import settings

settings.ROOT_URLCONF = "bench.urls"  # Ostoja's URLs and the minimal page to compare with

from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ostoja.accounts.mfa import totp_enrol
from ostoja.accounts.models import Membership, Organisation, User
from ostoja.accounts.policy import TeamRole
from ostoja.accounts.roles import Role
from ostoja.cases import services
from ostoja.cases.access import access_case
from ostoja.cases.models import (
    Action,
    Case,
    Consent,
    Deadline,
    Decision,
    Goal,
    Note,
    RiskAssessment,
    Service,
)
from ostoja.cases.selectors import timeline
from ostoja.cases.vocabulary import Domain, LegalArea, ServiceKind
from ostoja.helpline.access import contacts_visible_to
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.test import force_sign_in

REQUESTS = 200
WARM_UP = 10
SHORT_CODE = "BENCHCASES"
# Other people of the organisation (two years of a centre's registrations): the case page
# offers up to 200 of them as further clients.
PEOPLE = 500


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def _user(organisation: Organisation, email: str, name: str, role: Role) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, full_name=name)
        Membership.objects.create(user=user, organisation=organisation, role=role)
        totp_enrol(user, generate_totp_secret())  # staff pages need a second factor
    return user


def fill() -> tuple[Case, User]:
    """The bench case and its case manager, made once: three clients, a specialist on the
    team, and 300 records on the timeline; and the organisation's other people."""
    organisation, _ = Organisation.objects.get_or_create(
        short_code=SHORT_CODE, defaults={"name": "Bench cases"}
    )
    manager = _user(organisation, "cases@bench.invalid", "Bench Case Manager", Role.CASE_MANAGER)
    specialist = _user(organisation, "legal@bench.invalid", "Bench Specialist", Role.SPECIALIST)
    have = Person.objects.filter(organisation=organisation).count()
    for n in range(have, PEOPLE + 3):
        person_create(
            organisation=organisation,
            acting_user=manager,
            data={"name": f"Osoba {n} Testowa", "gender": Person.Gender.FEMININE},
        )
    case = Case.objects.filter(organisation=organisation).first()
    if case is not None:
        return case, manager
    began = time.perf_counter()
    today = timezone.localdate()
    clients = [
        person_create(
            organisation=organisation,
            acting_user=manager,
            data={
                "name": name,
                "name_latin": latin,
                "gender": Person.Gender.MASCULINE,
                "citizenships": ["UA"],
                "languages": ["ukr", "rus"],
                "legal_status": Person.LegalStatus.CERTIFICATE,
                "birth_date": dt.date(1980 + n, 3, 1 + n),
            },
        )
        for n, (name, latin) in enumerate(
            [
                ("Олександр Коваленко", "Oleksandr Kovalenko"),
                ("Андрій Шевчук", "Andrii Shevchuk"),
                ("Сергій Мельник", "Serhii Melnyk"),
            ]
        )
    ]
    case = services.case_open(
        organisation=organisation,
        clients=clients,
        manager=manager,
        acting_user=manager,
        data={"summary": "Praca na budowie bez wynagrodzenia. " * 5, "referred_by": "police"},
    )
    services.team_set(case=case, user=specialist, role=TeamRole.SPECIALIST, acting_user=manager)
    services.case_update(
        case=case,
        acting_user=manager,
        data={
            "forms": ["forced_labour"],
            "industries": ["F_Construction"],
            "control_methods": ["WithholdsDocuments", "DebtBondage", "TakesEarnings"],
            "recruitment": ["ThroughAnOnlineAdvertisement"],
        },
    )

    def add(instance: object, section: str) -> None:
        services.case_record_add(
            case=case,
            instance=instance,  # type: ignore[arg-type]
            acting_user=manager,
        )

    def day(n: int) -> dt.date:
        return today - dt.timedelta(days=300 - n)

    add(
        RiskAssessment(level="medium", factors=["debt"], safety_plan="Plan.", assessed_on=day(0)),
        "risk",
    )
    kinds = [
        (ServiceKind.LEGAL, LegalArea.CRIMINAL),
        (ServiceKind.PSYCHOLOGICAL, ""),
        (ServiceKind.ACCOMMODATION, ""),
        (ServiceKind.INTERPRETATION, ""),
        (ServiceKind.LEGAL, LegalArea.RESIDENCE),
    ]
    goals = [
        services.case_record_add(
            case=case,
            instance=Goal(domain=domain, text=f"Cel: {domain}", client=clients[n % 3]),
            acting_user=manager,
        )
        for n, domain in enumerate(list(Domain)[:10])
    ]
    for n in range(60):  # 60 × (note, service, action) + 30 × (decision, consent, deadline,
        client = clients[n % 3]  # status change) = 300 entries
        add(Note(text=f"Notatka {n}: rozmowa z klientem. " * 4, at=timezone.now()), "note")
        kind, area = kinds[n % len(kinds)]
        add(
            Service(
                client=client,
                kind=kind,
                legal_area=area,
                delivered_on=day(n * 5),
                provided_by=specialist if kind == ServiceKind.LEGAL else None,
                partner="" if kind == ServiceKind.LEGAL else "Partner",
                hours=Decimal("1.5"),
                details="Szczegóły usługi. " * 5,
            ),
            "service",
        )
        goal = goals[n % len(goals)]
        assert isinstance(goal, Goal)
        services.plan_action_add(
            goal=goal,
            instance=Action(text=f"Krok {n}", owner=manager, due=day(n * 5 + 10)),
            acting_user=manager,
        )
        if n % 2:
            continue
        add(
            Decision(
                client=client,
                kind=list(Decision.Kind)[n % 5],
                choice=["yes", "no", "undecided"][n % 3],
                decided_on=day(n * 5),
                information=["rights", "procedure"],
                notes="Decyzja po rozmowie.",
            ),
            "decision",
        )
        add(
            Consent(
                client=client,
                scope=[Consent.Scope.PROCESSING, Consent.Scope.SHARE_ORGANISATION][n % 4 // 2],
                recipient="" if n % 4 < 2 else "Ośrodek Pomocy Społecznej",
                shares=[] if n % 4 < 2 else ["identity", "plan"],
                method=Consent.Method.WRITTEN,
                given_on=day(n * 5),
            ),
            "consent",
        )
        services.deadline_add(
            case=case,
            instance=Deadline(
                client=client,
                kind=["hearing", "application", "other"][n % 3],
                due=day(n * 5 + 30),
                note="Termin.",
            ),
            acting_user=manager,
        )
        status = Case.Status.ON_HOLD if n % 4 == 0 else Case.Status.ACTIVE
        services.case_status(case=case, status=status, acting_user=manager)
    print(f"  made the case in {time.perf_counter() - began:.1f} s")
    return case, manager


def measure(handler: WSGIHandler, path: str, cookie: str) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU milliseconds of each request, and the queries of one: on a shared
    machine the CPU time (this process only, so without PostgreSQL's) shows how much of
    the wall time is other processes'."""
    factory = RequestFactory(HTTP_HOST="127.0.0.1")

    def get() -> tuple[float, float]:
        request = factory.get(path)
        request.COOKIES[settings.SESSION_COOKIE_NAME] = cookie
        began, cpu = time.perf_counter(), time.process_time()
        response = handler.get_response(request)
        elapsed = (time.perf_counter() - began) * 1000, (time.process_time() - cpu) * 1000
        assert response.status_code == 200, (path, response.status_code)
        return elapsed

    for _ in range(WARM_UP):  # templates compiled, plans cached, connection open
        get()
    with CaptureQueriesContext(connection) as queries:
        get()
    times = [get() for _ in range(REQUESTS)]
    return [t[0] for t in times], [t[1] for t in times], len(queries)


def main() -> None:
    call_command("migrate", verbosity=0)
    case, manager = fill()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    entries = timeline(access_case(manager, case.code), contacts_visible_to(manager), set())
    client = Client()
    force_sign_in(client, manager)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    handler = WSGIHandler()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"One case, {len(entries)} timeline entries, on {connection.vendor} (load {load}):")
    baseline: tuple[float, float, float] | None = None
    for name, path in (
        ("minimal", "/bench/minimal/"),
        ("case page", f"/cases/{case.code}/"),
        *((f"  {s}", f"/cases/{case.code}/section/{s}/") for s in ("service", "note")),
        ("timeline", f"/cases/{case.code}/timeline/"),
        ("health", "/health/"),
    ):
        times, cpu, queries = measure(handler, path, cookie)
        p50, p95_, cpu50 = statistics.median(times), p95(times), statistics.median(cpu)
        baseline = baseline or (p50, p95_, cpu50)
        # The target is the CPU ratio: on a shared machine the wall time is partly others'.
        print(
            f"  {name:<10} p50 {p50:.1f} ms, p95 {p95_:.1f} ms "
            f"(×{p50 / baseline[0]:.2f} / ×{p95_ / baseline[1]:.2f} the minimal page; "
            f"CPU p50 {cpu50:.1f} ms, ×{cpu50 / baseline[2]:.2f}; {queries} queries)  {path}"
        )


if __name__ == "__main__":
    main()
