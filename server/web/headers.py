"""Security headers on every response (plain ASGI middleware)."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server import settings

# Everything the front end needs is served from this origin: no CDN, no third party.


def _tile_origin(url: str) -> str:
    """The origin of the dispatch board's map tiles (MAP_TILE_URL), the one other origin
    images may come from; none when no tile server is configured."""
    parts = urlsplit(url)
    return f" {parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else ""


CSP = (
    "default-src 'self'; "
    f"img-src 'self' data: blob:{_tile_origin(settings.MAP_TILE_URL)}; "
    "style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


# A year, renewed on every answer; not includeSubDomains or preload, which would bind other
# hosts of the domain that this app does not know about.
HSTS = "max-age=31536000"


class SecurityHeaders:
    """The headers above on every answer; with `hsts` (an https BASE_URL) also
    Strict-Transport-Security, so a browser never again tries this site over plain http."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CSP)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("X-Frame-Options", "DENY")
                if self.hsts:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)
