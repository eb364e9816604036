"""The anonymous two-way channel: a report in Ukrainian with a photo, its receipt code
shown once, the helpline's web contact flagged for triage with its language, a
counsellor's answer from the contact page, and the sender coming back with the code to
read it and write again."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.annotations import FreeText

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.helpline.models import Contact
from ostoja.lib.crypto.files import EncryptedStorage
from ostoja.portal import abuse
from ostoja.portal.language import detect
from ostoja.portal.models import Report
from ostoja.test import Persona, force_sign_in, text

pytestmark = pytest.mark.django_db

GPS = 0x8825


@pytest.fixture(autouse=True)
def _the_centre(centre: dict[Role, Persona]) -> None:
    """The centre whose helpline the portal writes to."""


MESSAGE = "Мене тримають на фермі, забрали паспорт. Допоможіть."


def _photo(fmt: str = "JPEG") -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[GPS] = {1: "N", 2: (52.0, 13.0, 45.0), 3: "E", 4: (21.0, 0.0, 30.0)}
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format=fmt, exif=exif)
    data = out.getvalue()
    assert b"CameraMaker" in data
    return SimpleUploadedFile("IMG_20261205_kowalski.jpg", data, "image/jpeg")


def _send(client: Client, lang: str = "uk", **data: object) -> str:
    response = client.post(f"/portal/{lang}/message/", {"text": MESSAGE, **data})
    assert response.status_code == 200, text(response)[:2000]
    found = re.search(r'data-testid="receipt"><strong>([\d ]{19})</strong>', text(response))
    assert found
    return found.group(1)


def test_the_round_trip(client: Client, centre: dict[Role, Persona]) -> None:
    page = client.get("/portal/uk/message/")
    assert page.status_code == 200 and "Напишіть нам" in text(page)
    code = _send(client, attachment=_photo())
    digits = code.replace(" ", "")
    report = Report.objects.get()
    assert digits not in report.lookup and len(report.lookup) == 64
    contact = report.first
    # A web contact nobody has taken yet (the helpline's triage), in Ukrainian, its time
    # to the hour only.
    assert (contact.channel, contact.direction, contact.status) == ("web", "in", "draft")
    assert contact.counsellor is None and contact.summary == MESSAGE
    assert list(contact.languages.values_list("language", flat=True)) == ["ukr"]
    assert contact.started_at.minute == 0 and contact.started_at.second == 0
    # The photo: sealed, re-encoded, its location, camera and file name gone.
    attachment = contact.attachments.get()
    assert attachment.filename == "photo.jpg" and attachment.content_type == "image/jpeg"
    with EncryptedStorage().open(attachment.stored_name) as stored:
        data = stored.read()
    assert b"CameraMaker" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif() and GPS not in image.getexif()
        assert image.size == (64, 48)
    # A counsellor answers from the contact's page.
    staff = Client()
    force_sign_in(staff, centre[Role.COUNSELLOR].user)
    screen = text(staff.get(f"/helpline/{contact.code}/"))
    assert "Anonimowa wiadomość z portalu" in screen and MESSAGE in screen
    answer = "Ми вам допоможемо. Зателефонуйте, будь ласка, на 22 628 01 20."
    replied = staff.post(f"/helpline/{contact.code}/reply/", {"body": answer})
    assert replied.status_code == 302
    # The sender comes back with the code (spaces as shown) and reads the answer.
    back = client.post("/portal/uk/message/open/", {"code": code})
    body = text(back)
    assert back.status_code == 200 and MESSAGE in body and answer in body
    assert "Центр" in body and "Counsellor" not in body
    # … and writes again, in the same thread.
    again = client.post(
        "/portal/uk/message/open/", {"code": digits, "text": "Дякую. Я на фермі біля Гданська."}
    )
    assert again.status_code == 200 and "Ваше повідомлення надіслано." in text(again)
    added = Contact.objects.get(in_reply_to=contact, direction="in")
    assert added.summary.startswith("Дякую") and added.status == "draft"


def test_a_wrong_code_reads_nothing(client: Client) -> None:
    _send(client)
    for wrong in ("1234 5678 9012 3456", "12345", "abcd"):
        response = client.post("/portal/uk/message/open/", {"code": wrong})
        assert response.status_code == 400
        assert MESSAGE not in text(response)


def test_a_file_that_is_not_a_photo_is_refused(client: Client) -> None:
    fake = SimpleUploadedFile("doc.jpg", b"%PDF-1.4 not a photo", "image/jpeg")
    response = client.post("/portal/en/message/", {"text": "Hello", "attachment": fake})
    assert response.status_code == 400 and "could not be taken" in text(response)
    assert not Report.objects.exists() and not Contact.objects.exists()


def test_a_png_stays_a_png_without_its_metadata(client: Client) -> None:
    _send(client, attachment=_photo("PNG"))
    attachment = Report.objects.get().first.attachments.get()
    assert attachment.content_type == "image/png"
    with EncryptedStorage().open(attachment.stored_name) as stored:
        assert b"CameraMaker" not in stored.read()


def test_abuse_is_limited_per_address_never_for_everyone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(abuse.LIMITS, "report", (2, 3600))
    flood, other = Client(REMOTE_ADDR="198.51.100.1"), Client(REMOTE_ADDR="198.51.100.2")
    _send(flood)
    _send(flood)
    refused = flood.post("/portal/en/message/", {"text": "spam"})
    assert refused.status_code == 429 and "Too many messages" in text(refused)
    _send(other)  # someone else still gets through
    assert Report.objects.count() == 3


def test_the_bucket_changes_every_day_and_hides_the_address() -> None:
    today = abuse.bucket_of("198.51.100.1", dt.date(2026, 12, 6))
    assert today == abuse.bucket_of("198.51.100.1", dt.date(2026, 12, 6))
    assert today != abuse.bucket_of("198.51.100.1", dt.date(2026, 12, 7))
    assert today != abuse.bucket_of("198.51.100.2", dt.date(2026, 12, 6))
    assert "198" not in today and len(today) == 16


@pytest.mark.parametrize(
    ("message", "page", "language"),
    [
        ("Мене тримають, допоможіть", "ru", "ukr"),  # і/є: Ukrainian whatever the page
        ("Меня держат, помогите, объясните", "uk", "rus"),  # ы/ъ: Russian
        ("Помогите мне", "uk", "ukr"),  # Cyrillic shared by both: the page decides
        ("Tôi bị giữ ở trang trại", "en", "vie"),
        ("Zabrali mi paszport, proszę o pomoc", "en", "pol"),
        ("They took my passport", "pl", "pol"),  # no telling letter: the page's language
    ],
)
def test_it_detects_the_language(message: str, page: str, language: str) -> None:
    assert detect(message, page) == language


def _pdf() -> bytes:
    """A one-page PDF carrying its author everywhere a PDF can: the document information,
    XMP, a script run on opening, an attached file, a comment, and a JPEG with EXIF and
    GPS on the page."""
    photo = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[GPS] = {1: "N", 2: (52.0, 13.0, 45.0)}
    Image.new("RGB", (64, 48), (200, 30, 30)).save(photo, "JPEG", exif=exif)
    scan = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(scan, "PDF", author="Jan Kowalski")
    writer = PdfWriter(clone_from=io.BytesIO(scan.getvalue()))
    images = writer.pages[0]["/Resources"]["/XObject"]  # type: ignore[index]
    for image in images.values():
        image.get_object()._data = photo.getvalue()  # the scan's JPEG, as a camera wrote it
    writer.add_metadata({"/Author": "Jan Kowalski", "/Creator": "Kowalski's laptop"})
    writer.add_open_action(JavaScript("app.alert('Kowalski');"))
    writer.add_attachment("notes.txt", b"Kowalski's notes")
    writer.add_annotation(0, FreeText(text="Kowalski", rect=(10, 10, 60, 30)))
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    assert data.count(b"Kowalski") >= 4 and b"CameraMaker" in data
    return data


def test_a_pdf_is_rebuilt_without_its_metadata(client: Client) -> None:
    sent = SimpleUploadedFile("Umowa Kowalski.pdf", _pdf(), "application/pdf")
    _send(client, attachment=sent)
    attachment = Report.objects.get().first.attachments.get()
    assert (attachment.filename, attachment.content_type) == ("document.pdf", "application/pdf")
    with EncryptedStorage().open(attachment.stored_name) as stored:
        data = stored.read()
    assert b"Kowalski" not in data and b"CameraMaker" not in data
    for name in (b"/JavaScript", b"/EmbeddedFile", b"/Annots", b"/Metadata", b"/Author"):
        assert name not in data
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1 and not reader.metadata
    (image,) = reader.pages[0].images
    assert image.image is not None and image.image.size == (64, 48)
    assert not image.image.getexif()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.docx", b"PK\x03\x04" + b"\x00" * 200),  # office documents: not taken
        ("report.pdf", b"%PDF-1.7\n" + b"\x00" * 200),  # says PDF, is not one
        ("photo.jpg", b"GIF89a" + b"\x00" * 200),
        ("big.pdf", b"%PDF-1.7\n" + b" " * (8 * 2**20)),  # over 8 MB
    ],
)
def test_other_files_are_refused_and_the_message_kept(
    client: Client, name: str, content: bytes
) -> None:
    sent = SimpleUploadedFile(name, content, "application/pdf")
    response = client.post("/portal/en/message/", {"text": "Hello there", "attachment": sent})
    body = text(response)
    assert response.status_code == 400 and "could not be taken" in body
    assert "Hello there" in body and not Contact.objects.exists()


def test_the_receipt_code_cannot_be_guessed_for_long(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _send(client)
    monkeypatch.setitem(abuse.LIMITS, "receipt", (3, 3600))
    for _ in range(3):
        assert client.post("/portal/uk/message/open/", {"code": "0" * 16}).status_code == 400
    refused = client.post("/portal/uk/message/open/", {"code": code})
    assert refused.status_code == 429 and MESSAGE not in text(refused)
    # Another bucket (another address today) is not locked out.
    assert (
        Client(REMOTE_ADDR="198.51.100.9")
        .post("/portal/uk/message/open/", {"code": code})
        .status_code
        == 200
    )


def test_staff_download_the_document_after_signing_in_again(
    client: Client, centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    _send(client, attachment=SimpleUploadedFile("a.pdf", _pdf(), "application/pdf"))
    attachment = Report.objects.get().first.attachments.get()
    url = f"/helpline/attachments/{attachment.code}/"
    staff = Client()
    force_sign_in(staff, centre[Role.COUNSELLOR].user)
    download = staff.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"Kowalski" not in download.content
    entry = AuditEntry.objects.get(action="contact.attachment_downloaded")
    assert entry.actor_id == centre[Role.COUNSELLOR].user.pk
    # Signed in long ago: asked to sign in again first.
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        stale = staff.get(url)
    assert stale.status_code == 302 and "/accounts/reauthenticate/" in stale["Location"]
    # Someone of another centre: nothing.
    outsider = Client()
    force_sign_in(outsider, other_centre[Role.COORDINATOR].user)
    assert outsider.get(url).status_code == 404
