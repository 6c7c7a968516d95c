"""Moving and cancelling a dossier's appointment from the dossier page (forms; the API has the
same in server/web/api/dispatch.py)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.dispatch import assignments
from server.domain.errors import AppError, Unprocessable
from server.domain.numbers import row_id
from server.domain.roles import DESK_ROLES
from server.dossiers import dossiers
from server.web.auth import require_role
from server.web.pages.dossiers import detail, local_datetime


async def move(request: Request) -> Response:
    user = require_role(request, *DESK_ROLES)
    dossier = await dossiers.get(user, request.path_params["order_number"])
    form = await request.form()

    def text(key: str) -> str:
        return str(form.get(key, "")).strip()

    try:
        raw = text("technician_id")
        technician_id = row_id(raw)
        if technician_id is None:
            raise Unprocessable(f"'{raw}' is geen geldige monteur.", "technician_id")
        start = local_datetime(text("appointment_start"), "appointment_start")
        end = local_datetime(text("appointment_end"), "appointment_end")
        if start is None or end is None:
            raise Unprocessable("Geef de nieuwe begin- en eindtijd van de afspraak.", "start")
        await assignments.book(user, dossier, technician_id, start, end, reason=text("reason"))
    except AppError as exc:
        return await detail(request, exc)
    return RedirectResponse(f"/dossiers/{dossier.order_number}#afspraak", status_code=303)


async def cancel(request: Request) -> Response:
    user = require_role(request, *DESK_ROLES)
    dossier = await dossiers.get(user, request.path_params["order_number"])
    form = await request.form()
    try:
        await assignments.cancel(user, dossier, str(form.get("reason", "")))
    except AppError as exc:
        return await detail(request, exc)
    return RedirectResponse(f"/dossiers/{dossier.order_number}#afspraak", status_code=303)
