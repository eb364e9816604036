"""What the dashboards show, from the figures (``figures``): the coordinator's caseload,
deadlines, interventions and shelter; the analyst's every figure for a period. The home
app's dashboard view calls these; the numbers are the annual report's own."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import Organisation, User
from ostoja.cases.access import cases_visible_to
from ostoja.cases.models import Case
from ostoja.reports import figures as f
from ostoja.reports import report


@dataclass
class Panel:
    """A table of the moment (not of a period), shown like a figure: chart and table."""

    key: str
    title: Promise
    unit: Promise
    rows: list[f.Row]
    total: int
    note: Promise | str = ""
    links: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.total


def caseload_panels(cases: QuerySet[Case]) -> list[Panel]:
    """Cases by status (each row links the case list's filter) and open cases by stage."""
    by_status = f.caseload_by_status(cases)
    by_stage = f.caseload_by_stage(cases)
    url = reverse("cases:case_list")
    return [
        Panel(
            "caseload_by_status",
            _("Cases by status"),
            _("cases"),
            by_status,
            sum(int(r.value) for r in by_status),
            _("Every case, counted once, by its status now."),
            {r.key: f"{url}?status={r.key}" for r in by_status},
        ),
        Panel(
            "caseload_by_stage",
            _("Open cases by stage"),
            _("cases"),
            by_stage,
            sum(int(r.value) for r in by_stage),
            _("Cases not closed, by their stage now."),
        ),
    ]


@dataclass
class Counts:
    """One period's contacts on the counsellor's dashboard: the figures' own numbers."""

    label: Promise
    period: f.Period
    by_line: f.Table

    @property
    def total(self) -> f.Number:
        return self.by_line.total

    @property
    def duty(self) -> f.Number:
        return self.by_line.values().get("duty", 0)


def counsellor(user: User) -> dict[str, object]:
    """The helpline's panel: the centre's completed contacts today and this week (the
    statistics' definition: ``figures.contacts``, drafts not counted), and the open
    follow-ups given to the user and of the whole centre."""
    organisation = user.organisation
    assert organisation is not None  # noqa: S101  # who logs contacts is a member
    mine = f.open_follow_ups(organisation, assignee=user)
    return {
        "periods": [
            Counts(label, period, f.FIGURES["contacts_by_line"](organisation, period))
            for label, period in (
                (_("Today"), f.today(organisation)),
                (_("This week"), f.this_week(organisation)),
            )
        ],
        "follow_ups_mine": mine.count(),
        "follow_ups_overdue": mine.filter(due__lt=f.today(organisation).end).count(),
        "follow_ups_all": f.open_follow_ups(organisation).count(),
    }


def year_to_date() -> f.Period:
    today = timezone.localdate()
    return f.Period(dt.date(today.year, 1, 1), today)


def coordinator(user: User) -> dict[str, object]:
    """The coordinator's panels: the caseload of the cases they may open, missed
    deadlines, this year's interventions, the last 30 days' shelter occupancy."""
    organisation = user.organisation
    assert organisation is not None  # noqa: S101  # a coordinator is a member
    cases = cases_visible_to(user)
    year = year_to_date()
    today = timezone.localdate()
    month = f.Period(today - dt.timedelta(days=29), today)
    return {
        "caseload": caseload_panels(cases),
        "open_cases": cases.exclude(status=Case.Status.CLOSED).count(),
        "missed_count": f.missed_deadlines(cases).count(),
        "interventions": [
            f.FIGURES["interventions_by_outcome"](organisation, year),
            f.FIGURES["interventions_first_action"](organisation, year),
        ],
        "median_first_action": f.median_minutes_to_first_action(organisation, year),
        "occupancy": f.FIGURES["shelter_occupancy"](organisation, month),
        "year": year,
        "month": month,
    }


def analyst(organisation: Organisation, period: f.Period) -> dict[str, object]:
    """Everything: the organisation's caseload and every figure of the period."""
    cases = Case.objects.filter(organisation=organisation)
    return {"caseload": caseload_panels(cases), "report": report.build(organisation, period)}
