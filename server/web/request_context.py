"""Every request gets an id, one access-log line without secrets, and its time measured by
route (plain ASGI middleware, outermost).

The id is the `X-Request-ID` a trusted proxy sent (TRUSTED_PROXIES: it ties our lines to the
proxy's), else a new one; it is in every log line written while answering (server/logs.py) and
in the answer's `X-Request-ID`, so a user's report of a failure can be found in the logs.

The access log shows the path with the tokens that stand in for a login replaced by `***`:
a tenant's tracking and survey links, the SMS webhook's secret, an export's download token.
Query strings are left out (searches hold names, postcodes and phone numbers).
"""

from __future__ import annotations

import ipaddress
import logging
import re
import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import i18n, logs, metrics

access = logging.getLogger("meldkamer.access")

HEADER = "X-Request-ID"
# What we take from a proxy: its ids are uuids or hex, at most 128 of these characters.
_GOOD_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Path segments that are keys, not names: (prefix, how many segments after it).
_SECRET_PATHS = re.compile(
    r"^(?P<keep>/volg/|/enquete/|/api/v1/webhooks/sms/|/archief/exports/)[^/]+"
)
UNMATCHED = "(geen route)"
# Where RouteProbe leaves the matched route's template for RequestContext: middleware between
# them (CSRF) pass on a copy of the scope, and a copy shares this dict.
ROUTE_KEY = "meldkamer.route"


def redact(path: str) -> str:
    """The path as the access log shows it: tracking, survey, webhook and download tokens out."""
    return _SECRET_PATHS.sub(lambda m: m["keep"] + "***", path)


def route_template(scope: Scope) -> str:
    """The matched route's path template (`/api/v1/dossiers/{order_number}`), never the path
    itself, so ids and tokens stay out of metric labels and their number stays bounded."""
    route = scope.get("route")
    if route is None:
        return UNMATCHED
    prefix = str(scope.get("root_path", ""))[len(str(scope.get("app_root_path", ""))) :]
    if isinstance(route, Mount):  # static files: the mount, not the file
        return route.path + "/{path}"
    return prefix + str(getattr(route, "path", ""))


class RouteProbe:
    """Wraps the Starlette app, whose router writes the matched route into the scope it was
    given, and hands its template out to RequestContext."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            holder = scope.get(ROUTE_KEY)
            if isinstance(holder, dict):
                holder["template"] = route_template(scope)


class Networks:
    """The TRUSTED_PROXIES entries as networks; `*` trusts every peer."""

    def __init__(self, entries: tuple[str, ...]) -> None:
        self.everyone = "*" in entries
        self.networks = [ipaddress.ip_network(e, strict=False) for e in entries if e != "*"]

    def __contains__(self, host: str) -> bool:
        if self.everyone:
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.networks)


class RequestContext:
    def __init__(self, app: ASGIApp, trusted_proxies: tuple[str, ...] = ()) -> None:
        self.app = app
        self.trusted = Networks(trusted_proxies)

    def request_id(self, scope: Scope) -> str:
        peer = (scope.get("client") or ("", 0))[0]
        given = Headers(scope=scope).get(HEADER.lower(), "")
        if given and peer in self.trusted and _GOOD_ID.match(given):
            return given
        return uuid.uuid4().hex

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = self.request_id(scope)
        found: dict[str, str] = {}
        scope[ROUTE_KEY] = found
        token = logs.request_id.set(rid)
        start = time.perf_counter()
        status = 500  # what the server answers when the app raised before starting its answer

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[HEADER] = rid
            await send(message)

        try:
            # Every request starts in Dutch; a tenant's page switches for itself (server/i18n).
            with i18n.using(i18n.SOURCE):
                await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - start
            route = found.get("template", UNMATCHED)
            metrics.REQUEST_SECONDS.labels(scope["method"], route, str(status)).observe(seconds)
            peer = (scope.get("client") or ("-", 0))[0]
            access.info(
                "%s %s %s %.1f ms",
                scope["method"],
                redact(scope["path"]),
                status,
                seconds * 1000,
                extra={
                    "method": scope["method"],
                    "path": redact(scope["path"]),
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                    "client": peer,
                },
            )
            logs.request_id.reset(token)
