"""Intake with triage: a new dossier and its triage stored together, or neither.

The write path every report takes, so it counts its statements (tests/dossiers/
test_intake_statements.py): everything is looked up and decided before the transaction, which
then stores the numbered dossier with its triage, the tenant's messages (rendered, in the
outbox) and the first timeline events, each kind in one statement. Sending starts after the
commit.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from server import db, live, settings
from server.batches import Batches
from server.communication import communication, message_log, notifications, outbox
from server.dispatch import suggestions
from server.domain import kpis
from server.domain.codes import CATEGORY_LABELS
from server.domain.errors import Forbidden
from server.domain.roles import DESK_ROLES
from server.dossiers import dossiers, events
from server.dossiers.desk_read import Found as DeskFound
from server.dossiers.dossiers import DossierInput
from server.dossiers.ordernumbers import next_order_numbers, order_year
from server.escalations import cases as escalation_cases
from server.housing import geocoding
from server.insight import changes as changes_live
from server.models import Dossier, DossierEvent, OutboundMessage, User
from server.protocols import triage
from server.protocols.triage import TriageInput

# Work that must commit with the new dossier or not at all (the desk's contact it is made in).
Inside = Callable[[Dossier, BaseDBAsyncClient], Awaitable[None]]


@dataclass
class _Made:
    dossier: Dossier
    # The whole timeline when the intake wrote it in one go (with triage), else None.
    timeline: list[DossierEvent] | None = None
    messages: list[OutboundMessage] = field(default_factory=list)
    alerted: bool = False


async def create(
    user: User,
    data: DossierInput,
    answers: TriageInput | None = None,
    at: datetime | None = None,
    *,
    inside: Inside | None = None,
) -> Dossier:
    """Create the dossier; with `answers`, triage it in the same transaction, and `inside`
    runs in that transaction too.

    A wrong or unfinished answer refuses the whole intake before anything is stored.
    """
    dossier, _ = await create_with_timeline(user, data, answers, at, inside=inside)
    return dossier


async def create_with_timeline(
    user: User,
    data: DossierInput,
    answers: TriageInput | None = None,
    at: datetime | None = None,
    *,
    inside: Inside | None = None,
    desk: DeskFound | None = None,
) -> tuple[Dossier, list[DossierEvent] | None]:
    """`create`, with the dossier's timeline as stored when the caller need not read it back
    (None: read it); `desk`: the desk read of `data`, made already with the bearer token."""
    # At most INTAKE_CONCURRENCY intakes at once per process (two writer batches); the rest
    # wait here rather than each holding its buffers and timers.
    # Every live update of the intake (dashboards, board, the dossier's screen) follows its
    # commit; they go to Redis together, in one round trip.
    async with _limit(), live.together():
        made = await _create(user, data, answers, at, inside, desk)
        dossier = made.dossier
        # After the commit, so the job finds the dossier; it never holds up or fails the intake.
        await geocoding.schedule(dossier)
        await live.publish("board", "created", {"order_number": dossier.order_number})
        if await suggestions.auto_assign(user, dossier) is not None:
            made.timeline = None  # assigned since: the stored timeline has grown
        if at is None:  # a backdated intake is history: nobody is told again
            client = dossier.client
            await communication.safely(
                outbox.start_new(made.messages, dossier, client, datetime.now(UTC))
            )
            if made.alerted:
                await communication.safely(communication.send_client_notifications(dossier=dossier))
            from server.chain import outbound

            if await outbound.after_intake(dossier):
                made.timeline = None  # the request to the client's system is on it since
    return dossier, made.timeline


async def _create(
    user: User,
    data: DossierInput,
    answers: TriageInput | None,
    at: datetime | None,
    inside: Inside | None,
    desk: DeskFound | None = None,
) -> _Made:
    if answers is None and inside is None:
        return _Made(await dossiers.create(user, data, at))
    if answers is not None and user.role not in DESK_ROLES:
        raise Forbidden("Alleen de meldkamer legt de triage van een dossier vast.")
    tell = at is None
    at = at or datetime.now(UTC)
    if answers is None:
        async with in_transaction() as conn:
            dossier = await dossiers.create(user, data, at)
            if inside is not None:
                await inside(dossier, conn)
        return _Made(dossier)

    subject = answers.subject.strip()
    category = subject if subject in CATEGORY_LABELS else (data.category or "overig")
    prepared = await dossiers.prepare(user, replace(data, category=category), desk)
    client = prepared.client
    decision = await triage.decide(
        client, replace(answers, at=answers.at or at), prepared.address, prepared.protocol
    )
    # The decision as it will be stored, worked out on the dossier as it is going to be.
    draft = db.new(Dossier, description=prepared.fields["description"], created_at=at, triage={})
    found = triage.recorded(user, decision, draft, at)
    deadline = found.changes["deadline_at"]
    columns = {**found.changes, "deadline_at": deadline.astimezone(UTC) if deadline else None}
    if (
        inside is None
        and prepared.parent is None
        and found.alert is None
        and db.dialect() == "postgres"
    ):
        values = {"client": client, "created_by": user, "created_at": at}
        values |= prepared.fields | columns
        dossier = db.new(Dossier, **values)
        if escalation_cases.escalation_of(dossier) is None:
            # The common intake: stored together with whatever other intakes of this process
            # are waiting, in one transaction (one statement per table for all of them).
            async with changes_live.batch():
                waiting = _Waiting(user, prepared, values, dossier, found, tell)
                stored = await _writer.submit(waiting)
                await events.noticed(stored.dossier, stored.timeline)
            return _Made(stored.dossier, stored.timeline, stored.messages)
    async with changes_live.batch(), in_transaction() as conn:
        dossier = await dossiers.insert(user, prepared, at, conn, **columns)
        messages = communication.received_rows(dossier, client, at) if tell else []
        await db.insert_all(conn, messages)
        timeline = await events.record_new(
            dossier,
            [
                ("created", user, at, dossiers.created_event(dossier, prepared)),
                ("triage", user, at, found.event),
                *(
                    ("bericht", None, at, message_log.event_data(m, m.last_error))
                    for m in messages
                    if m.status != "wachtrij"
                ),
            ],
            conn,
        )
        await dossiers.record_repeat(user, dossier, prepared, at, conn)
        if found.alert is not None:  # a new dossier: no earlier alert to repeat
            await notifications.on_call(dossier, client, found.alert, at, conn)
        # Seed 003: a complaint about a referred party becomes a case for the client's role.
        escalated = await escalation_cases.open_if_escalated(dossier, client, at, conn)
        if inside is not None:
            await inside(dossier, conn)
    return _Made(dossier, timeline, messages, found.alert is not None or escalated is not None)


# Group commit (PostgreSQL). Concurrent intakes of one process queue here and one writer
# task stores whatever is waiting, up to BATCH, in one transaction: one nextval for all their
# numbers, one INSERT per table. Each request awaits its batch's commit, so a 201 still means
# stored. Under load that is a handful of round trips for many intakes instead of six each
# (docs/performance.md, fourth pass); alone, an intake is a batch of one, as before.
BATCH = 50


@dataclass
class _Waiting:
    user: User
    prepared: dossiers.Prepared
    values: dict[str, Any]  # the dossier's columns, triage included
    dossier: Dossier  # unsaved, made of `values`; numbered by the writer
    found: triage.Recorded
    tell: bool


@dataclass
class _Stored:
    dossier: Dossier
    timeline: list[DossierEvent]
    messages: list[OutboundMessage]


async def _store_batch(batch: list[_Waiting]) -> list[_Stored | Exception]:
    try:
        async with in_transaction() as conn:
            return list(await _insert_many(batch, conn))
    except Exception as error:
        if len(batch) == 1:
            return [error]
    # One by one, so one bad intake cannot fail the others (as sync push's runs do).
    outcomes: list[_Stored | Exception] = []
    for item in batch:
        item.dossier = db.new(Dossier, **item.values)  # the failed batch gave the first an id
        try:
            async with in_transaction() as conn:
                (one,) = await _insert_many([item], conn)
        except Exception as own:
            outcomes.append(own)
        else:
            outcomes.append(one)
    return outcomes


_writer: Batches[_Waiting, _Stored] = Batches(_store_batch, BATCH)


_limits: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _limit() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    found = _limits.get(loop)
    if found is None:
        found = _limits[loop] = asyncio.Semaphore(settings.INTAKE_CONCURRENCY)
    return found


async def _insert_many(batch: list[_Waiting], conn: BaseDBAsyncClient) -> list[_Stored]:
    # One nextval for the batch's numbers (per year: a backdated intake counts in its own).
    by_year: dict[int, list[Dossier]] = {}
    for item in batch:
        by_year.setdefault(order_year(item.dossier.created_at), []).append(item.dossier)
    for same_year in by_year.values():
        numbers = await next_order_numbers(conn, same_year[0].created_at, len(same_year))
        for dossier, number in zip(same_year, numbers, strict=True):
            dossier.order_number = number
    made: list[Dossier] = []
    for item in batch:
        dossier = item.dossier
        dossier.triage_outcome = kpis.triage_outcome(dossier.triage)  # the save hook's work
        made.append(dossier)
    await db.insert_all(conn, made)
    messages: list[list[OutboundMessage]] = []
    timelines: list[list[DossierEvent]] = []
    for item, dossier in zip(batch, made, strict=True):
        client, at = item.prepared.client, dossier.created_at
        own = communication.received_rows(dossier, client, at) if item.tell else []
        messages.append(own)
        timelines.append(
            events.new_rows(
                dossier,
                [
                    ("created", item.user, at, dossiers.created_event(dossier, item.prepared)),
                    ("triage", item.user, at, item.found.event),
                    *(
                        ("bericht", None, at, message_log.event_data(m, m.last_error))
                        for m in own
                        if m.status != "wachtrij"
                    ),
                ],
            )
        )
    await db.insert_all(conn, [m for own in messages for m in own])
    await db.insert_all(conn, [e for timeline in timelines for e in timeline])
    return [
        _Stored(dossier, timeline, own)
        for dossier, timeline, own in zip(made, timelines, messages, strict=True)
    ]
