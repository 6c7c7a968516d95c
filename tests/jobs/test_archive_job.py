"""The archive job, queued on real Redis and run by a real arq worker in burst mode."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from server.dossiers import dossiers
from server.jobs import queue
from server.jobs.worker import make_worker
from server.models import Dossier
from tests.support import world


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def test_worker_archives_closed_dossiers(redis_url: str, w: world.World) -> None:
    d = await dossiers.create(w.agent, world.intake(category="elektra"))
    await dossiers.transition(
        w.agent, d, "op_afstand_opgelost", {"result_code": "telefonisch_opgelost"}
    )
    await Dossier.filter(id=d.id).update(closed_at=datetime.now(UTC) - timedelta(days=30))

    await queue.enqueue("archive_closed_dossiers", job_id="archive-test")
    # The same job id again is not a second job.
    await queue.enqueue("archive_closed_dossiers", job_id="archive-test")
    worker = make_worker(burst=True, redis_url=redis_url, manage_db=False)
    try:
        await worker.async_run()
    finally:
        await worker.close()
    assert (worker.jobs_complete, worker.jobs_failed) == (1, 0)
    assert (await Dossier.get(id=d.id)).phase == "gearchiveerd"


async def test_unknown_job_is_refused(redis_url: str, w: world.World) -> None:
    with pytest.raises(ValueError, match="unknown job nope"):
        await queue.enqueue("nope")
