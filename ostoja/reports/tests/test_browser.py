"""The analyst in the browser (Debian's chromium): the dashboard's charts with their tables,
then the annual report downloaded as a PDF and a workbook; a page of the PDF rendered to an
image (pypdfium2) and its text read."""

import io
from pathlib import Path

import pypdfium2
import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.helpline.models import Contact
from ostoja.helpline.services import contact_tallies_rebuild
from ostoja.test import browser_sign_in, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_analyst_sees_charts_and_downloads_the_report(
    page: Page, live_server: object, audit_flushable: None, tmp_path: Path
) -> None:
    base = str(live_server)
    organisation = Organisation.objects.create(short_code="KCIK", name="Centrum")
    analyst = make_user(organisation, Role.ANALYST, full_name="Anna Analityk")
    for channel in ("phone", "phone", "email"):
        Contact.objects.create(
            organisation=organisation,
            status=Contact.Status.COMPLETED,
            channel=channel,
            line=Contact.Line.OFFICE,
            started_at=timezone.now(),
            summary="",
            caller_number="",
        )
    contact_tallies_rebuild(organisation=organisation, acting_user=None)  # a bulk load
    browser_sign_in(page, base, analyst)
    figure = page.locator('[data-figure="contacts_by_channel"]')
    expect(figure.get_by_role("img", name="Kontakty według kanału")).to_be_visible()
    table = figure.get_by_role("table")
    expect(table.get_by_role("row", name="Połączenie telefoniczne 2")).to_be_visible()
    expect(table.get_by_role("row", name="Razem 3")).to_be_visible()
    page.get_by_role("link", name="Sprawozdanie roczne za ten okres (PDF, XLSX)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sprawozdanie z działalności")
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="PDF (polski)").click()
    pdf_path = tmp_path / "report.pdf"
    pdf_download.value.save_as(pdf_path)
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="XLSX (English)").click()
    xlsx_path = tmp_path / "report.xlsx"
    xlsx_download.value.save_as(xlsx_path)
    page.goto("about:blank")

    document = pypdfium2.PdfDocument(pdf_path)
    contacts_page = document[1]  # after the cover
    image = contacts_page.render(scale=1).to_pil().convert("L")
    assert image.getextrema()[0] < 100  # something dark is drawn on it
    image.save(tmp_path / "page.png")
    words = contacts_page.get_textpage().get_text_range()
    assert "Kontakty według kanału" in words and "Razem" in words
    assert "Centrum" in document[0].get_textpage().get_text_range()
    book = load_workbook(io.BytesIO(xlsx_path.read_bytes()))
    assert book["contacts_by_channel"]["A1"].value == "Contacts by channel"
    assert list(book["contacts_by_channel"].iter_rows(values_only=True))[-1] == ("Total", 3)
