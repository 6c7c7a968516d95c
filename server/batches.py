"""Work that concurrent requests of one process share: each submits its item and awaits its own
outcome, one task works through whatever is waiting, up to `size` at a time, in one go.

Alone, an item is a batch of one and goes at once. Under load, items that arrive while a batch
is in the database wait for the next one, so the round trips per item fall as the load rises,
with no timer adding latency (docs/performance.md: the intake's writes, fourth pass, and its
read, ninth pass).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# One outcome per item, in the items' order: what its caller gets, or the error it gets.
Run = Callable[[list[T]], Awaitable[list[R | Exception]]]


class _Queue(Generic[T, R]):
    def __init__(self) -> None:
        self.waiting: list[tuple[T, asyncio.Future[R]]] = []
        self.task: asyncio.Task[None] | None = None


class Batches(Generic[T, R]):
    def __init__(self, run: Run[T, R], size: int) -> None:
        self._run = run
        self.size = size
        # Per event loop: a future or task of one loop cannot be awaited in another.
        self._queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Queue[T, R]] = (
            weakref.WeakKeyDictionary()
        )

    async def submit(self, item: T) -> R:
        loop = asyncio.get_running_loop()
        queue = self._queues.get(loop)
        if queue is None:
            queue = self._queues[loop] = _Queue()
        future: asyncio.Future[R] = loop.create_future()
        queue.waiting.append((item, future))
        if queue.task is None:
            queue.task = loop.create_task(self._drain(queue))
        return await future

    async def _drain(self, queue: _Queue[T, R]) -> None:
        batch: list[tuple[T, asyncio.Future[R]]] = []
        try:
            while queue.waiting:
                batch, queue.waiting = queue.waiting[: self.size], queue.waiting[self.size :]
                outcomes = await self._run([item for item, _ in batch])
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    _settle(future, outcome)
                batch = []
        except BaseException as error:  # a bug, or cancelled at shutdown: nobody waits for ever
            failed = error if isinstance(error, Exception) else RuntimeError("batch cancelled")
            for _, future in batch + queue.waiting:
                _settle(future, failed)
            queue.waiting = []
            if not isinstance(error, Exception):
                raise
        finally:
            queue.task = None


def _settle(future: asyncio.Future[R], outcome: R | Exception) -> None:
    if future.done():  # its caller has gone (a dropped connection): the work stands
        return
    if isinstance(outcome, Exception):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
