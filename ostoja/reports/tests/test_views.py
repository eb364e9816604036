"""The annual report's page and downloads: only roles that see statistics, each
organisation its own numbers, recent authentication for a download, every one audited."""

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook
from pytest_django.fixtures import Settings

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.helpline.models import Contact
from ostoja.helpline.services import contact_tallies_rebuild
from ostoja.reports.exports.models import ExportJob
from ostoja.reports.figures import FIGURES
from ostoja.test import PASSWORD, Persona, force_sign_in, sign_in, text

pytestmark = pytest.mark.django_db
URL = "/reports/annual/?from=2025-01-01&to=2025-12-31"
START = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)


def _contact(persona: Persona) -> None:
    organisation = persona.user.organisation
    assert organisation is not None
    Contact.objects.create(
        organisation=organisation,
        status=Contact.Status.COMPLETED,
        started_at=dt.datetime(2025, 6, 2, 9, 30, tzinfo=dt.UTC),
        line=Contact.Line.OFFICE,
        summary="",
        caller_number="",
    )
    contact_tallies_rebuild(organisation=organisation, acting_user=None)  # a bulk load


@pytest.mark.parametrize("role", [Role.ANALYST, Role.COORDINATOR])
def test_the_roles_that_see_statistics_see_the_report(
    role: Role, client: Client, centre: dict[Role, Persona]
) -> None:
    _contact(centre[role])
    force_sign_in(client, centre[role].user)
    page = client.get(URL)
    assert page.status_code == 200
    html = text(page)
    contacts = [f for f in FIGURES.values() if f.section == "contacts"]
    assert html.count('data-testid="figure"') == len(contacts)  # the only section with data
    assert html.count('data-testid="no-data"') == 7
    assert "<svg" in html and 'data-key="total"' in html
    entry = AuditEntry.objects.get(action="report.viewed")
    assert entry.actor == centre[role].user
    assert entry.data["from"] == "2025-01-01" and entry.data["to"] == "2025-12-31"
    assert entry.data["figures"] == list(FIGURES)


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.ANALYST, Role.COORDINATOR)])
def test_other_roles_are_refused(role: Role, client: Client, centre: dict[Role, Persona]) -> None:
    force_sign_in(client, centre[role].user)
    assert client.get(URL).status_code == 403
    assert client.get("/reports/annual/pdf/?from=2025-01-01&to=2025-12-31").status_code == 403
    assert not AuditEntry.objects.filter(action__startswith="report.").exists()


def test_another_centre_sees_only_its_own_numbers(
    client: Client, centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    _contact(centre[Role.ANALYST])
    force_sign_in(client, other_centre[Role.COORDINATOR].user)
    html = text(client.get(URL))
    assert 'data-section="contacts"' in html
    assert html.count('data-testid="no-data"') == 8  # every section: no data


def test_a_bad_period_is_refused_with_what_was_typed(
    client: Client, centre: dict[Role, Persona]
) -> None:
    force_sign_in(client, centre[Role.ANALYST].user)
    page = client.get("/reports/annual/?from=2025-05-01&to=2025-04-01")
    assert page.status_code == 400
    assert "Okres musi kończyć się w dniu rozpoczęcia lub później." in text(page)
    assert 'value="2025-05-01"' in text(page) and 'value="2025-04-01"' in text(page)
    assert client.get("/reports/annual/?from=yesterday&to=2025-04-01").status_code == 400


def test_downloads_ask_for_the_password_again_and_are_audited(
    centre: dict[Role, Persona],
) -> None:
    analyst = centre[Role.ANALYST]
    _contact(analyst)
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, analyst)
        traveller.shift(dt.timedelta(minutes=6))  # sudo mode has lapsed
        url = "/reports/annual/pdf/?from=2025-01-01&to=2025-12-31&lang=en"
        asked = client.get(url)
        assert asked.status_code == 302
        assert asked["Location"].startswith("/accounts/reauthenticate/?next=")
        again = client.post(asked["Location"], {"password": PASSWORD})
        pdf = client.get(again["Location"])
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        workbook = client.get("/reports/annual/xlsx/?from=2025-01-01&to=2025-12-31&lang=pl")
    assert workbook.status_code == 200
    book = load_workbook(io.BytesIO(workbook.content))
    assert book.sheetnames[1:] == list(FIGURES)
    channel = book["contacts_by_channel"]
    assert channel["A1"].value == "Kontakty według kanału"
    values = {row[0]: row[1] for row in channel.iter_rows(min_row=7, values_only=True)}
    assert values["Połączenie telefoniczne"] == 1 and isinstance(values["SMS"], int)
    downloads = AuditEntry.objects.filter(action="report.downloaded").order_by("pk")
    assert [(e.data["format"], e.data["language"]) for e in downloads] == [
        ("pdf", "en"),
        ("xlsx", "pl"),
    ]


