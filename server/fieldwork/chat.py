"""The chat of a dossier: technician, meldkamer and the client's users write in one thread."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError

from server import db, live
from server.domain.errors import Forbidden, Unprocessable
from server.models import Dossier, DossierMessage, User

if TYPE_CHECKING:
    from server.fieldwork.field_context import Pending

MAX_LENGTH = 4000
# A message that reached the server this much after it was written shows both times.
LATE = timedelta(minutes=2)


def clean(text: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise Unprocessable("Een bericht mag niet leeg zijn.", "text")
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise Unprocessable(
            f"Een bericht is te lang: {len(text)} tekens (maximaal {MAX_LENGTH}).", "text"
        )
    return text


async def write(
    user: User,
    dossier: Dossier,
    text: str,
    op_id: str | None = None,
    device_time: datetime | None = None,
    reported_at: datetime | None = None,
    *,
    new: bool = False,
    pending: Pending | None = None,
) -> DossierMessage:
    """Store one message; with an op_id a replay returns the stored message and adds nothing.

    From the app, `reported_at` is when it was written (the device's time, corrected): the time
    shown. The caller has checked that the user may see the dossier (scoping or field_jobs).
    `new`: the caller read just now that no message carries this op_id (sync reads a whole
    batch's at once); the UNIQUE constraint still guards it. With `pending` (and `new`) the
    message takes an id from it and is inserted with the run's other rows.
    """
    if user.role not in ("admin", "supervisor", "agent", "technician", "client"):
        raise Forbidden("Uw rol mag geen berichten schrijven.")
    text = clean(text)
    if op_id and not new:
        found = await DossierMessage.get_or_none(op_id=op_id)
        if found is not None:
            return found
    fields: dict[str, Any] = dict(
        dossier=dossier,
        author=user,
        author_name=str(user),
        author_role=user.role,
        op_id=op_id,
        text=text,
        device_time=device_time,
        reported_at=reported_at,
        created_at=datetime.now(UTC),
    )
    if new and pending is not None:
        message = db.new(DossierMessage, id=pending.message_id(), **fields)
        pending.rows.append(message)
        return message
    try:
        message = await DossierMessage.create(**fields)
    except IntegrityError:
        if op_id is None:
            raise
        return await DossierMessage.get(op_id=op_id)
    return message


def written_at(message: DossierMessage) -> datetime:
    """The time a message shows: when it was written in the app, else when it arrived."""
    return message.reported_at or message.created_at


def arrived_late(message: DossierMessage) -> bool:
    """Written offline and sent later: the thread says when it arrived, too."""
    return message.created_at - written_at(message) > LATE


def as_json(message: DossierMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "author": message.author_name,
        "role": message.author_role,
        "text": message.text,
        "at": written_at(message).isoformat(),
        "received_at": message.created_at.isoformat(),
        "late": arrived_late(message),
    }


async def announce(dossier: Dossier, message: DossierMessage) -> None:
    """Tell browsers watching the dossier; call after the message is committed."""
    await live.publish(f"dossier:{dossier.order_number}", "message", as_json(message))


async def thread(dossier: Dossier) -> list[DossierMessage]:
    return await DossierMessage.filter(dossier_id=dossier.id).order_by("id")
