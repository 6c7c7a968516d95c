"""How `meldkamer serve` runs uvicorn, so that a slow or idle client cannot hold a connection.

uvicorn times out an idle keep-alive connection (KEEP_ALIVE_TIMEOUT), but not a request head
that never completes: a client sending a header byte now and then keeps its connection for
ever, and a few hundred of them keep the process busy. `HeadDeadlineProtocol` is uvicorn's
httptools protocol (its C parser: a fraction of h11's CPU per request, docs/performance.md)
with that deadline added (REQUEST_HEAD_TIMEOUT, counted from the connection or from the
previous answer, like nginx's client_header_timeout) and with the bound on the head's size
that h11 has and httptools lacks (16 KB); the body's deadline is kept by the app itself
(server/web/body_limits.py). The event loop is uvloop.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from server import settings

# A request line and headers larger than this are refused (431) and the connection closed.
MAX_HEAD_BYTES = 16 * 1024
_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8"
    b"\r\ncontent-length: 30\r\nconnection: close\r\n\r\nDe aanvraag is te groot (kop)."
)


class HeadDeadlineProtocol(HttpToolsProtocol):
    """Closes the connection when a request's head has not fully arrived within
    REQUEST_HEAD_TIMEOUT seconds of the connection opening or the previous answer (after an
    answer that left part of its request body unread, the rest must arrive in that time too),
    or when the head grows past MAX_HEAD_BYTES."""

    head_timeout = settings.REQUEST_HEAD_TIMEOUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_deadline: asyncio.TimerHandle | None = None
        self._waiting_after: object = None  # the cycle answered when the deadline was set
        self._head_bytes = 0

    def on_message_begin(self) -> None:
        self._head_bytes = 0
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._count_head(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_head(len(name) + len(value) + 4)  # ": " and CRLF
        super().on_header(name, value)

    def _count_head(self, size: int) -> None:
        self._head_bytes += size
        if self._head_bytes > MAX_HEAD_BYTES:
            # Raised inside the parser's callback: uvicorn answers through send_400_response.
            raise ValueError("request head too large")

    def send_400_response(self, msg: str) -> None:
        if self._head_bytes <= MAX_HEAD_BYTES:
            super().send_400_response(msg)
            return
        self.transport.write(_TOO_LARGE)
        self.transport.close()

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


def run(host: str, port: int, workers: int = 1) -> None:
    """Serve the app in `workers` processes on one socket (uvicorn's supervisor restarts one
    that dies). Forwarded headers are the app's own business (server/app.py believes them from
    TRUSTED_PROXIES only), so uvicorn's are off; so is its access log, which would show the
    tokens in tenants' links (server/web/request_context.py writes one without them)."""
    prepare_metrics_dir(port)
    uvicorn.run(
        "server.app:app",
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,
        access_log=False,
        log_config=None,  # the app configures logging (server/logs.py), in every worker
        http=HeadDeadlineProtocol,
        loop="uvloop",
        ws="none",  # the app has no websockets; an upgrade is an ordinary request
        timeout_keep_alive=settings.KEEP_ALIVE_TIMEOUT,
        limit_concurrency=settings.MAX_CONNECTIONS,
    )


def prepare_metrics_dir(port: int) -> str:
    """A folder for the workers' metric files (prometheus-client's multiprocess mode, see
    server/metrics.py), emptied of an earlier run's: PROMETHEUS_MULTIPROC_DIR if set, else
    VAR_DIR/metrics-<port>, so two servers on one machine keep theirs apart. Set before any
    process of this server imports prometheus_client, which reads it once."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or str(settings.VAR_DIR / f"metrics-{port}")
    os.makedirs(path, exist_ok=True)
    for name in os.listdir(path):
        if name.endswith(".db"):
            os.remove(os.path.join(path, name))
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = path
    return path
