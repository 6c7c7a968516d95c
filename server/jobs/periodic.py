"""Periodic work in the app itself when there is no Redis (and so no worker): the outbox sweep.

With REDIS_URL set the worker's cron runs it instead (server/jobs/worker.py), and this does
nothing. The first sweep comes one interval after start, not during it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from server import settings
from server.jobs import senders
from server.services.sending import sweep

log = logging.getLogger("meldkamer.jobs")


@asynccontextmanager
async def in_process(grace_seconds: float = 5.0) -> AsyncIterator[None]:
    """Sweep the outbox every OUTBOX_SWEEP_SECONDS while the app runs (without Redis).

    At shutdown a sweep in progress finishes the message it is sending (up to
    `grace_seconds`) and sends no more; what is left waits in the database for the next start.
    """
    every = settings.OUTBOX_SWEEP_SECONDS
    if settings.REDIS_URL or every <= 0:
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(_sweep_every(every, stop))
    try:
        yield
    finally:
        stop.set()
        done, _ = await asyncio.wait([task], timeout=grace_seconds)
        if not done:
            task.cancel()
        with suppress(asyncio.CancelledError):
            await task


async def _sweep_every(every: float, stop: asyncio.Event) -> None:
    while True:
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
        if stop.is_set():
            return
        try:
            await sweep(senders.get({}), stopping=stop.is_set)
        except Exception:  # a database hiccup must not end the sweeping for good
            log.exception("outbox sweep failed")
