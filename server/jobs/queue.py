"""Enqueue a job: onto Redis for the arq workers, or run it in this process (embedded mode)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from arq import ArqRedis, create_pool
from arq.connections import RedisSettings
from arq.worker import Retry

from server import settings

log = logging.getLogger("meldkamer.jobs")
_running: set[asyncio.Task[Any]] = set()
_pool: ArqRedis | None = None
# Tries of one job, in a worker (arq's max_tries) and in-process alike.
MAX_TRIES = 5


def redis_settings(url: str | None = None) -> RedisSettings:
    return RedisSettings.from_dsn(url or settings.REDIS_URL or "redis://127.0.0.1:6379")


async def pool() -> ArqRedis:
    global _pool
    if _pool is None:
        _pool = await create_pool(redis_settings())
    return _pool


async def close() -> None:
    global _pool
    if _pool is not None:
        await _pool.aclose()
        _pool = None


async def enqueue(
    name: str, *args: Any, job_id: str | None = None, defer_until: datetime | None = None
) -> None:
    """Queue a job by name; `job_id` makes a repeated enqueue of the same work a no-op.

    `defer_until` holds the job back until then. In-process the task sleeps until then, so
    a restart of the embedded app forgets it (messages held by quiet hours do not use this:
    they wait in the outbox for its sweep).
    """
    if name not in _functions():
        raise ValueError(f"unknown job {name}")
    if settings.REDIS_URL:
        await (await pool()).enqueue_job(name, *args, _job_id=job_id, _defer_until=defer_until)
        return
    task = asyncio.create_task(_run_inline(name, *args, defer_until=defer_until))
    _running.add(task)
    task.add_done_callback(_running.discard)


def _functions() -> dict[str, Any]:
    # Imported here: the jobs call services, and services enqueue jobs.
    from server.jobs.tasks import FUNCTIONS

    return {f.__name__: f for f in FUNCTIONS}


async def _run_inline(name: str, *args: Any, defer_until: datetime | None = None) -> None:
    """Run a job here, with arq's retry contract: `Retry(defer=...)` runs it again later."""
    if defer_until is not None:
        await asyncio.sleep(max(0.0, (defer_until - datetime.now(UTC)).total_seconds()))
    for job_try in range(1, MAX_TRIES + 1):
        try:
            await _functions()[name]({"job_try": job_try}, *args)
            return
        except Retry as retry:
            await asyncio.sleep((retry.defer_score or 0) / 1000)
        except Exception:
            log.exception("in-process job %s failed", name)
            return
    log.error("in-process job %s gave up after %d tries", name, MAX_TRIES)


async def stop_inline(grace_seconds: float = 5.0) -> None:
    """Let in-process jobs finish (up to `grace_seconds`), then cancel what is left.

    Called when the app shuts down, so a job is not cut off mid-transaction. Jobs waiting for
    a later moment (a retry's backoff) are cancelled: without Redis nothing keeps them, but a
    message stays waiting in the outbox and the next start's sweep sends it.
    """
    if not _running:
        return
    tasks = list(_running)
    _, pending = await asyncio.wait(tasks, timeout=grace_seconds)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
