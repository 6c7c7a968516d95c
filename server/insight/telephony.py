"""The telephony figures of a scope and period, counted by the database.

One grouped query over the inbound calls gives their counts per local hour (at most 24 a day,
9,000 rows for a year, however many calls); the totals, the weekday × hour grid and the series
per day, week or month are sums of those (server/domain/telephony.py). A second grouped query
counts every contact per channel and result code. Both read the index on (client_id,
offered_at), or (offered_at) for the meldkamer as a whole.
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
from server.domain.calls import SERVICE_LEVEL_SECONDS, ContactChannel
from server.domain.kpis import TZ, Grain, Period
from server.domain.telephony import Counts, Rollup, rollup
from server.insight.figures import Scope
from server.insight.sql import Sql, rows, start_reading
from server.models import Client

INBOUND = ContactChannel.TELEFOON_IN.value
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


def _hour(q: Sql) -> str:
    """The hour a call was offered in, as one group key.

    PostgreSQL groups by the UTC hour, and Python names its local hour (_moment): Amsterdam's
    offsets are whole hours, so each UTC hour is one local hour, and converting thousands of
    group keys is cheaper than converting every call (a fifth of the query on a client's year).
    SQLite has no time-zone database: there the local hour is computed in SQL (sql.local).
    """
    if q.pg:
        return "date_trunc('hour', c.offered_at, 'UTC')"
    return f"strftime('%Y-%m-%d %H:00:00', {q.local('c.offered_at')})"


def _in_period(q: Sql, scope: Scope, period: Period) -> str:
    return (
        f"{scope.where(q, 'c')} AND c.offered_at >= {q.param(period.start)} "
        f"AND c.offered_at < {q.param(period.end)}"
    )


async def hourly(
    conn: BaseDBAsyncClient, dialect: str, scope: Scope, period: Period
) -> list[tuple[datetime, Counts]]:
    """Inbound calls offered in the period, counted per local hour."""
    q = Sql(dialect)
    hour = _hour(q)
    answered = "c.answered_at IS NOT NULL"
    sql = (
        f"SELECT {hour} AS h, COUNT(*) AS offered, "
        f"SUM(CASE WHEN {answered} THEN 1 ELSE 0 END) AS answered, "
        f"SUM(CASE WHEN {answered} AND c.wait_seconds <= {SERVICE_LEVEL_SECONDS} "
        f"THEN 1 ELSE 0 END) AS within, "
        f"SUM(CASE WHEN c.answered_at IS NULL AND c.ended_at IS NOT NULL THEN 1 ELSE 0 END) "
        f"AS abandoned, "
        f"SUM(CASE WHEN c.transferred_at IS NOT NULL THEN 1 ELSE 0 END) AS transferred, "
        f"SUM(CASE WHEN {answered} THEN c.wait_seconds ELSE 0 END) AS wait_sum, "
        f"SUM(CASE WHEN {answered} THEN c.talk_seconds ELSE 0 END) AS talk_sum, "
        f"SUM(CASE WHEN {answered} THEN COALESCE(c.talk_seconds, 0) + "
        f"COALESCE(c.wrap_seconds, 0) ELSE 0 END) AS handling_sum "
        # The channel as a literal (ours, not input): every plan then knows the filter.
        f"FROM contact c WHERE {_in_period(q, scope, period)} AND c.channel = '{INBOUND}' "
        f"GROUP BY {hour}"
    )
    found = await rows(conn, sql, q)
    return [(_moment(r["h"]), Counts.of(r)) for r in found]


def _moment(value: Any) -> datetime:
    """The local (Amsterdam) hour, naive, of a group key from _hour."""
    if isinstance(value, datetime):
        return value.astimezone(TZ).replace(tzinfo=None) if value.tzinfo else value
    return datetime.fromisoformat(str(value))


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
        f"SELECT c.channel AS ch, c.result_code AS code, COUNT(*) AS n FROM contact c "
        f"WHERE {_in_period(q, scope, period)} GROUP BY c.channel, c.result_code",
        q,
    )
    channels: dict[str, int] = {}
    results: dict[str, tuple[str, int]] = {}
    for r in found:
        channels[str(r["ch"])] = channels.get(str(r["ch"]), 0) + int(r["n"])
        if r["code"] is not None:
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
