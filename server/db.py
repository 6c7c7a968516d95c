"""Database configuration, start-up and migrations (Tortoise ORM's own, dialect-neutral)."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable, Sequence
from copy import deepcopy
from functools import partial
from typing import Any, TypeVar

from tortoise import Model, Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.fields.base import Field
from tortoise.migrations.api import migrate as run_migrations
from tortoise.queryset import QuerySet
from tortoise.validators import MaxLengthValidator

from server import settings
from server.models import MODEL_MODULES


def tortoise_config(url: str | None = None) -> dict[str, Any]:
    url = url or settings.DATABASE_URL
    if url.startswith("sqlite://"):
        # Parent folder of an embedded database is created on demand (var/ on a fresh clone).
        from pathlib import Path

        path = url.removeprefix("sqlite://")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    connection: str | dict[str, Any] = url
    if url.startswith(("postgres://", "postgresql://", "asyncpg://")):
        connection = expand_db_url(url)
        connection["credentials"]["reset"] = _keep_session
        connection["credentials"].setdefault("maxsize", settings.DATABASE_POOL_SIZE)
    return {
        "connections": {"default": connection},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "server.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def _keep_session(conn: object) -> None:
    """A connection going back to the pool needs no session reset: asyncpg's default sends
    one more statement (RESET ALL, UNLISTEN *, advisory unlock, CLOSE ALL) after every query
    outside a transaction. The app keeps no session state: its advisory locks and settings are
    transaction-scoped (SET LOCAL, pg_advisory_xact_lock), live updates go through Redis, not
    LISTEN. asyncpg still rolls back a transaction left open before calling this."""


# The tortoise CLI (`tortoise -c server.db.TORTOISE_ORM makemigrations`) reads this.
TORTOISE_ORM = tortoise_config()


async def init(url: str | None = None) -> None:
    await Tortoise.init(config=tortoise_config(url), _enable_global_fallback=True)


async def close() -> None:
    await Tortoise.close_connections()


# pg_advisory_lock key held while migrating ("mkmg").
MIGRATION_LOCK = 0x6D6B6D67


async def migrate(url: str | None = None) -> None:
    """Apply every pending migration; safe to run on every start, also by several processes
    starting at once on one PostgreSQL (app servers on two machines): they take turns under an
    advisory lock, and whoever comes second finds nothing left to do."""
    url = url or settings.DATABASE_URL
    if not url.startswith(("postgres://", "postgresql://", "asyncpg://")):
        await run_migrations(config=tortoise_config(url))
        await Tortoise.close_connections()
        return
    import asyncpg

    dsn = "postgresql://" + url.split("://", 1)[1].split("?", 1)[0]
    lock = await asyncpg.connect(dsn)
    try:
        await lock.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
        await run_migrations(config=tortoise_config(url))
        await Tortoise.close_connections()
    finally:
        await lock.close()  # the session ends, and its lock with it


def connection() -> BaseDBAsyncClient:
    conn: BaseDBAsyncClient = connections.get("default")
    return conn


def dialect(conn: BaseDBAsyncClient | None = None) -> str:
    return (conn or connection()).capabilities.dialect


def placeholders(conn: BaseDBAsyncClient, count: int) -> list[str]:
    """Positional parameter markers for raw SQL on this connection's driver."""
    if dialect(conn) == "postgres":
        return [f"${i}" for i in range(1, count + 1)]
    return ["?"] * count


M = TypeVar("M", bound=Model)
# Per model: each field's default, as Model.__init__ works it out for every instance.
_Default = Callable[[], Any] | None
_plans: dict[type[Model], tuple[frozenset[str], list[tuple[str, bool, Any, _Default]]] | None] = {}


