"""Purging technicians' positions: kept only while he is on duty with consent and the position
is recent. Run by a real arq worker (burst) on Redis, and in-process without Redis."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from asgi_lifespan import LifespanManager

from server import settings
from server.app import create_app
from server.dispatch import absences
from server.jobs import periodic, queue
from server.jobs.worker import make_worker
from server.models import Absence, Technician, TechnicianPosition
from tests.dispatch.support import ALWAYS, UTRECHT, build, set_duty, technician
from tests.jobs.conftest import burst
from tests.support import world


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await build()


async def _crew(w: world.World) -> dict[str, int]:
    """Five technicians with a recent position each, one of them stale; only 'fresh' may
    keep his."""
    now = datetime.now(UTC)
    found = {}
    for name in ("fresh", "stale", "off duty", "no consent", "absent"):
        roster = [] if name == "off duty" else ALWAYS
        tech = await technician(name, ["LOO"], UTRECHT, roster=roster)
        await set_duty(tech, roster, UTRECHT, position_consent=True)
        age = timedelta(minutes=45 if name == "stale" else 2)
        await TechnicianPosition.create(
            technician=tech, latitude=52.1, longitude=5.1, reported_at=now - age
        )
        found[name] = tech.id
    # Changed directly: through the services each would drop the position at once.
    await Technician.filter(id=found["no consent"]).update(position_consent=False)
    today = absences.today()
    await Absence.create(
        technician_id=found["absent"], kind="ziek", starts_on=today, ends_on=today, created_at=now
    )
    return found


async def _kept() -> set[int]:
    return set(await TechnicianPosition.all().values_list("technician_id", flat=True))


async def test_worker_purges_every_position_that_may_not_be_kept(
    redis_url: str, w: world.World
) -> None:
    crew = await _crew(w)
    assert len(await _kept()) == 5
    await queue.enqueue("purge_positions", job_id="purge-test")
    assert await burst(redis_url) == (1, 0)
    assert await _kept() == {crew["fresh"]}


async def test_in_process_without_redis(w: world.World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "REDIS_URL", None)
    crew = await _crew(w)
    await queue.enqueue("purge_positions")
    for _ in range(100):
        if await _kept() == {crew["fresh"]}:
            break
        await asyncio.sleep(0.05)
    assert await _kept() == {crew["fresh"]}


async def test_the_app_purges_by_itself_without_redis(
    w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "REDIS_URL", None)
    monkeypatch.setattr(periodic, "POSITION_PURGE_SECONDS", 0.05)
    crew = await _crew(w)
    async with LifespanManager(create_app(manage_db=False)):
        for _ in range(100):
            if await _kept() == {crew["fresh"]}:
                break
            await asyncio.sleep(0.05)
    assert await _kept() == {crew["fresh"]}


def test_the_worker_runs_it_every_five_minutes() -> None:
    worker = make_worker(redis_url="redis://127.0.0.1:6379/13")
    [job] = [c for c in worker.cron_jobs if c.name == "cron:purge_positions"]
    assert job.minute == set(range(0, 60, 5))
    assert job.run_at_startup
