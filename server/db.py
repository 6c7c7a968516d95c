"""Database configuration, start-up and migrations (Tortoise ORM's own, dialect-neutral)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tortoise import Model, Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.migrations.api import migrate as run_migrations

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


async def migrate(url: str | None = None) -> None:
    """Apply every pending migration; safe to run on every start."""
    await run_migrations(config=tortoise_config(url))
    await Tortoise.close_connections()


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


async def ping() -> None:
    await connection().execute_query("SELECT 1")


async def empty_all_tables() -> None:
    """Delete every row of every model's table (tests and benchmarks start from nothing)."""
    from tortoise import Tortoise

    tables = [m._meta.db_table for m in Tortoise.apps.get_models_iterable()]
    conn = connection()
    if dialect(conn) == "postgres":
        quoted = ", ".join(f'"{t}"' for t in tables)
        await conn.execute_script(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
    else:
        await conn.execute_script(
            "PRAGMA foreign_keys = OFF;"
            + "".join(f'DELETE FROM "{t}";' for t in tables)
            + "PRAGMA foreign_keys = ON;"
        )


async def insert_all(conn: BaseDBAsyncClient, objects: Sequence[Model]) -> None:
    """New rows of one model in one INSERT … RETURNING: each object gets its id.

    For the write paths that count their statements (an intake's outbox rows). Like a
    queryset update it bypasses save hooks; defaults set in Python (the model's constructor)
    apply, and the ids come back in insert order (serial and rowid both count up).
    """
    if not objects:
        return
    meta = type(objects[0])._meta
    names = [n for n in meta.fields_db_projection if not meta.fields_map[n].generated]
    columns = ", ".join(f'"{meta.fields_db_projection[n]}"' for n in names)
    values = [meta.fields_map[n].to_db_value(getattr(o, n), o) for o in objects for n in names]
    marks = placeholders(conn, len(values))
    width = len(names)
    rows = ", ".join(
        "(" + ", ".join(marks[i * width : (i + 1) * width]) + ")" for i in range(len(objects))
    )
    pk = meta.db_pk_column
    found = await conn.execute_query_dict(
        f'INSERT INTO "{meta.db_table}" ({columns}) VALUES {rows} RETURNING "{pk}"', values
    )
    for obj, row_id in zip(objects, sorted(int(r[pk]) for r in found), strict=True):
        obj.pk = row_id
        obj._saved_in_db = True
