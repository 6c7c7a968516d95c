"""Work shared by concurrent requests (server/batches.py): each caller gets its own outcome,
in its own order, whatever the others' fate; nothing waits for ever."""

from __future__ import annotations

import asyncio

import pytest

from server.batches import Batches


class _Refused(Exception):
    pass


async def test_alone_an_item_goes_at_once_and_concurrent_ones_share_a_batch() -> None:
    seen: list[list[int]] = []

    async def double(items: list[int]) -> list[int | Exception]:
        seen.append(items)
        await asyncio.sleep(0.01)  # the database's round trip: others arrive meanwhile
        return [i * 2 for i in items]

    batches: Batches[int, int] = Batches(double, size=4)
    assert await batches.submit(1) == 2
    assert seen == [[1]]

    seen.clear()
    got = await asyncio.gather(*(batches.submit(i) for i in range(10)))
    assert got == [i * 2 for i in range(10)]
    # All ten arrive before the first batch leaves: at most four at a time, in order.
    assert [len(b) for b in seen] == [4, 4, 2]
    assert sorted(i for b in seen for i in b) == list(range(10))


async def test_an_error_reaches_only_its_own_caller() -> None:
    async def refuse_odd(items: list[int]) -> list[int | Exception]:
        return [_Refused(i) if i % 2 else i for i in items]

    batches: Batches[int, int] = Batches(refuse_odd, size=10)
    got = await asyncio.gather(*(batches.submit(i) for i in range(6)), return_exceptions=True)
    assert [g if isinstance(g, int) else type(g) for g in got] == [
        0,
        _Refused,
        2,
        _Refused,
        4,
        _Refused,
    ]


async def test_a_broken_batch_fails_its_callers_and_the_next_batch_still_runs() -> None:
    calls = 0

    async def break_once(items: list[int]) -> list[int | Exception]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("verbinding weg")
        return items

    batches: Batches[int, int] = Batches(break_once, size=10)
    with pytest.raises(RuntimeError, match="verbinding weg"):
        await batches.submit(1)
    assert await asyncio.wait_for(batches.submit(2), 1) == 2


async def test_a_caller_that_gives_up_does_not_stop_the_others() -> None:
    done: list[int] = []

    async def slow(items: list[int]) -> list[int | Exception]:
        await asyncio.sleep(0.02)
        done.extend(items)
        return items

    batches: Batches[int, int] = Batches(slow, size=10)
    first = asyncio.ensure_future(batches.submit(1))
    await asyncio.sleep(0)
    waiting = [asyncio.ensure_future(batches.submit(i)) for i in (2, 3)]
    await asyncio.sleep(0)
    waiting[0].cancel()  # a dropped connection
    assert await first == 1 and await waiting[1] == 3
    assert done == [1, 2, 3]  # its work was done all the same, as a stored intake stays stored


async def test_cancelled_while_working_nobody_waits_for_ever() -> None:
    started = asyncio.Event()

    async def hang(items: list[int]) -> list[int | Exception]:
        started.set()
        await asyncio.sleep(3600)
        return items

    batches: Batches[int, int] = Batches(hang, size=10)
    first = asyncio.ensure_future(batches.submit(1))
    await started.wait()
    second = asyncio.ensure_future(batches.submit(2))
    await asyncio.sleep(0)
    (queue,) = batches._queues.values()
    assert queue.task is not None
    queue.task.cancel()  # shutdown
    for caller in (first, second):
        with pytest.raises(RuntimeError):
            await asyncio.wait_for(caller, 1)
