"""The management dashboard (/dashboard): figures for a period, per chart a table and Excel."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from tempfile import mkstemp

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from server import live, metrics, scoping
from server.domain import kpis
from server.domain.errors import Forbidden, Unprocessable
from server.domain.roles import DESK_ROLES, Role
from server.insight import dashboard, export, telephony_sheet
from server.models import User
from server.web.auth import current_user, still_allowed
from server.web.templating import templates

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reader(request: Request) -> User:
    user = current_user(request)
    if user.role not in DESK_ROLES and user.role != Role.CLIENT:
        raise Forbidden("Uw rol heeft geen toegang tot het dashboard.")
    return user


async def _build(request: Request) -> dashboard.Dashboard:
    user = _reader(request)
    p = request.query_params
    today = datetime.now(kpis.TZ).date()
    period = kpis.period_from(p.get("periode", "30d"), p.get("van", ""), p.get("tot", ""), today)
    grain = p.get("per", "")
    if grain and grain not in kpis.GRAIN_LABELS:
        raise Unprocessable(f"Onbekende indeling '{grain}'.", "per")
    with metrics.DASHBOARD_SECONDS.time():
        return await dashboard.build(
            user,
            p.get("klant", ""),
            period,
            kpis.Grain(grain) if grain else None,
            datetime.now(UTC),
        )


async def page(request: Request) -> Response:
    board = await _build(request)
    user = current_user(request)
    p = request.query_params
    context = {
        "board": board,
        "clients": await scoping.clients(user) if user.role in DESK_ROLES else [],
        "presets": kpis.PRESETS,
        "grains": kpis.GRAIN_LABELS,
        "params": {k: p.get(k, "") for k in ("klant", "periode", "van", "tot", "per")},
        "query": str(request.query_params),
        "charts_json": [c.as_json() for c in board.charts],
    }
    return templates.TemplateResponse(request, "insight/dashboard.html", context)


async def chart_xlsx(request: Request) -> Response:
    board = await _build(request)
    chart = board.chart(request.path_params["key"])
    handle, name = mkstemp(suffix=".xlsx", prefix="grafiek-")
    os.close(handle)
    path = Path(name)
    export.write_table(
        chart.columns,
        chart.rows,
        chart.title,
        path,
        [chart.unit(i) for i in range(len(chart.columns))],
    )
    return FileResponse(
        path,
        media_type=XLSX,
        filename=f"{chart.key}.xlsx",
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


async def telephony_xlsx(request: Request) -> Response:
    """The dashboard's telephony figures as one sheet (the monthly report's workbook)."""
    board = await _build(request)
    assert board.telephony is not None
    who = board.client.name if board.client else "alle opdrachtgevers"
    data = telephony_sheet.workbook(board.telephony, f"Telefonie {who}")
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="telefonie.xlsx"'},
    )


# Server-sent 'changed' events whenever a dossier in the user's view changes; the page then
# re-reads its figures. (A comment: route docstrings are parsed as OpenAPI YAML.)
async def changes(request: Request) -> Response:
    user = _reader(request)
    code = request.query_params.get("klant", "")
    _, client = await dashboard.scope_for(user, code)
    channel = f"dashboard:{client.code}" if client else "dashboard:*"

    async def sees(now: User) -> bool:
        if client is None:
            return now.role in DESK_ROLES
        return await scoping.sees_client(now, client.id)

    return live.stream(request, [channel], still_allowed(request, sees))
