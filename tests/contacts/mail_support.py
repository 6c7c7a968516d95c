"""Mails as tenants send them, and a client's mailbox on the test Dovecot."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from PIL import Image

from server.contacts import mailbox
from server.contacts.mailbox import MailboxInput
from server.models import Client
from tests.contacts.dovecot import PASSWORD, Dovecot

# Mails arrive from this moment on, a minute apart (no test depends on today's date).
RECEIVED = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)


def at(minute: int) -> datetime:
    return RECEIVED + timedelta(minutes=minute)


def mail(
    subject: str | None = "Lekkage in de badkamer",
    sender: str = "Fatima el Amrani <fatima@example.nl>",
    text: str = "Het lekt bij de douche.",
    message_id: str | None = None,
    in_reply_to: str = "",
    photos: list[tuple[str, bytes, str]] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "storingen@woonstad.example"
    if subject is not None:
        message["Subject"] = subject
    if message_id != "":
        message["Message-ID"] = message_id or f"<{uuid.uuid4().hex}@example.nl>"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(text)
    for name, data, kind in photos or []:
        main, sub = kind.split("/")
        message.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return message.as_bytes()


def jpeg(width: int = 64, height: int = 48, colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG")
    return out.getvalue()


async def give_mailbox(client: Client, dovecot: Dovecot) -> str:
    """A mailbox of its own on the test Dovecot, set as the client's (plain IMAP)."""
    user = dovecot.user()
    client.settings = {
        **client.settings,
        "mailbox": mailbox.checked(
            MailboxInput(
                address=user,
                host="127.0.0.1",
                port=dovecot.port,
                tls="geen",
                username=user,
                password=PASSWORD,
            ),
            None,
        ),
    }
    await client.save(update_fields=["settings"])
    return user
