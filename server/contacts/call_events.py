"""Applying what the telephony platform reports: one contact per call, its times recomputed
from every event seen (server.domain.calls.fold).

Replay safe: an event already seen (same call, kind, moment and agent) is acknowledged and
changes nothing. Out-of-order safe: the times never depend on the order of arrival.

An event is two plain statements on PostgreSQL (the hot path of the telephony platform's
webhook, up to a thousand a second): one makes or finds the contact, stores the event unless
seen and reads the call's events; one UPDATE writes the fold, only if no other writer (an
event of the same call, the desk) changed the contact in between, else it folds again
(_apply_pg). The hourly counts of the figures follow by trigger at the commit
(server/insight/contact_hours.py); the desk hears of it in one round trip to Redis. SQLite
has one writer at a time: there the same statements run in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.functions import Lower
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from server import db
from server.contacts import contacts, lines, transfers
from server.domain.calls import CallEvent as Event
from server.domain.calls import CallEventKind, ContactChannel, ContactState, fold
from server.domain.errors import Unprocessable
from server.domain.roles import DESK_ROLES
from server.models import CallEvent, Contact, User

# How far from the server's clock an event's moment may lie: a platform catching up after an
# outage sends old events; a moment far outside is a wrong clock or a wrong field.
PAST = timedelta(days=30)
FUTURE = timedelta(minutes=10)
SOURCES = ("api", "twilio")


@dataclass(frozen=True)
class CallEventInput:
    source: str
    call_id: str
    kind: CallEventKind
    at: datetime
    caller: str = ""  # the other party (the tenant), as sent
    line: str = ""  # our number: dialled by the tenant, or calling out
    agent: str = ""
    transferred_to: str = ""
    outbound: bool = False
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Applied:
    contact: Contact
    applied: bool
    warnings: list[str]


def check_moment(at: datetime, now: datetime) -> None:
    if at.tzinfo is None:
        raise Unprocessable("at: geef het tijdstip met tijdzone (ISO 8601).", "at")
    if at > now + FUTURE:
        raise Unprocessable(f"at: {at.isoformat()} ligt in de toekomst.", "at")
    if at < now - PAST:
        raise Unprocessable(f"at: {at.isoformat()} ligt meer dan 30 dagen terug.", "at")


async def apply(event: CallEventInput, now: datetime | None = None) -> Applied:
    now = now or datetime.now(UTC)
    check_moment(event.at, now)
    transferred_to = lines.party(event.transferred_to)
    mine = Event(event.kind, event.at, event.agent, transferred_to)
    if db.dialect() == "postgres":
        result, before, saved = await _apply_pg(event, mine, now)
    else:
        async with in_transaction() as conn:  # SQLite: one writer at a time
            found = await _record(conn, event, transferred_to, now)
            row, before = found.row, found.row.agent_id
            if not found.fresh:
                return Applied(row, False, [])
            warnings = found.warnings + await _fold(row, found.history, event, now, conn)
            await _save(conn, row)
        result, saved = Applied(row, True, warnings), True
    if saved:  # also a repeat that found the contact behind its events (_apply_pg)
        await contacts.committed(result.contact, event.kind.value, gone_from=before)
    return result


# How often an event is folded again because another writer changed the contact between
# reading and writing it, before it waits for the row's lock instead.
TRIES = 5


async def _apply_pg(
    event: CallEventInput, mine: Event, now: datetime
) -> tuple[Applied, int | None, bool]:
    """Two statements, each its own transaction: record (the contact made or found, the
    event stored unless seen, the call's events read) and the UPDATE of the contact's times,
    which holds only if nobody changed the contact in between (events_folded and
    updated_at as read; the desk's writes change updated_at). Otherwise it reads the
    contact and its events again and folds once more. No lock is held while Python works.

    An event stored whose fold never reached the contact (the process stopped between the
    two) is folded by the next event of the call, or when the platform sends it again: a
    repeat of an event finds events_folded behind the events stored.
    """
    conn = db.connection()
    found = await _record(conn, event, mine.transferred_to, now)
    row, before = found.row, found.row.agent_id
    if found.fresh and found.complete:
        history = [*found.history, mine]
    elif found.complete:  # a repeat, and the contact has folded every event: nothing to do
        return Applied(row, False, []), before, False
    else:
        history = await _history(conn, row.id)
    for _ in range(TRIES):
        seen = (row.events_folded, row.updated_at)
        warnings = found.warnings + await _fold(row, history, event, now, conn, found.agent)
        if await _save(conn, row, seen):
            return Applied(row, found.fresh, warnings), before, True
        row = await _contact(conn, row.id)
        history = await _history(conn, row.id)
    async with in_transaction() as tx:  # busy beyond reason: take the lock and wait for it
        row = await Contact.select_for_update().using_db(tx).get(id=row.id)
        warnings = found.warnings + await _fold(row, await _history(tx, row.id), event, now, tx)
        await _save(tx, row)
    return Applied(row, found.fresh, warnings), before, True


async def _fold(
    row: Contact, history: list[Event], event: CallEventInput, now: datetime,
    conn: BaseDBAsyncClient, known: tuple[str, int | None, str] | None = None,
) -> list[str]:  # fmt: skip
    """The contact's times, agent and transfer from every event of the call; warnings."""
    warnings = []
    times = fold(history)
    row.events_folded = len(history)
    row.offered_at = times.offered_at
    row.answered_at = times.answered_at
    row.ended_at = times.ended_at
    if times.agent and times.agent != row.agent_ref:
        if known is not None and known[0] == times.agent.strip().lower():
            _, row.agent_id, row.agent_name = known
        else:
            agent = await _agent(times.agent, conn)
            row.agent_id = agent.id if agent else None
            row.agent_name = str(agent) if agent else ""
        row.agent_ref = times.agent
        if row.agent_id is None:
            warnings.append(
                f"Medewerker '{times.agent}' is onbekend; het contact staat zonder medewerker."
            )
    if times.transferred_to and times.transferred_to != row.transferred_to:
        row.transferred_to = times.transferred_to[:20]
        row.transferred_name = await transfers.name_of(row.client_id, times.transferred_to)
        row.transferred_at = times.transferred_at
    await _fill_in(row, event)
    contacts.rederive(row)
    row.updated_at = now
    return warnings


@dataclass
class _Recorded:
    row: Contact  # as stored now (SQLite: locked until the transaction ends)
    fresh: bool  # this event was not seen before
    history: list[Event]  # the call's other events, as far as the read saw them
    complete: bool  # `history` is every other event of the call (else read it again)
    warnings: list[str]
    # The desk user the event names, looked up in the same statement (PostgreSQL):
    # (the name as sent, lower case; the user's id or None; his name).
    agent: tuple[str, int | None, str] | None = None


# The contact's columns, and what a new call's contact holds in those no event fills.
_COLUMNS = [
    (column, Contact._meta.fields_map[name])
    for name, column in Contact._meta.fields_db_projection.items()
    if not Contact._meta.fields_map[name].generated
]
_GIVEN = (
    "call_id", "source", "client_id", "channel", "caller", "line", "state", "offered_at",
    "created_at", "updated_at",
)  # fmt: skip
_DEFAULTS = {
    column: field.to_db_value(field.default, Contact)
    for column, field in _COLUMNS
    if column not in _GIVEN
}
# The fields a call event changes (saved by _save).
_CHANGED = (
    "offered_at", "answered_at", "ended_at", "agent_ref", "agent_id", "agent_name",
    "transferred_to", "transferred_name", "transferred_at", "caller", "line", "client_id",
    "state", "closed_at", "wait_seconds", "talk_seconds", "wrap_seconds", "events_folded",
    "updated_at",
)  # fmt: skip
_CHANGED_FIELDS: list[str] = []  # their model field names, filled on first use
_LINE_CLIENT = (
    "(SELECT client_id FROM inbound_line WHERE kind = 'telefoon' AND value = CAST({} AS VARCHAR))"
)
_EVENT_COLUMNS = "contact_id, kind, at, agent, transferred_to, received_at, data"
_EVENT_UNIQUE = "ON CONFLICT (contact_id, kind, at, agent) DO NOTHING"
_DESK = ", ".join(f"'{r.value}'" for r in sorted(DESK_ROLES))  # ours, not input
_sql: dict[str, str] = {}


def _insert_contact(pg: bool) -> tuple[str, list[str]]:
    """INSERT of a call's contact: the given columns as parameters 1-9 (client_id from the
    line's subquery), the rest as their defaults (parameters from 10)."""
    given = [c for c in _GIVEN if c != "client_id"]
    rest = list(_DEFAULTS)
    columns = [*given, "client_id", *rest]
    values = [_mark(pg, i + 1) for i in range(len(given))]
    values.append(_LINE_CLIENT.format(_mark(pg, given.index("line") + 1)))
    values += [_mark(pg, len(given) + 1 + i) for i in range(len(rest))]
    return (
        f"INSERT INTO contact ({', '.join(columns)}) VALUES ({', '.join(values)})",
        rest,
    )


def _contact_values(event: CallEventInput, now: datetime, pg: bool) -> list[Any]:
    channel = ContactChannel.TELEFOON_UIT if event.outbound else ContactChannel.TELEFOON_IN
    given: dict[str, Any] = {
        "call_id": f"{event.source}:{event.call_id}",
        "source": event.source,
        "channel": channel.value,
        "caller": lines.party(event.caller),
        "line": lines.party(event.line),
        "state": ContactState.AANGEBODEN.value,
        "offered_at": event.at,
        "created_at": now,
        "updated_at": now,
    }
    values = [_db(given[c], pg) for c in _GIVEN if c != "client_id"]
    return values + list(_DEFAULTS.values())


def _mark(pg: bool, i: int) -> str:
    """Parameter i (from 1) of a statement: $i on PostgreSQL, ?i on SQLite."""
    return f"${i}" if pg else f"?{i}"


def _db(value: Any, pg: bool) -> Any:
    """A value as the driver takes it (SQLite: datetimes as the text Tortoise stores)."""
    if not pg and isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(sep=" ")
    return value


def _event_values(event: CallEventInput, transferred_to: str, now: datetime, pg: bool) -> list[Any]:
    data = CallEvent._meta.fields_map["data"].to_db_value(event.data, CallEvent)
    at, received = _db(event.at, pg), _db(now, pg)
    return [event.kind.value, at, event.agent, transferred_to, received, data]


async def _record(
    conn: BaseDBAsyncClient, event: CallEventInput, transferred_to: str, now: datetime
) -> _Recorded:
    """The call's contact (made on its first event, whichever kind that is); this event
    stored unless it was seen before; and the call's other events.

    PostgreSQL: one statement. Its read of the events is the statement's snapshot, taken
    before it waited for any writer of the same contact: when another one committed in
    between, the count it left in events_folded differs (`complete` false) and the caller
    reads the events again.
    """
    pg = db.dialect(conn) == "postgres"
    contact_values = _contact_values(event, now, pg)
    event_values = _event_values(event, transferred_to, now, pg)
    if pg:
        sql = _sql.get("pg") or _sql.setdefault("pg", _pg_record())
        ref = event.agent.strip().lower()
        found = (await _rows(conn, sql, [*contact_values, *event_values, ref]))[0]
        created, fresh = bool(found.pop("created")), bool(found.pop("fresh"))
        agent = (ref, found.pop("agent_user"), found.pop("agent_label") or "")
        history = [
            Event(CallEventKind(k), at, agent, to)
            for k, at, agent, to in zip(
                found.pop("kinds") or [], found.pop("ats") or [], found.pop("agents") or [],
                found.pop("tos") or [], strict=True,
            )
        ]  # fmt: skip
        row = Contact._init_from_db(**found)
        complete = len(history) == row.events_folded
    else:
        row, created = await _sqlite_contact(conn, event, contact_values)
        inserted = await conn.execute_query_dict(
            f"INSERT INTO call_event ({_EVENT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
            f"{_EVENT_UNIQUE} RETURNING id",
            [row.id, *event_values],
        )
        fresh, history, complete = bool(inserted), await _history(conn, row.id), False
        agent = None
    warnings = []
    if created and row.client_id is None:
        warnings.append(
            f"Nummer '{row.line or '(geen)'}' is van geen opdrachtgever; de medewerker kiest "
            "die bij het registreren."
        )
    return _Recorded(row, fresh, history, complete, warnings, agent)


def _pg_record() -> str:
    insert, rest = _insert_contact(True)
    first = len(_GIVEN) - 1 + len(rest)  # the event's follow the contact's (not client_id)
    event = ", ".join(f"${first + i}" for i in range(1, 7))
    return (
        f"WITH c AS ({insert} ON CONFLICT (call_id) DO UPDATE SET call_id = EXCLUDED.call_id "
        "RETURNING *, (xmax = 0) AS created), "
        f"e AS (INSERT INTO call_event ({_EVENT_COLUMNS}) SELECT c.id, {event}::jsonb FROM c "
        f"{_EVENT_UNIQUE} RETURNING id) "
        "SELECT c.*, EXISTS (SELECT 1 FROM e) AS fresh, h.*, a.* FROM c, LATERAL ("
        "SELECT array_agg(kind) AS kinds, array_agg(at) AS ats, array_agg(agent) AS agents, "
        "array_agg(transferred_to) AS tos FROM call_event WHERE contact_id = c.id) h "
        # The agent the event names, as _agent finds him: saves a round trip per call.
        "LEFT JOIN LATERAL (SELECT u.id AS agent_user, "
        "COALESCE(NULLIF(u.full_name, ''), u.username) AS agent_label FROM \"user\" u "
        f"WHERE ${first + 7} <> '' AND (lower(u.username) = ${first + 7} OR "
        f"lower(u.email) = ${first + 7}) AND u.active AND u.role IN ({_DESK}) LIMIT 1) a ON true"
    )


async def _sqlite_contact(
    conn: BaseDBAsyncClient, event: CallEventInput, values: list[Any]
) -> tuple[Contact, bool]:
    """SQLite has one writer at a time (the transaction): find the contact, else make it."""
    key = f"{event.source}:{event.call_id}"
    found = await conn.execute_query_dict("SELECT * FROM contact WHERE call_id = ?1", [key])
    if found:
        return Contact._init_from_db(**found[0]), False
    insert, _ = _insert_contact(False)
    made = await conn.execute_query_dict(f"{insert} RETURNING *", values)
    return Contact._init_from_db(**made[0]), True


async def _history(conn: BaseDBAsyncClient, contact_id: int) -> list[Event]:
    mark = "$1" if db.dialect(conn) == "postgres" else "?1"
    found = await _rows(
        conn,
        f"SELECT kind, at, agent, transferred_to FROM call_event WHERE contact_id = {mark}",
        [contact_id],
    )
    at = CallEvent._meta.fields_map["at"]
    return [
        Event(
            CallEventKind(r["kind"]), at.to_python_value(r["at"]), r["agent"], r["transferred_to"]
        )
        for r in found
    ]


async def _save(
    conn: BaseDBAsyncClient, row: Contact, seen: tuple[int, datetime] | None = None
) -> bool:
    """The fields a call event changes, in one UPDATE (no ORM query built per event);
    with `seen`, only if the contact's events_folded and updated_at are still those."""
    pg = db.dialect(conn) == "postgres"
    key = f"update:{pg}:{seen is not None}"
    n = len(_CHANGED)
    sql = _sql.get(key) or _sql.setdefault(
        key,
        "UPDATE contact SET "
        + ", ".join(f"{c} = {_mark(pg, i + 2)}" for i, c in enumerate(_CHANGED))
        + f" WHERE id = {_mark(pg, 1)}"
        + (
            f" AND events_folded = {_mark(pg, n + 2)} AND updated_at = {_mark(pg, n + 3)}"
            if seen
            else ""
        ),
    )
    if not _CHANGED_FIELDS:
        reverse = Contact._meta.fields_db_projection_reverse
        _CHANGED_FIELDS.extend(reverse.get(c, c) for c in _CHANGED)
    values = [getattr(row, name) for name in _CHANGED_FIELDS]
    if not pg:
        values = [_db(v, pg) for v in values]
    if seen is not None:
        values += [seen[0], _db(seen[1], pg)]
    pool = _pool(conn)
    if pool is None:
        changed, _ = await conn.execute_query(sql, [row.id, *values])
        return bool(changed)
    return str(await pool.execute(sql, row.id, *values)) != "UPDATE 0"


def _pool(conn: BaseDBAsyncClient) -> Any:
    """The asyncpg pool behind Tortoise's PostgreSQL client, once it has one (not inside a
    transaction): a statement through it directly skips Tortoise's wrapping, a fifth of an
    event's CPU on the webhook's path."""
    return getattr(conn, "_pool", None)


async def _rows(conn: BaseDBAsyncClient, sql: str, values: list[Any]) -> list[dict[str, Any]]:
    pool = _pool(conn)
    if pool is None:
        return await conn.execute_query_dict(sql, values)
    return [dict(r) for r in await pool.fetch(sql, *values)]


async def _contact(conn: BaseDBAsyncClient, contact_id: int) -> Contact:
    mark = "$1" if db.dialect(conn) == "postgres" else "?1"
    found = await conn.execute_query_dict(f"SELECT * FROM contact WHERE id = {mark}", [contact_id])
    return Contact._init_from_db(**found[0])


async def _fill_in(row: Contact, event: CallEventInput) -> None:
    """What the call's first event lacked (a transfer reported before the offer): the caller,
    our line, and the client that line decides."""
    if not row.caller and event.caller:
        row.caller = lines.party(event.caller)
    if not row.line and event.line:
        row.line = lines.party(event.line)
        if row.client_id is None:
            client = await lines.client_for("telefoon", row.line)
            row.client_id = client.id if client else None


def _agent_query(name: str, email: str) -> QuerySet[User]:
    return (
        User.annotate(lower_name=Lower("username"), lower_email=Lower("email"))
        .filter(Q(lower_name=name) | Q(lower_email=email), active=True)
        .filter(role__in=[r.value for r in DESK_ROLES])
        .limit(1)
    )


async def _agent(ref: str, conn: BaseDBAsyncClient) -> User | None:
    """The desk user the platform means: by username or e-mail address, any case."""
    ref = ref.strip().lower()
    if not ref:
        return None
    found = await db.prepared("call_event_agent", _agent_query, ref, ref, conn=conn)
    return found[0] if found else None
