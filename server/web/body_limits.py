"""How much of a request body the server reads, and how slowly it may arrive (plain ASGI).

This wraps everything that reads a body (the CSRF check reads forms before the app does, even
for an anonymous /login), so it counts the bytes as they stream in, chunked or not, and stops
at the route's limit: a Content-Length above it is refused before a byte is read; a body that
turns out larger than it said, or larger than the limit, is refused when the limit is passed.
A body that trickles in is cut off too: it must arrive within `timeout` seconds plus one second
for every MIN_RATE bytes received (Apache's mod_reqtimeout rule), so a slow phone uploading a
large photo has its time while a client sending a byte now and then does not.

Either refusal is an AppError (413, 408) raised from `receive`: inside the app the usual
handler renders it; raised where nothing handles it (the CSRF check), it is rendered here.
The answer closes the connection, so the server does not go on reading the rest.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from media.limits import MB, dutch_limit
from server.domain.errors import AppError, PayloadTooLarge, RequestTimeout
from server.web.errors import error_response

MIN_RATE = 500  # bytes per second


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"De verzonden gegevens zijn te groot (hoogstens {dutch_limit(limit, MB)} MB)."
    )


def too_slow() -> RequestTimeout:
    return RequestTimeout("De verzonden gegevens kwamen te langzaam binnen. Probeer het opnieuw.")


class BodyLimits:
    """Bodies up to `default` bytes, or `large` on `large_routes` ((method, path template));
    each must arrive within `timeout` seconds plus one per MIN_RATE bytes."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        default: int,
        large: int,
        large_routes: Iterable[tuple[str, str]],
        timeout: float,
    ) -> None:
        self.app = app
        self.default = default
        self.large = large
        self.large_routes = [(method, compile_path(path)[0]) for method, path in large_routes]
        self.timeout = timeout

    def limit_for(self, scope: Scope) -> int:
        for method, pattern in self.large_routes:
            if scope["method"] == method and pattern.match(scope["path"]):
                return self.large
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _answer(scope, receive, send, too_large(limit))
            return
        body = _Body(receive, limit, self.timeout)
        started = False

        async def send_closing(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if body.refused is not None:
                    # The rest of the body is still coming: close instead of reading it.
                    MutableHeaders(scope=message)["connection"] = "close"
            await send(message)

        try:
            await self.app(scope, body.receive, send_closing)
        except (PayloadTooLarge, RequestTimeout) as exc:
            if exc is not body.refused:
                raise
            if not started:
                await _answer(scope, receive, send, exc)


class _Body:
    """`receive` that counts the body and keeps its deadline; refuses once, then reports
    the client as gone to whoever asks again."""

    def __init__(self, receive: Receive, limit: int, timeout: float) -> None:
        self._receive = receive
        self.limit = limit
        self.timeout = timeout
        self.started = asyncio.get_running_loop().time()
        self.received = 0
        self.complete = False
        self.refused: AppError | None = None

    async def receive(self) -> Message:
        if self.refused is not None:
            return {"type": "http.disconnect"}
        if self.complete:  # only the disconnect is left to wait for, however long it takes
            return await self._receive()
        loop = asyncio.get_running_loop()
        deadline = self.started + self.timeout + self.received / MIN_RATE
        try:
            async with asyncio.timeout_at(max(deadline, loop.time())):
                message = await self._receive()
        except TimeoutError:
            self.refused = too_slow()
            raise self.refused from None
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.refused = too_large(self.limit)
                raise self.refused
            self.complete = not message.get("more_body", False)
        return message


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit():
            return int(value)
    return None


async def _answer(scope: Scope, receive: Receive, send: Send, exc: AppError) -> None:
    response = error_response(HTTPConnection(scope), exc)
    response.headers["connection"] = "close"
    await response(scope, receive, send)