def test_the_dashboards_show_charts_with_tables(
    client: Client, centre: dict[Role, Persona]
) -> None:
    _contact(centre[Role.ANALYST])
    force_sign_in(client, centre[Role.ANALYST].user)
    html = text(client.get("/?from=2025-01-01&to=2025-12-31"))
    assert 'data-figure="contacts_by_channel"' in html and "<svg" in html
    assert 'data-figure="caseload_by_status"' in html
    force_sign_in(client, centre[Role.COORDINATOR].user)
    html = text(client.get("/"))
    assert 'data-figure="caseload_by_status"' in html
    assert 'data-figure="interventions_first_action"' in html


@pytest.mark.parametrize(("form", "magic"), [("pdf", b"%PDF"), ("xlsx", b"PK")])
def test_the_report_is_prepared_in_the_background_for_its_requester(
    form: str,
    magic: bytes,
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    settings: Settings,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path
    analyst = centre[Role.ANALYST]
    _contact(analyst)
    client = Client()
    force_sign_in(client, analyst.user)
    page = text(client.get(URL))
    assert 'action="/reports/annual/prepare/"' in page and "Przygotuj w tle" in page
    posted = {"from": "2025-01-01", "to": "2025-12-31", "format": form, "lang": "en"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/annual/prepare/", posted)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/exports/jobs/{job.code}/"
    assert (job.status, job.progress, job.language) == (ExportJob.Status.DONE, 100, "en")
    status = text(client.get(response["Location"]))
    assert "Sprawozdanie roczne" in status and "hx-trigger" not in status  # done: no polling
    assert not (tmp_path / job.stored_name).read_bytes().startswith(magic)  # sealed at rest
    download = client.get(f"/reports/exports/jobs/{job.code}/file/")
    assert download.status_code == 200 and b"".join(download).startswith(magic)
    assert f'filename="report-2025-01-01-2025-12-31-en.{form}"' in download["Content-Disposition"]
    generated = AuditEntry.objects.get(action="report.generated")
    assert (generated.actor, generated.data["format"]) == (analyst.user, form)
    assert generated.data["figures"] == list(FIGURES)
    assert AuditEntry.objects.filter(action="statistics.export_downloaded").count() == 1
    for persona in (centre[Role.COORDINATOR], other_centre[Role.COORDINATOR]):  # theirs only
        other = Client()
        force_sign_in(other, persona.user)
        assert other.get(f"/reports/exports/jobs/{job.code}/file/").status_code == 404


def test_a_queued_report_polls_its_progress_and_a_bad_request_queues_nothing(
    client: Client, centre: dict[Role, Persona]
) -> None:
    force_sign_in(client, centre[Role.COORDINATOR].user)
    for bad in (
        {"from": "2025-05-01", "to": "2025-04-01", "format": "pdf", "lang": "pl"},
        {"from": "2025-01-01", "to": "2025-12-31", "format": "docx", "lang": "pl"},
        {"from": "2025-01-01", "to": "2025-12-31", "format": "pdf", "lang": "de"},
    ):
        assert client.post("/reports/annual/prepare/", bad).status_code == 400
    assert not ExportJob.objects.exists()
    assert client.get("/reports/annual/prepare/").status_code == 405
    posted = {"from": "2025-01-01", "to": "2025-12-31", "format": "xlsx", "lang": "pl"}
    response = client.post("/reports/annual/prepare/", posted)  # the task not run yet
    page = text(client.get(response["Location"]))
    assert 'hx-trigger="every 2s"' in page and "0%" in page
    counsellor = Client()
    force_sign_in(counsellor, centre[Role.COUNSELLOR].user)
    assert counsellor.post("/reports/annual/prepare/", posted).status_code == 403
