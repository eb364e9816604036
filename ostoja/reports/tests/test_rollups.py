"""The contact figures read a roll-up (``ostoja.helpline.rollups``); these tests prove it
exact: on random histories of contacts written through the helpline's services — drafts,
completions, edits that move a contact across a local midnight or New Year, purposes and
languages replaced, drafts discarded, replies, telephony events, a portal report erased —
in three organisations (one at UTC+5:30, whose local days do not fall on UTC hours), every
contact figure over periods that cut at those boundaries equals the raw query over the
contacts, and the roll-up kept equals a recount."""

import datetime as dt
from collections import Counter
from contextlib import suppress
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models.functions import ExtractHour, TruncMonth
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ostoja.accounts.models import Organisation, User
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.helpline import rollups
from ostoja.helpline.models import Call, Contact, ContactLanguage, ContactPurpose, ContactTally
from ostoja.helpline.services import (
    call_event_record,
    contact_discard,
    contact_reply,
    contact_save,
    contact_start,
)
from ostoja.portal.services import report_erase, report_make
from ostoja.reports.figures import FIGURES, NOT_RECORDED, Period, contacts
from ostoja.reports.figures import today as f_today
from ostoja.test import make_organisation, make_user

pytestmark = pytest.mark.django_db

KEYS = [
    "contacts_by_channel",
    "contacts_by_line",
    "contacts_by_caller",
    "contacts_by_language",
    "contacts_by_purpose",
    "contacts_by_month",
    "contacts_by_hour",
]
ZONES = ["Europe/Warsaw", "Europe/Warsaw", "Asia/Kolkata"]
# Instants around the boundaries a period cuts at: New Year and a midnight in local time
# (Warsaw and Kolkata), a change of summer time; a contact is put a few minutes either side.
ANCHORS = [
    dt.datetime(2025, 12, 31, 23, 0, tzinfo=dt.UTC),  # Warsaw's New Year
    dt.datetime(2025, 12, 31, 18, 30, tzinfo=dt.UTC),  # Kolkata's New Year
    dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC),  # Warsaw's clocks go forward
    dt.datetime(2026, 10, 25, 1, 0, tzinfo=dt.UTC),  # and back
    dt.datetime(2026, 6, 15, 22, 0, tzinfo=dt.UTC),  # Warsaw's midnight in summer
    dt.datetime(2025, 6, 30, 18, 30, tzinfo=dt.UTC),  # Kolkata's midnight
]
PERIODS = [
    Period.year(2025),
    Period.year(2026),
    Period(dt.date(2025, 12, 31), dt.date(2026, 1, 1)),
    Period(dt.date(2026, 1, 1), dt.date(2026, 1, 1)),
    Period(dt.date(2026, 3, 29), dt.date(2026, 6, 15)),
    Period(dt.date(2025, 7, 1), dt.date(2026, 10, 24)),
]

instants = st.builds(
    lambda anchor, minutes: anchor + dt.timedelta(minutes=minutes),
    st.sampled_from(ANCHORS),
    st.integers(min_value=-90, max_value=90),
)
fields = st.fixed_dictionaries(
    {},
    optional={
        "started_at": instants,
        "channel": st.sampled_from(["phone", "sms", "email", "web", "meeting"]),
        "caller_type": st.sampled_from(["", "victim", "relative", "police", "ngo"]),
        "purposes": st.lists(
            st.sampled_from(["identification", "intervention", "legal", "prevention"]),
            max_size=3,
        ),
        "languages": st.lists(st.sampled_from(["pol", "ukr", "eng", "vie"]), max_size=3),
    },
)
# (what, organisation, which contact of those made so far, fields, complete)
steps = st.lists(
    st.tuples(
        st.sampled_from(["new", "new", "edit", "discard", "reply", "call"]),
        st.integers(min_value=0, max_value=2),
        st.integers(min_value=0, max_value=1000),
        fields,
        st.booleans(),
    ),
    min_size=1,
    max_size=25,
)


