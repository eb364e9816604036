"""The DPO's pages of retention: the schedules (confirmed in sudo mode, validated), the
preview of the next run, the legal holds (set on a case found by its number or on a
person by code, lifted) — the DPO's alone, their own organisation's only, audited, with
no client's name on them; and ``manage.py retention_run``."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ostoja.accounts.models import Notice, User
from ostoja.accounts.roles import Role
from ostoja.audit import trail
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case
from ostoja.cases.services import case_status
from ostoja.people.models import Person
from ostoja.privacy import retention
from ostoja.privacy.access import hold_cases, hold_person, holds_visible_to
from ostoja.privacy.forms import CaseNumber
from ostoja.privacy.models import LegalHold, RecordKind, RetentionSchedule
from ostoja.privacy.services import hold_set, schedule_save
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_schedules")]


def _dpo(centre: dict[Role, Persona]) -> Client:
    client = Client()
    force_sign_in(client, centre[Role.DPO].user)
    return client


def _closed(case: Case, manager: Persona, days_ago: int) -> None:
    case_status(case=case, status=Case.Status.CLOSED, reason="goals_met", acting_user=manager.user)
    Case.objects.filter(pk=case.pk).update(
        closed_on=timezone.localdate() - dt.timedelta(days=days_ago)
    )


def test_the_dpo_confirms_a_schedule_and_a_wrong_one_is_refused(
    centre: dict[Role, Persona],
) -> None:
    dpo = _dpo(centre)
    page = text(dpo.get("/privacy/retention/"))
    assert page.count('data-testid="schedule"') == len(RecordKind)
    assert (
        "Domyślne: jeszcze niezatwierdzone" in page
        and "Zadanie nie było jeszcze uruchamiane." in page
    )
    url = f"/privacy/retention/{RecordKind.CASE}/"
    assert "10" in text(dpo.get(url))
    # The warning after the end of the period, and a period beyond 50 years: refused.
    wrong = {"length": "1", "unit": "months", "warn_days": "40", "basis": "Art. 5 RODO"}
    response = dpo.post(url, wrong)
    assert response.status_code == 400
    assert "Ostrzeżenie musi przyjść przed końcem okresu." in text(response)
    response = dpo.post(url, wrong | {"length": "51", "unit": "years", "warn_days": "1"})
    assert response.status_code == 400
    assert not RetentionSchedule.objects.filter(organisation__isnull=False).exists()
    response = dpo.post(url, wrong | {"length": "8", "unit": "years", "warn_days": "60"})
    assert response.status_code == 302
    mine = RetentionSchedule.objects.get(organisation__isnull=False)
    assert (mine.kind, mine.length, mine.unit, mine.warn_days) == ("case", 8, "years", 60)
    assert mine.updated_by == centre[Role.DPO].user
    entry = AuditEntry.objects.get(action="retention_schedule.confirmed")
    assert entry.data == {"kind": "case", "fields": ["length", "basis"]}
    assert "Zatwierdził(a)" in text(dpo.get("/privacy/retention/"))
    assert dpo.get("/privacy/retention/nothing/").status_code == 404
    # In English too.
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_sign_in(english, centre[Role.DPO].user)
    page = text(english.get("/privacy/retention/"))
    assert "Schedules" in page and "Confirmed by" in page


def test_a_change_needs_a_recent_sign_in(centre: dict[Role, Persona]) -> None:
    client = Client()
    client.force_login(centre[Role.DPO].user)
    for url in (f"/privacy/retention/{RecordKind.CASE}/", "/privacy/holds/"):
        response = client.get(url)
        assert response.status_code == 302 and "reauthenticate" in response["Location"]
    assert client.get("/privacy/retention/").status_code == 200


def test_the_preview_lists_what_would_go_and_changes_nothing(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    _closed(case, centre[Role.CASE_MANAGER], days_ago=11 * 366)
    # Due long ago, never warned: its case manager is warned first.
    page = text(_dpo(centre).get("/privacy/retention/preview/"))
    assert page.count('data-testid="item"') == 1
    assert case.reference in page and "Olena" not in page and "Олена" not in page
    assert "opiekun sprawy zostanie uprzedzony" in page
    assert Case.objects.get(pk=case.pk).summary  # a dry run
    assert AuditEntry.objects.get(action="retention_plan.viewed").data == {"records": 1}
    # Warned 60 days ago (the default's warning): the case and its client with it.
    retention.run()
    Notice.objects.update(created_at=timezone.now() - dt.timedelta(days=60))
    page = text(_dpo(centre).get("/privacy/retention/preview/"))
    assert page.count('data-testid="item"') == 2
    assert page.count("zostanie zanonimizowane lub usunięte w tym przebiegu") == 2
    assert Case.objects.get(pk=case.pk).summary


def test_a_case_whose_manager_left_warns_the_coordinators(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    """No case is anonymised without someone told first: with its case manager gone, the
    organisation's coordinators are warned (they reassign cases or ask for a hold)."""
    _closed(case, centre[Role.CASE_MANAGER], days_ago=11 * 366)
    User.objects.filter(pk=centre[Role.CASE_MANAGER].user.pk).update(is_active=False)
    retention.run()
    notices = list(Notice.objects.filter(kind=Notice.Kind.RETENTION))
    assert {n.recipient for n in notices} == {centre[Role.COORDINATOR].user}
    assert all(case.reference in n.text and "Olena" not in n.text for n in notices)
    assert Case.objects.get(pk=case.pk).summary  # warned, not yet anonymised


