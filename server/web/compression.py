"""Compressed answers: brotli where the browser asks for it, gzip otherwise (plain ASGI).

Starlette's GZipMiddleware does the gzip half; its responder base also decides what not to
touch (a body already encoded, a partial answer, a small one, live streams and images), and the
brotli half reuses it with Google's `brotli` bindings. brotli-asgi was the ready-made choice,
but it compresses every content type, live event streams included (which would then be held
in the compressor's buffer), and reads "br" anywhere in Accept-Encoding.
"""

from __future__ import annotations

import brotli
from starlette.datastructures import Headers
from starlette.middleware.gzip import (
    DEFAULT_EXCLUDED_CONTENT_TYPES,
    GZipResponder,
    IdentityResponder,
)
from starlette.types import ASGIApp, Receive, Scope, Send

# Besides Starlette's list (images, fonts, event streams, archives): Excel files are zip
# archives, and a photo upload's or download's bytes gain nothing.
EXCLUDED = (
    *DEFAULT_EXCLUDED_CONTENT_TYPES,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/octet-stream",
    "application/pdf",
)
MINIMUM_SIZE = 500
GZIP_LEVEL = 6  # nearly level 9's size at a third of its time
BROTLI_QUALITY = 5  # on the fly: quality 11 is for files compressed once, ahead of time
# A small answer sent whole (an API's JSON, ~1 KB) at quality 1 and a 64 KB window: within a
# few per cent of quality 5's size, at a tenth of its time (70 us at quality 5 for the intake's
# answer, mostly setting up the 4 MB window). Issue #15, docs/performance.md, fourth pass.
SMALL_BODY = 16 * 1024
SMALL_QUALITY = 1
SMALL_WINDOW = 16


def accepted(accept_encoding: str) -> set[str]:
    """The codings the client accepts (`gzip;q=0` refuses gzip)."""
    codings = set()
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name and q > 0:
            codings.add(name.strip())
    return codings


class BrotliResponder(IdentityResponder):
    content_encoding = "br"

    def __init__(self, app: ASGIApp, minimum_size: int) -> None:
        super().__init__(app, minimum_size, exclude_content_types=EXCLUDED)
        self._compressor: brotli.Compressor | None = None

    async def apply_compression(self, body: bytes, *, more_body: bool) -> bytes:
        if self._compressor is None and not more_body and len(body) <= SMALL_BODY:
            out: bytes = brotli.compress(
                body, mode=brotli.MODE_TEXT, quality=SMALL_QUALITY, lgwin=SMALL_WINDOW
            )
            return out
        if self._compressor is None:
            self._compressor = brotli.Compressor(quality=BROTLI_QUALITY, mode=brotli.MODE_TEXT)
        out = self._compressor.process(body)
        # A streamed body is flushed per chunk, so each part reaches the browser as it is sent.
        end: bytes = self._compressor.flush() if more_body else self._compressor.finish()
        return out + end


class Compression:
    """brotli if the request accepts `br`, else gzip if it accepts that, else as it is."""

    def __init__(self, app: ASGIApp, minimum_size: int = MINIMUM_SIZE) -> None:
        self.app = app
        self.minimum_size = minimum_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        codings = accepted(Headers(scope=scope).get("accept-encoding", ""))
        responder: ASGIApp
        if "br" in codings:
            responder = BrotliResponder(self.app, self.minimum_size)
        elif "gzip" in codings:
            responder = GZipResponder(
                self.app, self.minimum_size, GZIP_LEVEL, exclude_content_types=EXCLUDED
            )
        else:
            responder = self.app
        await responder(scope, receive, send)
