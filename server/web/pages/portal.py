"""The client portal (/portaal): the client's open dossiers, live, and its way to the rest."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server import live, scoping
from server.domain.errors import Forbidden, NotFound
from server.domain.lifecycle import FINAL_PHASES
from server.domain.roles import DESK_ROLES, Role
from server.models import Client, User
from server.web.auth import current_user, still_allowed
from server.web.templating import templates

LIMIT = 500


async def _client(request: Request) -> tuple[User, Client]:
    """A client user gets its own client; the desk names one with ?klant= (to see what it sees)."""
    user = current_user(request)
    if user.role == Role.CLIENT:
        client = await scoping.clients(user).first()
        if client is None:
            raise NotFound("Geen opdrachtgever bij dit account.")
        return user, client
    if user.role in DESK_ROLES:
        return user, await scoping.client(user, request.query_params.get("klant", ""))
    raise Forbidden("Uw rol heeft geen toegang tot het portaal.")


async def page(request: Request) -> Response:
    user, client = await _client(request)
    open_ = (
        scoping.dossiers(user)
        .filter(client_id=client.id)
        .exclude(phase__in=[p.value for p in FINAL_PHASES])
    )
    context = {
        "client": client,
        "total": await open_.count(),
        "items": await open_.order_by("-created_at", "-id")
        .limit(LIMIT)
        .prefetch_related("technician"),
        "limit": LIMIT,
        "klant": client.code if user.role in DESK_ROLES else "",
    }
    return templates.TemplateResponse(request, "insight/portal.html", context)


async def changes(request: Request) -> Response:
    _, client = await _client(request)

    async def sees(now: User) -> bool:
        return await scoping.sees_client(now, client.id)

    return live.stream(request, [f"client:{client.code}"], still_allowed(request, sees))