def test_the_dpo_sets_and_lifts_holds(
    centre: dict[Role, Persona], case: Case, client_person: Person, other_dpo: Persona
) -> None:
    dpo = _dpo(centre)
    until = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    hold = {"reason": "proceedings", "note": "II K 12/26", "ends_on": until}
    # Neither a case nor a person, both, an unknown number, an unknown code: refused.
    for wrong, message in (
        ({}, "Podaj numer sprawy albo kod osoby"),
        ({"number": case.reference, "person": str(client_person.code)}, "Podaj numer sprawy"),
        ({"number": "9999"}, "Nie ma takiej sprawy."),
        ({"person": "5f0c6b1e-0000-4000-8000-000000000000"}, "Nie ma takiej osoby."),
        ({"number": case.reference, "ends_on": "2020-01-01"}, "Blokada musi kończyć się"),
    ):
        response = dpo.post("/privacy/holds/", hold | wrong)
        assert response.status_code == 400 and message in text(response), wrong
    assert not LegalHold.objects.exists()
    response = dpo.post("/privacy/holds/", hold | {"number": f"{case.number}/{case.year}"})
    assert response.status_code == 302
    on_case = LegalHold.objects.get()
    assert on_case.case == case and on_case.note == "II K 12/26"
    response = dpo.post("/privacy/holds/", hold | {"person": str(client_person.code)})
    assert response.status_code == 302
    page = text(dpo.get("/privacy/holds/"))
    assert page.count('data-testid="hold"') == 2 and case.reference in page
    assert "II K 12/26" in page and "Olena" not in page and "Олена" not in page
    listed = AuditEntry.objects.filter(action="legal_hold.listed").order_by("seq").last()
    assert listed is not None and listed.data == {"records": 2}
    assert AuditEntry.objects.filter(action="legal_hold.set").count() == 2
    # Another centre's DPO neither sees nor lifts it.
    other = Client()
    force_sign_in(other, other_dpo.user)
    assert 'data-testid="hold"' not in text(other.get("/privacy/holds/"))
    assert other.post(f"/privacy/holds/{on_case.code}/lift/").status_code == 404
    assert dpo.post(f"/privacy/holds/{on_case.code}/lift/").status_code == 302
    on_case.refresh_from_db()
    assert on_case.lifted_by == centre[Role.DPO].user and not on_case.active()
    # Twice: said so, nothing changed.
    response = dpo.post(f"/privacy/holds/{on_case.code}/lift/", follow=True)
    assert "Ta blokada została już zdjęta." in text(response)
    assert AuditEntry.objects.filter(action="legal_hold.lifted").count() == 1


def test_each_page_is_the_dpos_alone(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], case: Case
) -> None:
    hold = hold_set(
        organisation=case.organisation, case=case, reason="court", note="",
        ends_on=timezone.localdate() + dt.timedelta(days=9), acting_user=centre[Role.DPO].user,
    )  # fmt: skip
    dpo_only = {Role.DPO}
    for url in ("/privacy/retention/", "/privacy/retention/preview/", "/privacy/holds/"):
        assert_access(url, centre, other_centre, allowed=dpo_only, outsider_status=None)
    assert_access(
        f"/privacy/retention/{RecordKind.CONTACT}/", centre, other_centre, allowed=dpo_only,
        outsider_status=None,
    )  # fmt: skip
    assert_access(
        f"/privacy/holds/{hold.code}/lift/", centre, other_centre, allowed=dpo_only,
        method="post",
    )  # fmt: skip


