"""The survey `/enquete/{token}` after a dossier is closed: public, once per dossier."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.communication import links, surveys
from server.domain.errors import AppError
from server.models import Client
from server.web import tenant_language
from server.web.pages.tracking import link_error
from server.web.templating import templates


async def form(request: Request) -> Response:
    return await _show(request)


async def _show(
    request: Request, error: AppError | None = None, values: dict[str, str] | None = None
) -> Response:
    tenant_language.activate(request)
    try:
        dossier = await links.dossier_for(request.path_params["token"], links.SURVEY)
    except AppError as exc:
        return link_error(request, exc)
    tenant_language.activate(request, dossier.language)
    client = await Client.get(id=dossier.client_id)  # type: ignore[attr-defined]
    context = {
        "order_number": dossier.order_number,
        "client_name": client.name,
        "questions": surveys.QUESTIONS,
        "done": await surveys.answered(dossier),
        "thanks": request.query_params.get("bedankt") == "1",
        "error": error,
        "values": values or {},
        "tenant_languages": True,
    }
    status = error.status if error else 200
    response = templates.TemplateResponse(request, "volg/enquete.html", context, status_code=status)
    return tenant_language.remember(request, response)


async def submit(request: Request) -> Response:
    tenant_language.activate(request)
    try:
        dossier = await links.dossier_for(request.path_params["token"], links.SURVEY)
    except AppError as exc:
        return link_error(request, exc)
    tenant_language.activate(request, dossier.language)
    values = {k: str(v) for k, v in (await request.form()).items()}
    try:
        await surveys.submit(dossier, values)
    except AppError as exc:
        return await _show(request, exc, values)
    return RedirectResponse(f"{request.url.path}?bedankt=1", status_code=303)
