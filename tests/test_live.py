"""Live updates reach every subscriber of a channel, in one process and across processes."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest
from redis.asyncio import Redis

from server.live import Broker

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


async def _first(broker: Broker, channels: list[str], ready: asyncio.Event) -> dict[str, Any]:
    stream = broker.subscribe(channels)
    task = asyncio.ensure_future(stream.__anext__())
    await asyncio.sleep(0)  # let the subscription register before anyone publishes
    ready.set()
    try:
        return await asyncio.wait_for(task, 5)
    finally:
        await stream.aclose()


async def test_in_process_fan_out_by_channel() -> None:
    broker = Broker(None)
    ready_a, ready_b = asyncio.Event(), asyncio.Event()
    board = asyncio.create_task(_first(broker, ["board"], ready_a))
    other = asyncio.create_task(_first(broker, ["dossier:MK-2026-000001", "board"], ready_b))
    await ready_a.wait()
    await ready_b.wait()
    await broker.publish("board", "assigned", {"order_number": "MK-2026-000007"})
    assert (await board)["data"] == {"order_number": "MK-2026-000007"}
    assert (await other)["event"] == "assigned"
    assert broker._subscribers == {}  # closed streams leave nothing behind


async def test_unrelated_channel_hears_nothing() -> None:
    broker = Broker(None)
    ready = asyncio.Event()
    waiting = asyncio.create_task(_first(broker, ["client:LVD"], ready))
    await ready.wait()
    await broker.publish("client:WST", "changed", {})
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(asyncio.shield(waiting), 0.2)
    waiting.cancel()


async def _redis_or_skip() -> None:
    client = Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except OSError as exc:
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip(f"Redis at {REDIS_URL} unreachable: {exc}")
    finally:
        await client.aclose()


async def test_across_processes_through_redis() -> None:
    await _redis_or_skip()
    # Two brokers stand for two app processes: a publish in one reaches the other.
    first, second = Broker(REDIS_URL), Broker(REDIS_URL)
    await first.start()
    await second.start()
    try:
        ready = asyncio.Event()
        listening = asyncio.create_task(_first(second, ["board"], ready))
        await ready.wait()
        await asyncio.sleep(0.1)  # the pattern subscription is live
        await first.publish("board", "assigned", {"order_number": "MK-2026-000009"})
        message = await listening
        assert message == {
            "channel": "board",
            "event": "assigned",
            "data": {"order_number": "MK-2026-000009"},
        }
    finally:
        await first.stop()
        await second.stop()


async def test_several_at_once_reach_the_other_process_in_order() -> None:
    """An intake tells the board, the dashboards and the dossier's screen in one publish: each
    subscriber of the other process gets its own, in the order sent, and nothing else."""
    await _redis_or_skip()
    first, second = Broker(REDIS_URL), Broker(REDIS_URL)
    await first.start()
    await second.start()
    stream = second.subscribe(["board", "dossier:MK-2026-000010"])
    try:
        heard = asyncio.ensure_future(stream.__anext__())
        await asyncio.sleep(0.1)  # subscribed here and the pattern subscription is live
        await first.publish_many(
            [
                ("board", "created", {"order_number": "MK-2026-000010"}),
                ("client:WST", "changed", {}),
                ("dossier:MK-2026-000010", "changed", {"status": "nieuw"}),
                ("board", "assigned", {"order_number": "MK-2026-000010"}),
            ]
        )
        got = [await asyncio.wait_for(heard, 5)]
        got += [await asyncio.wait_for(stream.__anext__(), 5) for _ in range(2)]
        assert [(m["channel"], m["event"]) for m in got] == [
            ("board", "created"),
            ("dossier:MK-2026-000010", "changed"),
            ("board", "assigned"),
        ]
        assert got[1]["data"] == {"status": "nieuw"}
        with pytest.raises(TimeoutError):  # the client's channel had no subscriber here
            await asyncio.wait_for(stream.__anext__(), 0.2)
    finally:
        await stream.aclose()
        await first.stop()
        await second.stop()


async def test_another_redis_database_hears_nothing() -> None:
    """Redis's pub/sub spans its numbered databases: an installation (or a test run) on db 9
    must not tell the screens of one on another db of the same Redis."""
    await _redis_or_skip()
    base, _, number = REDIS_URL.rpartition("/")
    other_url = f"{base}/{(int(number or 0) + 1) % 16}"
    ours, theirs = Broker(REDIS_URL), Broker(other_url)
    await ours.start()
    await theirs.start()
    try:
        ready = asyncio.Event()
        listening = asyncio.create_task(_first(ours, ["board"], ready))
        await ready.wait()
        await asyncio.sleep(0.1)
        await theirs.publish("board", "created", {"order_number": "MK-2026-000011"})
        await theirs.publish_many([("board", "created", {}), ("board", "assigned", {})])
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(asyncio.shield(listening), 0.3)
        await ours.publish("board", "created", {"order_number": "MK-2026-000012"})
        assert (await listening)["data"] == {"order_number": "MK-2026-000012"}
    finally:
        await ours.stop()
        await theirs.stop()


async def test_many_requests_publishing_at_once_are_each_heard_once_and_in_order() -> None:
    """Under load a process sends what its requests publish together (server/live.py): thirty
    requests at once, three messages each, reach the other process's screens, each
    message once, each request's in its own order; a publisher waiting when its broker
    stops is told so rather than left waiting."""
    await _redis_or_skip()
    first, second = Broker(REDIS_URL), Broker(REDIS_URL)
    await first.start()
    await second.start()
    stream = second.subscribe(["board"])
    try:
        heard = asyncio.ensure_future(stream.__anext__())
        await asyncio.sleep(0.1)

        async def request(n: int) -> None:
            await first.publish_many(
                [("board", step, {"n": n}) for step in ("created", "triaged", "assigned")]
            )

        # Within what one screen's queue holds (QUEUE_SIZE): a slower screen misses events.
        await asyncio.gather(*(request(n) for n in range(30)))
        got = [await asyncio.wait_for(heard, 5)]
        got += [await asyncio.wait_for(stream.__anext__(), 5) for _ in range(89)]
        by_request: dict[int, list[str]] = {}
        for message in got:
            by_request.setdefault(message["data"]["n"], []).append(message["event"])
        assert by_request == {n: ["created", "triaged", "assigned"] for n in range(30)}
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(stream.__anext__(), 0.2)

        waiting = asyncio.gather(*(request(n) for n in range(3)), return_exceptions=True)
        await first.stop()
        outcomes = await asyncio.wait_for(waiting, 5)
        assert all(o is None or isinstance(o, Exception) for o in outcomes), outcomes
    finally:
        await stream.aclose()
        await first.stop()
        await second.stop()
