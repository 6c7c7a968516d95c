"""Text no database can store, in a batch: made storable on the way in, the answer still
carrying each op id exactly as the device sent it, and nothing ever applied twice."""

from __future__ import annotations

from typing import Any

from sync import Decision, Op, Status, parse_ops, push, rejected
from sync.memory import MemoryStore, MemoryWorld
from sync.text import storable, storable_data, storable_id
from tests.sync.support import registry


def test_nul_and_lone_surrogates_become_the_replacement_character() -> None:
    assert storable("Klaar \ud83d") == "Klaar \ufffd"  # half an emoji, cut by the browser
    assert storable("a\x00b\udc00") == "a\ufffdb\ufffd"
    assert storable("Klaar \U0001f600 \x1b\t") == "Klaar \U0001f600 \x1b\t"  # storable as is
    assert storable_data({"k\x00": ["\ud83d", 1, None, {"x": "\udfff"}]}) == {
        "k\ufffd": ["\ufffd", 1, None, {"x": "\ufffd"}]
    }


def test_an_op_id_is_kept_unless_unstorable_and_then_never_shared() -> None:
    assert storable_id("d-3f2a-5be0") == "d-3f2a-5be0"
    first, second = storable_id("d-\ud83d"), storable_id("d-\x00")
    assert first != second and storable(first) == first and len(first) <= 80


def test_a_batch_is_made_storable_when_it_is_read() -> None:
    (op,) = parse_ops(
        [
            {
                "seq": 1,
                "op_id": "d-\ud83d",
                "kind": "note\x00",
                "job": "MK-1\ud83d",
                "payload": {"text": "Kapot \ud83d", "t\x00": ["\x00"]},
            }
        ]
    )
    assert (op.kind, op.job) == ("note\ufffd", "MK-1\ufffd")
    assert op.payload == {"text": "Kapot \ufffd", "t\ufffd": ["\ufffd"]}
    assert op.op_id == storable_id("d-\ud83d") and op.answered_as == "d-\ud83d"


def test_device_times_no_phone_can_mean_are_dropped() -> None:
    times = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1969-12-31T00:00:00Z"]
    ops = parse_ops(
        [{"seq": i, "op_id": f"d-{i}", "device_time": t} for i, t in enumerate(times, 1)]
    )
    assert [op.device_time for op in ops] == [None, None, None]
    (kept,) = parse_ops([{"seq": 1, "op_id": "d-1", "device_time": "1970-01-01T00:00:00Z"}])
    assert kept.device_time is not None  # a phone whose clock was reset


async def test_the_answer_carries_the_op_id_as_sent_and_a_retry_applies_nothing() -> None:
    store = MemoryStore(MemoryWorld(), "d1")
    raw = [{"seq": 1, "op_id": "d1-\ud83d", "kind": "note", "payload": {"text": "a\x00"}}]

    first = await push(store, registry(), parse_ops(raw))
    again = await push(store, registry(), parse_ops(raw))

    assert [(o.op_id, o.status) for o in first.outcomes] == [("d1-\ud83d", Status.APPLIED)]
    assert again.outcomes == first.outcomes
    assert store.world.data["notes"] == [{"op_id": storable_id("d1-\ud83d"), "text": "a\ufffd"}]


async def test_one_op_id_twice_in_a_batch_is_applied_once_and_the_queue_goes_on() -> None:
    store = MemoryStore(MemoryWorld(), "d1")
    ops = [
        {"seq": s, "op_id": i, "kind": "note", "payload": {"text": i}}
        for s, i in [(1, "d1-a"), (2, "d1-a"), (3, "d1-b")]
    ]

    result = await push(store, registry(), parse_ops(ops))

    # The second is answered from the first's record and claims no number, so the third meets
    # a gap and the device renumbers it, as after any renumbering (docs/sync.md).
    assert [(o.seq, o.op_id, o.status) for o in result.outcomes] == [
        (1, "d1-a", Status.APPLIED),
        (2, "d1-a", Status.APPLIED),
    ]
    assert result.stop is not None and (result.stop.reason, result.stop.seq) == ("gap", 2)
    renumbered = await push(store, registry(), parse_ops([{**ops[2], "seq": 2}]))
    assert [o.status for o in renumbered.outcomes] == [Status.APPLIED]
    assert [n["text"] for n in store.world.data["notes"]] == ["d1-a", "d1-b"]


async def quoting(data: dict[str, Any], op: Op) -> Decision:
    return rejected("Onleesbaar: '\ud83d\x00'", raw="\udc00")


async def test_a_rejection_quoting_unstorable_text_is_recorded_storable() -> None:
    store = MemoryStore(MemoryWorld(), "d1")
    reg = registry()
    reg.register("quoting", quoting)

    result = await push(store, reg, [Op(1, "d1-1", "quoting")])

    (outcome,) = result.outcomes
    assert (outcome.reason, outcome.result) == ("Onleesbaar: '\ufffd\ufffd'", {"raw": "\ufffd"})
    assert store.world.outcomes[("d1", 1)] == outcome
