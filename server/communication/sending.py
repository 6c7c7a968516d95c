"""Sending recorded messages: what the `send_message` job and the outbox sweep do.

Idempotent and safe with several processes: only a message still 'wachtrij' and due is sent,
and it is claimed first with a compare-and-set update (its `deliver_after` moves past the time
a send can take), so two jobs, or a job and a sweep, never both send it. A failure that may
still succeed is retried later (the job raises arq's Retry; the sweep finds it due again); a
refusal is recorded as 'mislukt' with the provider's reason. When an SMS request may have
reached CM before the connection broke (`maybe_sent`), the next try first waits for CM's
delivery report under the same reference instead of sending again.
"""

from __future__ import annotations

import base64
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from server import settings
from server.communication import message_log
from server.communication.outbox import unavailable
from server.jobs.queue import MAX_TRIES
from server.messaging.cm import CmSmsProvider
from server.messaging.email import Attachment, SmtpSettings, build_email, send_email
from server.messaging.errors import PermanentSendError, SubscriptionGone, TransientSendError
from server.messaging.push import PushSubscription as BrowserSubscription
from server.messaging.push import WebPushSender
from server.messaging.sms import SmsProvider
from server.models import Client, OutboundMessage, PushSubscription

log = logging.getLogger("meldkamer.messages")
# A claimed message is left alone this long by other senders: longer than any send can take
# (SMS and push time out after 10 s, SMTP after 30 s). A sender that dies mid-send leaves the
# message to the sweep once the claim runs out.
CLAIM = timedelta(minutes=5)
# At most this many messages per sweep; the rest follow in the next one.
SWEEP_BATCH = 200


@dataclass
class Channels:
    """The senders a worker keeps for its life; None where the channel is not configured."""

    sms: SmsProvider | None = None
    smtp: SmtpSettings | None = None
    push: WebPushSender | None = None
    _closers: list[CmSmsProvider | WebPushSender] = field(default_factory=list)

    async def aclose(self) -> None:
        for item in self._closers:
            await item.aclose()


def channels_from_settings() -> Channels:
    sms = None
    if settings.SMS_PRODUCT_TOKEN:
        sms = CmSmsProvider(
            product_token=settings.SMS_PRODUCT_TOKEN,
            sender=settings.SMS_SENDER,
            url=settings.SMS_PROVIDER_URL,
        )
    smtp = None
    if settings.SMTP_HOST:
        smtp = SmtpSettings(
            host=settings.SMTP_HOST,
            port=settings.SMTP_PORT,
            username=settings.SMTP_USER,
            password=settings.SMTP_PASSWORD,
            starttls=settings.SMTP_STARTTLS,
            use_tls=settings.SMTP_PORT == 465,
        )
    push = WebPushSender(private_key=settings.VAPID_PRIVATE_KEY, subject=settings.VAPID_SUBJECT)
    closers: list[CmSmsProvider | WebPushSender] = [push, *([sms] if sms else [])]
    return Channels(sms=sms, smtp=smtp, push=push, _closers=closers)


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_in: float | None = None
    # False when this call left the message alone: done before, not due, or another's claim.
    acted: bool = True


def now() -> datetime:
    return datetime.now(UTC)


async def send(message_id: int, channels: Channels, at: datetime | None = None) -> Outcome:
    """Send one message if it is waiting and due; `retry_in` asks the job to try again."""
    row = await OutboundMessage.get_or_none(id=message_id)
    if row is None:
        return Outcome("weg", acted=False)
    if row.status != "wachtrij":
        return Outcome(row.status, acted=False)  # sent, reported or given up already
    at = (at or now()).astimezone(UTC)
    if row.deliver_after > at or not await _claim(row, at):
        # Held by quiet hours, waiting for a retry, or being sent by another process right
        # now: whoever holds it finishes it, or the sweep sends it once it is due.
        return Outcome("later", acted=False)
    client = await Client.get(id=row.client_id)  # type: ignore[attr-defined]
    reason = unavailable(row.channel, client) or _missing(row.channel, channels)
    if reason:
        await message_log.finish(row, "niet_verzonden", reason, at)
        return Outcome(row.status)
    if row.data.get("maybe_sent") and row.channel == "sms":
        # No delivery report arrived while we waited: CM did not take it. Send it again.
        row.data = {**row.data, "maybe_sent": False}
    row.attempts += 1
    await row.save(update_fields=["attempts", "data"])
    try:
        provider_id = await _deliver(row, channels)
    except SubscriptionGone as exc:
        await PushSubscription.filter(endpoint=row.recipient).delete()
        await message_log.finish(row, "mislukt", f"{exc} Abonnement verwijderd.", now())
        return Outcome(row.status)
    except PermanentSendError as exc:
        await message_log.finish(row, "mislukt", _reason(exc.reason, exc.code), now())
        return Outcome(row.status)
    except TransientSendError as exc:
        return await _transient(row, exc)
    # A delivery report may have overtaken this answer: then its status stays (and is returned).
    await message_log.finish(row, "verzonden", "", now(), provider_id)
    return Outcome(row.status)


