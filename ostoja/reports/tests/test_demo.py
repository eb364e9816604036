"""On the demo (``manage.py demo``): the coordinator's counts by status are the case list's
filters, and every chart and table of the analyst's dashboard over the demo's year has
something in it."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ostoja.accounts.models import Membership
from ostoja.accounts.roles import Role
from ostoja.cases.models import Case
from ostoja.helpline import rollups
from ostoja.reports.figures import FIGURES
from ostoja.test import force_sign_in, text

pytestmark = pytest.mark.django_db


def test_the_coordinators_status_counts_are_the_case_lists(client: Client) -> None:
    call_command("demo", stdout=StringIO())
    coordinator = Membership.objects.filter(role=Role.COORDINATOR).first()
    assert coordinator is not None
    force_sign_in(client, coordinator.user)
    html = text(client.get("/"))
    start = html.index('data-figure="caseload_by_status"')
    chunk = html[start : html.index("</table>", start)]
    for status in Case.Status.values:
        row = chunk[chunk.index(f'data-key="{status}"') :]
        shown = int(re.search(r'data-value="(\d+)"', row).group(1))  # type: ignore[union-attr]
        listed = text(client.get(f"/cases/?status={status}"))
        assert len(set(re.findall(r'href="/cases/([0-9a-f-]{36})/"', listed))) == shown, status
        assert shown >= 3, status
    # Each open case has one case manager: the caseload by manager adds up to the open cases.
    managers = html[html.index('data-testid="managers"') :].split("</ul>", 1)[0]
    open_cases = int(re.search(r'data-testid="open-cases">(\d+)<', html).group(1))  # type: ignore[union-attr]
    assert sum(int(n) for n in re.findall(r'data-value="(\d+)"', managers)) == open_cases
    # The analyst's dashboard over the demo's year: every chart and table has something in
    # it, and the helpline's roll-up (counted as the demo loaded its year) is a recount's.
    analyst = Membership.objects.get(role=Role.ANALYST).user
    assert analyst.organisation is not None
    assert rollups.differences(analyst.organisation) == {}
    force_sign_in(client, analyst)
    today = timezone.localdate()
    year = f"from={(today - dt.timedelta(days=364)).isoformat()}&to={today.isoformat()}"
    html = text(client.get(f"/?{year}"))
    figures = re.findall(r'data-testid="figure" data-figure="(\w+)"', html)
    assert set(FIGURES) <= set(figures)
    assert 'data-testid="no-data"' not in html
