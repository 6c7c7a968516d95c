"""Keeping personal data only as long as needed: tenants' details leave archived dossiers.

The dossier itself stays (address, category, timeline, figures), so the archive and the
dashboard keep their value; name, phone and e-mail of the caller are removed, also from the
old values that corrections left on the timeline, and the tenant's signature on a werkbon with
the name written under it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from server.domain.lifecycle import Phase
from server.dossiers import events
from server.dossiers.dossiers import now
from server.models import Dossier, DossierEvent, RepairLog

REMOVED = "(verwijderd)"
PERSONAL_FIELDS = ("contact_name", "contact_phone", "contact_email")


async def anonymise_archived(after_days: int, at: datetime | None = None) -> int:
    """Remove the caller's details from dossiers archived more than `after_days` ago."""
    if after_days <= 0:
        return 0
    at = at or now()
    due = await Dossier.filter(
        phase=Phase.GEARCHIVEERD.value,
        closed_at__lte=at - timedelta(days=after_days),
        contact_name_search__not="",
    ).order_by("id")
    for dossier in due:
        async with in_transaction() as conn:
            await scrub(dossier, conn)
            await events.record(dossier, "anonymised", None, at, conn, after_days=after_days)
    return len(due)


async def scrub(dossier: Dossier, conn: BaseDBAsyncClient) -> None:
    """Remove the caller's details from one dossier, its werkbon signature and the old values
    its timeline kept (also on a tenant's erasure request, server/privacy)."""
    await (
        Dossier.filter(id=dossier.id)
        .using_db(conn)
        .update(contact_name=REMOVED, contact_name_search="", contact_phone="", contact_email="")
    )
    # The tenant's signature and the name under it are hers too.
    await (
        RepairLog.filter(dossier_id=dossier.id).using_db(conn).update(signature=None, signed_by="")
    )
    for event in await DossierEvent.filter(dossier_id=dossier.id, kind="updated").using_db(conn):
        changes = event.data.get("changes", {})
        scrubbed = {
            k: ([REMOVED, REMOVED] if k in PERSONAL_FIELDS else v) for k, v in changes.items()
        }
        if scrubbed != changes:
            # The log is append-only for facts; erasing personal data is the one rewrite the
            # law asks of it.
            await (
                DossierEvent.filter(id=event.id)
                .using_db(conn)
                .update(data={**event.data, "changes": scrubbed})
            )
