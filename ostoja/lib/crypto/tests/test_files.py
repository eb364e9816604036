"""Encrypted documents: sealed at rest, typed by their bytes, served only by views."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from ostoja.lib.crypto.aead import DecryptionError
from ostoja.lib.crypto.files import EncryptedStorage, file_response, validate_upload

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def storage(tmp_path: Path, settings: Any) -> EncryptedStorage:
    settings.PRIVATE_FILES_ROOT = tmp_path
    return EncryptedStorage()


def test_a_document_is_sealed_at_rest_and_opens_again(
    storage: EncryptedStorage, tmp_path: Path
) -> None:
    upload = validate_upload(SimpleUploadedFile("paszport Олени.pdf", PDF + b"SECRET-CANARY"))
    assert upload.content_type == "application/pdf" and upload.extension == "pdf"
    name = storage.save_upload(upload, "people")
    assert name.startswith("people/") and name.endswith(".pdf") and "Олени" not in name
    on_disk = (tmp_path / name).read_bytes()
    assert b"SECRET-CANARY" not in on_disk and b"%PDF" not in on_disk
    with storage.open(name) as file:
        assert file.read() == PDF + b"SECRET-CANARY"


def test_a_document_has_no_url(storage: EncryptedStorage) -> None:
    name = storage.save_upload(validate_upload(SimpleUploadedFile("a.png", PNG)), "x")
    with pytest.raises(ValueError, match="no URL"):
        storage.url(name)


def test_a_file_moved_to_another_name_does_not_open(
    storage: EncryptedStorage, tmp_path: Path
) -> None:
    first = storage.save_upload(validate_upload(SimpleUploadedFile("a.pdf", PDF)), "x")
    second = storage.save_upload(validate_upload(SimpleUploadedFile("b.pdf", PDF)), "x")
    (tmp_path / second).write_bytes((tmp_path / first).read_bytes())
    with pytest.raises(DecryptionError):
        storage.open(second)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cv.pdf", b"MZ\x90\x00" + b"\x00" * 100, "not accepted"),  # a Windows program
        ("photo.jpg", PDF.replace(b"%PDF", b"%PDX") + b"\xff\xfe\x00", "not accepted"),
        ("empty.txt", b"", "empty"),
        ("notes.txt", b"\x00\x01binary", "not accepted"),
    ],
)
def test_it_sniffs_the_type_and_refuses_the_rest(name: str, content: bytes, message: str) -> None:
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        validate_upload(SimpleUploadedFile(name, content, content_type="application/pdf"))


def test_a_png_named_pdf_is_a_png_and_text_is_text() -> None:
    assert validate_upload(SimpleUploadedFile("x.pdf", PNG)).content_type == "image/png"
    text = validate_upload(SimpleUploadedFile("note", "Zażółć gęślą jaźń".encode()))
    assert text.content_type == "text/plain"


def test_it_refuses_a_file_over_the_limit(settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 2**20
    big = io.BytesIO(PDF + b"0" * 2**20)
    big.name = "big.pdf"
    with translation.override("en"), pytest.raises(ValidationError, match="larger than 1 MB"):
        validate_upload(big)  # type: ignore[arg-type]


def test_it_serves_a_download_a_browser_will_not_run(storage: EncryptedStorage) -> None:
    name = storage.save_upload(validate_upload(SimpleUploadedFile("a.pdf", PDF)), "x")
    response = file_response(
        storage, name, content_type="application/pdf", filename='list "Łódź".pdf'
    )
    assert response.content == PDF
    assert response["Content-Disposition"] == (
        'attachment; filename="list__Lodz_.pdf"; '
        "filename*=UTF-8''list%20%22%C5%81%C3%B3d%C5%BA%22.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
