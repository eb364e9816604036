"""The exports page and the export commands: who may download, recent authentication (a
GET included), the audit trail, bad input, the threshold page."""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.reports.exports.models import ExportJob
from ostoja.reports.exports.services import export_queue
from ostoja.reports.exports.tasks import exports_expire
from ostoja.reports.tests.exports_world import World, build
from ostoja.test import PASSWORD, Persona, assert_access, force_sign_in, sign_in, text

pytestmark = pytest.mark.django_db
STATISTICS = {Role.ANALYST, Role.COORDINATOR}
DOWNLOAD = (
    "/reports/exports/download/?kind=eurostat&start=2025-01-01&end=2025-12-31&recipient=MSWiA"
)
NOW = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


@pytest.fixture
def world(centre: dict[Role, Persona]) -> World:
    return build(centre[Role.CASE_MANAGER].user)


def _files(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def _total(files: dict[str, str]) -> int:
    rows = csv.DictReader(io.StringIO(files["crim_thb_vctz.csv"]))
    return next(
        int(r["obs_value"])
        for r in rows
        if r["leg_stat"] == "REGISTERED" and r["citizen"] == "TOTAL" and r["time_period"] == "2025"
    )


def test_only_the_statistics_roles_open_the_exports(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    # Each centre's page shows its own data: another centre's coordinator gets theirs.
    assert_access(
        "/reports/exports/", centre, other_centre, allowed=STATISTICS, outsider_status=None
    )
    assert_access(DOWNLOAD, centre, other_centre, allowed=STATISTICS, outsider_status=None)
    assert_access(
        "/reports/exports/threshold/",
        centre,
        other_centre,
        allowed={Role.COORDINATOR},
        outsider_status=None,
    )


def test_another_centre_downloads_its_own_people_only(
    world: World, centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    client = Client()
    force_sign_in(client, other_centre[Role.COORDINATOR].user)
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    assert _total(_files(response.content)) == 0
    force_sign_in(client, centre[Role.ANALYST].user)
    assert _total(_files(client.get(DOWNLOAD).content)) == 30


def test_the_analyst_downloads_an_export_after_giving_the_password_again(
    world: World, centre: dict[Role, Persona]
) -> None:
    client = Client()
    with time_machine.travel(NOW, tick=False) as traveller:
        sign_in(client, centre[Role.ANALYST])
        page = client.get("/reports/exports/")
        assert page.status_code == 200
        assert "10" in text(page)  # the threshold in force
        traveller.shift(dt.timedelta(minutes=6))  # sudo mode (5 minutes) has lapsed
        asked = client.get(DOWNLOAD)
        assert asked.status_code == 302
        assert asked["Location"].startswith("/accounts/reauthenticate/?next=")
        assert not AuditEntry.objects.filter(action="statistics.exported").exists()
        again = client.post(asked["Location"], {"password": PASSWORD})
        response = client.get(again["Location"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "eurostat-2025-01-01-2025-12-31.zip" in response["Content-Disposition"]
    files = _files(response.content)
    assert set(files) == {
        "crim_thb_vsage.csv",
        "crim_thb_vctz.csv",
        "crim_thb_vexp.csv",
        "suppression.csv",
    }
    assert _total(files) == 30
    entry = AuditEntry.objects.get(action="statistics.exported")
    assert entry.actor == centre[Role.ANALYST].user
    assert entry.data["kind"] == "eurostat"
    assert (entry.data["start"], entry.data["end"]) == ("2025-01-01", "2025-12-31")


@pytest.mark.parametrize(("kind", "method"), [("ctdc", "get"), ("htcds", "post")])
def test_each_export_downloads(
    world: World, centre: dict[Role, Persona], kind: str, method: str
) -> None:
    client = Client()
    force_sign_in(client, centre[Role.COORDINATOR].user)
    period = {"kind": kind, "start": "2025-01-01", "end": "2025-12-31", "recipient": "IOM"}
    response = getattr(client, method)("/reports/exports/download/", period)
    assert response.status_code == 200
    assert set(_files(response.content)) == {f"{kind}.csv", "suppression.csv"}


def test_a_bad_period_is_refused_with_what_was_typed_kept(centre: dict[Role, Persona]) -> None:
    client = Client()
    force_sign_in(client, centre[Role.ANALYST].user)
    response = client.get("/reports/exports/download/?kind=ctdc&start=2025-06-01&end=2025-01-01")
    assert response.status_code == 400
    page = text(response)
    assert "Okres kończy się, zanim się zaczyna." in page
    assert 'value="2025-06-01"' in page
    assert 'value="ctdc" class="form-check-input" id="id_kind_1" required checked' in page
    assert not AuditEntry.objects.filter(action="statistics.exported").exists()
    response = client.get("/reports/exports/download/?kind=pdf&start=2025-01-01&end=2025-12-31")
    assert response.status_code == 400


def test_the_coordinator_sets_the_threshold_and_it_is_audited(
    world: World, centre: dict[Role, Persona]
) -> None:
    client = Client()
    coordinator = centre[Role.COORDINATOR].user
    force_sign_in(client, coordinator)
    assert "/reports/exports/threshold/" in text(client.get("/reports/exports/"))
    refused = client.post("/reports/exports/threshold/", {"suppression_k": "2"})
    assert refused.status_code == 400
    assert "5" in text(refused)
    assert 'value="2"' in text(refused)
    saved = client.post("/reports/exports/threshold/", {"suppression_k": "12"})
    assert saved.status_code == 302
    assert Organisation.objects.get(pk=world.organisation.pk).suppression_k == 12
    entry = AuditEntry.objects.get(action="statistics.threshold_changed")
    assert entry.actor == coordinator
    assert entry.data == {"from": 10, "to": 12}
    files = _files(client.get(DOWNLOAD).content)
    assert "k,12," in files["suppression.csv"]
    analyst = Client()
    force_sign_in(analyst, centre[Role.ANALYST].user)
    assert "/reports/exports/threshold/" not in text(analyst.get("/reports/exports/"))
    assert analyst.post("/reports/exports/threshold/", {"suppression_k": "5"}).status_code == 403


def test_the_commands_write_the_files_and_are_audited(world: World, tmp_path: Path) -> None:
    period = ["--start", "2025-01-01", "--end", "2025-12-31", "--organisation", "KCIK"]
    period += ["--recipient", "MSWiA"]
    call_command("export_eurostat", str(tmp_path / "eurostat"), *period, stdout=io.StringIO())
    assert sorted(p.name for p in (tmp_path / "eurostat").iterdir()) == [
        "crim_thb_vctz.csv",
        "crim_thb_vexp.csv",
        "crim_thb_vsage.csv",
        "suppression.csv",
    ]
    call_command("export_ctdc", str(tmp_path / "ctdc.csv"), *period, stdout=io.StringIO())
    assert (tmp_path / "ctdc.csv").read_text().startswith("yearOfRegistration,Datasource,")
    assert "withheld,4," in (tmp_path / "ctdc-suppression.csv").read_text()
    call_command("export_htcds", str(tmp_path / "htcds.csv"), *period, stdout=io.StringIO())
    header = (tmp_path / "htcds.csv").read_text().splitlines()[0]
    assert header.startswith("prs_Pseudonym,cas_Pseudonym,prs_Gender,")
    entries = AuditEntry.objects.filter(action="statistics.exported").order_by("seq")
    assert [e.data["kind"] for e in entries] == ["eurostat", "ctdc", "htcds"]
    assert {e.actor for e in entries} == {None}
    assert {e.organisation for e in entries} == {world.organisation}


def test_a_long_export_is_prepared_on_the_queue_for_its_requester_and_kept_a_day(
    world: World,
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    settings: Settings,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path
    analyst = centre[Role.ANALYST].user
    client = Client()
    force_sign_in(client, analyst)
    period = {"kind": "ctdc", "start": "2025-01-01", "end": "2025-12-31", "recipient": "CTDC"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/exports/download/", {**period, "background": "1"})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/exports/jobs/{job.code}/"
    assert (job.status, job.progress, job.requested_by) == (ExportJob.Status.DONE, 100, analyst)
    page = text(client.get(response["Location"]))
    assert f"/reports/exports/jobs/{job.code}/file/" in page
    assert f"/reports/exports/jobs/{job.code}/" in text(client.get("/reports/exports/"))
    sealed = (tmp_path / job.stored_name).read_bytes()
    assert not sealed.startswith(b"PK")  # not a ZIP at rest: sealed
    download = client.get(f"/reports/exports/jobs/{job.code}/file/")
    assert download.status_code == 200
    files = _files(b"".join(download))
    assert set(files) == {"ctdc.csv", "suppression.csv"}
    assert "withheld,4," in files["suppression.csv"]
    actions = list(
        AuditEntry.objects.filter(action__startswith="statistics.")
        .order_by("seq")
        .values_list("action", "actor")
    )
    assert actions == [
        ("statistics.export_queued", analyst.pk),
        ("statistics.exported", analyst.pk),
        ("statistics.export_downloaded", analyst.pk),
    ]
    # Nobody else's: another statistics user of the centre, another centre, a wrong role.
    for persona in (centre[Role.COORDINATOR], other_centre[Role.COORDINATOR]):
        other = Client()
        force_sign_in(other, persona.user)
        assert other.get(f"/reports/exports/jobs/{job.code}/").status_code == 404
        assert other.get(f"/reports/exports/jobs/{job.code}/file/").status_code == 404
    counsellor = Client()
    force_sign_in(counsellor, centre[Role.COUNSELLOR].user)
    assert counsellor.get(f"/reports/exports/jobs/{job.code}/").status_code == 403
    # A day later the file and the job are gone.
    with time_machine.travel(job.created_at + dt.timedelta(hours=25)):
        assert exports_expire.call_local() == 1
    assert not (tmp_path / job.stored_name).exists()
    assert not ExportJob.objects.exists()


def test_a_job_not_ready_has_no_file_and_a_bad_request_queues_nothing(
    world: World, centre: dict[Role, Persona]
) -> None:
    analyst = centre[Role.ANALYST].user
    client = Client()
    force_sign_in(client, analyst)
    refused = client.post(
        "/reports/exports/download/",
        {"kind": "ctdc", "start": "2025-12-01", "end": "2025-01-01", "background": "1"},
    )
    assert refused.status_code == 400
    assert not ExportJob.objects.exists()
    job = export_queue(
        kind="htcds",
        organisation=world.organisation,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        recipient="IOM",
        acting_user=analyst,
    )
    page = client.get(f"/reports/exports/jobs/{job.code}/")
    assert "0%" in text(page)
    assert client.get(f"/reports/exports/jobs/{job.code}/file/").status_code == 404
