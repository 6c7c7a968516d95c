"""Live updates to browsers as server-sent events.

Every app process keeps its own subscribers. With REDIS_URL set, a publish goes through Redis
pub/sub so subscribers in every process receive it; without Redis (the embedded default, one
process) it is fanned out in memory. Authorisation is the caller's job: check what the user may
see before calling `stream`, and give it `allowed`, so a stream that lasts hours ends once the
user may no longer see it (logged out, deactivated, the job given to someone else).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from redis.asyncio import Redis
from sse_starlette.sse import EventSourceResponse
from starlette.requests import Request
from starlette.responses import Response

from server import settings

log = logging.getLogger("meldkamer.live")
PREFIX = "mk:live:"
BUNDLE = "+several"  # publish_many's channel: not a name any screen subscribes to
QUEUE_SIZE = 100  # a browser that falls this far behind misses events, not the server's memory


class Broker:
    def __init__(self, redis_url: str | None) -> None:
        self.redis_url = redis_url
        self._subscribers: dict[str, set[asyncio.Queue[dict[str, Any]]]] = {}
        self._redis: Redis | None = None
        self._listener: asyncio.Task[None] | None = None
        self._prefix = PREFIX
        self._outgoing: list[tuple[list[Message], asyncio.Future[None]]] = []
        self._sender: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self.redis_url and self._listener is None:
            self._redis = Redis.from_url(self.redis_url)
            # Pub/sub ignores Redis's numbered databases: two installations (or test runs)
            # on one Redis would hear each other's screens unless the channel names the db.
            db = self._redis.connection_pool.connection_kwargs.get("db", 0)
            self._prefix = f"{PREFIX}{db}:"
            pubsub = self._redis.pubsub()
            await pubsub.psubscribe(self._prefix + "*")
            self._listener = asyncio.create_task(self._listen(pubsub))

    async def stop(self) -> None:
        if self._sender is not None:
            self._sender.cancel()  # its waiting publishers are told (`_send`'s finally)
            with contextlib.suppress(asyncio.CancelledError, RuntimeError):
                await self._sender
            self._sender = None
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None

    async def publish(self, channel: str, event: str, data: dict[str, Any]) -> None:
        await self.publish_many([(channel, event, data)])

    async def publish_many(self, messages: list[tuple[str, str, dict[str, Any]]]) -> None:
        """Several messages, in order; with Redis, sent together with whatever the process's
        other requests publish meanwhile, and returning once sent."""
        if self._redis is None:
            for channel, event, data in messages:
                self._deliver({"channel": channel, "event": event, "data": data})
            return
        loop = asyncio.get_running_loop()
        sent = loop.create_future()
        self._outgoing.append((messages, sent))
        sender = self._sender
        if sender is None or sender.done() or sender.get_loop() is not loop:
            self._sender = asyncio.create_task(self._send())
        await sent

    async def _send(self) -> None:
        # One PUBLISH carries everything waiting, in order, on a channel no screen has: under
        # load, one Redis command and one wake-up and decode in every process per round
        # instead of per request (each cost more CPU than an intake's SQL reads;
        # docs/performance.md, seventh pass). Alone, a request's messages go at once.
        batch: list[tuple[list[Message], asyncio.Future[None]]] = []
        try:
            while self._outgoing and self._redis is not None:
                batch, self._outgoing = self._outgoing, []
                bundle = [
                    {"channel": c, "event": e, "data": d}
                    for messages, _ in batch
                    for c, e, d in messages
                ]
                try:
                    await self._redis.publish(
                        self._prefix + BUNDLE, json.dumps(bundle, default=str)
                    )
                except Exception as error:  # noqa: BLE001 - each waiting publisher logs it
                    _settle(batch, error)
                else:
                    _settle(batch)
                batch = []
        finally:
            # Stopped (cancelled, Redis closed): nobody waits for ever.
            _settle(batch + self._outgoing, RuntimeError("live updates stopped"))
            self._outgoing = []

    async def _listen(self, pubsub: Any) -> None:
        try:
            async for raw in pubsub.listen():
                if raw.get("type") != "pmessage" or not self._subscribers:
                    continue  # a process without a browser watching decodes nothing
                # Every process hears every message (a pop for each call event); only one
                # with a browser on that channel reads it.
                channel = raw.get("channel", b"")
                name = channel.decode() if isinstance(channel, bytes) else str(channel)
                name = name.removeprefix(self._prefix)
                if name == BUNDLE:
                    for message in json.loads(raw["data"]):
                        if message["channel"] in self._subscribers:
                            self._deliver(message)
                elif name in self._subscribers:  # from a process of the version before
                    self._deliver(json.loads(raw["data"]))
        finally:
            await pubsub.aclose()

    def _deliver(self, message: dict[str, Any]) -> None:
        for queue in list(self._subscribers.get(message["channel"], ())):
            try:
                queue.put_nowait(message)
            except asyncio.QueueFull:
                log.warning("live subscriber on %s is too slow; event dropped", message["channel"])

    async def subscribe(self, channels: list[str]) -> AsyncGenerator[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_SIZE)
        for channel in channels:
            self._subscribers.setdefault(channel, set()).add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            for channel in channels:
                subscribers = self._subscribers.get(channel, set())
                subscribers.discard(queue)
                if not subscribers:
                    self._subscribers.pop(channel, None)


Message = tuple[str, str, dict[str, Any]]


def _settle(
    batch: list[tuple[list[Message], asyncio.Future[None]]], error: Exception | None = None
) -> None:
    for _, sent in batch:
        if sent.done():  # its request went away meanwhile
            continue
        if error is None:
            sent.set_result(None)
        else:
            sent.set_exception(error)


broker = Broker(settings.REDIS_URL)


class _Held(list[Message]):
    """Publishes waiting for the end of a `together` block. A task started inside the block
    (an in-process job) inherits it; once the block has sent them it is closed, and such a
    task's later publishes go out at once."""

    open = True


