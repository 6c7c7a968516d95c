"""Enqueue a job: onto Redis for the arq workers, or run it in this process (embedded mode)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
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
# The jobs a service may ask for, by name. Services know only these names; the functions are
# registered by whoever runs them (server/jobs/tasks.py: `register()` for the app, the CLI and
# the tests, the function list for the arq worker), so asking for work imports no job code.
JOBS = frozenset(
    {
        "anonymise_old_contacts",
        "anonymise_old_dossiers",
        "archive_closed_dossiers",
        "export_dossiers",
        "fold_contact_hours",
        "geocode_dossier",
        "import_stock",
        "poll_mailboxes",
        "prune_exports",
        "prune_sync_changes",
        "purge_positions",
        "send_chain_message",
        "send_due_chain_messages",
        "send_due_messages",
        "send_message",
        "send_telephony_reports",
        "send_client_reports",
    }
)
JobFunction = Callable[..., Awaitable[Any]]
_functions: dict[str, JobFunction] = {}


def register(functions: Iterable[JobFunction]) -> None:
    """Make these functions runnable in this process, by their names (each one of JOBS)."""
    for function in functions:
        if function.__name__ not in JOBS:
            raise ValueError(f"job {function.__name__} is not in JOBS")
        _functions[function.__name__] = function


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
    if name not in JOBS:
        raise ValueError(f"unknown job {name}")
    if settings.REDIS_URL:
        await (await pool()).enqueue_job(name, *args, _job_id=job_id, _defer_until=defer_until)
        return
    task = asyncio.create_task(_run_inline(name, *args, defer_until=defer_until))
    _running.add(task)
    task.add_done_callback(_running.discard)


async def _run_inline(name: str, *args: Any, defer_until: datetime | None = None) -> None:
    """Run a job here, with arq's retry contract: `Retry(defer=...)` runs it again later."""
    function = _functions.get(name)
    if function is None:
        log.error("job %s has no function in this process: call server.jobs.tasks.register()", name)
        return
    if defer_until is not None:
        await asyncio.sleep(max(0.0, (defer_until - datetime.now(UTC)).total_seconds()))
    for job_try in range(1, MAX_TRIES + 1):
        try:
            await function({"job_try": job_try}, *args)
            return
        except Retry as retry:
            await asyncio.sleep((retry.defer_score or 0) / 1000)
        except Exception:
            log.exception("in-process job %s failed", name)
            return
    log.error("in-process job %s gave up after %d tries", name, MAX_TRIES)


async def wait_inline() -> None:
    """For tests: every job run in this process (no Redis) has finished, retries included."""
    while _running:
        await asyncio.gather(*list(_running), return_exceptions=True)


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
