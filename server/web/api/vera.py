"""The VERA-shaped API for the receiving side (docs/chain.md, "In"): a contractor's system
reports task status, appointments and the work done; it fetches the order and its photos.

Not part of /api/v1: the paths and bodies follow VERA's OpenAPI (Ketenprocessen OHD 4.3), the
key is the integration's own (X-API-KEY, made on /koppelingen), and every error is a VERA
Foutbericht `{"code", "omschrijving"}`. Only the dossiers sent to the key's integration exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from media import PhotoError
from media.storage import open_path
from server import settings
from server.chain import inbound
from server.domain.errors import AppError
from server.models import Integration
from server.web.api.common import loads

Handler = Callable[[Request, Integration], Awaitable[Response]]


def _error(exc: inbound.VeraError) -> JSONResponse:
    headers = {"WWW-Authenticate": 'ApiKey header="X-API-KEY"'} if exc.status == 401 else None
    return JSONResponse(
        {"code": exc.code, "omschrijving": exc.message}, exc.status, headers=headers
    )


def _vera(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            integration = await inbound.integration_for(request.headers.get("x-api-key"))
            return await handler(request, integration)
        except inbound.VeraError as exc:
            return _error(exc)

    endpoint.__name__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return endpoint


async def _body(request: Request) -> object:
    raw = await request.body()
    if len(raw) > inbound.MAX_BODY:
        raise inbound.VeraError(413, "TE_GROOT", "Het bericht is te groot.")
    try:
        return loads(raw)
    except AppError as exc:
        raise inbound.bad(exc.message) from None


def _now() -> datetime:
    return datetime.now(UTC)


async def _order(request: Request, integration: Integration) -> Response:
    """GET /onderhoudsorders/{id}: the order as sent, with its status now."""
    dossier = await inbound.dossier_for(integration, request.path_params["id"])
    return JSONResponse(await inbound.order_as_sent(integration, dossier))


async def _order_update(request: Request, integration: Integration) -> Response:
    """PATCH or PUT /onderhoudsorders/{id}: a task's status, the work done with its time and
    materials (onderhoudsbestedingen)."""
    dossier = await inbound.dossier_for(integration, request.path_params["id"])
    if integration.contractor_id is None:
        raise inbound.VeraError(
            403, "NIET_TOEGESTAAN", "Alleen een aannemer meldt de status van een order."
        )
    body = await _body(request)
    ref = inbound.reference(request.headers.get("x-stuurgegevens-referentienummer"), body)
    return JSONResponse(await inbound.report(integration, dossier, body, ref, _now()))


async def _appointment(request: Request, integration: Integration) -> Response:
    """POST /afspraken, PUT or PATCH /afspraken/{id}: an appointment made or moved."""
    if integration.contractor_id is None:
        raise inbound.VeraError(403, "NIET_TOEGESTAAN", "Alleen een aannemer plant afspraken.")
    body = await _body(request)
    answer = await inbound.appointment(integration, body, _now())
    return JSONResponse(answer, 201 if request.method == "POST" else 200)


async def _photo(request: Request, integration: Integration) -> Response:
    """GET /fotos/{id}: a photo of a dossier sent to this integration."""
    photo = await inbound.photo(integration, request.path_params["id"])
    try:
        path = open_path(settings.MEDIA_ROOT, photo.key)
    except PhotoError:
        raise inbound.not_found("Foto") from None
    return FileResponse(
        path,
        media_type="image/jpeg",
        filename=f"foto-{photo.id}.jpg",
        content_disposition_type="inline",
        headers={"Cache-Control": "private, no-store"},
    )


async def _ping(request: Request, integration: Integration) -> Response:
    """GET /ping: VERA's check that the connection and the key work."""
    return Response(status_code=200)


async def _unknown(request: Request, integration: Integration) -> Response:
    """Any other path under /api/vera/v4: VERA's 404, for a system that asks the wrong thing."""
    raise inbound.VeraError(404, "NIET_GEVONDEN", "Deze VERA-resource bestaat hier niet.")


order = _vera(_order)
unknown = _vera(_unknown)
order_update = _vera(_order_update)
appointment = _vera(_appointment)
photo = _vera(_photo)
ping = _vera(_ping)
