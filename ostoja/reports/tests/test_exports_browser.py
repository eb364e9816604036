"""The analyst in the browser (Debian's chromium): chooses the CTDC export and a period,
has it prepared in the background, and downloads the ZIP from its page (axe checks every
page on the way)."""

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.reports.tests.exports_world import build
from ostoja.test import browser_sign_in, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_analyst_prepares_an_export_in_the_background_and_downloads_it(
    page: Page, live_server: object, settings: Settings, tmp_path: Path
) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path
    base = str(live_server)
    organisation = Organisation.objects.create(short_code="KCIK", name="Centrum")
    build(make_user(organisation, Role.CASE_MANAGER).user)
    analyst = make_user(organisation, Role.ANALYST, full_name="Anna Analityczna")
    browser_sign_in(page, base, analyst)
    page.goto(f"{base}/reports/exports/")
    expect(page.get_by_test_id("threshold")).to_contain_text("10 osób")
    page.get_by_label("CTDC: zanonimizowane ofiary, każda w jednym wierszu").check()
    page.get_by_label("Od").fill("2025-01-01")
    page.get_by_role("textbox", name="Do", exact=True).fill("2025-12-31")
    page.get_by_label("Przekazywane do").fill("IOM Polska")
    page.get_by_role("button", name="Przygotuj w tle").click()
    expect(page.get_by_test_id("status")).to_have_text("Gotowy")
    with page.expect_download() as info:
        page.get_by_role("link", name="Pobierz").click()
    with zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes())) as archive:
        assert sorted(archive.namelist()) == ["ctdc.csv", "suppression.csv"]
        rows = archive.read("ctdc.csv").decode().splitlines()
    assert rows[0].startswith("yearOfRegistration,Datasource,gender,ageBroad")
    assert len(rows) == 1 + 26
    page.goto(f"{base}/reports/exports/")
    expect(page.get_by_test_id("jobs")).to_contain_text("Gotowy")