def _plan(
    model: type[Model],
) -> tuple[frozenset[str], list[tuple[str, bool, Any, _Default]]] | None:
    meta = model._meta
    relations = frozenset(meta.fk_fields | meta.o2o_fields)
    defaults: list[tuple[str, bool, Any, _Default]] = []
    for name in sorted(meta.fields - meta.fetch_fields):
        field = meta.fields_map[name]
        default = field.default
        if inspect.iscoroutinefunction(default):
            return None  # awaited at save: Model(...) does that
        if callable(default):
            defaults.append((name, name in relations, None, default))
        elif default is not None:
            if isinstance(default, int | float | str | bool | bytes):
                defaults.append((name, name in relations, default, None))
            else:
                defaults.append((name, name in relations, None, partial(deepcopy, default)))
        elif field.has_db_default():
            defaults.append((name, name in relations, None, field.get_db_default_value))
        else:
            defaults.append((name, name in relations, None, None))
    return relations, defaults


def new(model: type[M], **values: Any) -> M:
    """`model(**values)`, unsaved, built at a fraction of the cost: the intake makes six rows
    per request, and Tortoise's constructor re-derives every field's default and routes every
    attribute through its __setattr__ (about 0.1 ms per row). The same attributes as the
    constructor sets (tests/test_db.py compares them); relations go through their setters."""
    if model not in _plans:
        _plans[model] = _plan(model)
    plan = _plans[model]
    if plan is None:
        return model(**values)
    relations, defaults = plan
    meta = model._meta
    row = model.__new__(model)
    put = object.__setattr__
    put(row, "_partial", False)
    put(row, "_saved_in_db", False)
    put(row, "_custom_generated_pk", False)
    put(row, "_await_when_save", {})
    given = set(values)
    for key, value in values.items():
        field = meta.fields_map.get(key)
        if field is None or (key not in relations and key not in meta.fields_db_projection):
            return model(**values)  # ignored or refused by the constructor
        if key in relations:
            if value is not None and not value._saved_in_db:
                return model(**values)  # the constructor's own refusal
            setattr(row, key, value)
            given.add(str(field.source_field))
        else:
            if value is None and not field.null:
                return model(**values)
            if field.pk and field.generated:
                put(row, "_custom_generated_pk", True)
            put(row, key, field.to_python_value(value))
    for name, relation, constant, make in defaults:
        if name in given:
            continue
        value = make() if make is not None else constant
        if relation:
            setattr(row, name, value)
        else:
            put(row, name, value)
    return row


_prepared: dict[tuple[str, str], tuple[str, list[Any], list[int], Any, type[Model]]] = {}


def _mark(index: int, value: object) -> object:
    """What stands in for a parameter while the SQL is built: unlike any real value."""
    if isinstance(value, int):
        return -7_700_000_000_000 - index
    return f"\x00{index}\x01"  # short: filter values are checked against max_length


async def prepared(
    name: str,
    build: Callable[..., QuerySet[M]],
    *params: object,
    conn: BaseDBAsyncClient | None = None,
) -> list[M]:
    """The rows of `build(*params)`, its SQL built by the ORM once per process and dialect.

    For the reads every intake makes (the bearer token with its user and client; the
    client, address and protocol version): building a query through the ORM costs more
    Python than running it. Only the SQL text and how to turn rows into objects are kept,
    never a result: every call reads the database, so nothing can be stale. `build` must
    use each parameter once, as a filter value (each becomes one bind parameter); `name`
    names the query (one SQL text per name).
    """
    db = conn or connection()
    key = (name, db.capabilities.dialect)
    entry = _prepared.get(key)
    if entry is None:
        marks = [_mark(i, value) for i, value in enumerate(params)]
        queryset = build(*marks)
        queryset._make_query()
        sql, values = queryset.query.get_parameterized_sql()
        where = [values.index(mark) for mark in marks]
        related: Any = queryset._select_related_idx  # how each row becomes its objects
        entry = _prepared[key] = (sql, values, where, related, queryset.model)
    sql, template, where, related, model = entry
    values = list(template)
    for index, value in zip(where, params, strict=True):
        values[index] = value
    pool = getattr(db, "_pool", None)  # PostgreSQL outside a transaction
    kept = _executors.get(key) if pool is not None else None
    if kept is not None and kept[0] is pool:
        executor = kept[1]
    else:
        executor = db.executor_class(
            model=model, db=db, prefetch_map={}, prefetch_queries={}, select_related_idx=related
        )
        if pool is not None:
            # Kept for the name, reading straight from the pool: Tortoise's client wraps each
            # statement in a connection lock and exception translation, and a new executor
            # per call looks up its caches again (together a third of such a read's CPU).
            executor.db = _PoolReads(pool)  # type: ignore[assignment]
            _executors[key] = (pool, executor)
    rows: list[M] = await executor.execute_select(sql, values)
    return rows


