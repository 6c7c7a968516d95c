"""Order numbers MK-YYYY-NNNNNN: unique, readable, gap-free per year, safe under concurrency.

The counter row is created or incremented, in one statement, inside the transaction that
creates the dossier. On PostgreSQL the upsert takes a row lock that serialises concurrent
creators until commit; on SQLite the database write lock does the same. A rolled-back
creation gives its number back.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient

from server import settings
from server.db import placeholders

PREFIX = "MK"


def format_order_number(year: int, value: int) -> str:
    return f"{PREFIX}-{year}-{value:06d}"


async def next_order_number(conn: BaseDBAsyncClient, now: datetime) -> str:
    year = now.astimezone(ZoneInfo(settings.TIMEZONE)).year
    (p1,) = placeholders(conn, 1)
    # One statement: the first intake of a year creates the row, every later one counts up
    # (execute_query_dict fetches rows for any statement; execute_query drops RETURNING rows).
    rows = await conn.execute_query_dict(
        f"INSERT INTO order_counter (year, value) VALUES ({p1}, 1) ON CONFLICT (year) "
        "DO UPDATE SET value = order_counter.value + 1 RETURNING value",
        [year],
    )
    return format_order_number(year, int(rows[0]["value"]))
