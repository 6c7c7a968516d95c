"""The dispatch board (/meldkamer) and its live feed, and assigning from the dossier page."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from geo import pc4
from server import live, scoping, settings
from server.dispatch import assignments
from server.domain.codes import TRADE_LABELS
from server.domain.errors import AppError, Unprocessable
from server.domain.numbers import row_id
from server.domain.roles import DESK_ROLES
from server.dossiers import dossiers
from server.escalations import cases as escalation_cases
from server.models import User
from server.web.auth import require_role, still_allowed
from server.web.templating import templates


async def board(request: Request) -> Response:
    user = require_role(request, *DESK_ROLES)
    open_cases = await escalation_cases.listing(user)
    return templates.TemplateResponse(
        request,
        "board/board.html",
        {
            "clients": await scoping.clients(user).filter(active=True),
            "trades": TRADE_LABELS,
            "tile_url": settings.MAP_TILE_URL,
            "pc4_credit": pc4.ATTRIBUTION,
            # Seed 003: the client's projectleider must contact the tenant in time.
            "escalations": [c for c in open_cases if c.contacted_at is None],
            "overdue": escalation_cases.overdue,
            "now": datetime.now(UTC),
        },
    )


async def board_live(request: Request) -> Response:
    """Server-sent events of the board channel: assignments, appointments, phase changes."""
    require_role(request, *DESK_ROLES)

    async def desk(user: User) -> bool:
        return user.role in DESK_ROLES

    return live.stream(request, ["board"], still_allowed(request, desk))


async def assign(request: Request) -> Response:
    """Assign from the dossier page's suggestion panel (a form per suggestion)."""
    user = require_role(request, *DESK_ROLES)
    dossier = await dossiers.get(user, request.path_params["order_number"])
    form = await request.form()
    raw = str(form.get("technician_id", "")).strip()
    try:
        technician_id = row_id(raw)
        if technician_id is None:
            raise Unprocessable(f"'{raw}' is geen geldige monteur.", "technician_id")
        await assignments.assign(user, dossier, technician_id)
    except AppError as exc:
        from server.web.pages.dossiers import detail

        return await detail(request, exc)
    return RedirectResponse(f"/dossiers/{dossier.order_number}", status_code=303)