# Tortoise's own client logs every statement here at DEBUG; the pool's reads do too, so a
# count of an intake's statements (tests/dossiers/test_intake_statements.py) sees them.
_statements = logging.getLogger("tortoise.db_client")


class _PoolReads:
    """What an executor's `execute_select` asks of its client, answered by the asyncpg pool."""

    def __init__(self, pool: Any) -> None:
        self.pool = pool

    async def execute_query(self, sql: str, values: list[Any] | None = None) -> tuple[int, Any]:
        if _statements.isEnabledFor(logging.DEBUG):
            _statements.debug("%s: %s", sql, values)
        rows = await self.pool.fetch(sql, *(values or ()))
        return len(rows), rows


_executors: dict[tuple[str, str], tuple[Any, Any]] = {}


async def fetch(build: Callable[[list[str]], str], values: Sequence[object]) -> list[Any]:
    """The rows (mappings by column name) of a hand-written read, `build(markers)` giving its
    SQL with one parameter marker per value, in order. On PostgreSQL outside a transaction
    it reads straight from the pool, as `prepared` does, and is logged like every statement."""
    conn = connection()
    sql = build(placeholders(conn, len(values)))
    pool = getattr(conn, "_pool", None)
    if pool is None:
        return list(await conn.execute_query_dict(sql, list(values)))
    if _statements.isEnabledFor(logging.DEBUG):
        _statements.debug("%s: %s", sql, values)
    return list(await pool.fetch(sql, *values))


async def next_ids(conn: BaseDBAsyncClient, model: type[Model], count: int) -> list[int]:
    """`count` ids from the sequence of `model`'s table (PostgreSQL), in one statement: rows
    that must be named before they are inserted together (`insert_all(with_ids=True)`)."""
    table = model._meta.db_table
    rows = await conn.execute_query_dict(
        "SELECT nextval(pg_get_serial_sequence($1, $2)) AS id FROM generate_series(1, $3)",
        [table, model._meta.db_pk_column, count],
    )
    return [int(r["id"]) for r in rows]


async def ping() -> None:
    await connection().execute_query("SELECT 1")


