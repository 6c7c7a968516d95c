"""Inbound e-mail: each client's mailbox polled over IMAP, every mail a contact of channel
`email`; a mail that names a dossier (a reply to our reply, or an order number in its
subject) joins it, with its photos.

Nothing is lost: a mail is marked handled in the mailbox only after its contact is committed,
and a mail read again (the worker stopped between the two) is found by its key
(server.domain.mail.message_key, unique per mailbox) and stored once. A mailbox is polled by
one poller at a time (a lease in mailbox_state, compare-and-set, like the outbox's claims).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from media import PhotoError, StoredPhoto, store_async
from media.limits import MB, dutch_amount
from server import settings
from server.contacts import contact_live, contacts, mailbox
from server.domain.calls import ContactChannel, ContactState
from server.domain.mail import message_ids, message_key, order_numbers
from server.dossiers import dossier_live, events
from server.messaging.imap import Mailbox, MailboxError, MailboxSettings, Waiting
from server.messaging.inbound_mail import InboundMail, parse
from server.models import Client, Contact, Dossier, MailboxState, MailMessage, Photo

log = logging.getLogger("meldkamer.mail")
# Mails read per mailbox per poll; the rest follow in the next poll (every minute).
BATCH = 50
# A mail larger than this is not fetched: its headers become the contact, the mail stays.
MAX_MAIL_BYTES = 30 * MB
LEASE = timedelta(minutes=5)
MAX_PHOTOS = 10


@dataclass
class PollResult:
    stored: int = 0
    seen_before: int = 0
    failed: int = 0
    error: str = ""
    busy: bool = False


def now() -> datetime:
    return datetime.now(UTC)


async def poll_all(stopping: Callable[[], bool] = lambda: False) -> dict[str, int]:
    """Every active client's mailbox once (the worker's cron, every minute)."""
    done: dict[str, int] = {}
    for client in await Client.filter(active=True).order_by("id"):
        if stopping():
            break
        if mailbox.stored(client) is None:
            continue
        try:
            result = await poll(client, stopping=stopping)
        except Exception:  # one client's trouble must not stop the others' mail
            log.exception("polling the mailbox of %s failed", client.code)
            continue
        done[client.code] = result.stored
    return done


async def poll(
    client: Client,
    *,
    stopping: Callable[[], bool] = lambda: False,
    limit: int = BATCH,
    before_marking: Callable[[MailMessage], None] | None = None,
    connect: MailboxSettings | None = None,
) -> PollResult:
    """Read the client's mailbox once. `before_marking` runs after a mail's contact is
    committed and before the mail is marked (tests stop a worker there); `connect` overrides
    the stored server (tests reach their own)."""
    box_settings = mailbox.stored(client)
    if box_settings is None:
        return PollResult(error="geen mailbox ingesteld")
    address = str(box_settings["address"])
    state, _ = await MailboxState.get_or_create(client_id=client.id)
    at = now()
    if not await _claim(state, at):
        return PollResult(busy=True)
    result = PollResult()
    try:
        where = connect or mailbox.connection(client)
        if where is None:
            result.error = "Wachtwoord onleesbaar (SECRET_KEY gewijzigd?): vul het opnieuw in."
            return result
        await _read(client, address, Mailbox(where), result, stopping, limit, before_marking)
        return result
    finally:
        await MailboxState.filter(id=state.id).update(
            lease_until=None,
            polled_at=at,
            error=result.error,
            stored=state.stored + result.stored,
            **({} if result.error else {"ok_at": at}),
        )


async def _claim(state: MailboxState, at: datetime) -> bool:
    claimed = await MailboxState.filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=at), id=state.id
    ).update(lease_until=at + LEASE)
    return bool(claimed)


async def _read(
    client: Client,
    address: str,
    box: Mailbox,
    result: PollResult,
    stopping: Callable[[], bool],
    limit: int,
    before_marking: Callable[[MailMessage], None] | None,
) -> None:
    try:
        await asyncio.to_thread(box.open)
        waiting = await asyncio.to_thread(box.waiting, limit)
        for item in waiting:
            if stopping():
                break
            too_large = item.size > MAX_MAIL_BYTES
            raw = await asyncio.to_thread(box.fetch, item.uid, too_large)
            if not raw:
                continue  # removed from the mailbox meanwhile
            try:
                mail, created = await store(client, address, item, raw, too_large)
            except Exception:
                # Left unmarked: tried again next poll; the mails after it go on.
                log.exception("mail %s of %s not stored", item.uid, client.code)
                result.failed += 1
                continue
            if before_marking is not None:
                before_marking(mail)
            await asyncio.to_thread(box.mark_handled, item.uid)
            if created:
                result.stored += 1
            else:
                result.seen_before += 1
            await MailboxState.filter(client_id=client.id).update(lease_until=now() + LEASE)
        if result.failed:
            result.error = f"{result.failed} mail(s) niet opgeslagen; volgende keer opnieuw."
    except MailboxError as exc:
        result.error = f"Mailbox niet te lezen: {exc}"
        log.warning("mailbox of %s: %s", client.code, exc)
    finally:
        await asyncio.to_thread(box.close)


async def store(
    client: Client, address: str, item: Waiting, raw: bytes, headers_only: bool = False
) -> tuple[MailMessage, bool]:
    """The mail's contact (and its dossier link, timeline event and photos), once: a mail
    stored before is returned with False."""
    parsed = parse(raw)
    key = message_key(parsed.message_id, raw)
    found = await MailMessage.get_or_none(mailbox=address, direction="in", message_key=key)
    if found is not None:
        return found, False
    if headers_only:
        parsed.text = (
            f"(Deze mail is {dutch_amount(item.size, MB)} MB, te groot om op te halen; "
            "lees hem in de mailbox.)"
        )
        parsed.attachments = []
    dossier = await dossier_for(client, parsed)
    photos = await _photos(parsed, dossier)
    at = now()
    try:
        async with in_transaction() as conn:
            contact = await Contact.create(
                client_id=client.id,
                channel=ContactChannel.EMAIL.value,
                source="imap",
                caller=parsed.sender,
                caller_name=parsed.sender_name,
                line=address,
                subject=parsed.subject[:200],
                state=ContactState.IN_GESPREK.value,
                offered_at=item.received_at,
                created_at=at,
                using_db=conn,
            )
            mail = await MailMessage.create(
                client_id=client.id,
                mailbox=address,
                direction="in",
                message_key=key,
                message_id=(message_ids(parsed.message_id) or [""])[0],
                contact=contact,
                dossier=dossier,
                sender=parsed.sender,
                sender_name=parsed.sender_name,
                recipient=address,
                subject=parsed.subject,
                text=parsed.text,
                thread_refs=parsed.references[:5000],
                attachments=[entry for entry, _ in photos] + _others(parsed),
                uid=item.uid,
                received_at=item.received_at,
                created_at=at,
                using_db=conn,
            )
            if dossier is not None:
                await _join(contact, mail, dossier, photos, at, conn)
            contacts.rederive(contact)
            await contact.save(using_db=conn)
    except IntegrityError:  # another poller stored the same mail a moment ago
        return await MailMessage.get(mailbox=address, direction="in", message_key=key), False
    await contact_live.changed(contact, "email")
    if dossier is not None:
        await dossier_live.changed(dossier, "email")
    return mail, True


async def dossier_for(client: Client, mail: InboundMail) -> Dossier | None:
    """The dossier of the thread (a mail we sent or read before that it answers), else the
    first order number in its subject; only ever one of the mailbox's own client."""
    keys = [message_key(i) for i in message_ids(mail.in_reply_to) + message_ids(mail.references)]
    if keys:
        earlier = (
            await MailMessage.filter(
                client_id=client.id, message_key__in=keys, dossier_id__isnull=False
            )
            .order_by("-received_at", "-id")
            .first()
        )
        if earlier is not None:
            return await Dossier.get_or_none(id=earlier.dossier_id, client_id=client.id)
    for number in order_numbers(mail.subject):
        dossier = await Dossier.get_or_none(order_number=number, client_id=client.id)
        if dossier is not None:
            return dossier
    return None


