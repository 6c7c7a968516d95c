"""The nightly pruning of the change log, queued on real Redis and run by a burst arq worker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from server.jobs import queue
from server.models import ChangeLog, SyncPrune
from server.services import changefeed
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
