"""Push: order, exactly once, gaps, rejections that advance, temporary errors that stop."""

from __future__ import annotations

import asyncio
import dataclasses
import logging

import pytest

from sync import Op, ProtocolError, Status, parse_ops, push
from sync.memory import MemoryStore, MemoryWorld
from tests.sync.support import op, registry


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore(MemoryWorld(), "d1")


async def test_applies_in_order_and_advances(store: MemoryStore) -> None:
    result = await push(store, registry(), [op(1), op(2), op(3)])
    assert [o.status for o in result.outcomes] == [Status.APPLIED] * 3
    assert result.last_seq == 3 and result.stop is None
    assert [n["text"] for n in store.world.data["notes"]] == ["n1", "n2", "n3"]


async def test_replay_is_answered_not_applied_again(store: MemoryStore) -> None:
    first = await push(store, registry(), [op(1), op(2)])
    again = await push(store, registry(), [op(1), op(2), op(3)])
    assert again.outcomes[:2] == first.outcomes
    assert len(store.world.data["notes"]) == 3
    assert again.outcomes[1].result == {"count": 2}  # the stored answer, not a new count


async def test_gap_stops_without_applying(store: MemoryStore) -> None:
    await push(store, registry(), [op(1)])
    result = await push(store, registry(), [op(3), op(4)])
    assert result.outcomes == []
    assert result.stop is not None and (result.stop.reason, result.stop.seq) == ("gap", 2)
    assert len(store.world.data["notes"]) == 1


async def test_rejection_and_conflict_advance_the_queue(store: MemoryStore) -> None:
    store.world.data["assigned"] = False
    result = await push(
        store, registry(), [op(1, text=""), op(2, "finish"), op(3, "unknown"), op(4)]
    )
    statuses = [(o.status, o.reason) for o in result.outcomes]
    assert statuses[0] == (Status.REJECTED, "Een notitie mag niet leeg zijn.")
    assert statuses[1] == (
        Status.CONFLICT,
        "De opdracht is intussen aan een andere monteur gegeven.",
    )
    assert statuses[2][0] == Status.REJECTED
    assert statuses[2][1].startswith("Onbekende soort wijziging 'unknown' (bekend: ")
    assert statuses[3][0] == Status.APPLIED and result.last_seq == 4
    # The conflicting status change still left its additive data behind.
    assert [n["op_id"] for n in store.world.data["notes"]] == ["d1-2", "d1-4"]
    assert "phase" not in store.world.data


async def test_temporary_error_stops_and_rolls_back(store: MemoryStore) -> None:
    result = await push(store, registry(), [op(1), op(2, "photo"), op(3)])
    assert [o.seq for o in result.outcomes] == [1]
    assert result.stop is not None
    assert (result.stop.reason, result.stop.seq) == ("temporary", 2)
    assert result.stop.message == "Foto is nog niet geüpload."
    assert "touched_by_flaky" not in store.world.data and result.last_seq == 1
    store.world.data["photo_uploaded"] = True
    later = await push(store, registry(), [op(2, "photo"), op(3)])
    assert [o.status for o in later.outcomes] == [Status.APPLIED, Status.APPLIED]


async def test_unexpected_error_is_rolled_back_recorded_and_keeps_the_payload(
    store: MemoryStore, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, "sync.push"):
        result = await push(store, registry(), [op(1, "broken", text="kapot"), op(2)])
    first = result.outcomes[0]
    assert first.status == Status.REJECTED
    assert first.reason.startswith("Deze wijziging kon niet worden verwerkt")
    assert first.result == {"payload": {"text": "kapot"}}
    assert "half_written" not in store.world.data
    assert result.outcomes[1].status == Status.APPLIED
    assert "operation d1-1 (broken, seq 1) failed" in caplog.text


async def test_reused_number_for_another_operation_is_refused(store: MemoryStore) -> None:
    await push(store, registry(), [op(1)])
    other = op(1).__class__(seq=1, op_id="other", kind="note", payload={"text": "x"})
    result = await push(store, registry(), [other])
    assert result.stop is not None and result.stop.reason == "mismatch"
    assert len(store.world.data["notes"]) == 1


async def test_two_pushes_racing_apply_each_operation_once(store: MemoryStore) -> None:
    batch = [op(i) for i in range(1, 21)]
    a, b = await asyncio.gather(push(store, registry(), batch), push(store, registry(), batch))
    assert a.outcomes == b.outcomes
    assert [n["op_id"] for n in store.world.data["notes"]] == [o.op_id for o in batch]


