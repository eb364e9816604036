"""The demo cases (``manage.py demo``): every stage and status, shaped like the centre's."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ostoja.audit.models import AuditEntry
from ostoja.cases.access import TARGET
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
from ostoja.duty import roster
from ostoja.identification import models as identification
from ostoja.interventions.models import Intervention
from ostoja.people.models import Person, PersonKey


def _demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_cases_cover_every_status_and_run_once() -> None:
    first = _demo()
    cases = Case.objects.all()
    assert "Demo cases: " in first and 30 <= cases.count() <= 50
    by_status = {s: cases.filter(status=s).count() for s in Case.Status.values}
    assert all(n >= 3 for n in by_status.values()), by_status
    closed = cases.filter(status=Case.Status.CLOSED)
    assert not closed.filter(close_reason="").exists()
    assert closed.values("close_reason").distinct().count() >= 3
    assert cases.filter(restricted=True).count() == 1
    # Mostly forced labour of foreign men; some sexual exploitation; Polish clients too.
    labour = [c for c in cases if "forced_labour" in c.forms]
    assert len(labour) > cases.count() / 2
    assert any("prostitution" in c.forms for c in cases)
    clients = Person.objects.filter(case_links__isnull=False)
    assert clients.filter(gender=Person.Gender.MASCULINE).count() > clients.count() / 2
    assert any(p.citizenships == ["PL"] for p in clients)
    assert any(p.name != p.name_latin and p.name_latin for p in clients)  # Cyrillic, Vietnamese
    today = timezone.localdate()
    assert sum(p.is_minor(today) for p in clients) >= 1
    group = [c for c in cases.filter(clients__isnull=False).distinct() if c.clients.count() > 1]
    assert len(group) == 1 and group[0].clients.count() >= 3
    # Written through the services: matching keys, audit entries, computed deadlines.
    assert PersonKey.objects.filter(person__in=clients).exists()
    assert AuditEntry.objects.filter(target_type=TARGET, action="case.opened").count() == (
        cases.count()
    )
    reflection = Deadline.objects.filter(kind="reflection")
    assert reflection.exists() and all(d.period_id for d in reflection)
    for model in (RouteEvent, Goal, Service, Decision, Consent, RiskAssessment, Note):
        assert model.objects.exists(), model
    open_actions = Action.objects.filter(status=Action.Status.PLANNED)
    assert open_actions.filter(due__lt=today).exists()  # overdue
    assert open_actions.filter(due__gte=today, due__lte=today + dt.timedelta(days=7)).exists()
    # Spread over the last two years, numbered by the year they were opened in.
    assert cases.filter(opened_on__lt=today.replace(day=1)).exists()
    assert all(c.year == c.opened_on.year for c in cases)
    assert all(c.reference.endswith(f"/{c.year}/{c.number:04d}") for c in cases)
    # Identification: statuses decided by the centre and by law enforcement, assessments.
    decided_by = set(identification.Decision.objects.values_list("decided_by", flat=True))
    assert "centre" in decided_by and decided_by & {"police", "border_guard"}
    assert identification.Answer.objects.exists()
    # The roster covers the next 30 days; one intervention is open, one handed over.
    organisation = Case.objects.first().organisation  # type: ignore[union-attr]
    assert roster.uncovered(organisation, timezone.now()) == []
    assert Intervention.objects.filter(status="open").count() == 1
    assert Intervention.objects.filter(status="closed", handover_to__isnull=False).count() == 1
    made = (cases.count(), CaseClient.objects.count(), Service.objects.count())
    second = _demo()
    assert "Demo cases" not in second
    assert (Case.objects.count(), CaseClient.objects.count(), Service.objects.count()) == made
