"""Machine traffic answered in front of the middleware stack (plain ASGI).

The telephony platform posts up to a thousand call events a second, each signed with a shared
secret (HMAC, server/contacts/signatures.py); a desk system or a PBX integration posts intakes
with a bearer token. Such a request needs none of what the stack does for people: no session,
CSRF check, cookie login or compression, which together cost about a third of an event's CPU
and a sixth of an intake's. It keeps what matters for it: the request id and access line and
the timing by route (RequestContext, which wraps this dispatcher), the security headers, the
body limits (size and a deadline for a slow body), the text check of the query, and errors
answered as the API answers them (JSON, a Dutch message, never a 500 page). Any other method
on these paths, and every other path, goes to the stack as before; so does a bearer route's
request that carries a cookie or no Authorization header (a browser's: the stack's session,
CSRF check and login pages apply to it).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from server.domain.errors import AppError, PayloadTooLarge
from server.web import input_text
from server.web.body_limits import BodyLimits
from server.web.errors import error_headers, from_validation_error
from server.web.headers import SecurityHeaders
from server.web.request_context import ROUTE_KEY

log = logging.getLogger("meldkamer")

# A handler takes the whole body and the headers and returns what to answer as JSON.
Handler = Callable[[bytes, Headers], Awaitable[dict[str, Any]]]


class Direct:
    """Send (method, path) of `routes` to their own small ASGI app, and of `bearer` too when
    the request has an Authorization header and no cookie; the rest to `app`."""

    def __init__(
        self,
        app: ASGIApp,
        routes: Mapping[tuple[str, str], ASGIApp],
        bearer: Mapping[tuple[str, str], ASGIApp] | None = None,
    ) -> None:
        self.app = app
        self.routes = dict(routes)
        self.bearer = dict(bearer or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            key = (scope["method"], scope["path"])
            endpoint = self.routes.get(key)
            if endpoint is None and key in self.bearer and _machine(scope["headers"]):
                endpoint = self.bearer[key]
            if endpoint is not None:
                holder = scope.get(ROUTE_KEY)
                if isinstance(holder, dict):
                    holder["template"] = scope["path"]  # an exact path: no ids in the label
                await endpoint(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _machine(headers: list[tuple[bytes, bytes]]) -> bool:
    """An Authorization header and no cookie: a program's request, not a browser's."""
    names = {name for name, _ in headers}
    return b"authorization" in names and b"cookie" not in names


def endpoint(
    handler: Handler, *, max_body: int, body_timeout: float, hsts: bool, status: int = 200
) -> ASGIApp:
    """`handler` as an ASGI app with the security headers and the body limits; its answer
    goes out with `status`, an error as the API answers it."""
    ok = status

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        extra: dict[str, str] = {}
        try:
            input_text.check_query(scope["query_string"])
            body = await _read(scope, receive, max_body)
            status, answer = ok, await handler(body, Headers(scope=scope))
        except (AppError, ValidationError) as exc:
            error = from_validation_error(exc) if isinstance(exc, ValidationError) else exc
            status = error.status
            answer = {"error": {"message": error.message, "field": error.field}}
            extra = error_headers(error)
            if status == 401:
                extra["WWW-Authenticate"] = "Bearer"
        except Exception:
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            status = 500
            message = "Er ging iets mis aan onze kant. Het is gelogd; probeer het opnieuw."
            answer = {"error": {"message": message, "field": None}}
        await _send_json(send, status, answer, close=status == 413, extra=extra)

    # BodyLimits keeps the deadline for a slow body (and closes the connection after a
    # refusal); its size limit lies beyond ours, which refuses first with its own message.
    limited = BodyLimits(
        app, default=2 * max_body, large=2 * max_body, large_routes=(), timeout=body_timeout
    )
    return SecurityHeaders(limited, hsts=hsts)


def too_large(max_body: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"De body is groter dan {max_body // 1024} kB.")


async def _read(scope: Scope, receive: Receive, max_body: int) -> bytes:
    """The whole body, refused (413) once it is, or says it will be, over `max_body`."""
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit() and int(value) > max_body:
            raise too_large(max_body)
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > max_body:
            raise too_large(max_body)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _dumps(content: dict[str, Any]) -> bytes:
    try:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    except UnicodeEncodeError:  # a lone surrogate echoed from the input (server/web/responses)
        return json.dumps(content, separators=(",", ":")).encode("ascii")


async def _send_json(
    send: Send, status: int, content: dict[str, Any], close: bool, extra: dict[str, str]
) -> None:
    body = _dumps(content)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *((name.lower().encode(), value.encode()) for name, value in extra.items()),
    ]
    if close:  # the rest of a body refused is still coming: close rather than read it
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
