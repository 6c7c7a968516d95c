"""Job tests need a real Redis; in CI a missing one fails the run instead of skipping. The
message channels (CM.com's stand-in, aiosmtpd, a push service) run on 127.0.0.1."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from tests.support.channels import Channels, running

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


@pytest.fixture
async def redis_url(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    client = Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except OSError as exc:
        await client.aclose()
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip(f"Redis at {REDIS_URL} unreachable: {exc}")
    await client.flushdb()
    from server import settings

    monkeypatch.setattr(settings, "REDIS_URL", REDIS_URL)
    yield REDIS_URL
    from server.jobs import queue

    await queue.close()
    await client.flushdb()
    await client.aclose()


@pytest.fixture
async def channels(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Channels]:
    """SMS, e-mail and push configured against local servers; no quiet hours."""
    async with running(monkeypatch) as servers:
        yield servers


async def burst(redis_url: str) -> tuple[int, int]:
    """Run a real arq worker in burst mode over what is queued: (jobs done, jobs failed)."""
    from server.jobs.worker import make_worker

    worker = make_worker(burst=True, redis_url=redis_url, manage_db=False)
    try:
        await worker.async_run()
    finally:
        await worker.close()
    return worker.jobs_complete, worker.jobs_failed
