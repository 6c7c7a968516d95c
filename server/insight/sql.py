"""The SQL that differs between SQLite and PostgreSQL, in one place.

Timestamps are stored in UTC. Figures by day, week, hour and weekday are about Amsterdam time,
so every bucket goes through `local()` first. PostgreSQL has the time-zone database; SQLite
does not, so there the EU summer-time rule (last Sunday of March 01:00 UTC up to the last
Sunday of October 01:00 UTC: +2 hours, else +1) is written out in SQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from server.domain.kpis import Grain


class Sql:
    """Fragments for one dialect, and the positional parameters of the query being built."""

    def __init__(self, dialect: str) -> None:
        self.pg = dialect == "postgres"
        self.values: list[Any] = []

    def param(self, value: Any) -> str:
        """A placeholder for `value`; SQLite gets datetimes as text in the stored format."""
        if not self.pg and isinstance(value, datetime):
            value = value.astimezone(UTC).isoformat(sep=" ")
        self.values.append(value)
        # Numbered on both (SQLite's ?NNN), so fragments may be built in any order.
        return f"${len(self.values)}" if self.pg else f"?{len(self.values)}"

    def params(self, values: list[Any]) -> str:
        return ", ".join(self.param(v) for v in values)

    def timestamp(self, placeholder: str) -> str:
        """A parameter used where PostgreSQL cannot infer its type (a SELECT list)."""
        return f"CAST({placeholder} AS TIMESTAMPTZ)" if self.pg else placeholder

    def local(self, col: str) -> str:
        """`col` (UTC) as a local Amsterdam timestamp without zone."""
        if self.pg:
            return f"({col} AT TIME ZONE 'Europe/Amsterdam')"
        utc = f"datetime({col})"
        year = f"strftime('%Y', {col})"
        spring = f"datetime(date({year} || '-04-01', 'weekday 0', '-7 days'), '+1 hour')"
        autumn = f"datetime(date({year} || '-11-01', 'weekday 0', '-7 days'), '+1 hour')"
        offset = (
            f"CASE WHEN {utc} >= {spring} AND {utc} < {autumn} THEN '+2 hours' ELSE '+1 hour' END"
        )
        return f"datetime({col}, {offset})"

    def bucket(self, col: str, grain: Grain) -> str:
        """The first local day of the day/week/month/year `col` falls in, as 'YYYY-MM-DD'."""
        at = self.local(col)
        if self.pg:
            unit = {"dag": "day", "week": "week", "maand": "month", "jaar": "year"}[grain]
            return f"to_char(date_trunc('{unit}', {at}), 'YYYY-MM-DD')"
        return {
            Grain.DAG: f"date({at})",
            Grain.WEEK: f"date({at}, 'weekday 0', '-6 days')",
            Grain.MAAND: f"strftime('%Y-%m-01', {at})",
            Grain.JAAR: f"strftime('%Y-01-01', {at})",
        }[grain]

    def weekday(self, col: str) -> str:
        """0 = Monday … 6 = Sunday, local time."""
        if self.pg:
            return f"(CAST(EXTRACT(ISODOW FROM {self.local(col)}) AS INTEGER) - 1)"
        return f"((CAST(strftime('%w', {self.local(col)}) AS INTEGER) + 6) % 7)"

    def hour(self, col: str) -> str:
        if self.pg:
            return f"CAST(EXTRACT(HOUR FROM {self.local(col)}) AS INTEGER)"
        return f"CAST(strftime('%H', {self.local(col)}) AS INTEGER)"

    def hours_between(self, start: str, end: str) -> str:
        if self.pg:
            # date_part is double precision; EXTRACT is numeric, which sorts and averages at
            # half the speed (lead times of all clients over a year: 535 -> 305 ms).
            return f"(date_part('epoch', {end} - {start}) / 3600.0)"
        return f"((julianday({end}) - julianday({start})) * 24.0)"

    def json_text(self, col: str, key: str) -> str:
        """A top-level key of a JSON column, as text (keys are ours, never user input)."""
        assert key.isidentifier()
        if self.pg:
            return f"({col}->>'{key}')"
        return f"json_extract({col}, '$.{key}')"

    def json_int(self, col: str, key: str, default: int) -> str:
        return f"COALESCE(CAST({self.json_text(col, key)} AS INTEGER), {int(default)})"

    def within_days(self, start: str, end: str, days: str) -> str:
        """`end` lies at most `days` (an SQL integer expression) after `start`."""
        if self.pg:
            return f"{end} <= {start} + make_interval(days => {days})"
        return f"julianday({end}) - julianday({start}) <= {days}"

    def percentiles(self, values_sql: str, group: str | None, ps: tuple[float, ...]) -> str:
        """Linear-interpolated percentiles (percentile_cont) of column `v` per `g`.

        `values_sql` must select `v` (and `g` when grouped). PostgreSQL has percentile_cont;
        on SQLite the same definition is computed with row_number over the ordered values.
        """
        g_sel = "g, " if group else ""
        g_by = "GROUP BY g" if group else ""
        if self.pg:
            cols = ", ".join(
                f"percentile_cont({p}) WITHIN GROUP (ORDER BY v) AS p{int(p * 100)}" for p in ps
            )
            return (
                f"SELECT {g_sel}COUNT(*) AS n, AVG(v) AS mean, {cols} FROM ({values_sql}) s {g_by}"
            )
        part = "PARTITION BY g " if group else ""
        picks: list[str] = []
        for p in ps:
            pos = f"({p} * (n - 1))"
            lo = f"CAST({pos} AS INTEGER)"
            picks.append(
                f"SUM(CASE WHEN rn = {lo} + 1 THEN v * (1 - ({pos} - {lo})) "
                f"WHEN rn = {lo} + 2 THEN v * ({pos} - {lo}) ELSE 0 END) AS p{int(p * 100)}"
            )
        ranked = (
            f"SELECT {g_sel}v, ROW_NUMBER() OVER ({part}ORDER BY v) AS rn, "
            f"COUNT(*) OVER ({part}) AS n, AVG(v) OVER ({part}) AS mean "
            f"FROM ({values_sql}) s"
        )
        return (
            f"SELECT {g_sel}MAX(n) AS n, MAX(mean) AS mean, {', '.join(picks)} "
            f"FROM ({ranked}) r {g_by}"
        )


async def start_reading(conn: BaseDBAsyncClient, dialect: str) -> None:
    """First statements of the dashboard's transaction.

    PostgreSQL: every figure reads one snapshot (repeatable read, read only); no JIT
    compilation (on these short aggregate queries compiling took longer than running them:
    3.7 of 4.4 s for first-time fix on the benchmark, docs/kpis.md); and always a plan for
    the actual dates, never a generic plan of the cached prepared statement (planning takes
    milliseconds, a plan blind to the period's length costs far more).
    """
    if dialect == "postgres":
        await conn.execute_script(
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET LOCAL jit = off; "
            "SET LOCAL plan_cache_mode = force_custom_plan"
        )


async def rows(conn: BaseDBAsyncClient, sql: str, q: Sql) -> list[dict[str, Any]]:
    return list(await conn.execute_query_dict(sql, q.values))
