"""Reading a server-sent-events response in-process, as a browser's EventSource would.

httpx's ASGI transport waits for the whole body, which an SSE stream never finishes; this
drives the ASGI app itself, hands over what arrives, and disconnects when the test is done.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.types import ASGIApp, Message


@dataclass
class Stream:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    _chunks: asyncio.Queue[bytes] = field(default_factory=asyncio.Queue)
    _buffer: str = ""

    async def next_event(self, wait: float = 2.0) -> tuple[str, dict[str, Any]]:
        """The next (event, data) that is not a keep-alive ping; TimeoutError when none."""
        while True:
            if "\r\n\r\n" in self._buffer or "\n\n" in self._buffer:
                block, self._buffer = _split(self._buffer)
                event, data = "message", ""
                for line in block.splitlines():
                    name, _, value = line.partition(":")
                    if name == "event":
                        event = value.strip()
                    elif name == "data":
                        data += value.strip()
                if data:
                    return event, json.loads(data)
                continue
            chunk = await asyncio.wait_for(self._chunks.get(), wait)
            self._buffer += chunk.decode()

    async def text_within(self, seconds: float) -> str:
        """What arrives within `seconds`, raw."""
        with contextlib.suppress(TimeoutError):
            while True:
                self._buffer += (await asyncio.wait_for(self._chunks.get(), seconds)).decode()
        return self._buffer

    async def events_within(self, seconds: float) -> list[tuple[str, dict[str, Any]]]:
        found = []
        with contextlib.suppress(TimeoutError):
            while True:
                found.append(await self.next_event(seconds))
        return found


def _split(buffer: str) -> tuple[str, str]:
    buffer = buffer.replace("\r\n", "\n")
    block, _, rest = buffer.partition("\n\n")
    return block, rest


def cookie_header(http: httpx.AsyncClient) -> dict[str, str]:
    """The session of a logged-in test client, as the header a browser would send."""
    return {"cookie": "; ".join(f"{k}={v}" for k, v in http.cookies.items())}


@contextlib.asynccontextmanager
async def open_stream(
    app: ASGIApp, path: str, headers: dict[str, str] | None = None
) -> AsyncIterator[Stream]:
    """GET `path`; the stream is open once its status is known (an error body is in it too)."""
    target, _, query = path.partition("?")
    sent = {"host": "testserver", "accept": "text/event-stream", **(headers or {})}
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": target,
        "raw_path": target.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in sent.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    stream = Stream()
    started = asyncio.Event()
    gone = asyncio.Event()
    asked = False

    async def receive() -> Message:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            stream.status = message["status"]
            stream.headers = {k.decode().lower(): v.decode() for k, v in message["headers"]}
            started.set()
        elif message["type"] == "http.response.body":
            stream._chunks.put_nowait(message.get("body", b""))

    async def run() -> None:
        await app(scope, receive, send)

    task = asyncio.create_task(run())
    try:
        await asyncio.wait_for(started.wait(), 5)
        yield stream
    finally:
        gone.set()
        try:
            await asyncio.wait_for(task, 5)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
