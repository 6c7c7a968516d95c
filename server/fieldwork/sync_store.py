"""sync/'s PushStore and PullStore for one device of one user, on the database.

The claim is `UPDATE sync_device SET last_seq = seq WHERE id = ? AND last_seq = seq - 1`: on
PostgreSQL the row lock it takes is held until commit, so a second push of the same device
waits and then finds nothing to update; on SQLite the database write lock does the same.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from server import db, live
from server.communication import outbox
from server.domain.errors import NotFound, Unprocessable
from server.dossiers import events
from server.fieldwork import changefeed, field_jobs, technician_jobs
from server.fieldwork.field_context import FieldContext, Pending
from server.insight import changes
from server.models import (
    Device,
    Dossier,
    DossierMessage,
    RepairLog,
    SyncOutcome,
    Technician,
    User,
)
from sync import Change, DeviceState, Op, Outcome, Status

DEVICE_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# sync_device.clock_offset is a 32-bit integer: a clock further off than some 68 years is no
# clock at all, and its offset is not kept.
MAX_OFFSET = 2**31 - 1
# The kinds that add a repair log or chat message under their op id (sync_mutators).
ADDITIVE_KINDS = frozenset({"add_repair_log", "complete", "chat"})


def now() -> datetime:
    return datetime.now(UTC)


async def device_for(user: User, device_id: str) -> Device:
    """The user's device by the id the app made at install; registered on first contact."""
    if not isinstance(device_id, str) or not DEVICE_ID.match(device_id):
        raise Unprocessable(
            f"Ongeldig apparaat-id '{str(device_id)[:80]}': 8 tot 64 letters, cijfers, - of _.",
            "device_id",
        )
    found = await db.prepared("sync-device", _device, user.id, device_id)
    if found:
        return found[0]
    device, _ = await Device.get_or_create(
        user_id=user.id, device_id=device_id, defaults={"epoch": secrets.token_hex(4)}
    )
    return device


async def technician_with_device(
    user: User, device_id: str
) -> tuple[Technician | None, Device | None]:
    """The user's technician row and his device by its id, in one statement (every sync
    request reads both); the device None when it is not registered yet (`device_for` does)."""
    if (
        user.role != "technician"
        or not isinstance(device_id, str)
        or not DEVICE_ID.match(device_id)
    ):
        return await field_jobs.technician_of(user), None
    conn = db.connection()
    dialect = db.dialect(conn)
    if dialect not in _joined:
        _joined[dialect] = _technician_with_device_sql(db.placeholders(conn, 2))
    rows = await conn.execute_query_dict(_joined[dialect], [device_id, user.id])
    if not rows:
        return None, None
    technician = Technician._init_from_db(**_columns(rows[0], "t__"))
    found = _columns(rows[0], "d__")
    return technician, None if found["id"] is None else Device._init_from_db(**found)


_joined: dict[str, str] = {}


def _technician_with_device_sql(marks: list[str]) -> str:
    def columns(model: type[Technician] | type[Device], alias: str) -> str:
        names = model._meta.fields_db_projection.values()
        return ", ".join(f'{alias}."{c}" AS "{alias}__{c}"' for c in names)

    return (
        f"SELECT {columns(Technician, 't')}, {columns(Device, 'd')} "
        f'FROM "{Technician._meta.db_table}" t LEFT JOIN "{Device._meta.db_table}" d '
        f'ON d."user_id" = t."user_id" AND d."device_id" = {marks[0]} '
        f'WHERE t."user_id" = {marks[1]} LIMIT 1'
    )


