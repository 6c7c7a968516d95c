"""The planning page for supervision: technicians' absences, which clients have acuut reports
assigned automatically, and until when tenants may move or cancel their appointment online."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import scoping
from server.communication import tenant_appointments
from server.dispatch import absence_clashes, absences, suggestions
from server.domain.absences import ABSENCE_KINDS
from server.domain.errors import AppError
from server.domain.numbers import row_id
from server.models import Technician
from server.web.auth import require_role
from server.web.templating import templates


async def page(request: Request, error: AppError | None = None) -> Response:
    user = require_role(request, *absences.PLANNERS)
    form = dict(await request.form()) if error is not None else {}
    clients = await scoping.clients(user).filter(active=True)
    listed = await absences.listing(user, since=absences.today())
    context = {
        "absences": listed,
        "clashes": await absence_clashes.clashes(listed, datetime.now(UTC)),
        "entered": _int(request.query_params.get("afwezigheid", "")),
        "technicians": await Technician.filter(active=True),
        "kinds": ABSENCE_KINDS,
        "clients": [(c, suggestions.auto_assigns(c)) for c in clients],
        "move_hours": [(c, tenant_appointments.move_hours(c)) for c in clients],
        "max_move_hours": tenant_appointments.MAX_HOURS,
        "error": error,
        "values": form,
        "saved": request.query_params.get("opgeslagen"),
    }
    return templates.TemplateResponse(
        request, "planning/planning.html", context, status_code=error.status if error else 200
    )


async def absence_add(request: Request) -> Response:
    user = require_role(request, *absences.PLANNERS)
    form = await request.form()

    def text(key: str) -> str:
        return str(form.get(key, "")).strip()

    try:
        row = await absences.add(
            user,
            text("technician_id"),
            absences.AbsenceInput(text("starts_on"), text("ends_on"), text("kind"), text("note")),
        )
    except AppError as exc:
        return await page(request, exc)
    # The page shows the new absence's appointments, if he has any in it.
    return RedirectResponse(
        f"/planning?opgeslagen=afwezigheid&afwezigheid={row.id}", status_code=303
    )


def _int(raw: str) -> int | None:
    return row_id(raw)


async def absence_remove(request: Request) -> Response:
    user = require_role(request, *absences.PLANNERS)
    try:
        await absences.remove(user, request.path_params["absence_id"])
    except AppError as exc:
        return await page(request, exc)
    return RedirectResponse("/planning?opgeslagen=verwijderd", status_code=303)


async def auto_assign(request: Request) -> Response:
    user = require_role(request, *absences.PLANNERS)
    form = await request.form()
    try:
        await suggestions.set_auto_assign(
            user, request.path_params["client"], form.get("enabled") == "ja"
        )
    except AppError as exc:
        return await page(request, exc)
    return RedirectResponse("/planning?opgeslagen=toewijzen#toewijzen", status_code=303)


async def tenant_move(request: Request) -> Response:
    user = require_role(request, *absences.PLANNERS)
    form = await request.form()
    raw = form.get("hours", "")
    try:
        await tenant_appointments.set_move_hours(
            user, request.path_params["client"], raw if isinstance(raw, str) else ""
        )
    except AppError as exc:
        return await page(request, exc)
    return RedirectResponse("/planning?opgeslagen=verzetten#verzetten", status_code=303)
