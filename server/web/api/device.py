"""The technician app's device session: its push subscriptions, and logging out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server import settings
from server.auth import tokens
from server.domain.errors import BadRequest, Forbidden
from server.models import PushSubscription, User
from server.services import field_jobs, technician_push
from server.web.api.common import json_object
from server.web.auth import current_user


async def _technician(request: Request) -> User:
    user = current_user(request)
    if await field_jobs.technician_of(user) is None:
        raise Forbidden("Alleen servicemonteurs krijgen pushberichten over opdrachten.")
    return user


def _json(sub: PushSubscription) -> dict[str, object]:
    return {"id": sub.id, "endpoint": sub.endpoint, "created_at": sub.created_at.isoformat()}


async def push_subscriptions(request: Request) -> JSONResponse:
    """
    summary: The server's VAPID key and the caller's own push subscriptions
    tags: [sync]
    responses:
      200: {description: '{"public_key", "items": [{id, endpoint, created_at}]}'}
      403: {description: Technicians only}
    """
    user = await _technician(request)
    items = [_json(s) for s in await technician_push.subscriptions(user)]
    return JSONResponse({"public_key": settings.VAPID_PUBLIC_KEY, "items": items})


async def push_subscribe(request: Request) -> JSONResponse:
    """
    summary: Register this browser's push subscription for the caller (idempotent)
    tags: [sync]
    requestBody:
      content:
        application/json:
          schema:
            type: object
            description: What the browser's PushSubscription.toJSON() gives
            properties:
              endpoint: {type: string}
              keys: {type: object, properties: {p256dh: {type: string}, auth: {type: string}}}
    responses:
      201: {description: 'Registered: {id, endpoint, created_at}'}
      200: {description: 'Already registered for the caller'}
      403: {description: Technicians only}
      409: {description: The endpoint belongs to someone else}
      422: {description: Not a usable subscription}
    """
    user = await _technician(request)
    sub, created = await technician_push.subscribe(user, await json_object(request))
    return JSONResponse(_json(sub), status_code=201 if created else 200)


async def push_unsubscribe(request: Request) -> Response:
    """
    summary: Remove one of the caller's own push subscriptions
    tags: [sync]
    parameters: [{name: subscription_id, in: path, required: true, schema: {type: integer}}]
    responses:
      204: {description: Removed}
      404: {description: No such subscription of the caller}
    """
    user = await _technician(request)
    raw = request.path_params["subscription_id"]
    if not raw.isdigit():
        raise BadRequest(f"'{raw}' is geen abonnementsnummer.", "subscription_id")
    await technician_push.unsubscribe(user, int(raw))
    return Response(status_code=204)


async def logout(request: Request) -> Response:
    """
    summary: Log out by revoking the bearer token this request carries (the device session)
    tags: [auth]
    responses:
      204: {description: Revoked; the token no longer works}
      400: {description: Not called with a bearer token}
    """
    current_user(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise BadRequest("Afmelden hier is voor de app; de website meldt af via /logout.")
    await tokens.revoke(token.strip())
    return Response(status_code=204)
