"""GET /metrics for Prometheus: a bearer token of its own (METRICS_TOKEN), or an admin."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server import metrics
from server.domain.errors import Forbidden, Unauthorized
from server.domain.roles import Role

# The scope MeldkamerAuth grants a request that shows METRICS_TOKEN (server/web/auth.py).
SCOPE = "metrics"


async def endpoint(request: Request) -> Response:
    if SCOPE not in request.auth.scopes:
        user = request.user
        if not user.is_authenticated:
            raise Unauthorized("Meld u aan, of gebruik 'Authorization: Bearer <METRICS_TOKEN>'.")
        if user.model.role != Role.ADMIN:
            raise Forbidden("Alleen beheerders en Prometheus (METRICS_TOKEN) zien de metingen.")
    body = metrics.render(await metrics.snapshot())
    return Response(body, media_type=metrics.CONTENT_TYPE, headers={"Cache-Control": "no-store"})