def test_the_access_rules_answer_nobody_but_the_dpo(
    centre: dict[Role, Persona], case: Case, client_person: Person, other_dpo: Persona
) -> None:
    counsellor, dpo = centre[Role.COUNSELLOR].user, centre[Role.DPO].user
    number = CaseNumber(case.number, None)
    assert holds_visible_to(counsellor).query.is_empty()
    assert hold_cases(counsellor, number) == []
    assert hold_person(counsellor, client_person.code) is None
    assert hold_cases(dpo, number) == [case]
    assert hold_cases(dpo, CaseNumber(case.number, case.year + 1)) == []
    assert hold_person(dpo, client_person.code) == client_person
    assert hold_cases(other_dpo.user, number) == []
    assert hold_person(other_dpo.user, client_person.code) is None


def test_the_command_lists_in_a_dry_run_and_runs(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    _closed(case, centre[Role.CASE_MANAGER], days_ago=11 * 366)
    out = io.StringIO()
    call_command("retention_run", "--dry-run", stdout=out)
    listed = out.getvalue()
    assert f"case\t{case.reference}\t" in listed and listed.endswith("\twarn\n")
    assert "Olena" not in listed and Case.objects.get(pk=case.pk).summary
    out = io.StringIO()
    call_command("retention_run", stdout=out)
    assert "case: warned=1" in out.getvalue()
    with time_machine.travel(timezone.now() + dt.timedelta(days=61)):
        out = io.StringIO()
        call_command("retention_run", stdout=out)
    assert "case: done=2" in out.getvalue()
    assert Case.objects.filter(pk=case.pk, summary__isnull=True).exists()
    assert Person.objects.filter(pk=client_person.pk, name__isnull=True).exists()


def test_old_audit_entries_lose_their_data_once_the_dpo_confirmed_the_schedule(
    centre: dict[Role, Persona], case: Case
) -> None:
    dpo = centre[Role.DPO].user
    organisation = case.organisation
    with time_machine.travel(timezone.now() - dt.timedelta(days=6 * 366)):
        old = trail.record(
            "case.status_changed", actor=dpo, target=case, data={"from": "open", "to": "closed"}
        )
    recent = AuditEntry.objects.filter(action="case.opened").get()
    # The default, nobody's confirmation: nothing redacted.
    (counts,) = retention.run().values()
    assert counts[RecordKind.AUDIT] == {"unconfirmed": 1}
    assert AuditEntry.objects.get(seq=old.seq).data == {"from": "open", "to": "closed"}
    schedule_save(
        organisation=organisation, kind=RecordKind.AUDIT, length=5, unit="years",
        warn_days=0, basis="Art. 5 ust. 2 RODO.", acting_user=dpo,
    )  # fmt: skip
    (counts,) = retention.run().values()
    assert counts[RecordKind.AUDIT] == {"done": 1}
    redacted = AuditEntry.objects.get(seq=old.seq)
    assert redacted.is_redacted and AuditEntry.objects.get(seq=recent.seq).data
    redaction = AuditEntry.objects.get(action="audit.entry_redacted", target_code=str(old.seq))
    assert redaction.purpose == AuditEntry.RedactionReason.RETENTION
    (counts,) = retention.run().values()
    assert RecordKind.AUDIT not in counts  # nothing left to redact


def test_a_hold_on_a_person_keeps_their_case_too(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    _closed(case, centre[Role.CASE_MANAGER], days_ago=11 * 366)
    retention.run()  # the warning
    Notice.objects.update(created_at=timezone.now() - dt.timedelta(days=60))
    hold_set(
        organisation=case.organisation, person=client_person, reason="claim", note="",
        ends_on=timezone.localdate() + dt.timedelta(days=3), acting_user=centre[Role.DPO].user,
    )  # fmt: skip
    (counts,) = retention.run().values()
    assert counts[RecordKind.CASE] == {"held": 1}  # the case; its client waits for it
    assert Case.objects.get(pk=case.pk).summary and Person.objects.get(pk=client_person.pk).name
    with time_machine.travel(timezone.now() + dt.timedelta(days=4)):
        (counts,) = retention.run().values()
    assert counts[RecordKind.CASE] == {"done": 2}
