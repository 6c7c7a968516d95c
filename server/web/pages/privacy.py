"""Privacy (AVG) for admins: find what is held about a tenant, hand it over (access request),
erase it on request, and see who opened which dossier. The tenant's number or address travels
only in POST bodies, never in a URL (access logs, browser history)."""

from __future__ import annotations

import contextlib
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from server.domain.errors import AppError
from server.domain.roles import Role
from server.privacy import holdings, requests, views
from server.privacy.subjects import identify
from server.web.auth import require_role
from server.web.params import text_param
from server.web.templating import templates

FIELDS = ("wie", "kenmerk", "bevestig", "notitie", "fotos")


async def _values(request: Request) -> dict[str, str]:
    form = await request.form()
    return {name: str(form.get(name, ""))[:5000] for name in FIELDS}


async def _page(
    request: Request,
    values: dict[str, str] | None = None,
    found: holdings.Holdings | None = None,
    error: AppError | None = None,
    done: Any = None,
) -> Response:
    context = {
        "values": values or {},
        "found": found,
        "error": error,
        "done": done,
        "recent": await requests.history(limit=30),
        "confirm_word": requests.CONFIRM,
    }
    return templates.TemplateResponse(
        request, "privacy/page.html", context, status_code=error.status if error else 200
    )


async def page(request: Request) -> Response:
    require_role(request, Role.ADMIN)
    return await _page(request)


async def find(request: Request) -> Response:
    require_role(request, Role.ADMIN)
    values = await _values(request)
    try:
        found = await holdings.find(identify(values["wie"]))
    except AppError as exc:
        return await _page(request, values, error=exc)
    return await _page(request, values, found)


async def access(request: Request) -> Response:
    user = require_role(request, Role.ADMIN)
    values = await _values(request)
    try:
        name, data = await requests.access(identify(values["wie"]), user, values["kenmerk"])
    except AppError as exc:
        return await _page(request, values, error=exc)
    return Response(
        data,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


async def erase(request: Request) -> Response:
    user = require_role(request, Role.ADMIN)
    values = await _values(request)
    try:
        subject = identify(values["wie"])
        record = await requests.erase(
            subject,
            user,
            reference=values["kenmerk"],
            confirm=values["bevestig"],
            photos=values["fotos"] == "ja",
            note=values["notitie"],
        )
    except AppError as exc:
        found = None
        with contextlib.suppress(AppError):
            found = await holdings.find(identify(values["wie"]))
        return await _page(request, values, found, error=exc)
    return await _page(request, {}, done=record)


async def view_log(request: Request) -> Response:
    require_role(request, Role.ADMIN)
    username = text_param(request, "gebruiker", 150).strip()
    order_number = text_param(request, "dossier", 20).strip().upper()
    rows = await views.search(username, order_number) if username or order_number else []
    context = {"rows": rows, "gebruiker": username, "dossier": order_number}
    return templates.TemplateResponse(request, "privacy/log.html", context)
