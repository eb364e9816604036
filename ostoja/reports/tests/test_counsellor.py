"""The counsellor's dashboard panel counts with the figures' definitions: today's and this
week's completed contacts (drafts not counted) are ``contacts_by_line`` of those periods,
and the open follow-ups are ``figures.open_follow_ups`` — the list beside them agrees."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from ostoja.accounts.roles import Role
from ostoja.helpline.services import contact_save, contact_start, follow_up_add, follow_up_done
from ostoja.reports import figures as f
from ostoja.test import Persona, force_sign_in, text

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


def test_the_panel_shows_the_figures_numbers_drafts_not_counted(
    client: Client, centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    me, colleague = centre[Role.COUNSELLOR].user, centre[Role.COORDINATOR].user
    org = me.organisation
    assert org is not None
    # Monday 23:50 (a week's first day, the duty line), Wednesday 00:10 and 10:00 today;
    # a draft today; another centre's contact today.
    monday = dt.datetime(2026, 11, 9, 23, 50, tzinfo=WARSAW)
    wednesday = dt.datetime(2026, 11, 11, 10, 30, tzinfo=WARSAW)
    with time_machine.travel(wednesday, tick=False):
        for started in (monday, wednesday.replace(hour=0, minute=10), wednesday.replace(hour=10)):
            contact = contact_start(organisation=org, acting_user=me)
            contact_save(
                contact=contact, data={"started_at": started}, acting_user=me, complete=True
            )
        draft = contact_start(organisation=org, acting_user=me)
        elsewhere = other_centre[Role.COORDINATOR].user
        assert elsewhere.organisation is not None
        theirs = contact_start(organisation=elsewhere.organisation, acting_user=elsewhere)
        contact_save(contact=theirs, data={}, acting_user=elsewhere, complete=True)
        due = wednesday.date()
        follow_up_add(contact=draft, task="Oddzwonić", due=due, assignee=me, acting_user=me)
        late = follow_up_add(
            contact=contact, task="Wysłać adres", due=due - dt.timedelta(days=2), assignee=me,
            acting_user=me,
        )  # fmt: skip
        follow_up_add(
            contact=contact, task="Sprawdzić", due=due, assignee=colleague, acting_user=me
        )
        done = follow_up_add(contact=contact, task="Zrobione", due=due, assignee=me, acting_user=me)
        follow_up_done(follow_up=done, acting_user=me)
        force_sign_in(client, me)
        page = text(client.get("/"))
        today, week = f.today(org), f.this_week(org)
        assert (today.start, week.start) == (wednesday.date(), monday.date())
        figures = [f.FIGURES["contacts_by_line"](org, period) for period in (today, week)]
    shown = re.findall(r'data-total="(\d+)" data-duty="(\d+)"', page)
    assert shown == [(str(table.total), str(table.values().get("duty", 0))) for table in figures]
    assert [table.total for table in figures] == [2, 3]  # the draft and the other centre's: no
    assert "drafts not yet completed are not counted" in page or "nie są liczone" in page
    counts = re.search(r'data-mine="(\d+)" data-all="(\d+)"', page)
    assert counts is not None and counts.groups() == ("2", "3")
    assert "(1 " in page.split('data-testid="follow-up-counts"', 1)[1][:400]  # overdue: one
    assert f.open_follow_ups(org, assignee=me).count() == 2
    assert late.due < today.start
