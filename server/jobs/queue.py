"""Enqueue a job: onto Redis for the arq workers, or run it in this process (embedded mode)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from arq import ArqRedis, create_pool
from arq.connections import RedisSettings

from server import settings
from server.jobs.tasks import FUNCTIONS

log = logging.getLogger("meldkamer.jobs")
_BY_NAME = {f.__name__: f for f in FUNCTIONS}
_running: set[asyncio.Task[Any]] = set()
_pool: ArqRedis | None = None


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


async def enqueue(name: str, *args: Any, job_id: str | None = None) -> None:
    """Queue a job by name; `job_id` makes a repeated enqueue of the same work a no-op."""
    if name not in _BY_NAME:
        raise ValueError(f"unknown job {name}")
    if settings.REDIS_URL:
        await (await pool()).enqueue_job(name, *args, _job_id=job_id)
        return
    task = asyncio.create_task(_run_inline(name, *args))
    _running.add(task)
    task.add_done_callback(_running.discard)


async def _run_inline(name: str, *args: Any) -> None:
    try:
        await _BY_NAME[name]({}, *args)
    except Exception:
        log.exception("in-process job %s failed", name)
