"""The technician app's device session: taking over the web session, its push subscriptions,
and logging out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server import settings
from server.auth import tokens
from server.domain.errors import BadRequest, Forbidden
from server.fieldwork import field_jobs, technician_push
from server.models import PushSubscription, User
from server.web.api.common import json_object, path_id, token_json
from server.web.auth import Principal, current_user, offer_handover

# The label of the app's tokens (the admin sees it per token).
APP_LABEL = "monteur-app"


async def _technician(request: Request) -> User:
    user = current_user(request)
    if await field_jobs.technician_of(user) is None:
        raise Forbidden("De monteursapp en haar pushberichten zijn alleen voor servicemonteurs.")
    return user


def _json(sub: PushSubscription) -> dict[str, object]:
    return {"id": sub.id, "endpoint": sub.endpoint, "created_at": sub.created_at.isoformat()}


async def push_subscriptions(request: Request) -> JSONResponse:
    """
    summary: The server's VAPID key and the caller's own push subscriptions
    tags: [sync]
    responses:
      200: PushSubscriptions
      403: Technicians only
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
      201: PushSubscription
      200: PushSubscription
      403: Technicians only
      409: The endpoint belongs to someone else
      422: Not a usable subscription
    """
    user = await _technician(request)
    sub, created = await technician_push.subscribe(user, await json_object(request))
    return JSONResponse(_json(sub), status_code=201 if created else 200)


async def push_unsubscribe(request: Request) -> Response:
    """
    summary: Remove one of the caller's own push subscriptions
    tags: [sync]
    responses:
      204: {description: Removed}
      404: No such subscription of the caller
    """
    user = await _technician(request)
    number = path_id(request, "subscription_id", "Pushabonnement")
    await technician_push.unsubscribe(user, number)
    return Response(status_code=204)


async def device_token(request: Request) -> JSONResponse:
    """
    summary: Turn the browser's web session into the app's device session (technicians)
    description: >
      A technician who logged in at /login lands in the app, which takes over that session
      instead of asking for his password again: it gets a device token, and the web session
      ends (the app's token is his one session from now on). Needs the session cookie and the
      CSRF token (header X-CSRF-Token); a bearer token cannot make another.
    tags: [auth]
    responses:
      200: Token
      400: Called with a bearer token instead of the web session
      403: Technicians only, or no valid CSRF token
    """
    user = await _technician(request)
    principal = request.user
    if not isinstance(principal, Principal) or principal.via != "session":
        raise BadRequest("De app neemt alleen een websessie over; deze aanvraag heeft een token.")
    value, expires = await tokens.issue(user, APP_LABEL)
    request.session.clear()
    return offer_handover(JSONResponse(token_json(user, value, expires)), False)


async def logout(request: Request) -> Response:
    """
    summary: Log out by revoking the bearer token this request carries (the device session)
    description: A web session the same browser still has ends too, so the app cannot take it
      over again after logging out.
    tags: [auth]
    responses:
      204: {description: Revoked; the token no longer works}
      400: Not called with a bearer token
    """
    current_user(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise BadRequest("Afmelden hier is voor de app; de website meldt af via /logout.")
    await tokens.revoke(token.strip())
    request.session.clear()
    return offer_handover(Response(status_code=204), False)
