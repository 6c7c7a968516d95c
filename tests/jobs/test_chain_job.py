"""VERA messages sent by a real arq worker (burst) on Redis to a local ERP stand-in: the send
job delivers the order; a failed try queues the next one for when it is due."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from server.dossiers import dossiers
from server.jobs import tasks
from server.models import ChainMessage
from tests.chain import erp_standin, vera_spec
from tests.chain.erp_standin import Erp
from tests.chain.support import contractor_integration, triaged
from tests.jobs.conftest import burst
from tests.support import world


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


@pytest.fixture
async def erp() -> AsyncIterator[Erp]:
    async with erp_standin.running() as server:
        yield server


async def test_the_worker_delivers_the_order(redis_url: str, w: world.World, erp: Erp) -> None:
    await contractor_integration(w, erp)
    d = await triaged(w)
    contractor = w.technician.contractor_id  # type: ignore[attr-defined]
    await dossiers.transition(w.agent, d, "doorgezet_naar_monteur", {"contractor_id": contractor})
    assert await burst(redis_url) == (1, 0)
    (row,) = await ChainMessage.all()
    assert row.status == "verzonden" and row.attempts == 1
    (order,) = erp.bodies("/vera/v4/onderhoudsorders")
    assert vera_spec.errors("POST", "/onderhoudsorders", order) == []
    assert order["id"] == d.order_number


async def test_a_failed_try_queues_the_next_one_in_redis_for_its_moment(
    redis_url: str, w: world.World, erp: Erp
) -> None:
    await contractor_integration(w, erp)
    erp.down = True
    d = await triaged(w)
    contractor = w.technician.contractor_id  # type: ignore[attr-defined]
    await dossiers.transition(w.agent, d, "doorgezet_naar_monteur", {"contractor_id": contractor})
    (row,) = await ChainMessage.all()
    redis = Redis.from_url(redis_url)
    try:
        await redis.flushdb()  # the job the move queued: run here instead, as the worker would
        assert await tasks.send_chain_message({}, row.id) == "wachtrij"
        queued = await redis.zrange("arq:queue", 0, -1, withscores=True)
    finally:
        await redis.aclose()
    await row.refresh_from_db()
    assert row.attempts == 1 and row.deliver_after > row.created_at
    ((job_id, score),) = queued
    # Deferred in Redis until the next try is due, not held by a sleeping worker.
    assert job_id.decode().startswith(f"chain:{row.id}:")
    assert abs(score / 1000 - row.deliver_after.timestamp()) < 1