def raw(org: Organisation, period: Period) -> dict[str, tuple[dict[str, int], int]]:
    """Every contact figure by the raw query over the contacts (``figures.contacts``)."""
    qs = contacts(org, period)
    zone = ZoneInfo(org.time_zone)

    def grouped(rows: Any) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for key, n in rows:
            counts[NOT_RECORDED if key in ("", None) else str(key)] += n
        return {k: n for k, n in counts.items() if n}

    def by(field: str) -> dict[str, int]:
        return grouped(Counter(qs.values_list(field, flat=True)).items())

    def several(model: Any, field: str) -> dict[str, int]:
        found = Counter(model.objects.filter(contact__in=qs).values_list(field, flat=True))
        found[""] = qs.exclude(pk__in=model.objects.values("contact_id")).count()
        return grouped(found.items())

    months = Counter(
        f"{m:%Y-%m}"
        for m in qs.annotate(m=TruncMonth("started_at", tzinfo=zone)).values_list("m", flat=True)
    )
    hours = Counter(
        f"{h:02d}"
        for h in qs.annotate(h=ExtractHour("started_at", tzinfo=zone)).values_list("h", flat=True)
    )
    total = qs.count()
    return {
        "contacts_by_channel": (by("channel"), total),
        "contacts_by_line": (by("line"), total),
        "contacts_by_caller": (by("caller_type"), total),
        "contacts_by_language": (several(ContactLanguage, "language"), total),
        "contacts_by_purpose": (several(ContactPurpose, "purpose"), total),
        "contacts_by_month": (dict(months), total),
        "contacts_by_hour": (dict(hours), total),
    }


def assert_exact(orgs: list[Organisation]) -> None:
    for org in orgs:
        assert rollups.differences(org) == {}
        for period in PERIODS:
            expected = raw(org, period)
            for key in KEYS:
                table = FIGURES[key](org, period)
                assert (table.values(), table.total) == expected[key], (org.time_zone, period, key)


def _play(orgs: list[Organisation], users: list[User], history: list[Any]) -> None:
    made: list[Contact] = []
    calls = 0
    for what, which_org, which, data, complete in history:
        org, user = orgs[which_org], users[which_org]
        alive = [c for c in made if Contact.objects.filter(pk=c.pk).exists()]
        if what == "new" or not alive and what != "call":
            contact = contact_start(organisation=org, acting_user=user)
            contact_save(contact=contact, data=data, acting_user=user, complete=complete)
            made.append(contact)
            continue
        if what == "call":
            calls += 1
            call_id = f"call-{calls}"
            call_event_record(
                organisation=org,
                call_id=call_id,
                state=Call.State.ANSWERED,
                at=data.get("started_at", ANCHORS[0]),
                answered_by=user,
            )
            call = Call.objects.get(call_id=call_id)
            assert call.answered_at is not None and call.contact is not None
            call_event_record(
                organisation=org,
                call_id=call_id,
                state=Call.State.ENDED,
                at=call.answered_at + dt.timedelta(minutes=7),
                caller="+48 600 100 200",
            )
            made.append(call.contact)
            continue
        contact = alive[which % len(alive)]
        contact.refresh_from_db()
        user = users[orgs.index(contact.organisation)]
        if what == "discard" and contact.status == Contact.Status.DRAFT:
            with suppress(ValidationError):  # a draft already answered (linked) is refused
                contact_discard(contact=contact, acting_user=user)
        elif what == "reply" and contact.channel == Contact.Channel.WEB:
            made.append(contact_reply(contact=contact, body="Odpowiedź.", acting_user=user))
        else:
            done = contact.status == Contact.Status.COMPLETED
            with suppress(ValidationError):  # a start after the end is refused, rolled back
                contact_save(
                    contact=contact, data=data, acting_user=user, complete=complete and not done
                )