async def empty_all_tables() -> None:
    """Delete every row of every model's table (tests and benchmarks start from nothing)."""
    from tortoise import Tortoise

    tables = [m._meta.db_table for m in Tortoise.apps.get_models_iterable()]
    conn = connection()
    if dialect(conn) == "postgres":
        quoted = ", ".join(f'"{t}"' for t in tables)
        for attempt in range(5):
            try:
                await conn.execute_script(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
                break
            except Exception as exc:
                # Another process writing meanwhile (the two-process test's workers at their
                # start) can lock the tables in another order: PostgreSQL aborts one side of
                # the deadlock, and the truncate is simply tried again.
                if "deadlock detected" not in str(exc) or attempt == 4:
                    raise
                await asyncio.sleep(0.2)
        # The order numbers' sequences (server/dossiers/ordernumbers.py) start again too.
        found = await conn.execute_query_dict(
            "SELECT relname FROM pg_class WHERE relkind = 'S' AND relname LIKE 'order\\_number\\_%'"
        )
        for row in found:
            await conn.execute_script(f'DROP SEQUENCE IF EXISTS "{row["relname"]}"')
    else:
        await conn.execute_script(
            "PRAGMA foreign_keys = OFF;"
            + "".join(f'DELETE FROM "{t}";' for t in tables)
            + "PRAGMA foreign_keys = ON;"
        )


# What a field stores for a value, as `Field.to_db_value` works it out. That coerces the
# value to the field's type and runs its validators, about a microsecond and a half a value,
# and an intake stores some 120 values (docs/performance.md, ninth pass). A value that is
# already exactly the field's type and that no validator of it can refuse (a str within the
# max_length, an int, float or bool of a field without validators, None where null is
# allowed) is stored as it is; anything else still goes through the field.
Convert = Callable[[Any, Any], Any]


def _converter(field: Field[Any]) -> Convert:
    slow: Convert = field.to_db_value
    kind = field.field_type
    limits = [v.max_length for v in field.validators if isinstance(v, MaxLengthValidator)]
    if (
        type(field).to_db_value is not Field.to_db_value
        or type(field).validate is not Field.validate
        or kind not in (str, int, float, bool)
        or len(limits) != len(field.validators)
    ):
        return slow
    null = field.null
    if limits:
        longest = min(limits)

        def within(value: Any, instance: Any) -> Any:
            if (type(value) is kind and len(value) <= longest) or (value is None and null):
                return value
            return slow(value, instance)

        return within

    def plain(value: Any, instance: Any) -> Any:
        if type(value) is kind or (value is None and null):
            return value
        return slow(value, instance)

    return plain


# By the field itself: set-up of the ORM (again, in tests) makes new ones.
_converters: dict[Field[Any], Convert] = {}


def converter(model: type[Model], name: str) -> Convert:
    """`model`'s field `name` as `to_db_value`, at the cost of the value's own checks."""
    field = model._meta.fields_map[name]
    found = _converters.get(field)
    if found is None:
        found = _converters[field] = _converter(field)
    return found


async def insert_all(
    conn: BaseDBAsyncClient, objects: Sequence[Model], *, with_ids: bool = False
) -> None:
    """New rows of one model in one INSERT … RETURNING: each object gets its id.

    For the write paths that count their statements (an intake's outbox rows). Like a
    queryset update it bypasses save hooks; defaults set in Python (the model's constructor)
    apply, and the ids come back in insert order (serial and rowid both count up).
    `with_ids`: the objects carry ids taken from the table's sequence already (`next_ids`).
    """
    if not objects:
        return
    meta = type(objects[0])._meta
    names = [
        n
        for n in meta.fields_db_projection
        if not meta.fields_map[n].generated or (with_ids and n == meta.pk_attr)
    ]
    columns = ", ".join(f'"{meta.fields_db_projection[n]}"' for n in names)
    model = type(objects[0])
    fields = [(n, converter(model, n)) for n in names]
    values = [convert(getattr(o, n), o) for o in objects for n, convert in fields]
    marks = placeholders(conn, len(values))
    width = len(names)
    rows = ", ".join(
        "(" + ", ".join(marks[i * width : (i + 1) * width]) + ")" for i in range(len(objects))
    )
    pk = meta.db_pk_column
    if with_ids:
        await conn.execute_query(f'INSERT INTO "{meta.db_table}" ({columns}) VALUES {rows}', values)
        for obj in objects:
            obj._saved_in_db = True
        return
    found = await conn.execute_query_dict(
        f'INSERT INTO "{meta.db_table}" ({columns}) VALUES {rows} RETURNING "{pk}"', values
    )
    for obj, row_id in zip(objects, sorted(int(r[pk]) for r in found), strict=True):
        obj.pk = row_id
        obj._saved_in_db = True


async def insert_values(
    conn: BaseDBAsyncClient,
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Rows of `model` in one INSERT, each a sequence of values for `columns` (field names),
    converted and checked by each field as `insert_all` does, without building a model
    instance per row: for rows nobody reads back (a sync push's outcomes, ten a push)."""
    if not rows:
        return
    meta = model._meta
    converts = [converter(model, c) for c in columns]
    names = ", ".join(f'"{meta.fields_db_projection[c]}"' for c in columns)
    values = [f(v, model) for row in rows for f, v in zip(converts, row, strict=True)]
    marks = placeholders(conn, len(values))
    width = len(columns)
    tuples = ", ".join(
        "(" + ", ".join(marks[i * width : (i + 1) * width]) + ")" for i in range(len(rows))
    )
    await conn.execute_query(f'INSERT INTO "{meta.db_table}" ({names}) VALUES {tuples}', values)
