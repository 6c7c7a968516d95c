"""Order numbers MK-YYYY-NNNNNN: unique, readable, counting up per year, safe under concurrency.

On PostgreSQL each year has its own sequence (`order_number_<year>`, made by the first intake
of that year): taking a number locks nothing, so concurrent intakes do not wait for each
other's commit. A counter row did that before: its row lock, held from the increment to the
commit, serialised every intake of every process (docs/performance.md, third pass). The price
is gaps: a number taken by an intake that is then rolled back (refused inside its
transaction, a crash) is not given back, as with any sequence. Numbers stay unique and in the
order they were taken (docs/deploy.md, "Order numbers").

On SQLite (one writer at a time anyway) the `order_counter` row is counted up inside the
transaction, so a rolled-back intake gives its number back there.
"""

from __future__ import annotations

import zlib
from datetime import datetime
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient

from server import settings
from server.db import dialect, placeholders

PREFIX = "MK"
SEQUENCE = "order_number_"  # + year: the sequences empty_all_tables drops with the rows
# Serialises the creation of a year's sequence between processes (transaction-scoped).
_CREATE_LOCK = zlib.crc32(b"meldkamer:order-number-sequence")


def format_order_number(year: int, value: int) -> str:
    return f"{PREFIX}-{year}-{value:06d}"


def order_year(now: datetime) -> int:
    """The year an order number taken at `now` counts in (the office's calendar)."""
    return now.astimezone(ZoneInfo(settings.TIMEZONE)).year


async def next_order_number(conn: BaseDBAsyncClient, now: datetime) -> str:
    year = order_year(now)
    if dialect(conn) == "postgres":
        (value,) = await _from_sequence(conn, year)
        return format_order_number(year, value)
    (p1,) = placeholders(conn, 1)
    # One statement: the first intake of a year creates the row, every later one counts up
    # (execute_query_dict fetches rows for any statement; execute_query drops RETURNING rows).
    rows = await conn.execute_query_dict(
        f"INSERT INTO order_counter (year, value) VALUES ({p1}, 1) ON CONFLICT (year) "
        "DO UPDATE SET value = order_counter.value + 1 RETURNING value",
        [year],
    )
    return format_order_number(year, int(rows[0]["value"]))


async def next_order_numbers(conn: BaseDBAsyncClient, now: datetime, count: int) -> list[str]:
    """`count` numbers in one statement, in the order taken (PostgreSQL: intakes stored
    together, server/dossiers/intake.py)."""
    if dialect(conn) != "postgres":
        return [await next_order_number(conn, now) for _ in range(count)]
    year = order_year(now)
    return [format_order_number(year, v) for v in await _from_sequence(conn, year, count)]


async def _from_sequence(conn: BaseDBAsyncClient, year: int, count: int = 1) -> list[int]:
    name = f"{SEQUENCE}{int(year)}"
    many = "" if count == 1 else " FROM generate_series(1, $2)"
    params: list[object] = [name] if count == 1 else [name, count]
    # One statement on every intake but a year's first: nextval(NULL) is NULL when the
    # sequence is not there yet, instead of an error that would abort the transaction.
    rows = await conn.execute_query_dict(f"SELECT nextval(to_regclass($1)) AS value{many}", params)
    if rows[0]["value"] is not None:
        return sorted(int(row["value"]) for row in rows)
    # The year's first intake (on any process): make the sequence, starting after what the
    # counter row of that year handed out (a database numbered before the sequences came).
    # It is made in this transaction (rolled back with it, then the next intake makes it);
    # the lock makes other intakes wait here for its commit, once a year, and then find it.
    await conn.execute_query("SELECT pg_advisory_xact_lock($1)", [_CREATE_LOCK])
    counted = await conn.execute_query_dict(
        "SELECT value FROM order_counter WHERE year = $1", [year]
    )
    start = int(counted[0]["value"]) + 1 if counted else 1
    await conn.execute_script(f'CREATE SEQUENCE IF NOT EXISTS "{name}" START WITH {start}')
    rows = await conn.execute_query_dict(f"SELECT nextval($1::regclass) AS value{many}", params)
    return sorted(int(row["value"]) for row in rows)


async def years_numbered(conn: BaseDBAsyncClient) -> set[int]:
    """The years that have a counter row or (PostgreSQL) a sequence."""
    rows = await conn.execute_query_dict("SELECT year FROM order_counter")
    years = {int(row["year"]) for row in rows}
    if dialect(conn) == "postgres":
        found = await conn.execute_query_dict(
            "SELECT relname FROM pg_class WHERE relkind = 'S' AND relname LIKE $1",
            [f"{SEQUENCE}%"],
        )
        years |= {int(str(row["relname"]).removeprefix(SEQUENCE)) for row in found}
    return years


async def continue_after(conn: BaseDBAsyncClient, highest: dict[int, int]) -> None:
    """Let each year's numbering continue after `highest[year]` (0: start at 1 again), when
    dossiers were removed (the demo's reset): its counter row, and on PostgreSQL its sequence."""
    for year, value in highest.items():
        (p1, p2) = placeholders(conn, 2)
        await conn.execute_query(
            f"UPDATE order_counter SET value = {p1} WHERE year = {p2}", [value, year]
        )
    if dialect(conn) != "postgres":
        return
    for year, value in highest.items():
        name = f"{SEQUENCE}{int(year)}"
        # setval(…, 1, false): the next number is 1; a year without a sequence is left alone.
        await conn.execute_query(
            "SELECT setval(to_regclass($1), $2, $3) WHERE to_regclass($1) IS NOT NULL",
            [name, max(value, 1), value > 0],
        )
