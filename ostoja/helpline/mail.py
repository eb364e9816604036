"""E-mail in and out of the helpline: parsing what IMAP brings, and the threading headers
of replies. Uses only the standard library's ``email`` and ``imaplib``."""

import contextlib
import email
import email.policy
import email.utils
import hashlib
import html
import imaplib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass
class ParsedMail:
    sender: str
    subject: str
    message_id: str
    message_hash: str
    sent_at: datetime | None
    text: str
    attachments: list[tuple[str, bytes]] = field(default_factory=list)


def _html_to_text(markup: str) -> str:
    text = re.sub(r"(?is)<(script|style).*?</\1>", "", markup)
    text = re.sub(r"(?i)<br\s*/?>|</p>", "\n", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def parse_email(raw: bytes) -> ParsedMail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    _, sender = email.utils.parseaddr(str(message.get("From", "")))
    message_id = str(message.get("Message-ID", "")).strip()
    # Without a Message-ID, the message's own bytes identify it (for duplicates).
    identity = message_id.encode() or raw
    try:
        sent_at = (
            email.utils.parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
        )
    except (TypeError, ValueError):
        sent_at = None
    body = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        content = body.get_content()
        text = _html_to_text(content) if body.get_content_type() == "text/html" else content
    attachments = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            attachments.append((part.get_filename() or "attachment", payload))
    return ParsedMail(
        sender=sender.lower(),
        subject=str(message.get("Subject", "")),
        message_id=message_id,
        message_hash=hashlib.sha256(identity).hexdigest(),
        sent_at=sent_at,
        text=text.strip(),
        attachments=attachments,
    )


def reply_subject(subject: str) -> str:
    return (
        subject
        if subject.lower().startswith("re:")
        else _("Re: {subject}").format(subject=subject or "…")
    )


def new_message_id() -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "ostoja.invalid"
    return email.utils.make_msgid(domain=domain)


@contextlib.contextmanager
def mailbox() -> Iterator[imaplib.IMAP4]:
    """The helpline's mailbox, signed in, with the configured folder selected."""
    client_class = imaplib.IMAP4_SSL if settings.IMAP_TLS else imaplib.IMAP4
    with client_class(settings.IMAP_HOST, settings.IMAP_PORT, timeout=60) as client:
        client.login(settings.IMAP_USER, settings.IMAP_PASSWORD)
        client.select(settings.IMAP_FOLDER)
        yield client


def fetch_unseen(client: imaplib.IMAP4) -> list[tuple[bytes, bytes]]:
    """(IMAP id, raw message) of every unseen message, left unseen for now."""
    _status, found = client.search(None, "UNSEEN")
    messages = []
    for number in found[0].split():
        _status, data = client.fetch(number, "(BODY.PEEK[])")
        part = data[0]
        if isinstance(part, tuple):
            messages.append((number, part[1]))
    return messages


def mark_seen(client: imaplib.IMAP4, numbers: list[bytes]) -> None:
    if numbers:
        client.store(b",".join(numbers).decode(), "+FLAGS", "\\Seen")
