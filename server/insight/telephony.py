"""The telephony figures of a scope and period, counted by the database.

Both queries read the hourly counts the database keeps per client, UTC hour, channel and
result code (table contact_hour, server/insight/contact_hours.py): a few rows per hour
however many calls. One sums the inbound calls per hour (at most 24 a day, 9,000 for a
year); the totals, the weekday × hour grid and the series per day, week or month are sums of
those (server/domain/telephony.py). The other sums every contact per channel and result code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from server import db
from server.domain import result_codes
from server.domain.calls import ContactChannel
from server.domain.kpis import TZ, Grain, Period
from server.domain.telephony import Counts, Rollup, rollup
from server.insight import contact_hours
from server.insight.figures import Scope
from server.insight.sql import Sql, rows, start_reading
from server.models import Client

INBOUND = ContactChannel.TELEFOON_IN.value
CHANNELS = ", ".join(f"'{c.value}'" for c in ContactChannel)  # ours, not input
DEFAULT_LABELS = {c.code: c.label for c in result_codes.DEFAULT}


@dataclass(frozen=True)
class Telephony:
    period: Period
    norm: int
    calls: Rollup
    channels: list[tuple[str, int]]
    results: list[tuple[str, str, int]]  # code, label, contacts

    @property
    def contacts(self) -> int:
        return sum(n for _, n in self.channels)

    @property
    def orders(self) -> int:
        return sum(n for code, _, n in self.results if code == result_codes.ORDER)

    @property
    def registered(self) -> int:
        return sum(n for _, _, n in self.results)

    @property
    def order_share(self) -> float | None:
        return round(100.0 * self.orders / self.registered, 1) if self.registered else None


def labels_of(client: Client | None) -> dict[str, str]:
    """The client's result codes and their labels now (its settings), else the default list."""
    if client is None:
        return dict(DEFAULT_LABELS)
    codes = result_codes.from_settings((client.settings or {}).get("result_codes"))
    return {c.code: c.label for c in codes}


def _in_period(q: Sql, scope: Scope, period: Period, col: str = "c.offered_at") -> str:
    return (
        f"{scope.where(q, 'c')} AND {col} >= {q.param(period.start)} "
        f"AND {col} < {q.param(period.end)}"
    )


_SUMS = ", ".join(
    f"SUM(c.{name}) AS {'offered' if name == 'contacts' else name}"
    for name in contact_hours.COUNTED
)


async def hourly(
    conn: BaseDBAsyncClient, dialect: str, scope: Scope, period: Period
) -> list[tuple[datetime, Counts]]:
    """Inbound calls offered in the period, counted per local hour: a sum of the hourly
    counts the triggers keep (server/insight/contact_hours.py), a few rows per hour."""
    q = Sql(dialect)
    sql = (
        f"SELECT c.hour AS h, {_SUMS} FROM {contact_hours.TABLE} c "
        f"WHERE {_in_period(q, scope, period, 'c.hour')} AND c.channel = '{INBOUND}' "
        "GROUP BY c.hour HAVING SUM(c.contacts) > 0"
    )
    found = await rows(conn, sql, q)
    return [(_moment(r["h"]), Counts.of(r)) for r in found]


async def hourly_from_contacts(
    conn: BaseDBAsyncClient, dialect: str, scope: Scope, period: Period
) -> list[tuple[datetime, Counts]]:
    """The same counts from the calls themselves: the definition the hourly table must
    agree with (tests), and the figure before the table (bench/bench_telephony.py)."""
    q = Sql(dialect)
    hour = contact_hours.hour_of(q.pg, "c.offered_at")
    sums = ", ".join(
        f"SUM({e.format(r='c')}) AS {'offered' if name == 'contacts' else name}"
        for name, e in contact_hours.COUNTED.items()
    )
    sql = (
        f"SELECT {hour} AS h, {sums} FROM contact c "
        # The channel as a literal (ours, not input): every plan then knows the filter.
        f"WHERE {_in_period(q, scope, period)} AND c.channel = '{INBOUND}' GROUP BY {hour}"
    )
    found = await rows(conn, sql, q)
    return [(_moment(r["h"]), Counts.of(r)) for r in found]


def _moment(value: Any) -> datetime:
    """The local (Amsterdam) hour, naive, of a UTC hour (SQLite gives it as text).

    Amsterdam's offsets are whole hours, so each UTC hour is one local hour: naming thousands
    of hours in Python is cheaper than converting every call in SQL.
    """
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return at.astimezone(TZ).replace(tzinfo=None) if at.tzinfo else at


async def by_channel_and_result(
    conn: BaseDBAsyncClient,
    dialect: str,
    scope: Scope,
    period: Period,
    labels: Mapping[str, str] | None = None,
) -> tuple[list[tuple[str, int]], list[tuple[str, str, int]]]:
    """Every contact (calls, e-mails, …) of the period per channel, and per result code.

    The codes are labelled from `labels` (the client's list), else the default list: the
    label each contact was registered under would need its row, not the index alone.
    """
    labels = {**DEFAULT_LABELS, **(labels or {})}
    q = Sql(dialect)
    found = await rows(
        conn,
        f"SELECT c.channel AS ch, c.result_code AS code, SUM(c.contacts) AS n "
        f"FROM {contact_hours.TABLE} c WHERE {_in_period(q, scope, period, 'c.hour')} "
        # Every channel named: a range of the key's index per channel.
        f"AND c.channel IN ({CHANNELS}) "
        "GROUP BY c.channel, c.result_code HAVING SUM(c.contacts) > 0",
        q,
    )
    channels: dict[str, int] = {}
    results: dict[str, tuple[str, int]] = {}
    for r in found:
        channels[str(r["ch"])] = channels.get(str(r["ch"]), 0) + int(r["n"])
        if r["code"]:  # "" is no result code in the hourly table
            code = str(r["code"])
            label, n = results.get(code, (labels.get(code, code), 0))
            results[code] = (label, n + int(r["n"]))
    return (
        sorted(channels.items(), key=lambda kv: (-kv[1], kv[0])),
        sorted(((c, lab, n) for c, (lab, n) in results.items()), key=lambda t: (-t[2], t[0])),
    )


async def figures_in(
    conn: BaseDBAsyncClient,
    dialect: str,
    scope: Scope,
    period: Period,
    grain: Grain,
    norm: int,
    labels: Mapping[str, str] | None = None,
) -> Telephony:
    calls = rollup(await hourly(conn, dialect, scope, period), grain)
    channels, results = await by_channel_and_result(conn, dialect, scope, period, labels)
    return Telephony(period, norm, calls, channels, results)


async def figures(
    scope: Scope,
    period: Period,
    grain: Grain,
    norm: int,
    labels: Mapping[str, str] | None = None,
) -> Telephony:
    """The figures in one read-only snapshot of their own."""
    async with in_transaction() as conn:
        await start_reading(conn, db.dialect())
        return await figures_in(conn, db.dialect(), scope, period, grain, norm, labels)
