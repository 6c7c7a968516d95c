"""Recording messages in the outbox and handing them to the send job (or, for a message
held by quiet hours, leaving it to the outbox sweep).

A message is rendered once, when it is recorded (the client's own templates first), and kept
as sent: the job only delivers it. Each row has a unique key, so recording the same message
twice is a no-op. A channel that is not configured (no SMS token, no SMTP server), or SMS for
a demo client, is recorded at once as 'niet_verzonden' on the dossier timeline and never
reaches a job: intake goes on whatever the channels do.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from server import db, live, settings
from server.communication import message_log
from server.domain import brand
from server.jobs import queue as jobs
from server.messaging.errors import PermanentSendError
from server.messaging.kinds import Channel
from server.messaging.messages import Message, TenantMessage
from server.messaging.numbers import check_mobile
from server.messaging.quiet import QuietHours, deliver_at
from server.messaging.templates import render_email, render_push, render_sms
from server.models import Client, ClientNotification, Dossier, OutboundMessage, PushSubscription

log = logging.getLogger("meldkamer.messages")
NOT_CONFIGURED = message_log.NOT_CONFIGURED
DEMO_SMS = "niet verzonden: demo-opdrachtgever krijgt geen echte sms"


AfterCommit = Callable[[], Awaitable[None]]
# Set while a caller's transaction is open: starting a send waits until it has committed.
_after_commit: ContextVar[list[AfterCommit] | None] = ContextVar("after_commit", default=None)


@contextmanager
def starting_after(actions: list[AfterCommit]) -> Iterator[None]:
    """Messages recorded inside the caller's open transaction are handed to their jobs only
    after it has committed: the caller runs `actions` then (and drops them on a rollback).

    Otherwise a worker could look for a row that is not committed yet, and an in-process job
    would share the transaction's connection.
    """
    token = _after_commit.set(actions)
    try:
        yield
    finally:
        _after_commit.reset(token)


@dataclass(frozen=True)
class Recipient:
    channel: Channel
    address: str  # E.164 number, e-mail address or push endpoint
    name: str = ""


def now() -> datetime:
    return datetime.now(UTC)


def quiet_hours(client: Client) -> QuietHours | None:
    """The client's own quiet hours (`settings["quiet_hours"]`), else QUIET_HOURS."""
    own = client.settings.get("quiet_hours")
    try:
        return QuietHours.parse(own if isinstance(own, str) else settings.QUIET_HOURS)
    except ValueError:
        log.warning("quiet hours of %s unreadable; using QUIET_HOURS", client.code)
        return QuietHours.parse(settings.QUIET_HOURS)


def tenant_contacts(dossier: Dossier) -> list[Recipient]:
    """SMS to a mobile number and e-mail: what a dossier just created reaches (nobody can
    have subscribed to its tracking page yet)."""
    found: list[Recipient] = []
    if dossier.contact_phone and _mobile(dossier.contact_phone):
        found.append(Recipient(Channel.SMS, dossier.contact_phone, dossier.contact_name))
    if dossier.contact_email:
        found.append(Recipient(Channel.EMAIL, dossier.contact_email, dossier.contact_name))
    return found


async def tenant_recipients(dossier: Dossier) -> list[Recipient]:
    """SMS to a mobile number, e-mail, and every browser subscribed on the tracking page."""
    found = tenant_contacts(dossier)
    for sub in await PushSubscription.filter(follows__dossier_id=dossier.id).order_by("id"):
        found.append(Recipient(Channel.PUSH, sub.endpoint))
    return found


def _mobile(number: str) -> bool:
    try:
        check_mobile(number)
    except PermanentSendError:
        return False
    return True


async def record(
    message: Message,
    *,
    client: Client,
    dossier: Dossier | None,
    recipients: Sequence[Recipient],
    key: str,
    urgency: str = "",
    notification: ClientNotification | None = None,
    at: datetime | None = None,
    data: dict[str, Any] | None = None,
) -> list[OutboundMessage]:
    """Store the message once per recipient and start sending what can be sent.

    `data` is kept with each row for its channel, such as e-mail attachments
    (`{"attachments": [{"filename", "content_type", "base64"}]}`).
    """
    at = at or now()
    # In UTC, like every moment the sweep compares it with (SQLite compares them as text).
    after = deliver_at(at, urgency, message.kind, quiet_hours(client)).astimezone(UTC)
    overrides = client.settings.get("message_templates") or None
    rows: list[OutboundMessage] = []
    for index, recipient in enumerate(recipients):
        fields = _row_fields(
            message, recipient, index, key, client, dossier, urgency, after, at, overrides, data
        )
        if await OutboundMessage.exists(key=fields["key"]):
            continue
        try:
            # A savepoint inside the caller's transaction: on PostgreSQL a failed insert
            # would otherwise abort that whole transaction, not just this row.
            async with in_transaction():
                row = await OutboundMessage.create(notification=notification, **fields)
        except IntegrityError:  # recorded at the same moment by another transaction
            continue
        rows.append(row)
    pending = _after_commit.get()
    for row in rows:
        if pending is None:
            await _start(row, client, at)
        else:
            pending.append(_starter(row, client, at))
    return rows