@pytest.fixture
def centres() -> tuple[list[Organisation], list[User]]:
    orgs, users = [], []
    for n, zone in enumerate(ZONES):
        org = make_organisation(f"R{n}", f"Centrum {n}")
        org.time_zone = zone
        org.save()
        orgs.append(org)
        users.append(make_user(org, Role.COUNSELLOR, full_name=f"Doradca {n}").user)
    return orgs, users


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a failure is printed unshrunk
)
@given(history=steps)
def test_every_contact_figure_from_the_roll_up_equals_the_raw_query(
    centres: tuple[list[Organisation], list[User]], history: list[Any]
) -> None:
    orgs, users = centres
    with transaction.atomic():  # each example starts from no contacts
        _play(orgs, users, history)
        assert_exact(orgs)
        transaction.set_rollback(True)


def test_drafts_are_not_counted_until_completed(
    centres: tuple[list[Organisation], list[User]],
) -> None:
    orgs, users = centres
    org, user = orgs[0], users[0]
    new_year = dt.datetime(2026, 1, 1, 0, 30, tzinfo=ZoneInfo("Europe/Warsaw"))
    contact = contact_start(organisation=org, acting_user=user)
    contact_save(
        contact=contact, data={"started_at": new_year, "languages": ["ukr"]}, acting_user=user
    )
    assert FIGURES["contacts_by_language"](org, Period.year(2026)).total == 0
    assert not ContactTally.objects.exclude(count=0).exists()
    contact_save(contact=contact, data={}, acting_user=user, complete=True)
    table = FIGURES["contacts_by_language"](org, Period.year(2026))
    assert (table.values(), table.total) == ({"ukr": 1}, 1)
    # Moved back by an hour it is last year's, in the roll-up as in the raw query.
    contact_save(
        contact=contact, data={"started_at": new_year - dt.timedelta(hours=1)}, acting_user=user
    )
    assert FIGURES["contacts_by_month"](org, Period.year(2026)).total == 0
    assert FIGURES["contacts_by_month"](org, Period.year(2025)).values() == {"2025-12": 1}
    assert_exact(orgs)


def test_a_bulk_load_is_counted_by_the_rebuild_and_the_check_finds_it(
    centres: tuple[list[Organisation], list[User]],
) -> None:
    orgs, _users = centres
    org = orgs[2]
    Contact.objects.create(
        organisation=org,
        status=Contact.Status.COMPLETED,
        started_at=dt.datetime(2025, 12, 31, 18, 45, tzinfo=dt.UTC),  # 1 January in Kolkata
        line=Contact.Line.OFFICE,
        summary="",
        caller_number="",
    )
    with pytest.raises(CommandError, match="differ"):
        call_command("rollups_rebuild", "--check", stdout=StringIO())
    out = StringIO()
    call_command("rollups_rebuild", "--organisation", "R2", stdout=out)
    assert "R2: 7 rows" in out.getvalue()  # total, channel, line, caller, hour, no purpose/language
    call_command("rollups_rebuild", "--check", stdout=StringIO())
    assert FIGURES["contacts_by_hour"](org, Period.year(2026)).values() == {"00": 1}
    assert AuditEntry.objects.filter(action="contact.tallies_rebuilt").count() == 1
    assert_exact(orgs)


def test_the_roll_up_holds_counts_only() -> None:
    names = {f.name for f in ContactTally._meta.get_fields()}
    assert names == {"id", "organisation", "dimension", "day", "value", "count"}


def test_the_rebuild_names_an_organisation_that_exists() -> None:
    with pytest.raises(CommandError, match="short code"):
        call_command("rollups_rebuild", "--organisation", "NOPE")


def test_an_erased_portal_report_takes_its_reply_out_of_the_counts(
    centres: tuple[list[Organisation], list[User]],
) -> None:
    orgs, users = centres
    org, user = orgs[0], users[0]
    report, _receipt = report_make(
        organisation=org, text="Pracodawca zabrał mi paszport.", attachment=None, page_language="pl"
    )
    message = Contact.objects.get(pk=report.first_id)
    contact_reply(contact=message, body="Prosimy o kontakt telefoniczny.", acting_user=user)
    today = f_today(org)
    assert FIGURES["contacts_by_channel"](org, today).values() == {"web": 1}  # the reply
    assert report_erase(report=report)
    assert FIGURES["contacts_by_channel"](org, today).total == 0
    assert_exact(orgs)
