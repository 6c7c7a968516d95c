"""What a sync mutator works with: the user, his technician row, the open transaction,
actions to run once the transaction has committed (live updates), and the device's clock."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tortoise import Model
from tortoise.backends.base.client import BaseDBAsyncClient

from server import db
from server.domain.lifecycle import Actor
from server.domain.roles import Role
from server.dossiers.steps import Steps
from server.models import Dossier, DossierEvent, DossierMessage, Technician, User

AfterCommit = Callable[[], Awaitable[None]]


@dataclass
class Pending:
    """Rows of additive operations (repair logs with their werkbon events, chat messages) held
    back and inserted together, a statement per table, before the transaction's next other
    write (`flush`): a run of a hundred operations then costs a few statements instead of one
    or two each. Chat messages take their ids from the sequence up front (`message_ids`), as
    the answer names them."""

    rows: list[Model] = field(default_factory=list)
    message_ids: list[int] = field(default_factory=list)

    def message_id(self) -> int:
        return self.message_ids.pop(0)

    async def flush(self, conn: BaseDBAsyncClient) -> None:
        rows, self.rows = self.rows, []
        tables: dict[type[Model], list[Model]] = {}
        for row in rows:  # each table's rows in the order they were made
            tables.setdefault(type(row), []).append(row)
        for model, made in tables.items():
            await db.insert_all(conn, made, with_ids=model is DossierMessage)


@dataclass
class FieldContext:
    user: User
    technician: Technician | None
    conn: BaseDBAsyncClient
    at: datetime
    after_commit: list[AfterCommit] = field(default_factory=list)
    # Server clock minus device clock, measured when the device sent this push.
    clock_offset: timedelta | None = None
    # What the operations of one transaction share (several go in one, sync.push): the jobs
    # found writable so far, by the number the device sent, and the op ids no repair log or
    # chat message carries yet (read once for all of them, so each op skips its own look-up).
    jobs: dict[str, Dossier] = field(default_factory=dict)
    new_op_ids: frozenset[str] = frozenset()
    # Jobs a status move of this transaction wrote: locked by it, so never read again.
    moved: set[str] = field(default_factory=set)
    # Set for a run of operations on PostgreSQL (sync_store); None: every row is written at once.
    pending: Pending | None = None
    # The events written in this transaction (events.journal), and the timeline each job's
    # move read: a later move of a job in `moved` takes that with what was written since.
    written: list[DossierEvent] = field(default_factory=list)
    timelines: dict[str, Steps] = field(default_factory=dict)

    def actor(self) -> Actor:
        """Who moves a dossier from the app, as dossiers.actor_for would read it (without
        reading his technician row again)."""
        technician_id = self.technician.id if self.technician is not None else None
        return Actor(self.user.id, Role(self.user.role), technician_id, str(self.user))

    async def flush(self) -> None:
        """Write the pending rows: before any write that is not one of them, and at the end."""
        if self.pending is not None and self.pending.rows:
            await self.pending.flush(self.conn)

    def reported(self, device_time: datetime | None, not_before: datetime) -> datetime:
        """When the device says something happened, on the server's clock: its time corrected
        by the measured offset, between `not_before` (it cannot precede what it builds on) and
        now. Unknown offset or time: now."""
        if device_time is None or self.clock_offset is None:
            return self.at
        return max(min(device_time + self.clock_offset, self.at), min(not_before, self.at))

    def stated(self, moment: datetime, not_before: datetime) -> datetime:
        """A moment the technician states (his arrival on the werkbon), on the server's clock:
        corrected by the offset when it is known, taken as it is when not, and like
        `reported` never later than now nor earlier than `not_before`."""
        corrected = moment + self.clock_offset if self.clock_offset is not None else moment
        return max(min(corrected, self.at), min(not_before, self.at))