async def _claim(row: OutboundMessage, at: datetime) -> bool:
    """Take the message for this sender: true for exactly one of any number of processes.

    The update only matches while the message is due; it makes it not due for the length of
    the claim, so a second sender's identical update matches nothing (on PostgreSQL it waits
    for the first one's row lock, then re-reads the row).
    """
    until = at + CLAIM
    claimed = await OutboundMessage.filter(
        id=row.id, status="wachtrij", deliver_after__lte=at
    ).update(deliver_after=until)
    row.deliver_after = until
    return bool(claimed)


async def sweep(
    channels: Channels,
    at: datetime | None = None,
    *,
    limit: int = SWEEP_BATCH,
    stopping: Callable[[], bool] = lambda: False,
) -> dict[str, int]:
    """Send the waiting messages that are due: held by quiet hours until now, or left behind
    by a job that is gone (an app restarted without Redis, a worker stopped mid-retry).

    Run every minute by the worker's cron and, without Redis, by the app itself. Any number
    of sweeps and jobs may run at once: each message is claimed before it is sent.
    `stopping` is asked between messages, so a shutdown does not cut a send off.
    """
    at = (at or now()).astimezone(UTC)
    due: list[int] = await (
        OutboundMessage.filter(status="wachtrij", deliver_after__lte=at)
        .order_by("deliver_after", "id")
        .limit(limit)
        .values_list("id", flat=True)
    )  # type: ignore[assignment]
    outcomes: Counter[str] = Counter()
    for message_id in due:
        if stopping():
            break
        outcome = await send(message_id, channels, at)
        if outcome.acted:
            outcomes[outcome.status] += 1
    if due:
        log.info("outbox sweep: %s", dict(outcomes))
    return dict(outcomes)


def _reason(reason: str, code: str) -> str:
    return f"{reason} ({code})" if code and code not in reason else reason


def _missing(channel: str, channels: Channels) -> str:
    configured = {"sms": channels.sms, "email": channels.smtp, "push": channels.push}
    return "" if configured[channel] is not None else message_log.NOT_CONFIGURED


async def _transient(row: OutboundMessage, exc: TransientSendError) -> Outcome:
    error = _reason(exc.reason, exc.code)
    data = {**row.data, "maybe_sent": True} if row.channel == "sms" and exc.maybe_sent else row.data
    if row.attempts >= MAX_TRIES:
        reason = f"Na {row.attempts} pogingen opgegeven: {error}"
        await message_log.finish(row, "mislukt", reason, now())
        return Outcome(row.status)
    wait = settings.SEND_RETRY_SECONDS * 2 ** (row.attempts - 1)
    # Released with the moment of its next try: the job's retry, or else a sweep, sends it.
    # Not when a delivery report has settled it meanwhile (the send did reach CM after all).
    until = now() + timedelta(seconds=wait)
    released = await OutboundMessage.filter(id=row.id, status="wachtrij").update(
        last_error=error, data=data, deliver_after=until
    )
    if not released:
        await row.refresh_from_db()
        return Outcome(row.status)
    row.last_error, row.data, row.deliver_after = error, data, until
    return Outcome("wachtrij", wait)


async def _deliver(row: OutboundMessage, channels: Channels) -> str:
    """Hand the message to its channel; the id its delivery reports will carry."""
    if row.channel == "sms":
        assert channels.sms is not None
        reference = sms_reference(row)
        if row.provider_id != reference:  # before sending: a report may beat the answer
            row.provider_id = reference
            await row.save(update_fields=["provider_id"])
        result = await channels.sms.send(
            row.recipient, row.body, reference, sender=row.data.get("sms_sender") or None
        )
        return result.provider_id
    if row.channel == "email":
        assert channels.smtp is not None
        message = build_email(
            to=row.recipient,
            subject=row.subject,
            text=row.body,
            html=row.html,
            from_address=settings.MAIL_FROM,
            from_name=str(row.data.get("sender", "")),
            reference=str(row.data.get("reference") or "")
            or re.sub(r"[^A-Za-z0-9._-]", "-", row.key),
            reply_to=str(row.data.get("reply_to", "")),
            to_name=row.recipient_name,
            # A desk reply to a tenant's mail (server/contacts/mail_replies.py): threaded.
            in_reply_to=str(row.data.get("in_reply_to", "")),
            references=str(row.data.get("references", "")),
            automatic=not row.data.get("by_hand"),
            attachments=attachments_of(row.data),
        )
        return await send_email(message, channels.smtp)
    assert channels.push is not None
    sub = await PushSubscription.get_or_none(endpoint=row.recipient)
    if sub is None:
        raise PermanentSendError("Pushabonnement bestaat niet meer.")
    payload = {"title": row.subject, "body": row.body, **row.data}
    payload = {k: payload[k] for k in ("title", "body", "url", "tag") if k in payload}
    await channels.push.send(
        BrowserSubscription(endpoint=sub.endpoint, p256dh=sub.p256dh, auth=sub.auth),
        payload,
        urgency="high" if row.kind == "monteur_onderweg" else "normal",
    )
    return ""


def attachments_of(data: dict[str, Any]) -> list[Attachment]:
    """Files kept with an e-mail in the outbox (base64 in its data), as they are attached."""
    return [
        Attachment(str(a["filename"]), str(a["content_type"]), base64.b64decode(a["base64"]))
        for a in data.get("attachments") or []
    ]


def sms_reference(row: OutboundMessage) -> str:
    """Unique per message and the same on every try: CM reports delivery under it."""
    return f"MK{row.id}"
