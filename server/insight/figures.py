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
from server.domain.lifecycle import FINAL_PHASES
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
            "outcome": q.json_path("d.triage", "outcome", "label"),
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

        One pass over the period's created/transition events with LAG for the previous one;
        a dossier whose first move in the period has no predecessor there gets its last event
        before the period in one grouped lookup (only those dossiers, by dossier index).
        """
        q = self._q()
        frm = q.json_text("e.data", "from")
        # Closed phases only wait for the archive; that is no lead time of the work.
        closed = ", ".join(f"'{p.value}'" for p in sorted(FINAL_PHASES))
        start, end = q.param(period.start), q.param(period.end)
        kinds = "IN ('created', 'transition')"
        scoped = (
            ""
            if self.scope.client_ids is None
            else f"JOIN dossier d ON d.id = e.dossier_id AND {self.scope.where(q)} "
        )
        steps = (
            f"SELECT e.dossier_id, e.kind, e.at, {frm} AS g, "
            f"LAG(e.at) OVER (PARTITION BY e.dossier_id ORDER BY e.at, e.id) AS prev "
            f"FROM dossier_event e {scoped}"
            f"WHERE e.kind {kinds} AND e.at >= {start} AND e.at < {end}"
        )
        before = (
            f"SELECT b.dossier_id, MAX(b.at) AS at FROM dossier_event b "
            f"WHERE b.kind {kinds} AND b.at < {start} AND b.dossier_id IN ("
            f"SELECT dossier_id FROM steps WHERE prev IS NULL AND kind = 'transition') "
            f"GROUP BY b.dossier_id"
        )
        since = "COALESCE(s.prev, b.at)"
        values = (
            f"SELECT s.g, {q.hours_between(since, 's.at')} AS v FROM steps s "
            f"LEFT JOIN before b ON s.prev IS NULL AND b.dossier_id = s.dossier_id "
            f"WHERE s.kind = 'transition' AND {since} IS NOT NULL AND s.g NOT IN ({closed})"
        )
        sql = q.percentiles(values, "g", (0.5, 0.9))
        found = await self._all(f"WITH steps AS ({steps}), before AS ({before}) {sql}", q)
        return {str(r["g"]): _stats(r) for r in found}

    def _arrivals(self, q: Sql, target: str, dossiers: str) -> str:
        """Per dossier of the CTE `dossiers`: its transitions into `target`, how many and the
        first; a grouped pass (a partial index per target keeps it to those events)."""
        assert target in ("in_uitvoering", "op_afstand_opgelost")
        to = q.json_text("e.data", "to")
        return (
            f"SELECT e.dossier_id AS id, COUNT(*) AS n, MIN(e.at) AS first "
            f"FROM dossier_event e JOIN {dossiers} k ON k.id = e.dossier_id "
            f"WHERE e.kind = 'transition' AND {to} = '{target}' GROUP BY e.dossier_id"
        )

    async def first_time_fix(self, period: Period) -> dict[str, int]:
        """visited, fixed first time, solved remotely — of dossiers closed in the period."""
        q = self._q()
        window = q.json_int("c.settings", "first_time_fix_days", kpis.FIRST_TIME_FIX_DAYS)
        not_fixed = ", ".join(f"'{code}'" for code in kpis.NOT_FIXED_RESULTS)
        closed = (
            f"SELECT d.id, d.result_code AS rc, d.closed_at, {window} AS win "
            f"FROM dossier d JOIN client c ON c.id = d.client_id "
            f"WHERE {self._created_in(q, period, 'd.closed_at')} AND d.result_code IS NOT NULL"
        )
        # The first repeat decides: any repeat within the window means no first-time fix.
        repeats = (
            "SELECT r.parent_id AS id, MIN(r.created_at) AS first "
            "FROM dossier r JOIN closed k ON k.id = r.parent_id WHERE r.parent_id IS NOT NULL "
            "GROUP BY r.parent_id"
        )
        repeated = f"p.first IS NOT NULL AND {q.within_days('k.closed_at', 'p.first', 'k.win')}"
        visits = self._arrivals(q, "in_uitvoering", "closed")
        remote = self._arrivals(q, "op_afstand_opgelost", "closed")
        found = await self._all(
            f"WITH closed AS ({closed}), visits AS ({visits}), remote AS ({remote}), "
            f"repeats AS ({repeats}) "
            f"SELECT COUNT(*) AS closed, SUM(CASE WHEN v.n > 0 THEN 1 ELSE 0 END) AS visited, "
            f"SUM(CASE WHEN v.n = 1 AND k.rc NOT IN ({not_fixed}) AND NOT ({repeated}) "
            f"THEN 1 ELSE 0 END) AS ftf, SUM(CASE WHEN r.n > 0 THEN 1 ELSE 0 END) AS remote "
            f"FROM closed k LEFT JOIN visits v ON v.id = k.id LEFT JOIN remote r ON r.id = k.id "
            f"LEFT JOIN repeats p ON p.id = k.id",
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
        due = (
            f"SELECT d.id, d.urgency AS u, d.created_at AS created, d.closed_at AS closed, "
            f"{norm} AS norm FROM dossier d JOIN client c ON c.id = d.client_id "
            f"WHERE d.urgency IN ('acuut', 'urgent') AND {self._created_in(q, period)}"
        )
        onsite = "o.first"
        met = f"{onsite} IS NOT NULL AND {q.hours_between('k.created', onsite)} <= k.norm"
        late = f"{q.hours_between('k.created', q.param(now))} > k.norm"
        counts = f"{onsite} IS NOT NULL OR (k.closed IS NULL AND {late})"
        found = await self._all(
            f"WITH due AS ({due}), onsite AS ({self._arrivals(q, 'in_uitvoering', 'due')}) "
            f"SELECT k.u, SUM(CASE WHEN {met} THEN 1 ELSE 0 END) AS met, "
            f"SUM(CASE WHEN {counts} THEN 1 ELSE 0 END) AS n "
            f"FROM due k LEFT JOIN onsite o ON o.id = k.id GROUP BY k.u",
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


def _stats(r: dict[str, Any]) -> dict[str, float | None]:
    def num(key: str) -> float | None:
        value = r.get(key)
        return round(float(value), 2) if value is not None else None

    n = r.get("n")
    return {"n": float(n or 0), "mean": num("mean"), "p50": num("p50"), "p90": num("p90")}


async def _has_table(conn: BaseDBAsyncClient, table: str) -> bool:
    from tortoise import Tortoise

    return any(m._meta.db_table == table for m in Tortoise.apps.get_models_iterable())
