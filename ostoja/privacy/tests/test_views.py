"""The DPO's audit pages: filters, who-has-seen, access."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.audit.trail import record
from ostoja.test import Persona, assert_access, sign_in, text

pytestmark = pytest.mark.django_db


def test_only_the_dpo_reads_the_trail(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    target = centre[Role.COUNSELLOR].user
    assert_access("/privacy/audit/", centre, other_centre, allowed={Role.DPO}, outsider_status=403)
    assert_access(
        f"/privacy/audit/seen/accounts.user/{target.code}/",
        centre,
        other_centre,
        allowed={Role.DPO},
        outsider_status=403,
    )


def _rows(page: str) -> str:
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_the_dpo_filters_the_trail_and_the_reading_is_recorded(
    client: Client, centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    dpo = centre[Role.DPO]
    admin = centre[Role.ADMINISTRATOR].user
    target = centre[Role.COUNSELLOR].user
    record("user.viewed", actor=admin, target=target)
    record("user.updated", actor=admin, target=target, data={"role": ["a", "b"]})
    record(
        "user.viewed",
        actor=other_centre[Role.ADMINISTRATOR].user,
        target=other_centre[Role.COORDINATOR].user,
    )
    sign_in(client, dpo)
    # Every action of the accounts app, by one member of staff.
    page = text(
        client.get(
            "/privacy/audit/",
            {"action": "@accounts", "actor": str(admin.code)},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    )
    rows = _rows(page)
    assert (
        "Staff member&#x27;s account changed" in rows
        and "Staff member&#x27;s account viewed" in rows
    )
    assert str(other_centre[Role.COORDINATOR].user.code)[:8] not in page  # another centre
    assert "Signed in" not in rows  # filtered out
    entry = AuditEntry.objects.filter(action="audit.reviewed").latest("seq")
    assert entry.actor == dpo.user
    assert entry.data == {"action": "@accounts", "actor": str(admin.code)}
    only = _rows(text(client.get("/privacy/audit/", {"target": str(target.code)})))
    assert "user.updated" in only and "auth.signed_in" not in only
    one = _rows(text(client.get("/privacy/audit/", {"action": "user.viewed"})))
    assert 'title="user.viewed"' in one and 'title="user.updated"' not in one


def test_the_action_filter_is_a_list_grouped_by_app(
    client: Client, centre: dict[Role, Persona]
) -> None:
    sign_in(client, centre[Role.DPO])
    page = text(client.get("/privacy/audit/", HTTP_ACCEPT_LANGUAGE="pl"))
    select = page.split('name="action"', 1)[1].split("</select>", 1)[0]
    assert '<optgroup label="Sprawy">' in select and '<optgroup label="Osoby">' in select
    assert '<option value="case.viewed">Wyświetlenie sprawy</option>' in select
    assert '<option value="@cases">Wszystkie: Sprawy</option>' in select
    refused = text(client.get("/privacy/audit/", {"action": "user."}, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Select a valid choice. user. is not one of the available choices." in refused


def test_bad_filters_get_a_clear_message(client: Client, centre: dict[Role, Persona]) -> None:
    sign_in(client, centre[Role.DPO])
    response = client.get(
        "/privacy/audit/", {"since": "2026-05-02", "until": "2026-05-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "The start date is after the end date." in text(response)
    response = client.get("/privacy/audit/", {"since": "yesterday"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Enter a valid date." in text(response)


def test_the_list_costs_the_same_however_long_the_trail(
    client: Client, centre: dict[Role, Persona]
) -> None:
    sign_in(client, centre[Role.DPO])
    client.get("/privacy/audit/")
    with CaptureQueriesContext(connection) as few:
        client.get("/privacy/audit/")
    for _ in range(80):
        record(
            "user.viewed",
            actor=centre[Role.ADMINISTRATOR].user,
            target=centre[Role.COUNSELLOR].user,
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/privacy/audit/")
    assert len(few) == len(many)


def test_who_has_seen_a_record(client: Client, centre: dict[Role, Persona]) -> None:
    target = centre[Role.COUNSELLOR].user
    admin = centre[Role.ADMINISTRATOR].user
    for _ in range(3):
        record("user.viewed", actor=admin, target=target)
    record("user.updated", actor=centre[Role.COORDINATOR].user, target=target)
    sign_in(client, centre[Role.DPO])
    page = text(
        client.get(f"/privacy/audit/seen/accounts.user/{target.code}/", HTTP_ACCEPT_LANGUAGE="en")
    )
    assert admin.full_name in page and ">3<" in page
    assert "Staff member&#x27;s account viewed" in page  # what they did, in words
    assert f"{target.full_name} (staff)" in page  # the record, named
    assert centre[Role.COORDINATOR].user.full_name not in page  # changed, did not read
    empty = text(
        client.get("/privacy/audit/seen/accounts.user/nothing/", HTTP_ACCEPT_LANGUAGE="en")
    )
    assert "Nobody has opened this record." in empty


def test_reading_the_trail_cannot_be_done_silently(
    client: Client, centre: dict[Role, Persona], settings: Any
) -> None:
    sign_in(client, centre[Role.DPO])
    before = AuditEntry.objects.count()
    client.get("/privacy/audit/")
    assert AuditEntry.objects.count() == before + 1
