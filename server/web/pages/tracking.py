"""The tenant's tracking page `/volg/{token}`: public, no login, only what the tenant needs; the
tenant moves or cancels the appointment there, and adds a photo or a remark afterwards."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from media.limits import DEFAULT_LIMITS
from server import i18n, settings
from server.communication import (
    links,
    surveys,
    tenant_additions,
    tenant_appointments,
    tracking,
)
from server.domain import brand
from server.domain.errors import AppError, BadRequest
from server.domain.slots import Slot
from server.fieldwork.photos import check_size
from server.models import Dossier
from server.web import tenant_language
from server.web.api.common import json_object
from server.web.templating import templates

TZ = ZoneInfo(settings.TIMEZONE)


def link_error(request: Request, exc: AppError) -> Response:
    """A broken or expired link gets a page of its own, with no hint of any dossier."""
    tenant_language.activate(request)
    return templates.TemplateResponse(
        request,
        "volg/ongeldig.html",
        {"message": exc.message, "status": exc.status, "tenant_languages": True},
        status_code=exc.status,
    )


def _moment(at: datetime | None) -> str:
    """ "maandag 7 december om 08:00", in the page's language."""
    if at is None:
        return ""
    day = format_datetime(at.astimezone(TZ), "EEEE d MMMM", locale=i18n.current())
    return i18n.gettext("%(date)s om %(time)s") % {"date": day, "time": _time(at)}


def _time(at: datetime | None) -> str:
    return at.astimezone(TZ).strftime("%H:%M") if at else ""


def _slot(slot: Slot) -> dict[str, str]:
    return {
        "value": tenant_appointments.slot_value(slot),
        "label": i18n.gettext("%(start)s tot %(end)s")
        % {"start": _moment(slot.start), "end": _time(slot.end)},
    }


async def page(request: Request, message: str = "", error: str = "", status: int = 0) -> Response:
    token = request.path_params["token"]
    tenant_language.activate(request)  # a broken link is explained in the tenant's language
    try:
        dossier = await links.dossier_for(token, links.TRACKING)
    except AppError as exc:
        return link_error(request, exc)
    language = tenant_language.activate(request, dossier.language)
    if tenant_language.asked(request) and language != dossier.language:
        # The tenant's pick sticks to the dossier: its next messages come in that language.
        await Dossier.filter(id=dossier.id).update(language=language)
        dossier.language = language
    view = await tracking.view(dossier)
    client = await dossier.client
    rule = tenant_appointments.rule(dossier, client, datetime.now(UTC))
    slots = await tenant_appointments.options(dossier) if rule.allowed else []
    context: dict[str, Any] = {
        "v": view,
        "client_code": client.code,
        "logo_url": brand.brand(client.settings, client.code, "")["logo_url"],
        "token": token,
        "appointment": _moment(view.appointment_start),
        "appointment_end": _time(view.appointment_end),
        "eta": _moment(view.eta) if view.eta_on_appointment else _time(view.eta),
        "deadline": _moment(view.deadline),
        "rule": rule,
        "change_until": _moment(rule.until) if rule.allowed else "",
        "slots": [_slot(s) for s in slots],
        "done": request.query_params.get("gedaan", ""),
        "max_photo_mb": DEFAULT_LIMITS.max_bytes // 1_000_000,
        "survey_url": links.url(dossier.id, links.SURVEY)
        if view.survey_open and not await surveys.answered(dossier)
        else "",
        "message": message,
        "error": error,
        "tenant_languages": True,
    }
    response = templates.TemplateResponse(
        request, "volg/page.html", context, status_code=status or (422 if error else 200)
    )
    return tenant_language.remember(request, response)


async def _tenant_form(
    request: Request, work: Callable[[Dossier, Any], Awaitable[object]], done: str
) -> Response:
    """A form on the tracking page: do `work`, then show the page again with what was done, or
    with why not (nothing the tenant entered is lost: it is still in the form)."""
    token = request.path_params["token"]
    tenant_language.activate(request)
    try:
        dossier = await links.dossier_for(token, links.TRACKING)
    except AppError as exc:
        return link_error(request, exc)
    tenant_language.activate(request, dossier.language)
    try:
        async with request.form(max_files=1, max_fields=5) as form:
            await work(dossier, form)
    except AppError as exc:
        return await page(request, error=exc.message, status=exc.status)
    return RedirectResponse(f"/volg/{token}?gedaan={done}", status_code=303)


def _text(form: Any, key: str) -> str:
    value = form.get(key, "")
    return value if isinstance(value, str) else ""


async def move(request: Request) -> Response:
    async def work(dossier: Dossier, form: Any) -> None:
        await tenant_appointments.move(dossier, _text(form, "slot"))

    return await _tenant_form(request, work, "verzet")


async def cancel(request: Request) -> Response:
    async def work(dossier: Dossier, form: Any) -> None:
        await tenant_appointments.cancel(dossier, _text(form, "reason"))

    return await _tenant_form(request, work, "geannuleerd")


async def remark(request: Request) -> Response:
    async def work(dossier: Dossier, form: Any) -> None:
        await tenant_additions.add_remark(dossier, _text(form, "text"))

    return await _tenant_form(request, work, "opmerking")


async def photo(request: Request) -> Response:
    """A photo (the page's script scales it first; without the script, the original)."""
    declared = request.headers.get("content-length", "")
    check_size(int(declared) if declared.isdigit() else None)

    async def work(dossier: Dossier, form: Any) -> None:
        upload = form.get("photo")
        if upload is None or isinstance(upload, str):
            raise BadRequest(i18n.gettext("Kies eerst een foto."), "photo")
        data = await upload.read()
        await tenant_additions.add_photo(dossier, data, _text(form, "caption"))

    return await _tenant_form(request, work, "foto")


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
