"""Each dashboard figure as one aggregate query: the database counts, Python only reads totals.

The definitions (and their Dutch wording) are in server/domain/kpis.py and docs/kpis.md;
dialect differences come from server/insight/sql.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from server.domain import kpis
from server.domain.kpis import Grain, Period
from server.domain.lifecycle import OPEN_PHASES
from server.insight.sql import Sql, rows


@dataclass(frozen=True)
class Scope:
    """Whose dossiers count: a list of client ids, or None for every client (desk only)."""

    client_ids: tuple[int, ...] | None

    def where(self, q: Sql, alias: str = "d") -> str:
        if self.client_ids is None:
            return "1 = 1"
        if not self.client_ids:
            return "1 = 0"
        return f"{alias}.client_id IN ({q.params(list(self.client_ids))})"


class Figures:
    """Queries for one scope on one connection."""

    def __init__(self, conn: BaseDBAsyncClient, dialect: str, scope: Scope) -> None:
        self.conn, self.dialect, self.scope = conn, dialect, scope

    def _q(self) -> Sql:
        return Sql(self.dialect)

    def _created_in(self, q: Sql, period: Period, col: str = "d.created_at") -> str:
        return (
            f"{self.scope.where(q)} AND {col} >= {q.param(period.start)} "
            f"AND {col} < {q.param(period.end)}"
        )

    async def _all(self, sql: str, q: Sql) -> list[dict[str, Any]]:
        return await rows(self.conn, sql, q)

    async def reports(self, period: Period) -> int:
        q = self._q()
        found = await self._all(
            f"SELECT COUNT(*) AS n FROM dossier d WHERE {self._created_in(q, period)}", q
        )
        return int(found[0]["n"])

    async def series(self, period: Period, grain: Grain) -> list[tuple[str, int]]:
        q = self._q()
        bucket = q.bucket("d.created_at", grain)
        found = await self._all(
            f"SELECT {bucket} AS b, COUNT(*) AS n FROM dossier d "
            f"WHERE {self._created_in(q, period)} GROUP BY {bucket} ORDER BY b",
            q,
        )
        return [(str(r["b"]), int(r["n"])) for r in found]

    async def heatmap(self, period: Period) -> list[list[int]]:
        """7 rows (Monday first) × 24 hours of local time."""
        q = self._q()
        wd, hr = q.weekday("d.created_at"), q.hour("d.created_at")
        found = await self._all(
            f"SELECT {wd} AS wd, {hr} AS hr, COUNT(*) AS n FROM dossier d "
            f"WHERE {self._created_in(q, period)} GROUP BY {wd}, {hr}",
            q,
        )
        grid = [[0] * 24 for _ in range(7)]
        for r in found:
            grid[int(r["wd"])][int(r["hr"])] = int(r["n"])
        return grid

    async def count_by(self, period: Period, expr: str, limit: int = 0) -> list[tuple[str, int]]:
        """Reports in the period per value of a dossier column or JSON path (`expr`)."""
        q = self._q()
        column = {
            "channel": "d.channel",
            "category": "d.category",
            "urgency": "d.urgency",
            "outcome": "d.triage_outcome",  # triage.outcome.label, kept as a column
        }[expr]
        sql = (
            f"SELECT {column} AS k, COUNT(*) AS n FROM dossier d "
            f"WHERE {self._created_in(q, period)} AND {column} IS NOT NULL "
            f"GROUP BY {column} ORDER BY n DESC, k"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [(str(r["k"]), int(r["n"])) for r in await self._all(sql, q)]

    async def contacted_24h(self, period: Period, now: datetime) -> tuple[int, int]:
        """(contacted within 24 h, reports that count) — see kpis 'contacted_24h'."""
        q = self._q()
        hours = kpis.CONTACT_WITHIN_HOURS
        within = f"{q.hours_between('d.created_at', 'd.first_contact_at')} <= {hours}"
        where = self._created_in(q, period)
        old = f"{q.hours_between('d.created_at', q.param(now))} >= {hours}"
        found = await self._all(
            f"SELECT SUM(CASE WHEN d.first_contact_at IS NOT NULL AND {within} THEN 1 ELSE 0 END)"
            f" AS ok, COUNT(*) AS n FROM dossier d WHERE {where} "
            f"AND (d.first_contact_at IS NOT NULL OR {old})",
            q,
        )
        return int(found[0]["ok"] or 0), int(found[0]["n"])

    async def lead_time(self, start: datetime, end: datetime) -> dict[str, float | None]:
        """n, mean, median (p50) and p90 in hours of dossiers closed with a result code."""
        return (await self.lead_times([start], end))[0]

    async def lead_times(
        self, starts: list[datetime], end: datetime
    ) -> list[dict[str, float | None]]:
        """lead_time for several windows ending at `end`, in one pass over the longest.

        Each closed dossier appears once per window it falls in (joined with the windows'
        starts), and the percentiles are grouped by window.
        """
        q = self._q()
        windows = " UNION ALL ".join(
            f"SELECT {i} AS w, {q.timestamp(q.param(s))} AS s" for i, s in enumerate(starts)
        )
        values = (
            f"SELECT w.w AS g, {q.hours_between('d.created_at', 'd.closed_at')} AS v "
            f"FROM dossier d JOIN ({windows}) w ON d.closed_at >= w.s "
            f"WHERE {self.scope.where(q)} AND d.result_code IS NOT NULL "
            f"AND d.closed_at >= {q.param(min(starts))} AND d.closed_at < {q.param(end)}"
        )
        found = {int(r["g"]): r for r in await self._all(q.percentiles(values, "g", (0.5, 0.9)), q)}
        return [_stats(found.get(i, {})) for i in range(len(starts))]

    async def phase_times(self, period: Period) -> dict[str, dict[str, float | None]]:
        """Hours each dossier stood in a phase, for phases left during the period.

        Each transition carries the phase it left and the hours it stood there (written with
        the event, server/domain/kpis.phase_hours), so this is a grouped aggregate over the
        period's transitions: a partial index holds them per phase, per client and for all,
        in the order the grouping needs.
        """
        q = self._q()
        # Closed phases only wait for the archive; that is no lead time of the work.
        phases = ", ".join(f"'{p.value}'" for p in sorted(OPEN_PHASES))
        values = (
            f"SELECT e.from_phase AS g, e.phase_hours AS v FROM dossier_event e "
            f"WHERE {self.scope.where(q, 'e')} AND e.kind = 'transition' "
            f"AND e.from_phase IN ({phases}) AND e.at >= {q.param(period.start)} "
            f"AND e.at < {q.param(period.end)} AND e.phase_hours IS NOT NULL"
        )
        found = await self._all(q.percentiles(values, "g", (0.5, 0.9)), q)
        return {str(r["g"]): _stats(r) for r in found}

    async def first_time_fix(self, period: Period) -> dict[str, int]:
        """visited, fixed first time, solved remotely — of dossiers closed in the period."""
        q = self._q()
        window = q.json_int("c.settings", "first_time_fix_days", kpis.FIRST_TIME_FIX_DAYS)
        closed = f"{self._created_in(q, period, 'd.closed_at')} AND d.result_code IS NOT NULL"
        # The first repeat decides: any repeat within the window means no first-time fix.
        # All repeats, grouped: a few percent of the dossiers, read from index (parent_id,
        # created_at); cheaper than picking those of the period's dossiers first.
        repeats = (
            "SELECT r.parent_id AS id, MIN(r.created_at) AS first FROM dossier r "
            "WHERE r.parent_id IS NOT NULL GROUP BY r.parent_id"
        )
        repeated = f"p.first IS NOT NULL AND {q.within_days('d.closed_at', 'p.first', window)}"
        found = await self._all(
            f"SELECT COUNT(*) AS closed, SUM(CASE WHEN d.visits > 0 THEN 1 ELSE 0 END) AS visited, "
            f"SUM(CASE WHEN {fixed_first_time(q, 'd', repeated)} THEN 1 ELSE 0 END) AS ftf, "
            f"SUM(CASE WHEN d.remote_solved THEN 1 ELSE 0 END) AS remote "
            f"FROM dossier d JOIN client c ON c.id = d.client_id "
            f"LEFT JOIN ({repeats}) p ON p.id = d.id WHERE {closed}",
            q,
        )
        r = found[0]
        return {k: int(r[k] or 0) for k in ("visited", "ftf", "remote", "closed")}

    async def deadlines(self, period: Period, now: datetime) -> dict[str, tuple[int, int]]:
        """Per urgency: (on site within norm, reports that count)."""
        q = self._q()
        acuut = q.json_int("c.settings", "acuut_norm_minutes", kpis.ACUUT_NORM_MINUTES)
        norm = (
            f"(CASE WHEN d.urgency = 'acuut' THEN {acuut} / 60.0 ELSE {kpis.URGENT_NORM_HOURS} END)"
        )
        onsite = "d.first_visit_at"
        met = f"{onsite} IS NOT NULL AND {q.hours_between('d.created_at', onsite)} <= {norm}"
        late = f"{q.hours_between('d.created_at', q.param(now))} > {norm}"
        counts = f"{onsite} IS NOT NULL OR (d.closed_at IS NULL AND {late})"
        found = await self._all(
            f"SELECT d.urgency AS u, SUM(CASE WHEN {met} THEN 1 ELSE 0 END) AS met, "
            f"SUM(CASE WHEN {counts} THEN 1 ELSE 0 END) AS n "
            f"FROM dossier d JOIN client c ON c.id = d.client_id "
            f"WHERE d.urgency IN ('acuut', 'urgent') AND {self._created_in(q, period)} "
            f"GROUP BY d.urgency",
            q,
        )
        result = {"acuut": (0, 0), "urgent": (0, 0)}
        for r in found:
            result[str(r["u"])] = (int(r["met"] or 0), int(r["n"] or 0))
        return result

    async def results(self, period: Period) -> tuple[list[tuple[str, int]], int]:
        """Closed dossiers per result code, and how many of them went to a technician/contractor."""
        q = self._q()
        where = self._created_in(q, period, "d.closed_at")
        found = await self._all(
            f"SELECT d.result_code AS k, COUNT(*) AS n, SUM(CASE WHEN d.technician_id IS NOT NULL "
            f"OR d.contractor_id IS NOT NULL THEN 1 ELSE 0 END) AS orders FROM dossier d "
            f"WHERE {where} AND d.result_code IS NOT NULL "
            f"GROUP BY d.result_code ORDER BY n DESC, k",
            q,
        )
        return [(str(r["k"]), int(r["n"])) for r in found], sum(int(r["orders"]) for r in found)

    async def survey(self, period: Period) -> dict[str, float | int | None] | None:
        """Mean score per aspect of surveys submitted in the period; None without surveys."""
        if not await _has_table(self.conn, "survey"):
            return None
        q = self._q()
        cols = ", ".join(f"AVG(s.{a}) AS {a}" for a in kpis.SURVEY_ASPECTS)
        found = await self._all(
            # survey.client_id is the dossier's client: no join, and its (client_id,
            # submitted_at) index serves the filter.
            f"SELECT COUNT(*) AS n, {cols} FROM survey s WHERE {self.scope.where(q, 's')} "
            f"AND s.submitted_at >= {q.param(period.start)} "
            f"AND s.submitted_at < {q.param(period.end)}",
            q,
        )
        r = found[0]
        out: dict[str, float | int | None] = {"n": int(r["n"])}
        for a in kpis.SURVEY_ASPECTS:
            out[a] = round(float(r[a]), 2) if r[a] is not None else None
        return out

    # -- the signals of the client reports (server/insight/client_report.py) ---------------

    async def rising(
        self, period: Period, by: str, minimum: int, limit: int
    ) -> list[tuple[int, int, int]]:
        """(complex or address id, reports in `period`, in the period before) where faults
        rose: more than before and at least `minimum`, most first."""
        q = self._q()
        column = {"complex": "a.complex_id", "address": "d.address_id"}[by]
        before = period.previous()
        start = q.param(period.start)
        found = await self._all(
            f"SELECT {column} AS k, SUM(CASE WHEN d.created_at >= {start} THEN 1 ELSE 0 END) "
            f"AS now, SUM(CASE WHEN d.created_at < {start} THEN 1 ELSE 0 END) AS before "
            f"FROM dossier d JOIN address a ON a.id = d.address_id "
            f"WHERE {self.scope.where(q)} AND {column} IS NOT NULL "
            f"AND d.created_at >= {q.param(before.start)} AND d.created_at < {q.param(period.end)} "
            f"GROUP BY {column}",
            q,
        )
        rose = [
            (int(r["k"]), int(r["now"] or 0), int(r["before"] or 0))
            for r in found
            if int(r["now"] or 0) >= minimum and int(r["now"] or 0) > int(r["before"] or 0)
        ]
        rose.sort(key=lambda r: (-(r[1] - r[2]), -r[1], r[0]))
        return rose[:limit]

    async def repeats(self, period: Period, limit: int) -> list[dict[str, Any]]:
        """Herhaalmeldingen created in the period: dossiers with a parent (the dossier of the
        same fault they repeat, as the desk links them), with the parent's order number."""
        q = self._q()
        return await self._all(
            f"SELECT d.order_number AS order_number, d.street AS street, "
            f"d.house_number AS house_number, d.suffix AS suffix, d.city AS city, "
            f"d.category AS category, d.created_at AS created_at, p.order_number AS parent, "
            f"p.created_at AS parent_created_at "
            f"FROM dossier d JOIN dossier p ON p.id = d.parent_id "
            f"WHERE {self._created_in(q, period)} ORDER BY d.created_at, d.id LIMIT {int(limit)}",
            q,
        )

    async def overdue(self, period: Period, limit: int) -> tuple[int, list[dict[str, Any]]]:
        """Dossiers still open at the end of the period whose deadline had passed by then:
        how many, and the longest overdue first."""
        q = self._q()
        end = q.param(period.end)
        where = (
            f"{self.scope.where(q)} AND d.deadline_at IS NOT NULL AND d.deadline_at < {end} "
            f"AND d.created_at < {end} AND (d.closed_at IS NULL OR d.closed_at >= {end})"
        )
        total = await self._all(f"SELECT COUNT(*) AS n FROM dossier d WHERE {where}", q)
        found = await self._all(
            f"SELECT d.order_number AS order_number, d.street AS street, "
            f"d.house_number AS house_number, d.suffix AS suffix, d.city AS city, "
            f"d.category AS category, d.urgency AS urgency, d.phase AS phase, "
            f"d.deadline_at AS deadline_at FROM dossier d WHERE {where} "
            f"ORDER BY d.deadline_at, d.id LIMIT {int(limit)}",
            q,
        )
        return int(total[0]["n"]), found


def fixed_first_time(q: Sql, d: str, repeated: str) -> str:
    """SQL: dossier `d`, closed with a result code, is a first-time fix (docs/kpis.md);
    `repeated` is SQL that is true when a repeat came within the client's window."""
    not_fixed = ", ".join(f"'{code}'" for code in kpis.NOT_FIXED_RESULTS)
    return f"{d}.visits = 1 AND {d}.result_code NOT IN ({not_fixed}) AND NOT ({repeated})"


def _stats(r: dict[str, Any]) -> dict[str, float | None]:
    def num(key: str) -> float | None:
        value = r.get(key)
        return round(float(value), 2) if value is not None else None

    n = r.get("n")
    return {"n": float(n or 0), "mean": num("mean"), "p50": num("p50"), "p90": num("p90")}


async def _has_table(conn: BaseDBAsyncClient, table: str) -> bool:
    from tortoise import Tortoise

    return any(m._meta.db_table == table for m in Tortoise.apps.get_models_iterable())
