"""Replies from the desk to a tenant's mail, over SMTP through the outbox (its retries,
statuses and timeline entries), with the threading headers: In-Reply-To the tenant's mail,
References its thread, subject `Re: …` with the order number, Reply-To the client's mailbox.

The reply's Message-ID is fixed before it is sent and kept with it, so the tenant's answer
(In-Reply-To that id) joins the same dossier even if its subject lost the order number.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from server import scoping, settings
from server.communication import message_log
from server.communication.outbox import unavailable
from server.contacts import contacts, mailbox
from server.domain.errors import NotFound, Unprocessable
from server.domain.mail import message_key, reply_references, reply_subject
from server.domain.numbers import row_id
from server.dossiers import dossier_live, events
from server.jobs import queue as jobs
from server.messaging.email import message_id
from server.models import Client, Contact, Dossier, MailMessage, OutboundMessage, User

KIND = "email_antwoord"
MAX_TEXT = 20_000


async def mails_of_contact(user: User, contact: Contact) -> list[MailMessage]:
    """The contact's mail and the replies to it, oldest first (the contact is visible)."""
    return await MailMessage.filter(contact_id=contact.id).order_by("received_at", "id")


async def mails_of_dossier(user: User, dossier: Dossier) -> list[MailMessage]:
    return await MailMessage.filter(dossier_id=dossier.id).order_by("received_at", "id")


async def inbound_of(user: User, contact: Contact) -> MailMessage:
    mail = await MailMessage.filter(contact_id=contact.id, direction="in").first()
    if mail is None:
        raise Unprocessable(f"Contact {contact.id} is geen e-mail.", "contact")
    return mail


async def latest_inbound(user: User, dossier: Dossier) -> MailMessage:
    mail = (
        await MailMessage.filter(dossier_id=dossier.id, direction="in")
        .order_by("-received_at", "-id")
        .first()
    )
    if mail is None:
        raise Unprocessable(f"Bij {dossier.order_number} is geen e-mail ontvangen.", "mail")
    return mail


async def reply(
    user: User, original: MailMessage, text: str, at: datetime | None = None
) -> MailMessage:
    """Queue the reply to `original` (an inbound mail the user may see) and record it."""
    contacts.require_desk(user)
    at = at or datetime.now(UTC)
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise Unprocessable("Schrijf het antwoord.", "text")
    if len(text) > MAX_TEXT:
        raise Unprocessable(f"Het antwoord is langer dan {MAX_TEXT} tekens.", "text")
    if not original.sender:
        raise Unprocessable("Deze mail heeft geen afzender om te antwoorden.", "text")
    client = await scoping.client(user, (await Client.get(id=original.client_id)).code)
    dossier = await Dossier.get_or_none(id=original.dossier_id) if original.dossier_id else None
    box = mailbox.stored(client)
    key = f"antwoord:{uuid.uuid4().hex}"
    reference = re.sub(r"[^A-Za-z0-9._-]", "-", key)
    own_id = message_id(reference, settings.MAIL_FROM)
    subject = reply_subject(original.subject, dossier.order_number if dossier else None)
    references = reply_references(original.thread_refs, original.message_id)
    async with in_transaction() as conn:
        row = await OutboundMessage.create(
            key=key,
            dossier=dossier,
            client=client,
            channel="email",
            kind=KIND,
            recipient=original.sender,
            recipient_name=original.sender_name,
            subject=subject,
            body=text,
            html="",
            data={
                "sender": client.name,
                "reply_to": (box or {}).get("address") or client.email,
                "reference": reference,
                "in_reply_to": original.message_id,
                "references": references,
                "by_hand": True,
            },
            deliver_after=at,
            created_at=at,
            using_db=conn,
        )
        sent = await MailMessage.create(
            client=client,
            mailbox=original.mailbox,
            direction="uit",
            message_key=message_key(own_id),
            message_id=own_id,
            contact_id=original.contact_id,
            dossier=dossier,
            outbound=row,
            author=user,
            sender=settings.MAIL_FROM,
            sender_name=client.name,
            recipient=original.sender,
            subject=subject,
            text=text,
            thread_refs=references,
            received_at=at,
            created_at=at,
            using_db=conn,
        )
        if dossier is not None:
            await events.record(
                dossier, KIND, user, at, conn, to=original.sender, subject=subject, text=text
            )
    reason = unavailable("email", client)
    if reason:
        await message_log.finish(row, "niet_verzonden", reason, at)
    else:
        await jobs.enqueue("send_message", row.id, job_id=f"bericht-{row.id}")
    if dossier is not None:
        await dossier_live.changed(dossier, KIND)
    return sent


async def mail_of(user: User, raw_id: object) -> MailMessage:
    """An inbound mail by id, of a contact the user may see."""
    value = row_id(str(raw_id).strip())
    mail = await MailMessage.get_or_none(id=value, direction="in") if value else None
    if mail is None or mail.contact_id is None:
        raise NotFound(f"Mail '{raw_id}' niet gevonden.", "mail")
    await contacts.get(user, mail.contact_id)
    return mail
