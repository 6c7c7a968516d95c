"""The nightly pruning of the change log, queued on real Redis and run by a burst arq worker."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from asgi_lifespan import LifespanManager

from server import settings
from server.app import create_app
from server.fieldwork import changefeed
from server.jobs import periodic, queue
from server.jobs.worker import make_worker
from server.models import ChangeLog, SyncPrune
from tests.jobs.conftest import burst
from tests.support import world


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def test_worker_prunes_old_changes_and_records_the_horizon(
    redis_url: str, w: world.World
) -> None:
    old = datetime.now(UTC) - timedelta(days=31)
    assert w.technician.user_id is not None  # type: ignore[attr-defined]
    user_id = w.technician.user_id  # type: ignore[attr-defined]
    conn = ChangeLog._meta.db
    for text in ("oud 1", "oud 2"):
        await changefeed.append(conn, user_id, "notice", None, old, message=text)
    fresh = await changefeed.append(conn, user_id, "notice", None, message="nieuw")

    await queue.enqueue("prune_sync_changes", job_id="prune-test")
    assert await burst(redis_url) == (1, 0)
    assert await ChangeLog.all().values_list("id", flat=True) == [fresh.id]
    prune = await SyncPrune.get()
    assert (prune.deleted, prune.through_id) == (2, fresh.id - 1)
    assert await changefeed.head() == fresh.id


async def test_without_redis_the_app_prunes_by_itself(
    w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "REDIS_URL", None)
    monkeypatch.setattr(periodic, "CHANGE_PRUNE_SECONDS", 0.05)
    user_id = w.technician.user_id  # type: ignore[attr-defined]
    old = datetime.now(UTC) - timedelta(days=31)
    await changefeed.append(ChangeLog._meta.db, user_id, "notice", None, old, message="oud")
    async with LifespanManager(create_app(manage_db=False)):
        for _ in range(100):
            if await SyncPrune.exists():
                break
            await asyncio.sleep(0.05)
    assert await ChangeLog.all().count() == 0 and await SyncPrune.exists()


def test_the_worker_prunes_every_night() -> None:
    worker = make_worker(redis_url="redis://127.0.0.1:6379/12")
    [job] = [c for c in worker.cron_jobs if c.name == "cron:prune_sync_changes"]
    assert (job.hour, job.minute, job.run_at_startup) == ({4}, {15}, False)
