"""Operations from a device and what became of them, as plain data.

An operation is an intent made on the device ("start travel", "add this repair log"), numbered
by the device: `seq` runs 1, 2, 3… per device without gaps, `op_id` is unique per device.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sync.errors import ProtocolError
from sync.text import storable, storable_data, storable_id

MAX_BATCH = 500
MAX_OP_ID = 80
# Device times outside these are no moment a phone can mean (a clock reset goes to 1970).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


class Status(StrEnum):
    APPLIED = "applied"
    REJECTED = "rejected"  # can never succeed; the reason is shown to the technician
    CONFLICT = "conflict"  # the server decided otherwise; data kept, the technician told


@dataclass(frozen=True)
class Op:
    seq: int
    op_id: str  # the key it is recorded under (sync.text.storable_id)
    kind: str
    job: str = ""
    base_version: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    device_time: datetime | None = None
    # The op id as the device sent it, when that differs from `op_id`: the answer carries
    # it, since the device finds its operation by it.
    sent_op_id: str = ""

    @property
    def answered_as(self) -> str:
        return self.sent_op_id or self.op_id


@dataclass(frozen=True)
class Decision:
    """What a mutator decided about one operation."""

    status: Status
    reason: str = ""
    result: dict[str, Any] = field(default_factory=dict)


def applied(**result: Any) -> Decision:
    return Decision(Status.APPLIED, "", result)


def rejected(reason: str, **result: Any) -> Decision:
    return Decision(Status.REJECTED, reason, result)


def conflict(reason: str, **result: Any) -> Decision:
    return Decision(Status.CONFLICT, reason, result)


@dataclass(frozen=True)
class Outcome:
    """The answer for one operation; stored, and given again when the operation is replayed."""

    seq: int
    op_id: str
    status: Status
    reason: str = ""
    result: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "op_id": self.op_id,
            "status": self.status.value,
            "reason": self.reason,
            "result": self.result,
        }


def parse_ops(raw: object) -> list[Op]:
    """A batch as sent by a device. Only what ordering needs is strict: seq and op_id.

    Anything else that is wrong (unknown kind, bad payload) becomes a per-operation rejection
    later, so that one bad operation can never block the queue. Text no database can store is
    made storable here (sync.text), so no mutator and no record ever meets it.
    """
    if not isinstance(raw, list):
        raise ProtocolError("'ops' moet een lijst zijn.", "ops")
    if len(raw) > MAX_BATCH:
        raise ProtocolError(f"Te veel wijzigingen in één keer: {len(raw)} (maximaal {MAX_BATCH}).")
    ops = [_parse_one(item, i) for i, item in enumerate(raw)]
    for before, after in zip(ops, ops[1:], strict=False):
        if after.seq != before.seq + 1:
            raise ProtocolError(
                f"Volgnummers moeten aansluiten: na {before.seq} komt {after.seq}.", "ops"
            )
    return ops


def _parse_one(item: object, index: int) -> Op:
    where = f"ops[{index}]"
    if not isinstance(item, dict):
        raise ProtocolError(f"{where} moet een object zijn.", where)
    seq, op_id = item.get("seq"), item.get("op_id")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise ProtocolError(f"{where}.seq moet een geheel getal vanaf 1 zijn, niet {seq!r}.", where)
    if not isinstance(op_id, str) or not 1 <= len(op_id) <= MAX_OP_ID:
        raise ProtocolError(f"{where}.op_id moet tekst van 1 tot {MAX_OP_ID} tekens zijn.", where)
    kind, job, base = item.get("kind"), item.get("job"), item.get("base_version")
    payload = item.get("payload")
    key = storable_id(op_id)
    return Op(
        seq=seq,
        op_id=key,
        kind=storable(kind) if isinstance(kind, str) else "",
        job=storable(job) if isinstance(job, str) else "",
        base_version=base if isinstance(base, int) and not isinstance(base, bool) else None,
        payload=storable_data(payload if isinstance(payload, dict) else {"_invalid": payload}),
        device_time=_time(item.get("device_time")),
        sent_op_id=op_id if key != op_id else "",
    )


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None or not EARLIEST <= parsed < LATEST:
        return None
    return parsed
