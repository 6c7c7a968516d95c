"""Messages held by quiet hours wait in the database, not in a process: they survive a restart
of the app without Redis and go out, once, when the sweep finds them due; acuut never waits.
Sent to CM.com's stand-in and aiosmtpd; the clock of the sender is fixed where time must pass.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from asgi_lifespan import LifespanManager

from server import settings
from server.app import create_app
from server.communication import sending
from server.jobs import queue
from server.jobs.worker import make_worker
from server.models import Dossier, DossierEvent, OutboundMessage
from tests.jobs.test_send_message_job import run_worker
from tests.support import world
from tests.support.channels import Channels, new_dossier, plan

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
async def w(db_clean: None) -> world.World:
    w = await world.build()
    # Quiet from two hours ago until two hours from now, whatever time the test runs.
    here = datetime.now(AMS)
    w.woonstad.settings = {
        "quiet_hours": f"{here - timedelta(hours=2):%H:%M}-{here + timedelta(hours=2):%H:%M}"
    }
    await w.woonstad.save()
    return w


async def dossier_with(w: world.World, urgency: str, **contact: str) -> Dossier:
    d = await new_dossier(w, **contact)
    await Dossier.filter(id=d.id).update(urgency=urgency)
    return await Dossier.get(id=d.id)


def sent_count(channels: Channels) -> int:
    return len(channels.cm.received) + len(channels.inbox.envelopes)


async def wait_for(condition: object, seconds: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not await condition():  # type: ignore[operator]
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_held_message_survives_a_restart_and_goes_out_once_due(
    w: world.World, channels: Channels, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not settings.REDIS_URL  # the embedded mode: no worker, the app sweeps itself
    monkeypatch.setattr(settings, "OUTBOX_SWEEP_SECONDS", 0.05)
    d = await dossier_with(w, "niet_urgent")
    async with LifespanManager(create_app(manage_db=False)):
        await plan(w, d)  # "afspraak ingepland", now, in the client's quiet hours
        await asyncio.sleep(0.5)  # the app sweeps ten times meanwhile
        rows = await OutboundMessage.filter(dossier_id=d.id).order_by("id")
        assert [(r.channel, r.status) for r in rows] == [("sms", "wachtrij"), ("email", "wachtrij")]
        assert sent_count(channels) == 0
        morning = rows[0].deliver_after
        assert morning > datetime.now(AMS) + timedelta(hours=1)
    # The app is gone, and with it anything it kept in memory; the database keeps the rows.
    assert not queue._running
    assert await OutboundMessage.filter(dossier_id=d.id, status="wachtrij").count() == 2

    # Two hours later a new instance starts: its sweep sends both, once.
    monkeypatch.setattr(sending, "now", lambda: morning + timedelta(minutes=1))

    async def all_sent() -> bool:
        return not await OutboundMessage.filter(dossier_id=d.id, status="wachtrij").exists()

    async with LifespanManager(create_app(manage_db=False)):
        await wait_for(all_sent)
        await asyncio.sleep(0.3)  # more sweeps: nothing more goes out
    assert len(channels.cm.received) == 1 and len(channels.inbox.envelopes) == 1
    assert "er is een afspraak" in channels.cm.received[0]["messages"]["msg"][0]["body"]["content"]
    rows = await OutboundMessage.filter(dossier_id=d.id).order_by("id")
    assert [(r.status, r.attempts) for r in rows] == [("verzonden", 1), ("verzonden", 1)]
    events = await DossierEvent.filter(dossier_id=d.id, kind="bericht")
    assert sorted(e.data["status"] for e in events) == ["verzonden", "verzonden"]


async def test_two_sweeps_at_once_send_each_message_once(
    w: world.World, channels: Channels
) -> None:
    dossiers = [await dossier_with(w, "niet_urgent") for _ in range(4)]
    for d in dossiers:
        await plan(w, d)
    held = await OutboundMessage.filter(status="wachtrij").order_by("id")
    assert len(held) == 8 and sent_count(channels) == 0
    later = max(r.deliver_after for r in held) + timedelta(minutes=1)
    # Two processes, each with its own senders. Not due yet: a sweep now sends nothing.
    first, second = sending.channels_from_settings(), sending.channels_from_settings()
    try:
        assert await sending.sweep(first) == {}
        # Both sweep at the same moment.
        results = await asyncio.gather(sending.sweep(first, later), sending.sweep(second, later))
        # The same sweep again finds nothing left.
        assert await sending.sweep(second, later) == {}
    finally:
        await first.aclose()
        await second.aclose()
    assert sum(r.get("verzonden", 0) for r in results) == 8
    assert len(channels.cm.received) == 4 and len(channels.inbox.envelopes) == 4
    references = [m["reference"] for r in channels.cm.received for m in r["messages"]["msg"]]
    assert len(set(references)) == 4
    rows = await OutboundMessage.filter(status="verzonden")
    assert len(rows) == 8 and all(r.attempts == 1 for r in rows)


async def test_acuut_goes_out_at_once_in_quiet_hours(
    w: world.World, channels: Channels, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "OUTBOX_SWEEP_SECONDS", 0)  # no sweep: the job sends it
    d = await dossier_with(w, "acuut", email="")
    async with LifespanManager(create_app(manage_db=False)):
        await plan(w, d)

        async def sent() -> bool:
            return await OutboundMessage.filter(dossier_id=d.id, status="verzonden").exists()

        await wait_for(sent)
    assert len(channels.cm.received) == 1


async def test_worker_sweep_sends_a_message_whose_job_was_lost(
    redis_url: str, w: world.World, channels: Channels
) -> None:
    from redis.asyncio import Redis

    d = await dossier_with(w, "urgent", email="")
    await plan(w, d)
    redis = Redis.from_url(redis_url)
    try:
        await redis.flushdb()  # Redis restarted without its data: the queued job is gone
    finally:
        await redis.aclose()
    assert await run_worker(redis_url) == (0, 0)
    assert channels.cm.received == []
    # The worker's sweep (every minute, and at its start) finds it waiting and due.
    await queue.enqueue("send_due_messages", job_id="sweep-test")
    assert await run_worker(redis_url) == (1, 0)
    assert len(channels.cm.received) == 1
    assert (await OutboundMessage.get(dossier_id=d.id)).status == "verzonden"
    crons = {c.name: c for c in make_worker(redis_url=redis_url).cron_jobs}
    sweep = crons["cron:send_due_messages"]
    assert (sweep.minute, sweep.second, sweep.run_at_startup) == (None, 0, True)
    assert make_worker(burst=True, redis_url=redis_url).cron_jobs == []
