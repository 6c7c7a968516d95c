"""A tenant message recorded inside the caller's open transaction in one statement (a phase
move made by a sync push): what `outbox.record` does, without its look-up and savepoint per
recipient.

The rows are rendered and inserted with `INSERT … ON CONFLICT (key) DO NOTHING`: a key that
exists (the same move announced twice) stores nothing, as `outbox.record` skips it. A channel
that cannot send is stored as 'niet_verzonden' with its timeline event in the same
transaction, instead of a second write after the commit; the rest go to the send job after
the commit (`outbox.start_new`, through the caller's `after_commit`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.queryset import QuerySet

from server import db
from server.communication import message_log, outbox
from server.dossiers import events
from server.messaging.kinds import Channel
from server.messaging.messages import Message
from server.models import Client, Dossier, OutboundMessage, PushSubscription

AfterCommit = Callable[[], Awaitable[None]]


def _followers(dossier_id: int) -> QuerySet[PushSubscription]:
    return PushSubscription.filter(follows__dossier_id=dossier_id).order_by("id")


async def tenant_recipients(dossier: Dossier) -> list[outbox.Recipient]:
    """`outbox.tenant_recipients`, its SQL built once (server.db.prepared): every close."""
    found = outbox.tenant_contacts(dossier)
    for sub in await db.prepared("tracking-followers", _followers, dossier.id):
        found.append(outbox.Recipient(Channel.PUSH, sub.endpoint))
    return found


async def record(
    conn: BaseDBAsyncClient,
    message: Message,
    *,
    client: Client,
    dossier: Dossier,
    recipients: Sequence[outbox.Recipient],
    key: str,
    urgency: str,
    at: datetime,
    after_commit: list[AfterCommit],
) -> list[OutboundMessage]:
    made = outbox.new_rows(
        message,
        client=client,
        dossier=dossier,
        recipients=recipients,
        key=key,
        urgency=urgency,
        at=at,
    )
    rows = await _insert_new(conn, made)
    # The timeline events of channels that cannot send, in one INSERT without the ORM's
    # save hooks: the client is known, and a 'bericht' is no step they derive anything for.
    stopped = [
        await events.build(dossier, "bericht", None, at, **message_log.event_data(r, r.last_error))
        for r in rows
        if r.status != "wachtrij"
    ]
    if stopped and all(e.client_id is not None for e in stopped):
        await db.insert_all(conn, stopped)
    else:
        for event in stopped:
            await event.save(using_db=conn)
    if rows:
        after_commit.append(lambda: outbox.start_new(rows, dossier, client, at))
    return rows


async def _insert_new(
    conn: BaseDBAsyncClient, rows: Sequence[OutboundMessage]
) -> list[OutboundMessage]:
    """Insert the rows whose key is new; the stored ones get their ids."""
    if not rows:
        return []
    meta = OutboundMessage._meta
    names = [n for n in meta.fields_db_projection if not meta.fields_map[n].generated]
    columns = ", ".join(f'"{meta.fields_db_projection[n]}"' for n in names)
    values = [meta.fields_map[n].to_db_value(getattr(r, n), r) for r in rows for n in names]
    marks = db.placeholders(conn, len(values))
    width = len(names)
    tuples = ", ".join(
        "(" + ", ".join(marks[i * width : (i + 1) * width]) + ")" for i in range(len(rows))
    )
    found = await conn.execute_query_dict(
        f'INSERT INTO "{meta.db_table}" ({columns}) VALUES {tuples} '
        'ON CONFLICT ("key") DO NOTHING RETURNING "id", "key"',
        values,
    )
    ids = {str(r["key"]): int(r["id"]) for r in found}
    stored = []
    for row in rows:
        if row.key in ids:
            row.pk = ids[row.key]
            row._saved_in_db = True
            stored.append(row)
    return stored