async def _photos(
    mail: InboundMail, dossier: Dossier | None
) -> list[tuple[dict[str, Any], StoredPhoto | None]]:
    """Attachments that say they are photos, through media/ (its checks and limits); a refusal
    is kept with its reason. Without a dossier nothing is stored (a photo belongs to one)."""
    found: list[tuple[dict[str, Any], StoredPhoto | None]] = []
    for attachment in [a for a in mail.attachments if a.claims_photo][:MAX_PHOTOS]:
        entry: dict[str, Any] = {
            "name": attachment.name,
            "type": attachment.content_type,
            "size": len(attachment.data),
        }
        if dossier is None:
            entry["refused"] = "geen dossier: de foto staat alleen in de mailbox"
            found.append((entry, None))
            continue
        try:
            stored = await store_async(settings.MEDIA_ROOT, attachment.data)
        except PhotoError as exc:
            entry["refused"] = exc.message
            found.append((entry, None))
            continue
        entry["photo"] = stored.key
        found.append((entry, stored))
    return found


def _others(mail: InboundMail) -> list[dict[str, Any]]:
    return [
        {"name": a.name, "type": a.content_type, "size": len(a.data)}
        for a in mail.attachments
        if not a.claims_photo
    ]


async def _join(
    contact: Contact,
    mail: MailMessage,
    dossier: Dossier,
    photos: list[tuple[dict[str, Any], StoredPhoto | None]],
    at: datetime,
    conn: Any,
) -> None:
    await contacts.link(contact, dossier, False, at, conn)
    kept = 0
    for index, (_, stored) in enumerate(photos):
        if stored is None:
            continue
        client_id = f"mail-{mail.message_key[:40]}-{index}"
        if await Photo.filter(client_id=client_id).using_db(conn).exists():
            continue
        await Photo.create(
            dossier=dossier,
            key=stored.key,
            client_id=client_id,
            width=stored.width,
            height=stored.height,
            caption=f"Uit e-mail van {mail.sender}"[:500],
            attached_at=at,
            created_at=at,
            using_db=conn,
        )
        kept += 1
    await events.record(
        dossier,
        "email",
        None,
        at,
        conn,
        contact=contact.id,
        sender=mail.sender,
        subject=mail.subject,
        photos=kept or None,
    )