_held: ContextVar[_Held | None] = ContextVar("live_held", default=None)


@asynccontextmanager
async def together(unique: bool = False) -> AsyncIterator[None]:
    """Publishes inside the block go out when it ends, in order, in one round trip to Redis
    (an intake tells the board, the dashboards and the dossier's screen: one trip, not three).
    Only for work whose publishes follow its commits: they are sent even if the block raises,
    as they would have been at once. Nested blocks join the outermost. With `unique`, a
    message repeated among the last twenty goes once (a sync push of a hundred operations on
    one dossier tells its page once that the werkbon changed, and each chat message once)."""
    outer = _held.get()
    if outer is not None and outer.open:
        yield
        return
    held = _Held()
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
        held.open = False
        messages: list[Message] = list(held)
        if unique:
            messages = []
            for message in held:
                if message not in messages[-20:]:
                    messages.append(message)
        await publish_many(messages)


async def publish(channel: str, event: str, data: dict[str, Any]) -> None:
    """Tell every browser watching `channel`; a failure here never fails the caller's change."""
    held = _held.get()
    if held is not None and held.open:
        held.append((channel, event, data))
        return
    try:
        await broker.publish(channel, event, data)
    except Exception:  # noqa: BLE001 - live updates are a courtesy; the data is committed
        log.exception("live publish on %s failed", channel)


async def publish_many(messages: list[tuple[str, str, dict[str, Any]]]) -> None:
    """`publish` for several messages at once: one round trip to Redis for all of them."""
    if not messages:
        return
    held = _held.get()
    if held is not None and held.open:
        held.extend(messages)
        return
    try:
        await broker.publish_many(messages)
    except Exception:  # noqa: BLE001 - as publish
        log.exception("live publish on %s failed", ", ".join(m[0] for m in messages))


def stream(
    request: Request, channels: list[str], allowed: Callable[[], Awaitable[bool]]
) -> Response:
    """An SSE response carrying the events of `channels` until the browser goes away, or
    until `allowed`, asked before each event, says no: then it ends and sends nothing more."""

    async def events() -> AsyncIterator[dict[str, str]]:
        async with contextlib.aclosing(broker.subscribe(channels)) as messages:
            async for message in messages:
                if not await allowed():
                    return
                yield {"event": message["event"], "data": json.dumps(message["data"], default=str)}

    return EventSourceResponse(events(), ping=15, headers={"Cache-Control": "no-store"})
