"""The DPO's records (GDPR Art. 30, 33, 35; issue #19): the record of processing generated
from the inventory, the DPIA register and the breach log with its 72-hour clock — for the
DPO of the organisation alone, every read and write audited, downloads in sudo mode."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.http import Http404
from django.test import Client
from django.utils import translation

from ostoja.accounts.models import Notice
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.lib.inventory import Category, inventoried
from ostoja.privacy.access import access_breach, access_dpia, breaches_visible_to, dpia_visible_to
from ostoja.privacy.models import Breach, DpiaEntry, RecordKind, RetentionSchedule
from ostoja.privacy.processing import ACTIVITIES, ACTIVITY_NAMES, categories_of
from ostoja.privacy.services import breach_deadline_notices, breach_save, dpia_save
from ostoja.test import PASSWORD, Persona, assert_access, force_sign_in, sign_in, text

pytestmark = pytest.mark.django_db
AWARE = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
DESCRIPTION = "Laptop z notatkami o Olenie skradziony z samochodu"


def _dpo(centre: dict[Role, Persona]) -> Client:
    client = Client()
    force_sign_in(client, centre[Role.DPO].user)
    return client


def _actions(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("seq"))


def _breach(centre: dict[Role, Persona], **data: object) -> Breach:
    dpo = centre[Role.DPO].user
    assert dpo.organisation is not None
    return breach_save(
        organisation=dpo.organisation,
        data={"aware_at": AWARE, "description": DESCRIPTION, "categories": ["identity"]} | data,
        acting_user=dpo,
    )


def _dpia(centre: dict[Role, Persona], activity: str = "cases") -> DpiaEntry:
    dpo = centre[Role.DPO].user
    assert dpo.organisation is not None
    return dpia_save(
        organisation=dpo.organisation,
        data={
            "activity": activity,
            "assessed_on": dt.date(2026, 3, 1),
            "assessor": "Anna Nowak (IOD)",
            "risks": "Ujawnienie adresu schroniska.",
            "measures": "Szyfrowanie pól, dwie osoby do ujawnienia adresu.",
            "residual_risk": "medium",
            "status": "approved",
            "next_review": dt.date(2027, 3, 1),
        },
        acting_user=dpo,
    )


# --- The record of processing -------------------------------------------------------------


def test_every_app_with_personal_data_is_a_source_of_an_activity() -> None:
    """A new app's inventory cannot be left out of the record: every app with an
    inventoried model feeds some activity."""
    sources = {s.split(".")[0] for a in ACTIVITIES for s in a.sources}
    # (The data protection layer's own test record, of the test run only, aside.)
    real = {m._meta.app_label for m, _i in inventoried() if ".tests." not in m.__module__}
    assert real <= sources


def test_the_categories_of_an_activity_are_those_its_models_mark() -> None:
    for activity in ACTIVITIES:
        wanted: set[Category] = set()
        for model, inventory in inventoried():
            label = model._meta.label
            if model._meta.app_label in activity.sources or label in activity.sources:
                wanted |= set(inventory.fields.values())
        assert {c.category for c in categories_of(activity)} == wanted, activity.key
    cases_activity = next(a for a in ACTIVITIES if a.key == "cases")
    with translation.override("en"):
        cases = {c.category: c for c in categories_of(cases_activity)}
    assert cases[Category.PERPETRATOR].article == "10"
    assert cases[Category.HEALTH].article == "9"
    assert cases[Category.FREE_TEXT].article == ""
    assert cases[Category.PERPETRATOR].fields == ["Case: Perpetrators"]


def test_the_dpo_reads_the_record_generated_from_the_inventory(
    centre: dict[Role, Persona],
) -> None:
    page = text(_dpo(centre).get("/privacy/record/", HTTP_ACCEPT_LANGUAGE="en"))
    assert page.count('data-testid="activity"') == len(ACTIVITIES)
    assert "Record of processing activities" in page
    assert "Art. 9" in page and "Art. 10" in page
    assert centre[Role.DPO].user.full_name in page  # the DPO, Art. 30(1)(a)
    assert "Police anti-trafficking team" in page  # a recipient of identification
    assert "90 days" in page  # the portal's retention, as it is set today
    [entry] = _actions("processing_record.viewed")
    assert entry.actor == centre[Role.DPO].user


def test_the_record_is_in_polish_too(centre: dict[Role, Persona]) -> None:
    page = text(_dpo(centre).get("/privacy/record/", HTTP_ACCEPT_LANGUAGE="pl"))
    assert "Rejestr czynności przetwarzania" in page
    assert "Record of processing activities" not in page


def test_downloads_ask_for_the_password_again_and_are_audited(
    centre: dict[Role, Persona],
) -> None:
    _dpia(centre)
    _breach(centre)
    client = Client()
    with time_machine.travel(AWARE, tick=False) as traveller:
        sign_in(client, centre[Role.DPO])
        traveller.shift(dt.timedelta(minutes=6))  # sudo mode has lapsed
        for url, action in (
            ("/privacy/record/pdf/", "processing_record.pdf_downloaded"),
            ("/privacy/dpia/pdf/", "dpia.pdf_downloaded"),
            ("/privacy/breaches/pdf/", "breach.pdf_downloaded"),
        ):
            asked = client.get(url)
            assert asked["Location"].startswith("/accounts/reauthenticate/?next="), url
            assert not _actions(action)
            again = client.post(asked["Location"], {"password": PASSWORD})
            pdf = client.get(again["Location"])
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), url
            assert pdf["Content-Disposition"].startswith("attachment;")
            assert len(_actions(action)) == 1
            traveller.shift(dt.timedelta(minutes=6))


def test_only_the_dpo_has_the_records(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    for path in ("/privacy/record/", "/privacy/dpia/", "/privacy/breaches/"):
        assert_access(path, centre, other_centre, allowed={Role.DPO}, outsider_status=None)
    for path in ("/privacy/record/pdf/", "/privacy/dpia/pdf/", "/privacy/breaches/pdf/"):
        assert_access(path, centre, other_centre, allowed={Role.DPO}, outsider_status=None)
    assert_access(
        "/privacy/dpia/new/", centre, other_centre, allowed={Role.DPO}, outsider_status=None
    )
    assert_access(
        "/privacy/breaches/new/", centre, other_centre, allowed={Role.DPO}, outsider_status=None
    )


def test_another_centres_dpo_finds_no_record_of_ours(
    centre: dict[Role, Persona], other_dpo: Persona
) -> None:
    breach, entry = _breach(centre), _dpia(centre)
    outsider = Client()
    force_sign_in(outsider, other_dpo.user)
    assert outsider.get(f"/privacy/breaches/{breach.code}/").status_code == 404
    assert outsider.post(f"/privacy/breaches/{breach.code}/", {}).status_code == 404
    assert outsider.get(f"/privacy/dpia/{entry.code}/").status_code == 404
    assert outsider.post(f"/privacy/dpia/{entry.code}/", {}).status_code == 404
    assert 'data-testid="breach"' not in text(outsider.get("/privacy/breaches/"))
    assert 'data-testid="dpia"' not in text(outsider.get("/privacy/dpia/"))
    assert outsider.get("/privacy/breaches/pdf/").content.startswith(b"%PDF")


def test_other_roles_cannot_open_a_record(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    breach, entry = _breach(centre), _dpia(centre)
    assert_access(f"/privacy/breaches/{breach.code}/", centre, other_centre, allowed={Role.DPO})
    assert_access(f"/privacy/dpia/{entry.code}/", centre, other_centre, allowed={Role.DPO})


# --- The DPIA register --------------------------------------------------------------------


def test_the_dpo_records_and_changes_an_assessment(centre: dict[Role, Persona]) -> None:
    client = _dpo(centre)
    form = {
        "activity": "shelter",
        "assessed_on": "2026-11-02",
        "assessor": "Anna Nowak (IOD)",
        "risks": "Ujawnienie adresu schroniska.",
        "measures": "Adres zaszyfrowany; ujawnienie za zgodą drugiej osoby.",
        "residual_risk": "low",
        "status": "draft",
        "next_review": "2027-11-02",
    }
    assert client.post("/privacy/dpia/new/", form)["Location"] == "/privacy/dpia/"
    entry = DpiaEntry.objects.get()
    assert entry.activity == "shelter" and entry.created_by == centre[Role.DPO].user
    [recorded] = _actions("dpia.recorded")
    assert recorded.target_code == str(entry.code) and recorded.data["activity"] == "shelter"
    page = text(client.get("/privacy/dpia/", HTTP_ACCEPT_LANGUAGE="en"))
    assert page.count('data-testid="dpia"') == 1 and str(ACTIVITY_NAMES["shelter"]) in page
    assert 'data-testid="unassessed"' in page  # the other activities are not assessed yet
    shown = text(client.get(f"/privacy/dpia/{entry.code}/"))
    assert "Ujawnienie adresu schroniska." in shown and len(_actions("dpia.viewed")) == 1
    client.post(f"/privacy/dpia/{entry.code}/", form | {"status": "approved"})
    entry.refresh_from_db()
    assert entry.status == "approved"
    [updated] = _actions("dpia.updated")
    assert updated.data == {"activity": "shelter", "fields": ["status"]}


def test_a_review_before_the_assessment_is_refused(centre: dict[Role, Persona]) -> None:
    response = _dpo(centre).post(
        "/privacy/dpia/new/",
        {
            "activity": "cases",
            "assessed_on": "2026-11-02",
            "assessor": "A",
            "risks": "r",
            "measures": "m",
            "residual_risk": "low",
            "status": "draft",
            "next_review": "2026-01-01",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "The next review comes after the assessment." in text(response)
    assert not DpiaEntry.objects.exists() and not _actions("dpia.recorded")


def test_an_overdue_review_is_shown(centre: dict[Role, Persona]) -> None:
    entry = _dpia(centre)
    with time_machine.travel(dt.datetime(2027, 4, 1, 10, tzinfo=dt.UTC), tick=False):
        assert entry.review_overdue
        page = text(_dpo(centre).get("/privacy/dpia/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "review overdue" in page


# --- The breach log -----------------------------------------------------------------------


def test_the_dpo_records_a_breach_and_its_clock_starts(centre: dict[Role, Persona]) -> None:
    client = _dpo(centre)
    with time_machine.travel(AWARE + dt.timedelta(hours=2), tick=False):
        response = client.post(
            "/privacy/breaches/new/",
            {
                "aware_at": "2026-12-01T10:00",  # Warsaw: 09:00 UTC
                "description": DESCRIPTION,
                "categories": ["identity", "health"],
                "people_affected": "3",
            },
        )
        breach = Breach.objects.get()
        assert response["Location"] == f"/privacy/breaches/{breach.code}/"
        assert breach.aware_at == AWARE and breach.due == AWARE + dt.timedelta(hours=72)
        assert breach.categories == ["identity", "health"]
        page = text(client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en"))
        assert "70 hours left" in page and DESCRIPTION in page
        listed = text(client.get("/privacy/breaches/", HTTP_ACCEPT_LANGUAGE="en"))
        assert "70 hours left" in listed and DESCRIPTION not in listed
    with time_machine.travel(AWARE + dt.timedelta(hours=75), tick=False):
        force_sign_in(client, centre[Role.DPO].user)  # three days on: a new sign-in
        page = text(client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en"))
        assert "Overdue by 3 hours" in page
        assert "Po terminie o 3 godziny" in text(
            client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="pl")
        )
    [recorded] = _actions("breach.recorded")
    assert "description" in recorded.data["fields"] and DESCRIPTION not in str(recorded.data)
    assert len(_actions("breach.viewed")) == 3 and len(_actions("breach.listed")) == 1


def test_what_happened_is_stored_sealed(centre: dict[Role, Persona]) -> None:
    breach = _breach(centre)
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM privacy_breach WHERE id = %s", [breach.pk])
        (stored,) = cursor.fetchone()
    assert DESCRIPTION.encode() not in bytes(stored)
    assert Breach.objects.get().description == DESCRIPTION


def test_a_late_notification_says_why(centre: dict[Role, Persona]) -> None:
    breach = _breach(centre)
    client = _dpo(centre)
    form = {
        "aware_at": "2026-12-01T10:00",
        "description": DESCRIPTION,
        "categories": ["identity"],
        "authority_notified_at": "2026-12-05T10:00",  # 96 hours after
    }
    url = f"/privacy/breaches/{breach.code}/"
    refused = client.post(url, form, HTTP_ACCEPT_LANGUAGE="en")
    assert "Notified after 72 hours: say why it was late." in text(refused)
    breach.refresh_from_db()
    assert breach.authority_notified_at is None and not _actions("breach.updated")
    client.post(url, form | {"delay_reason": "Ustalanie zakresu z dostawcą."})
    breach.refresh_from_db()
    assert breach.notified_late and breach.decided and not breach.overdue
    [updated] = _actions("breach.updated")
    assert set(updated.data["fields"]) == {"authority_notified_at", "delay_reason"}


def test_the_notification_question_has_one_answer(centre: dict[Role, Persona]) -> None:
    breach = _breach(centre)
    response = _dpo(centre).post(
        f"/privacy/breaches/{breach.code}/",
        {
            "aware_at": "2026-12-01T10:00",
            "description": DESCRIPTION,
            "authority_notified_at": "2026-12-02T10:00",
            "not_notified_reason": "Dane były zaszyfrowane.",
            "subjects_informed_at": "2026-12-02T10:00",
            "subjects_not_informed_reason": "Brak wysokiego ryzyka.",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = text(response)
    assert "Either the authority was notified, or the reason it is not: not both." in page
    assert "Either the people were informed, or the reason they are not: not both." in page


def test_a_breach_is_closed_only_once_the_question_is_answered(
    centre: dict[Role, Persona],
) -> None:
    breach = _breach(centre)
    client = _dpo(centre)
    url = f"/privacy/breaches/{breach.code}/"
    form = {"aware_at": "2026-12-01T10:00", "description": DESCRIPTION, "closed": "on"}
    refused = client.post(url, form, HTTP_ACCEPT_LANGUAGE="en")
    assert "Before closing, record the notification or why there is none." in text(refused)
    client.post(url, form | {"not_notified_reason": "Szyfrowany dysk, klucz bezpieczny."})
    breach.refresh_from_db()
    assert breach.closed_at is not None and breach.decided


def test_the_dpos_are_told_as_the_72_hours_run_out(
    centre: dict[Role, Persona], other_dpo: Persona
) -> None:
    breach = _breach(centre)
    dpo = centre[Role.DPO].user

    def notices() -> list[str]:
        return list(Notice.objects.filter(kind=Notice.Kind.BREACH).values_list("key", flat=True))

    assert breach_deadline_notices(AWARE + dt.timedelta(hours=47)) == 0  # a day and more left
    assert breach_deadline_notices(AWARE + dt.timedelta(hours=49)) == 1
    assert breach_deadline_notices(AWARE + dt.timedelta(hours=50)) == 0  # once
    assert notices() == ["due_soon"]
    assert breach_deadline_notices(AWARE + dt.timedelta(hours=73)) == 1
    assert sorted(notices()) == ["due_soon", "overdue"]
    assert set(Notice.objects.values_list("recipient", flat=True)) == {dpo.pk}  # not the other
    notice = Notice.objects.get(key="overdue")
    assert notice.url == f"/privacy/breaches/{breach.code}/" and DESCRIPTION not in notice.text
    assert other_dpo.user.notices.count() == 0


def test_a_decided_breach_sends_no_notice(centre: dict[Role, Persona]) -> None:
    _breach(centre, not_notified_reason="Dane zaszyfrowane, klucz nie wyciekł.")
    _breach(centre, authority_notified_at=AWARE + dt.timedelta(hours=5))
    _breach(centre, closed=True, not_notified_reason="x")
    assert breach_deadline_notices(AWARE + dt.timedelta(hours=80)) == 0


def test_the_registers_are_the_dpos_alone(centre: dict[Role, Persona], other_dpo: Persona) -> None:
    breach, entry = _breach(centre), _dpia(centre)
    dpo = centre[Role.DPO].user
    assert list(breaches_visible_to(dpo)) == [breach]
    assert list(dpia_visible_to(dpo)) == [entry]
    assert access_breach(dpo, breach.code) == breach
    assert access_dpia(dpo, entry.code) == entry
    for role in (Role.COORDINATOR, Role.ADMINISTRATOR, Role.CASE_MANAGER):
        user = centre[role].user
        assert not breaches_visible_to(user).exists() and not dpia_visible_to(user).exists()
    for user in (other_dpo.user, centre[Role.COORDINATOR].user):
        with pytest.raises(Http404):
            access_breach(user, breach.code)
        with pytest.raises(Http404):
            access_dpia(user, entry.code)


def test_the_record_shows_the_retention_schedules_that_apply(
    centre: dict[Role, Persona],
) -> None:
    dpo = centre[Role.DPO].user
    client = _dpo(centre)
    page = text(client.get("/privacy/record/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Closed case and the clients who have no other case: 10 years" in page
    assert "the default, not yet confirmed by the DPO" in page
    assert "No retention schedule covers these records yet" in page  # staff accounts
    RetentionSchedule.objects.create(
        organisation=dpo.organisation,
        kind=RecordKind.CASE,
        length=12,
        unit="years",
        basis="Umowa dotacyjna",
        updated_by=dpo,
    )
    page = text(client.get("/privacy/record/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Closed case and the clients who have no other case: 12 years (Umowa dotacyjna)" in page
    assert "10 years" not in page
