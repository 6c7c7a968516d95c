"""How `meldkamer serve` runs uvicorn, so that a slow or idle client cannot hold a connection.

uvicorn times out an idle keep-alive connection (KEEP_ALIVE_TIMEOUT), but not a request head
that never completes: a client sending a header byte now and then keeps its connection for
ever, and a few hundred of them keep the process busy. `HeadDeadlineProtocol` is uvicorn's h11
protocol with that deadline added (REQUEST_HEAD_TIMEOUT, counted from the connection or from
the previous answer, like nginx's client_header_timeout); the body's deadline is kept by the
app itself (server/web/body_limits.py). h11 also bounds the head's size (16 KB), which
httptools, uvicorn's default, does not.
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from server import settings

# h11's own default, stated: a request line and headers larger than this are refused (400).
MAX_HEAD_BYTES = 16 * 1024


class HeadDeadlineProtocol(H11Protocol):
    """Closes the connection when a request's head has not fully arrived within
    REQUEST_HEAD_TIMEOUT seconds of the connection opening or the previous answer; after an
    answer that left part of its request body unread, the rest must arrive in that time too."""

    head_timeout = settings.REQUEST_HEAD_TIMEOUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_deadline: asyncio.TimerHandle | None = None
        self._waiting_after: object = None  # the cycle answered when the deadline was set

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._set_head_deadline()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._clear_if_new_request()

    def on_response_complete(self) -> None:
        # Set before uvicorn reads a pipelined request, which then clears it at once.
        if not self.transport.is_closing():
            self._set_head_deadline()
        super().on_response_complete()
        self._clear_if_new_request()

    def connection_lost(self, exc: Exception | None) -> None:
        self._clear_head_deadline()
        super().connection_lost(exc)

    def _set_head_deadline(self) -> None:
        self._clear_head_deadline()
        self._waiting_after = self.cycle
        self._head_deadline = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _clear_if_new_request(self) -> None:
        # uvicorn starts a new cycle once a request's head is complete.
        if self._head_deadline is not None and self.cycle is not self._waiting_after:
            self._clear_head_deadline()

    def _clear_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_timed_out(self) -> None:
        self._head_deadline = None
        if not self.transport.is_closing():
            self.transport.close()


def run(host: str, port: int, proxies: dict[str, Any]) -> None:
    """Serve the app; `proxies` are uvicorn's forwarded-header options (server/proxies.py)."""
    uvicorn.run(
        "server.app:app",
        host=host,
        port=port,
        **proxies,
        http=HeadDeadlineProtocol,
        ws="none",  # the app has no websockets; an upgrade is an ordinary request
        h11_max_incomplete_event_size=MAX_HEAD_BYTES,
        timeout_keep_alive=settings.KEEP_ALIVE_TIMEOUT,
        limit_concurrency=settings.MAX_CONNECTIONS,
    )
