"""E-mail in and out, against real local servers: an IMAP server (pymap) the tests start,
and an SMTP server (aiosmtpd). Nothing is mocked."""

import imaplib
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.helpline.models import Attachment, Contact
from ostoja.helpline.tasks import fetch_mail
from ostoja.test import Persona, assert_access, sign_in, text

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
USER, PASSWORD = "kcik", "imap-test-password"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def imap(settings: Any) -> Iterator[imaplib.IMAP4]:
    """A real IMAP server on loopback with an empty mailbox, and the settings to reach it."""
    port = _free_port()
    pymap = shutil.which("pymap", path=str(Path(sys.executable).parent))
    assert pymap, "pymap (a dev dependency) is missing"
    server = subprocess.Popen(  # noqa: S603
        [
            pymap,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-tls",
            "dict",
            "--demo-user",
            USER,
            "--demo-password",
            PASSWORD,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                client = imaplib.IMAP4("127.0.0.1", port)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the IMAP server did not start")
        client.login(USER, PASSWORD)
        client.select("INBOX")
        settings.IMAP_HOST, settings.IMAP_PORT, settings.IMAP_TLS = "127.0.0.1", port, False
        settings.IMAP_USER, settings.IMAP_PASSWORD = USER, PASSWORD
        yield client
        client.logout()
    finally:
        server.terminate()
        server.wait(timeout=10)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(BytesParser(policy=default).parsebytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "use_tls": False},
        }
    }
    yield inbox
    controller.stop()


def _mail(
    subject: str, body: str, *, message_id: str, attachments: tuple[tuple[str, bytes], ...] = ()
) -> bytes:
    message = EmailMessage()
    message["From"] = "Olena <olena.k@example.test>"
    message["To"] = "pomoc@kcik.example.test"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Tue, 10 Nov 2026 10:15:00 +0100"
    message.set_content(body)
    for name, data in attachments:
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return bytes(message)


def test_new_mail_becomes_contacts_once(
    imap: imaplib.IMAP4, centre: dict[Role, Persona], tmp_path: Path, settings: Any
) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path
    imap.append(
        "INBOX",
        None,
        None,
        _mail(
            "Pomoc – praca w Holandii",
            "Zabrali mi paszport. Proszę o kontakt.",
            message_id="<m1@example.test>",
            attachments=(("umowa.pdf", PDF), ("faktura.exe", b"MZ\x90\x00" + b"\x00" * 64)),
        ),
    )
    imap.append(
        "INBOX",
        None,
        None,
        _mail("Pytanie", "Czy ta oferta jest bezpieczna?", message_id="<m2@example.test>"),
    )
    assert fetch_mail.call_local() == 2
    contacts = {c.subject: c for c in Contact.objects.all()}
    first = contacts["Pomoc – praca w Holandii"]
    assert first.channel == "email" and first.direction == "in" and first.counsellor is None
    assert first.correspondent == "olena.k@example.test" and first.line == "office"
    assert "Zabrali mi paszport" in first.summary
    assert "faktura.exe" in first.summary  # refused, and said so
    (attachment,) = Attachment.objects.filter(contact=first)
    assert attachment.content_type == "application/pdf" and attachment.filename == "umowa.pdf"
    assert PDF not in (tmp_path / attachment.stored_name).read_bytes()
    assert AuditEntry.objects.filter(action="contact.received").count() == 2
    # Seen on the server, and not taken in twice even if it shows up unseen again.
    assert imap.search(None, "UNSEEN")[1] == [b""]
    imap.store("1", "-FLAGS", "\\Seen")
    assert fetch_mail.call_local() == 1  # read again …
    assert Contact.objects.count() == 2  # … but not stored twice


def test_a_counsellor_takes_the_mail_downloads_its_attachment_and_answers_in_thread(
    client: Client,
    imap: imaplib.IMAP4,
    smtp: Inbox,
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    tmp_path: Path,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path
    imap.append(
        "INBOX",
        None,
        None,
        _mail(
            "Pomoc",
            "Proszę o pomoc.",
            message_id="<thread-1@example.test>",
            attachments=(("skan.pdf", PDF),),
        ),
    )
    fetch_mail.call_local()
    contact = Contact.objects.get()
    attachment = Attachment.objects.get()
    sign_in(client, centre[Role.COUNSELLOR])
    page = text(client.get(f"/helpline/{contact.code}/"))
    assert "olena.k@example.test" in page and "skan.pdf" in page
    download = client.get(f"/helpline/attachments/{attachment.code}/")
    assert download.content == PDF and download["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="contact.attachment_downloaded").exists()
    staff = {Role.COUNSELLOR, Role.CASE_MANAGER, Role.COORDINATOR}
    assert_access(f"/helpline/attachments/{attachment.code}/", centre, other_centre, allowed=staff)
    empty = client.post(f"/helpline/{contact.code}/reply/", {"body": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert empty.status_code == 400 and "This field is required." in text(empty)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            f"/helpline/{contact.code}/reply/",
            {"body": "Dzień dobry, prosimy o telefon pod numer z naszej strony."},
        )
    assert sent.status_code == 302
    (message,) = smtp.messages
    assert message["To"] == "olena.k@example.test"
    assert message["In-Reply-To"] == "<thread-1@example.test>"
    assert message["References"] == "<thread-1@example.test>"
    assert message["Subject"] in ("Re: Pomoc", "Odp: Pomoc")
    assert "prosimy o telefon" in message.get_content()
    reply = Contact.objects.get(direction="out")
    assert reply.in_reply_to == contact and reply.message_id == message["Message-ID"]
    assert reply.counsellor == centre[Role.COUNSELLOR].user


def test_only_email_is_answered_by_email(client: Client, centre: dict[Role, Persona]) -> None:
    sign_in(client, centre[Role.COUNSELLOR])
    client.post("/helpline/new/", {"channel": "phone"})
    call = Contact.objects.get()
    response = client.post(
        f"/helpline/{call.code}/reply/", {"body": "x"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "Only e-mail can be answered by e-mail." in text(response)
    assert not Contact.objects.filter(direction="out").exists()


def test_no_mailbox_configured_means_no_intake(settings: Any) -> None:
    settings.IMAP_HOST = ""
    assert fetch_mail.call_local() == 0
