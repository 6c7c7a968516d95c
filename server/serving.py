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
import os
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
        ws="none",  # the app has no websockets; an upgrade is an ordinary request
        h11_max_incomplete_event_size=MAX_HEAD_BYTES,
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
