"""Escalation cases (seed 003) on screen: the list with the contact deadlines (overdue in
red) and the figures, and a case with its steps, where the client's users record the next."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.domain import dutch
from server.domain.errors import AppError, Forbidden, NotFound
from server.domain.roles import DESK_ROLES, Role
from server.escalations import cases
from server.web.auth import require_role
from server.web.templating import templates

READERS = (*DESK_ROLES, Role.CLIENT)


async def case_list(request: Request) -> Response:
    user = require_role(request, *READERS)
    now = datetime.now(UTC)
    month_start = now.astimezone(dutch.ZONE).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    show_closed = request.query_params.get("gesloten") == "1"
    context = {
        "cases": await cases.listing(user, show_closed),
        "now": now,
        "show_closed": show_closed,
        "figures": await cases.figures(user, month_start.astimezone(UTC), now),
        "figures_30": await cases.figures(user, now - timedelta(days=30), now),
        "states": cases.STATE_LABELS,
        "overdue": cases.overdue,
    }
    return templates.TemplateResponse(request, "escalations/list.html", context)


async def detail(
    request: Request, error: AppError | None = None, values: dict[str, str] | None = None
) -> Response:
    user = require_role(request, *READERS)
    case = await cases.get(user, request.path_params["case_id"])
    context = {
        "c": case,
        "steps": await cases.steps(case),
        "now": datetime.now(UTC),
        "states": cases.STATE_LABELS,
        "step_labels": cases.STEP_LABELS,
        "recordable": cases.RECORDABLE,
        "closings": cases.CLOSINGS,
        "may_work": cases.may_work(user),
        "overdue": cases.overdue(case, datetime.now(UTC)),
        "in_time": cases.contacted_in_time(case),
        "error": error,
        "values": values or {},
    }
    return templates.TemplateResponse(
        request, "escalations/detail.html", context, status_code=error.status if error else 200
    )


async def record_step(request: Request) -> Response:
    user = require_role(request, *READERS)
    case = await cases.get(user, request.path_params["case_id"])
    if not cases.may_work(user):
        raise Forbidden("De projectleider van de opdrachtgever werkt de zaak af.")
    form = await request.form()
    values = {
        k: str(form.get(k, ""))[: cases.MAX_TEXT + 1]
        for k in ("kind", "text", "closing", "version")
    }
    try:
        await cases.record_step(user, case, cases.StepInput(**values))
    except NotFound:
        raise
    except AppError as exc:
        return await detail(request, exc, values)
    return RedirectResponse(f"/escalaties/{case.id}#stappen", status_code=303)
