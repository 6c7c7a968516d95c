"""Keeping personal data only as long as needed: a contact's caller (number or address, name)
and its note leave it RETENTION_DAYS after it was offered, and so do the numbers the
telephony platform sent with its events, an e-mail's addresses and text (and the replies'),
and the caller's survey invitation (its number or address, and the keyed hash the once-a-day
rule used). The contact stays, with its client, times, subject and result, so the telephony
figures keep their value (as dossiers do, server/dossiers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from server.models import CallEvent, CallSurvey, Contact, MailMessage, OutboundMessage


async def anonymise_old(after_days: int, at: datetime | None = None) -> int:
    if after_days <= 0:
        return 0
    before = (at or datetime.now(UTC)) - timedelta(days=after_days)
    due = await Contact.filter(
        Q(caller__not="") | Q(caller_name__not="") | Q(note__not=""), offered_at__lt=before
    ).values_list("id", flat=True)
    ids = [int(i) for i in due]  # type: ignore[call-overload]
    if ids:
        async with in_transaction() as conn:
            await scrub(ids, conn)
    # Invitations belong to no dossier; their text greets the caller by name.
    await OutboundMessage.filter(
        kind="enquete_gesprek", created_at__lt=before, recipient__not=""
    ).update(recipient="", recipient_name="", body="", html="")
    return len(ids)


async def scrub(ids: list[int], conn: BaseDBAsyncClient) -> None:
    """Remove the caller's details from these contacts, their calls' events, e-mails and
    survey invitations (also on a tenant's erasure request, server/privacy)."""
    await Contact.filter(id__in=ids).using_db(conn).update(caller="", caller_name="", note="")
    await CallEvent.filter(contact_id__in=ids).using_db(conn).update(data={})
    await (
        MailMessage.filter(contact_id__in=ids)
        .using_db(conn)
        .update(sender="", sender_name="", recipient="", text="", attachments=[])
    )
    await CallSurvey.filter(contact_id__in=ids).using_db(conn).update(caller_key=None)
