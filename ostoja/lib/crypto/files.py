"""Encrypted storage for uploaded documents (ASVS V5, SECURITY.md §(b) 12).

* Every file is sealed (``aead``) as a whole, bound to its server-generated name, in a
  folder outside any URL: ``url()`` refuses, so a file can only be served by a view that
  checked access and then calls ``file_response``.
* ``validate_upload`` enforces the size limit and decides the type from the file's own
  bytes (``filetype``), never from the name or the browser's ``Content-Type``.
* Names are random; the user's file name is kept (as data of the owning record) only to
  offer it again on download.
"""

import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.http import HttpResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from unidecode import unidecode

from ostoja.lib.crypto.aead import key_id_of, open_sealed, seal
from ostoja.lib.crypto.keys import keyring

# What staff upload: scans, photos, office documents, plain text.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "text/plain": "txt",
}


@dataclass(frozen=True)
class Upload:
    """An upload that passed ``validate_upload``."""

    content: bytes
    content_type: str
    extension: str
    original_name: str


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def validate_upload(file: "File[Any]") -> Upload:
    """Read ``file`` within the size limit and sniff its type; raise ``ValidationError``
    with a translated message when it is too large, empty or of a type not accepted."""
    limit = settings.UPLOAD_MAX_BYTES
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The file is larger than {megabytes} MB.").format(megabytes=limit // 2**20),
            code="too_large",
        )
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = filetype.guess(data)
    content_type = kind.mime if kind else ("text/plain" if _is_text(data) else "")
    if content_type not in ALLOWED_TYPES:
        raise ValidationError(
            _(
                "This type of file is not accepted. Upload a PDF, an image, a DOCX/ODT "
                "document or plain text."
            ),
            code="type",
        )
    name = unicodedata.normalize("NFC", str(getattr(file, "name", "") or "")).split("/")[-1]
    name = re.sub(r"[\x00-\x1f\\]", "", name)[:200]
    return Upload(data, content_type, ALLOWED_TYPES[content_type], name)


@deconstructible
class EncryptedStorage(FileSystemStorage):
    """File storage that seals every file; it has no URL."""

    TABLE = "files"

    def __init__(self, location: str | None = None) -> None:
        super().__init__(location=location or str(settings.PRIVATE_FILES_ROOT), base_url=None)

    def _seal(self, name: str, data: bytes) -> bytes:
        return seal(data, table=self.TABLE, column="content", row=name)

    def _save(self, name: str, content: "File[Any]") -> str:
        data = content.read()
        return str(super()._save(name, ContentFile(self._seal(name, data))))  # type: ignore[misc]

    def _open(self, name: str, mode: str = "rb") -> "File[Any]":
        with super()._open(name, "rb") as stored:  # type: ignore[misc]
            sealed = stored.read()
        data = open_sealed(sealed, table=self.TABLE, column="content", row=name)
        return ContentFile(data, name=name)

    def url(self, name: str | None) -> str:
        raise ValueError("Encrypted files have no URL; serve them through an access-checked view")

    def needs_reseal(self, name: str) -> bool:
        with super()._open(name, "rb") as stored:  # type: ignore[misc]
            return key_id_of(stored.read(64)) != keyring().newest

    def reseal(self, name: str) -> None:
        """Re-encrypt a file with the newest key (``rotate_keys``), atomically."""
        with self.open(name) as current:
            data = current.read()
        path = self.path(name)
        temporary = f"{path}.{uuid.uuid4().hex}.tmp"
        with open(temporary, "wb") as out:
            out.write(self._seal(name, data))
        os.replace(temporary, path)

    def save_upload(self, upload: Upload, folder: str) -> str:
        """Store a validated upload under a random name; returns the stored name."""
        return str(
            self.save(
                f"{folder}/{uuid.uuid4().hex}.{upload.extension}", ContentFile(upload.content)
            )
        )


def file_response(
    storage: EncryptedStorage, name: str, *, content_type: str, filename: str
) -> HttpResponse:
    """The decrypted file as a download, with headers that keep a browser from running it."""
    with storage.open(name) as file:
        response = HttpResponse(file.read(), content_type=content_type)
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", unidecode(filename)) or "document"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