def test_batch_must_be_numbered_without_holes() -> None:
    with pytest.raises(ProtocolError) as err:
        parse_ops([{"seq": 1, "op_id": "a"}, {"seq": 3, "op_id": "b"}])
    assert err.value.message == "Volgnummers moeten aansluiten: na 1 komt 3."
    with pytest.raises(ProtocolError) as err:
        parse_ops([{"seq": 0, "op_id": "a"}])
    assert err.value.message == "ops[0].seq moet een geheel getal vanaf 1 zijn, niet 0."
    with pytest.raises(ProtocolError):
        parse_ops({"seq": 1})
    # Anything else wrong is left to a per-operation rejection.
    (parsed,) = parse_ops([{"seq": 1, "op_id": "a", "kind": 5, "payload": [1]}])
    assert parsed.kind == "" and parsed.payload == {"_invalid": [1]}


def renumbered(ops: list[Op], start: int) -> list[Op]:
    """The device's recovery: the same operations (same op ids) numbered from `start`."""
    return [dataclasses.replace(o, seq=start + i) for i, o in enumerate(ops)]


async def test_after_a_gap_the_renumbered_queue_is_applied_once(store: MemoryStore) -> None:
    await push(store, registry(), [op(1)])
    queue = [op(4), op(5)]  # numbers 2 and 3 went missing on the device
    stopped = await push(store, registry(), queue)
    assert stopped.stop is not None and stopped.stop.reason == "gap"
    result = await push(store, registry(), renumbered(queue, stopped.last_seq + 1))
    assert [(o.seq, o.op_id, o.status) for o in result.outcomes] == [
        (2, "d1-4", Status.APPLIED),
        (3, "d1-5", Status.APPLIED),
    ]
    assert [n["op_id"] for n in store.world.data["notes"]] == ["d1-1", "d1-4", "d1-5"]


async def test_after_a_mismatch_nothing_applied_before_is_applied_again(
    store: MemoryStore,
) -> None:
    # The server applied 1..3, the answers never arrived, and the phone was restored from a
    # backup: its queue holds 2 and 3 again and a new operation under the number 3 as well.
    await push(store, registry(), [op(1), op(2), op(3, "finish")])
    fresh = dataclasses.replace(op(3), op_id="d1-fresh")
    queue = [op(2), op(3, "finish"), dataclasses.replace(fresh, seq=4)]
    stopped = await push(store, registry(), [op(2), fresh])
    assert [(o.seq, o.op_id) for o in stopped.outcomes] == [(2, "d1-2")]  # a plain replay
    assert stopped.stop is not None and stopped.stop.reason == "mismatch"
    assert stopped.last_seq == 3
    # The app renumbers what it still holds from last_seq + 1. The known ones are answered
    # from the record (under their new numbers); they claim no number, so the new one meets
    # a gap and is renumbered once more: applied once, and nothing twice.
    again = await push(store, registry(), renumbered(queue[1:], stopped.last_seq + 1))
    assert [(o.seq, o.op_id, o.status) for o in again.outcomes] == [(4, "d1-3", Status.APPLIED)]
    assert again.stop is not None and (again.stop.reason, again.stop.seq) == ("gap", 4)
    last = await push(store, registry(), renumbered([fresh], again.last_seq + 1))
    assert [(o.seq, o.op_id, o.status) for o in last.outcomes] == [(4, "d1-fresh", Status.APPLIED)]
    notes = [n["op_id"] for n in store.world.data["notes"]]
    assert notes == ["d1-1", "d1-2", "d1-3", "d1-fresh"]
    assert store.world.data["phase"] == "afgerond"


async def test_a_failure_inside_a_run_leaves_the_rest_of_the_run_exactly_once(
    store: MemoryStore,
) -> None:
    """Operations go in runs of one transaction; one that raises rolls its run back, those
    before it are applied again without it, it is recorded on its own, and the queue goes on:
    each operation still applied once, in order, as if they had gone one by one."""
    ops = [op(1), op(2), op(3, "broken", text="kapot"), op(4), op(5, "photo"), op(6)]
    result = await push(store, registry(), ops)
    assert [o.status for o in result.outcomes] == [
        Status.APPLIED,
        Status.APPLIED,
        Status.REJECTED,
        Status.APPLIED,
    ]
    assert [o.result.get("count") for o in result.outcomes] == [1, 2, None, 3]
    assert result.stop is not None and (result.stop.reason, result.stop.seq) == ("temporary", 5)
    assert [n["text"] for n in store.world.data["notes"]] == ["n1", "n2", "n4"]
    assert result.last_seq == 4 and "half_written" not in store.world.data


async def test_a_long_queue_goes_in_several_runs_in_order(store: MemoryStore) -> None:
    ops = [op(seq) for seq in range(1, 251)]
    result = await push(store, registry(), ops)
    assert [o.result["count"] for o in result.outcomes] == list(range(1, 251))
    assert result.last_seq == 250
    again = await push(store, registry(), ops)
    assert again.outcomes == result.outcomes and len(store.world.data["notes"]) == 250
