"""Where the outcome of a message lands: its outbox row, the dossier timeline, the client
notification it belongs to, and the live view of the dossier."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from server.dossiers import events
from server.messaging.kinds import KIND_LABELS
from server.models import ClientNotification, Dossier, OutboundMessage

log = logging.getLogger("meldkamer.messages")
NOT_CONFIGURED = "kanaal niet ingesteld"
SENT = frozenset({"verzonden", "afgeleverd"})
FINAL = frozenset({"afgeleverd", "mislukt", "niet_verzonden"})


# The statuses each status may follow: it only ever moves forward. A provider's report
# ('afgeleverd', 'mislukt') that overtakes the answer to the send (CM reports as soon as the
# phone has it) is never overwritten by that answer's 'verzonden'; of two final ones the first
# stays.
FOLLOWS = {
    "verzonden": ("wachtrij",),
    "niet_verzonden": ("wachtrij",),
    "afgeleverd": ("wachtrij", "verzonden"),
    "mislukt": ("wachtrij", "verzonden"),
}


async def finish(
    row: OutboundMessage,
    status: str,
    reason: str,
    at: datetime,
    provider_id: str = "",
) -> bool:
    """Give the message its status and tell the timeline (once per status); false, with `row`
    as it is now, when the message has moved past `status` already. A send's moment is kept
    either way."""
    changes: dict[str, Any] = {}
    if status == "verzonden":
        changes = {"sent_at": at, "provider_id": provider_id or row.provider_id}
    elif status == "afgeleverd":
        changes = {"delivered_at": at}
    if status not in SENT:
        changes["last_error"] = reason
    # One compare-and-set update: of two processes finishing the same row, the later status
    # in FOLLOWS order wins whichever comes first.
    moved = await OutboundMessage.filter(id=row.id, status__in=FOLLOWS[status]).update(
        status=status, **changes
    )
    if not moved:
        if status == "verzonden":
            await OutboundMessage.filter(id=row.id).update(**changes)
        await row.refresh_from_db()
        return False
    row.status = status
    for name, value in changes.items():
        setattr(row, name, value)
    await _timeline(row, at, reason)
    if row.notification_id is not None:  # type: ignore[attr-defined]
        await _sync_notification(row.notification_id, at)  # type: ignore[attr-defined]
    return True


def _to(row: OutboundMessage) -> str:
    # A push endpoint is a long URL of the push service: say which kind, not where.
    return "browser" if row.channel == "push" else row.recipient


async def _timeline(row: OutboundMessage, at: datetime, reason: str) -> None:
    if row.dossier_id is None:  # type: ignore[attr-defined]
        return
    dossier = await Dossier.get_or_none(id=row.dossier_id)  # type: ignore[attr-defined]
    if dossier is None:
        return
    data = event_data(row, reason)
    await events.record(dossier, "bericht", None, at, **data)
    await publish(f"dossier:{dossier.order_number}", "bericht", data)


def event_data(row: OutboundMessage, reason: str) -> dict[str, Any]:
    """What the timeline's 'bericht' event and the live update say about a message."""
    return {
        "message": row.id,
        "channel": row.channel,
        "about": row.kind,
        "kind_label": KIND_LABELS.get(row.kind, row.kind),
        "status": row.status,
        "to": _to(row),
        "reason": reason or None,
        "attempts": row.attempts or None,
    }


async def publish(channel: str, event: str, data: dict[str, Any]) -> None:
    """Tell open desk screens; the timeline has it anyway, so a failure is only logged."""
    try:
        from server import live

        await live.publish(channel, event, data)
    except Exception:
        log.exception("live update on %s failed", channel)


async def _sync_notification(notification_id: int, at: datetime) -> None:
    """A client notification is sent when any of its channels is, failed when all failed."""
    rows = await OutboundMessage.filter(notification_id=notification_id)
    note = await ClientNotification.get_or_none(id=notification_id)
    if note is None or not rows:
        return
    note.attempts = sum(r.attempts for r in rows)
    errors = "; ".join(f"{r.channel}: {r.last_error}" for r in rows if r.last_error)
    if any(r.status in SENT for r in rows):
        note.status, note.sent_at = "verzonden", note.sent_at or at
    elif all(r.status in FINAL for r in rows):
        # Refused by every channel: failed. Only unconfigured channels: it stays waiting, with
        # the reason, for whoever sets up a channel (nothing was tried).
        failed = any(r.status == "mislukt" for r in rows)
        note.status, note.last_error = ("mislukt" if failed else "wachtrij"), errors
    await note.save(update_fields=["status", "sent_at", "attempts", "last_error"])
