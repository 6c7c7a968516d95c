"""The survey after a call on the dashboard: averages and counts per client and per agent.

Per agent only for the meldkamer's own staff (server/insight/dashboard.py decides): a client
sees its own averages, never who of the meldkamer took which call. Both read `call_survey`
(the client and agent are stored on the answer, no join with contacts), on its index
(client_id, submitted_at).
"""

from __future__ import annotations

from typing import Any

from server.domain import call_survey
from server.domain.call_survey import ASPECT_LABELS, ASPECTS
from server.domain.kpis import Period
from server.insight.figures import Figures

SCORE_COLUMNS = ["Ingevuld", *(ASPECT_LABELS[a] for a in ASPECTS), "Gemiddeld"]


def _scores(r: dict[str, Any]) -> list[Any]:
    means = {a: round(float(r[a]), 2) if r[a] is not None else None for a in ASPECTS}
    return [int(r["n"] or 0), *means.values(), call_survey.overall(means)]


async def per_client(f: Figures, period: Period) -> list[list[Any]]:
    """[client, invited, answered, four means, overall] for every client in the scope with
    an invitation or an answer in the period."""
    q = f._q()

    def within(col: str) -> str:
        return f"{col} >= {q.param(period.start)} AND {col} < {q.param(period.end)}"

    answered = within("s.submitted_at")
    means = ", ".join(f"AVG(CASE WHEN {answered} THEN s.{a} END) AS {a}" for a in ASPECTS)
    invited = within("s.invited_at")
    found = await f._all(
        f"SELECT c.name AS name, SUM(CASE WHEN {invited} THEN 1 ELSE 0 END) AS invited, "
        f"SUM(CASE WHEN {answered} THEN 1 ELSE 0 END) AS n, {means} "
        f"FROM call_survey s JOIN client c ON c.id = s.client_id "
        f"WHERE {f.scope.where(q, 's')} AND (({within('s.invited_at')}) "
        f"OR ({within('s.submitted_at')})) GROUP BY c.id, c.name ORDER BY c.name",
        q,
    )
    return [[r["name"], int(r["invited"] or 0), *_scores(r)] for r in found]


async def per_agent(f: Figures, period: Period) -> list[list[Any]]:
    """[agent's name, answered, four means, overall] of the answers in the period."""
    q = f._q()
    means = ", ".join(f"AVG(s.{a}) AS {a}" for a in ASPECTS)
    found = await f._all(
        f"SELECT s.agent_name AS name, COUNT(*) AS n, {means} FROM call_survey s "
        f"WHERE {f.scope.where(q, 's')} AND s.submitted_at >= {q.param(period.start)} "
        f"AND s.submitted_at < {q.param(period.end)} "
        f"GROUP BY s.agent_id, s.agent_name ORDER BY s.agent_name",
        q,
    )
    return [[r["name"] or "(onbekend)", *_scores(r)] for r in found]
