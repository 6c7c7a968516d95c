"""The tenant's tracking page `/volg/{token}`: public, no login, only what the tenant needs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from server import settings
from server.communication import links, surveys, tracking
from server.domain import brand
from server.domain.errors import AppError
from server.models import Client, Dossier
from server.triage import dutch
from server.web.api.common import json_object
from server.web.templating import templates

TZ = ZoneInfo(settings.TIMEZONE)


def link_error(request: Request, exc: AppError) -> Response:
    """A broken or expired link gets a page of its own, with no hint of any dossier."""
    return templates.TemplateResponse(
        request,
        "volg/ongeldig.html",
        {"message": exc.message, "status": exc.status},
        status_code=exc.status,
    )


def _moment(at: datetime | None) -> str:
    return dutch.moment(at.astimezone(TZ)) if at else ""


def _time(at: datetime | None) -> str:
    return at.astimezone(TZ).strftime("%H:%M") if at else ""


async def page(request: Request, message: str = "", error: str = "") -> Response:
    token = request.path_params["token"]
    try:
        dossier = await links.dossier_for(token, links.TRACKING)
    except AppError as exc:
        return link_error(request, exc)
    view = await tracking.view(dossier)
    client = await Client.get(id=dossier.client_id)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "v": view,
        "client_code": client.code,
        "logo_url": brand.brand(client.settings, client.code, "")["logo_url"],
        "token": token,
        "appointment": _moment(view.appointment_start),
        "appointment_end": _time(view.appointment_end),
        "eta": _time(view.eta),
        "survey_url": links.url(dossier.id, links.SURVEY)
        if view.survey_open and not await surveys.answered(dossier)
        else "",
        "message": message,
        "error": error,
    }
    return templates.TemplateResponse(
        request, "volg/page.html", context, status_code=422 if error else 200
    )


async def not_home(request: Request) -> Response:
    token = request.path_params["token"]
    try:
        dossier = await links.dossier_for(token, links.TRACKING)
    except AppError as exc:
        return link_error(request, exc)
    form = await request.form()
    try:
        await tracking.report_not_home(dossier, str(form.get("remark", "")))
    except AppError as exc:
        return await page(request, error=exc.message)
    return RedirectResponse(f"/volg/{token}?doorgegeven=1", status_code=303)


async def _push_call(
    request: Request,
    work: Callable[[Dossier, dict[str, Any]], Awaitable[dict[str, Any]]],
    status: int = 200,
) -> Response:
    """The page's script posts JSON and gets JSON back, errors too."""
    try:
        dossier = await links.dossier_for(request.path_params["token"], links.TRACKING)
        answer = await work(dossier, await json_object(request))
    except AppError as exc:
        body = {"error": {"message": exc.message, "field": exc.field}}
        return JSONResponse(body, status_code=exc.status)
    return JSONResponse(answer, status_code=status)


async def _follow(dossier: Dossier, data: dict[str, Any]) -> dict[str, Any]:
    await tracking.subscribe(dossier, data)
    return {"following": True}


async def _state(dossier: Dossier, data: dict[str, Any]) -> dict[str, Any]:
    return {"following": await tracking.follows(dossier, data.get("endpoint"))}


async def _stop(dossier: Dossier, data: dict[str, Any]) -> dict[str, Any]:
    return {"following": False, "forgotten": await tracking.unfollow(dossier, data.get("endpoint"))}


async def push(request: Request) -> Response:
    """This browser follows the dossier: its subscription, as the browser gives it."""
    return await _push_call(request, _follow, 201)


async def push_state(request: Request) -> Response:
    """Whether this browser ({endpoint}) follows the dossier, so the page shows on or off."""
    return await _push_call(request, _state)


async def push_stop(request: Request) -> Response:
    """This browser ({endpoint}) stops following this dossier; others it follows stay."""
    return await _push_call(request, _stop)
