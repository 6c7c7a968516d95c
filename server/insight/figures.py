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
        q = self._q()
        values = (
            f"SELECT {q.hours_between('d.created_at', 'd.closed_at')} AS v FROM dossier d "
            f"WHERE {self.scope.where(q)} AND d.result_code IS NOT NULL "
            f"AND d.closed_at >= {q.param(start)} AND d.closed_at < {q.param(end)}"
        )
        found = await self._all(q.percentiles(values, None, (0.5, 0.9)), q)
        return _stats(found[0] if found else {})

    async def phase_times(self, period: Period) -> dict[str, dict[str, float | None]]:
        """Hours each dossier stood in a phase, for phases left during the period."""
        q = self._q()
        frm = q.json_text("e.data", "from")
        # Closed phases only wait for the archive; that is no lead time of the work.
        closed = q.params(sorted(p.value for p in FINAL_PHASES))
        start, end = q.param(period.start), q.param(period.end)
        scope = self.scope.where(q)
        steps = (
            f"SELECT e.kind, e.at, {frm} AS g, "
            f"LAG(e.at) OVER (PARTITION BY e.dossier_id ORDER BY e.at, e.id) AS prev "
            f"FROM dossier_event e JOIN dossier d ON d.id = e.dossier_id "
            f"WHERE {scope} AND e.kind IN ('created', 'transition') AND e.dossier_id IN ("
            f"SELECT x.dossier_id FROM dossier_event x WHERE x.kind = 'transition' "
            f"AND x.at >= {start} AND x.at < {end})"
        )
        values = (
            f"SELECT g, {q.hours_between('prev', 'at')} AS v FROM ({steps}) t "
            f"WHERE kind = 'transition' AND prev IS NOT NULL AND g NOT IN ({closed}) "
            f"AND at >= {q.param(period.start)} "
            f"AND at < {q.param(period.end)}"
        )
        found = await self._all(q.percentiles(values, "g", (0.5, 0.9)), q)
        return {str(r["g"]): _stats(r) for r in found}

    async def first_time_fix(self, period: Period) -> dict[str, int]:
        """visited, fixed first time, solved remotely — of dossiers closed in the period."""
        q = self._q()
        to = q.json_text("e.data", "to")
        window = q.json_int("c.settings", "first_time_fix_days", kpis.FIRST_TIME_FIX_DAYS)
        not_fixed = q.params(list(kpis.NOT_FIXED_RESULTS))
        per_dossier = (
            f"SELECT d.result_code AS rc, "
            f"(SELECT COUNT(*) FROM dossier_event e WHERE e.dossier_id = d.id "
            f"AND e.kind = 'transition' AND {to} = 'in_uitvoering') AS visits, "
            f"(SELECT COUNT(*) FROM dossier_event e WHERE e.dossier_id = d.id "
            f"AND e.kind = 'transition' AND {to} = 'op_afstand_opgelost') AS remote, "
            f"CASE WHEN EXISTS (SELECT 1 FROM dossier r WHERE r.parent_id = d.id AND "
            f"{q.within_days('d.closed_at', 'r.created_at', window)}) THEN 1 ELSE 0 END AS rep "
            f"FROM dossier d JOIN client c ON c.id = d.client_id "
            f"WHERE {self._created_in(q, period, 'd.closed_at')} AND d.result_code IS NOT NULL"
        )
        found = await self._all(
            f"SELECT SUM(CASE WHEN visits > 0 THEN 1 ELSE 0 END) AS visited, "
            f"SUM(CASE WHEN visits = 1 AND rep = 0 AND rc NOT IN ({not_fixed}) "
            f"THEN 1 ELSE 0 END) AS ftf, SUM(CASE WHEN remote > 0 THEN 1 ELSE 0 END) AS remote, "
            f"COUNT(*) AS closed FROM ({per_dossier}) t",
            q,
        )
        r = found[0]
        return {k: int(r[k] or 0) for k in ("visited", "ftf", "remote", "closed")}

    async def deadlines(self, period: Period, now: datetime) -> dict[str, tuple[int, int]]:
        """Per urgency: (on site within norm, reports that count)."""
        q = self._q()
        to = q.json_text("e.data", "to")
        acuut = q.json_int("c.settings", "acuut_norm_minutes", kpis.ACUUT_NORM_MINUTES)
        norm = (
            f"(CASE WHEN d.urgency = 'acuut' THEN {acuut} / 60.0 ELSE {kpis.URGENT_NORM_HOURS} END)"
        )
        now_p = q.param(now)
        where = self._created_in(q, period)
        per_dossier = (
            f"SELECT d.urgency AS u, d.created_at AS created, d.closed_at AS closed, "
            f"{norm} AS norm, "
            f"(SELECT MIN(e.at) FROM dossier_event e WHERE e.dossier_id = d.id "
            f"AND e.kind = 'transition' AND {to} = 'in_uitvoering') AS onsite "
            f"FROM dossier d JOIN client c ON c.id = d.client_id "
            f"WHERE d.urgency IN ('acuut', 'urgent') AND {where}"
        )
        met = f"onsite IS NOT NULL AND {q.hours_between('created', 'onsite')} <= norm"
        counts = (
            f"onsite IS NOT NULL OR (closed IS NULL AND {q.hours_between('created', now_p)} > norm)"
        )
        found = await self._all(
            f"SELECT u, SUM(CASE WHEN {met} THEN 1 ELSE 0 END) AS met, "
            f"SUM(CASE WHEN {counts} THEN 1 ELSE 0 END) AS n FROM ({per_dossier}) t GROUP BY u",
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
            f"SELECT COUNT(*) AS n, {cols} FROM survey s JOIN dossier d ON d.id = s.dossier_id "
            f"WHERE {self._created_in(q, period, 's.submitted_at')}",
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