def _columns(row: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {k.removeprefix(prefix): v for k, v in row.items() if k.startswith(prefix)}


def _device(user_id: int, device_id: str) -> QuerySet[Device]:
    return Device.filter(user_id=user_id, device_id=device_id).limit(1)


async def reset_devices(username: str, device_id: str | None = None) -> int:
    """Give the user's devices (or the one named) a new epoch: their next pull is a full reset.

    Their queues are untouched: last_seq stays, so nothing pushed is applied twice.
    """
    user = await User.get_or_none(username=username.strip().lower())
    if user is None:
        raise NotFound(f"Gebruiker '{username}' bestaat niet.", "username")
    devices = Device.filter(user_id=user.id)
    if device_id is not None:
        devices = devices.filter(device_id=device_id)
    count = 0
    for device in await devices:
        old = device.epoch
        while device.epoch == old:
            device.epoch = secrets.token_hex(4)
        await device.save(update_fields=["epoch"])
        count += 1
    if device_id is not None and count == 0:
        raise NotFound(f"Apparaat '{device_id}' van {user.username} bestaat niet.", "device_id")
    return count


_OUTCOMES = SyncOutcome._meta.db_table
_RECORD = (
    "device_id",
    "seq",
    "op_id",
    "kind",
    "job",
    "status",
    "reason",
    "result",
    "device_time",
    "received_at",
)
_claims: dict[tuple[str, bool], str] = {}


def _claim_sql(dialect: str, clock: bool) -> str:
    """The claim's compare-and-set on the device row (with the measured clock), written once:
    the ORM built it anew for every push."""
    key = (dialect, clock)
    if key not in _claims:
        columns = [
            "last_seq",
            "last_seen_at",
            *(["clock_offset", "clock_measured_at"] if clock else []),
        ]
        marks = [f"${i}" if dialect == "postgres" else "?" for i in range(1, len(columns) + 3)]
        names = Device._meta.fields_db_projection
        sets = ", ".join(f'"{names[c]}" = {m}' for c, m in zip(columns, marks, strict=False))
        _claims[key] = (
            f'UPDATE "{Device._meta.db_table}" SET {sets} '
            f'WHERE "id" = {marks[-2]} AND "last_seq" = {marks[-1]}'
        )
    return _claims[key]


def _db_time(name: str, moment: datetime | None) -> Any:
    return Device._meta.fields_map[name].to_db_value(moment, Device)


class DbAttempt:
    def __init__(self, store: DeviceStore, ctx: FieldContext) -> None:
        self.store = store
        self.context = ctx
        self.records: list[tuple[Any, ...]] = []  # _RECORD's values, one per operation
        self.claimed = False

    async def claim(self, first: int, last: int) -> bool:
        conn = self.context.conn
        clock = self.store.clock_fields()
        values: list[Any] = [last, _db_time("last_seen_at", self.context.at)]
        if clock:
            values += [
                clock["clock_offset"],
                _db_time("clock_measured_at", clock["clock_measured_at"]),
            ]
        updated, _ = await conn.execute_query(
            _claim_sql(db.dialect(conn), bool(clock)), [*values, self.store.row.id, first - 1]
        )
        self.claimed = bool(updated)
        return self.claimed

    async def prepare(self, ops: Sequence[Op]) -> None:
        """Which of these op ids no repair log or chat message carries yet: one read for the
        whole run instead of one per operation. On PostgreSQL the same statement takes the
        ids of the run's chat messages from their sequence (they are named before insert)."""
        wanted = [op.op_id for op in ops if op.kind in ADDITIVE_KINDS]
        if not wanted:
            return
        conn = self.context.conn
        postgres = db.dialect(conn) == "postgres"
        chats = sum(1 for op in ops if op.kind == "chat") if postgres else 0
        half = len(wanted)
        marks = db.placeholders(conn, 2 * half + (3 if chats else 0))
        sql = (
            f'SELECT op_id, NULL AS id FROM "{RepairLog._meta.db_table}" '
            f"WHERE op_id IN ({', '.join(marks[:half])}) UNION ALL "
            f'SELECT op_id, NULL AS id FROM "{DossierMessage._meta.db_table}" '
            f"WHERE op_id IN ({', '.join(marks[half : 2 * half])})"
        )
        values: list[Any] = [*wanted, *wanted]
        if chats:
            table, sequence, count = marks[2 * half :]
            sql = sql.replace("NULL AS id", "NULL::bigint AS id") + (
                f" UNION ALL SELECT NULL, nextval(pg_get_serial_sequence({table}, {sequence})) "
                f"FROM generate_series(1, {count})"
            )
            meta = DossierMessage._meta
            values += [meta.db_table, meta.db_pk_column, chats]
        rows = await conn.execute_query_dict(sql, values)
        found = {r["op_id"] for r in rows if r["op_id"] is not None}
        self.context.new_op_ids = frozenset(wanted) - found
        if postgres:
            ids = sorted(int(r["id"]) for r in rows if r["op_id"] is None)
            self.context.pending = Pending(message_ids=ids)

    async def record(self, op: Op, outcome: Outcome) -> None:
        self.records.append(
            (
                self.store.row.id,
                op.seq,
                op.op_id,
                op.kind[:40],
                op.job[:20],
                outcome.status.value,
                outcome.reason,
                outcome.result,
                op.device_time,
                self.context.at,
            )
        )

    async def settle(self) -> None:
        await self.context.flush()

    async def flush(self) -> None:
        """The outcomes of the whole run in one INSERT, in the run's transaction."""
        await self.context.flush()
        await db.insert_values(self.context.conn, SyncOutcome, _RECORD, self.records)
        self.records = []


class DeviceStore:
    """Both stores for one device; `technician` is None for a user without a technician row."""

    def __init__(self, user: User, technician: Technician | None, device: Device) -> None:
        self.user = user
        self.technician = technician
        self.row = device
        # The row was read a moment ago (device_for): the first ask needs no second read. A
        # number claimed meanwhile by another push only makes this one's claim fail, and it
        # asks again.
        self._fresh = True
        self._clock_unsaved = False

    async def device(self) -> DeviceState:
        if not self._fresh:
            await self.row.refresh_from_db(fields=["last_seq", "epoch"])
        self._fresh = False
        return DeviceState(self.row.last_seq, self.row.epoch)

    def offset(self) -> timedelta | None:
        seconds = self.row.clock_offset
        return None if seconds is None else timedelta(seconds=seconds)

    async def measure_clock(self, header: str | None) -> None:
        """Record how far the device's clock is off, from the time it said it sent the request.

        The request's travel time counts as clock offset; a second or two, against the minutes
        or hours a wrong phone clock is off. Without a usable header the last offset stands.
        """
        sent = _device_time(header)
        if sent is None:
            return
        at = now()
        offset = round((at - sent).total_seconds())
        if abs(offset) > MAX_OFFSET:
            return
        self.row.clock_offset = offset
        self.row.clock_measured_at = at
        self._clock_unsaved = True  # written with the push's first claim (`clock_fields`)

    def clock_fields(self) -> dict[str, Any]:
        """The measured clock, for the claim's UPDATE of the device row: no statement of its
        own. Kept until a transaction that wrote it has committed."""
        if not self._clock_unsaved:
            return {}
        return {
            "clock_offset": self.row.clock_offset,
            "clock_measured_at": self.row.clock_measured_at,
        }

    async def save_clock(self) -> None:
        """At the end of a push that claimed nothing (all replays): the clock on its own."""
        if self._clock_unsaved:
            await self.row.save(update_fields=["clock_offset", "clock_measured_at"])
            self._clock_unsaved = False

    async def stored(self, seqs: Sequence[int]) -> dict[int, Outcome]:
        outcomes = await self._stored("seq", list(seqs))
        return {o.seq: o for o in outcomes}

    async def stored_ops(self, op_ids: Sequence[str]) -> dict[str, Outcome]:
        outcomes = await self._stored("op_id", list(op_ids))
        return {o.op_id: o for o in outcomes}

    async def _stored(self, column: str, wanted: list[Any]) -> list[Outcome]:
        """The device's outcomes whose `column` is one of `wanted`: every push asks, so the
        SQL is written here rather than built by the ORM, and no model is made per row."""
        if not wanted:
            return []
        conn = db.connection()
        marks = db.placeholders(conn, len(wanted) + 1)
        rows = await conn.execute_query_dict(
            f'SELECT "seq", "op_id", "status", "reason", "result" FROM "{_OUTCOMES}" '
            f'WHERE "device_id" = {marks[0]} AND "{column}" IN ({", ".join(marks[1:])})',
            [self.row.id, *wanted],
        )
        result = SyncOutcome._meta.fields_map["result"]
        return [
            Outcome(
                int(r["seq"]),
                r["op_id"],
                Status(r["status"]),
                r["reason"],
                result.to_python_value(r["result"]),
            )
            for r in rows
        ]

    @asynccontextmanager
    async def attempt(self) -> AsyncIterator[DbAttempt]:
        after: list[Any] = []
        # Dashboards and portals hear of the operation's changes after the commit, too; every
        # live message of the transaction goes to Redis in one round trip.
        async with live.together(unique=True), changes.batch():
            async with in_transaction() as conn:
                ctx = FieldContext(self.user, self.technician, conn, now(), after, self.offset())
                # Tenant messages are sent after the commit; the events written are kept.
                with outbox.starting_after(after), events.journal() as ctx.written:
                    attempt = DbAttempt(self, ctx)
                    clock = self.clock_fields()
                    yield attempt
                    await attempt.flush()
            if clock and attempt.claimed:
                self._clock_unsaved = False
            for action in after:
                await action()

    async def refresh(self) -> None:
        if self.technician is not None:
            await changefeed.refresh(self.user, self.technician, now())

    async def head(self) -> int:
        return await changefeed.head()

    async def horizon(self) -> int:
        return await changefeed.horizon()

    async def changes(self, after: int, limit: int) -> list[Change]:
        rows = await changefeed.since(self.user, after, limit)
        numbers = await _order_numbers([r.dossier_id for r in rows])  # type: ignore[attr-defined]
        return [
            Change(r.id, r.kind, numbers.get(r.dossier_id, ""), r.data)  # type: ignore[attr-defined]
            for r in rows
        ]

    async def snapshot(self) -> dict[str, Any]:
        if self.technician is None:
            return {"jobs": []}
        jobs = await technician_jobs.current(self.technician, now())
        return {"jobs": await technician_jobs.snapshots(jobs)}


def _device_time(header: str | None) -> datetime | None:
    if not header:
        return None
    try:
        value = datetime.fromisoformat(header.strip())
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


async def _order_numbers(ids: list[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = await Dossier.filter(id__in=wanted).values_list("id", "order_number")
    return dict(rows)