def new_rows(
    message: Message,
    *,
    client: Client,
    dossier: Dossier,
    recipients: Sequence[Recipient],
    key: str,
    urgency: str,
    at: datetime,
) -> list[OutboundMessage]:
    """The rows `record` would store, unsaved, for a dossier created in the caller's open
    transaction (its keys are new: no row can exist yet). The caller stores them in one
    statement (server.db.insert_all) and calls `start_new` after the commit. A channel that
    cannot send is finished at once ('niet_verzonden'); its timeline event is the caller's.
    """
    after = deliver_at(at, urgency, message.kind, quiet_hours(client)).astimezone(UTC)
    overrides = client.settings.get("message_templates") or None
    rows: list[OutboundMessage] = []
    for index, recipient in enumerate(recipients):
        reason = unavailable(recipient.channel, client)
        fields = _row_fields(
            message, recipient, index, key, client, dossier, urgency, after, at, overrides, None
        )
        status = "niet_verzonden" if reason else "wachtrij"
        rows.append(db.new(OutboundMessage, status=status, last_error=reason, **fields))
    return rows


def _row_fields(
    message: Message,
    recipient: Recipient,
    index: int,
    key: str,
    client: Client,
    dossier: Dossier | None,
    urgency: str,
    after: datetime,
    at: datetime,
    overrides: dict[str, str] | None,
    data: dict[str, Any] | None,
) -> dict[str, Any]:
    """One recipient's row as `record` and `new_rows` both store it: its key, the rendered
    text and the data its channel needs."""
    content = _render(message, recipient.channel, overrides, _brand(client))
    return {
        "key": f"{key}:{recipient.channel}:{index}"[:120],
        "dossier": dossier,
        "client": client,
        "channel": recipient.channel.value,
        "kind": message.kind.value,
        "urgency": urgency,
        "recipient": recipient.address,
        "recipient_name": recipient.name,
        "deliver_after": after,
        "created_at": at,
        "data": {**(data or {}), **content.pop("data", {}), **_sender(client)},
        **content,
    }


async def start_new(
    rows: Sequence[OutboundMessage], dossier: Dossier, client: Client, at: datetime
) -> None:
    """After the commit of `new_rows`: the open dossier screens hear of the finished ones,
    the rest go to the send job (or wait in the outbox for the end of quiet hours)."""
    told = [
        (f"dossier:{dossier.order_number}", "bericht", message_log.event_data(row, row.last_error))
        for row in rows
        if row.status != "wachtrij"
    ]
    await live.publish_many(told)
    for row in rows:
        if row.status == "wachtrij":
            try:
                await _start(row, client, at)
            except Exception:  # committed; the sweep sends a waiting message later
                log.exception("message %s could not be started", row.id)


def _sender(client: Client) -> dict[str, str]:
    return {
        "sender": client.name,
        "reply_to": client.email,
        "sms_sender": str(client.settings.get("sms_sender") or ""),
    }


def _brand(client: Client) -> dict[str, str]:
    return brand.brand(client.settings, client.code, settings.BASE_URL)


def _render(
    message: Message, channel: Channel, overrides: Any, house: dict[str, str] | None = None
) -> dict[str, Any]:
    """Subject, body, html and extra data for the channel; built-in texts if the client's fail."""
    try:
        return _render_with(message, channel, overrides, house)
    except Exception:
        if not overrides:
            raise
        log.exception("client template for %s/%s failed; built-in text used", message.kind, channel)
        return _render_with(message, channel, None, house)


def _render_with(
    message: Message, channel: Channel, overrides: Any, house: dict[str, str] | None = None
) -> dict[str, Any]:
    if channel == Channel.SMS:
        return {"body": render_sms(message, overrides)}
    if channel == Channel.EMAIL:
        mail = render_email(message, overrides, house)
        return {"subject": mail.subject[:300], "body": mail.text, "html": mail.html}
    assert isinstance(message, TenantMessage)  # only tenant kinds have a push channel
    push = render_push(message, overrides)
    return {
        "subject": push.title[:300],
        "body": push.body,
        "data": {"url": push.url, "tag": push.tag},
    }


def unavailable(channel: str, client: Client) -> str:
    """Why a channel cannot send for this client right now, or ''."""
    if channel == Channel.SMS and client.settings.get("demo"):
        return DEMO_SMS
    if channel == Channel.SMS and not settings.SMS_PRODUCT_TOKEN:
        return NOT_CONFIGURED
    if channel == Channel.EMAIL and not settings.SMTP_HOST:
        return NOT_CONFIGURED
    return ""


def _starter(row: OutboundMessage, client: Client, at: datetime) -> AfterCommit:
    async def start() -> None:
        try:
            await _start(row, client, at)
        except Exception:  # the change is committed; the sweep sends the message later
            log.exception("message %s could not be started", row.id)

    return start


async def _start(row: OutboundMessage, client: Client, at: datetime) -> None:
    reason = unavailable(row.channel, client)
    if reason:
        await message_log.finish(row, "niet_verzonden", reason, at)
        return
    if row.deliver_after > now():
        return  # held by quiet hours: stored with its moment, the outbox sweep sends it then
    await jobs.enqueue("send_message", row.id, job_id=f"bericht-{row.id}")
