"""Any interleaving of pushes, lost answers, retries, racing pushes and dispatcher edits ends
with every operation answered once and every accepted operation applied exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sync import Op, Outcome, Status, push
from sync.memory import MemoryStore, MemoryWorld
from tests.sync.support import registry

kinds = st.sampled_from(["note", "note", "finish", "photo", "empty", "nonsense"])
actions = st.one_of(
    st.tuples(st.just("push"), st.integers(1, 6), st.booleans(), st.integers(0, 3)),
    st.tuples(st.just("race"), st.integers(1, 6)),
    st.tuples(st.just("edit"), st.booleans()),
    st.tuples(st.just("upload")),
)


def make_ops(kind_list: list[str]) -> list[Op]:
    ops = []
    for i, kind in enumerate(kind_list, start=1):
        payload: dict[str, Any] = {"text": "" if kind == "empty" else f"n{i}"}
        ops.append(Op(i, f"d1-{i}", "note" if kind == "empty" else kind, "MK-1", None, payload))
    return ops


async def scenario(kind_list: list[str], steps: list[tuple[Any, ...]]) -> None:
    world = MemoryWorld()
    store = MemoryStore(world, "d1")
    reg = registry()
    ops = make_ops(kind_list)
    acked = 0  # what the device believes is done
    answers: dict[int, list[Outcome]] = {}

    def remember(outcomes: list[Outcome]) -> None:
        for o in outcomes:
            answers.setdefault(o.seq, []).append(o)

    for step in steps:
        if step[0] == "push":
            _, size, lost, back = step
            start = max(0, acked - back)
            result = await push(store, reg, ops[start : start + size])
            remember(result.outcomes)
            if not lost:
                acked = max(acked, result.last_seq)
        elif step[0] == "race":
            batch = ops[acked : acked + step[1]]
            results = await asyncio.gather(push(store, reg, batch), push(store, reg, batch))
            for r in results:
                remember(r.outcomes)
            acked = max(acked, *(r.last_seq for r in results))
        elif step[0] == "edit":
            world.data["assigned"] = step[1]
        else:
            world.data["photo_uploaded"] = True
    world.data["photo_uploaded"] = True
    while acked < len(ops):
        result = await push(store, reg, ops[acked : acked + 50])
        remember(result.outcomes)
        assert result.stop is None, result.stop
        acked = result.last_seq

    stored = {seq: o for (_, seq), o in world.outcomes.items()}
    assert sorted(stored) == [o.seq for o in ops]
    for seq, seen in answers.items():
        assert all(o == stored[seq] for o in seen), "a replay answered differently"
    notes = Counter(n["op_id"] for n in world.data.get("notes", []))
    photos = Counter(world.data.get("photos", []))
    assert max([*notes.values(), *photos.values(), 1]) == 1, "something applied twice"
    for o in ops:
        status = stored[o.seq].status
        if o.kind == "note":
            assert (o.op_id in notes) == (status == Status.APPLIED)
        elif o.kind == "finish":
            assert o.op_id in notes and status in (Status.APPLIED, Status.CONFLICT)
        elif o.kind == "photo":
            assert o.op_id in photos and status == Status.APPLIED
        else:
            assert status == Status.REJECTED


@settings(max_examples=300, deadline=None)
@given(st.lists(kinds, min_size=1, max_size=15), st.lists(actions, max_size=12))
def test_any_interleaving_applies_each_accepted_operation_exactly_once(
    kind_list: list[str], steps: list[tuple[Any, ...]]
) -> None:
    asyncio.run(scenario(kind_list, steps))
