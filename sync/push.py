"""Push: apply a device's operations in order, each exactly once, each in its own transaction.

For every operation, with `last` the device's last applied sequence number:

- `seq <= last`: a replay. The stored outcome is answered again; nothing is applied.
- `seq > last + 1`: a gap (an operation is missing). Stop; the device resends from `last + 1`.
- `seq == last + 1`: claim the number (advance `last` from `seq - 1` to `seq`), apply the
  mutator and record its outcome, all in one transaction. Applied, rejected and conflict all
  advance, so one bad operation never blocks the queue. A TemporaryError rolls everything back
  and stops without advancing. Any other exception rolls back too and is then recorded as a
  rejection that keeps the payload (nothing is lost, the queue moves on, the error is logged).

The claim is a compare-and-set, so two pushes of the same device racing each other cannot
both apply an operation: the loser rolls back and answers the winner's stored outcome.

An operation is known by its `op_id` as well as its number. After a gap or a mismatch the
device renumbers its queue from the server's `last_seq + 1`, keeping every `op_id`; an
operation the server already applied under another number is then answered from its record
(with the number the device sent now) and applied nothing, so renumbering can never apply an
operation twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from sync.errors import TemporaryError
from sync.ops import Decision, Op, Outcome, Status, rejected
from sync.registry import Registry
from sync.text import storable, storable_data

log = logging.getLogger("sync.push")

INTERNAL_ERROR = (
    "Deze wijziging kon niet worden verwerkt door een fout aan onze kant; "
    "de gegevens zijn bewaard en de meldkamer kijkt ernaar."
)


@dataclass(frozen=True)
class DeviceState:
    last_seq: int
    epoch: str


class Attempt(Protocol):
    """One open transaction for one operation."""

    context: Any  # handed to the mutator

    async def claim(self, seq: int) -> bool:
        """Advance the device's last_seq from seq - 1 to seq; False when another push won."""

    async def record(self, op: Op, outcome: Outcome) -> None:
        """Store the outcome (unique per device and seq, and per device and op_id)."""


class PushStore(Protocol):
    """Persistence of one device's sync state; the server implements it on its database."""

    async def device(self) -> DeviceState: ...

    async def stored(self, seq: int) -> Outcome | None: ...

    async def stored_ops(self, op_ids: Sequence[str]) -> dict[str, Outcome]:
        """The stored outcomes of these op ids, under whatever number they were applied."""

    def attempt(self) -> AbstractAsyncContextManager[Attempt]:
        """A transaction: committed when the block ends normally, rolled back on an exception."""


@dataclass(frozen=True)
class Stop:
    """Why a push stopped before the end of the batch."""

    reason: str  # gap, temporary, mismatch
    seq: int
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"reason": self.reason, "seq": self.seq, "message": self.message}


@dataclass
class PushResult:
    outcomes: list[Outcome] = field(default_factory=list)
    last_seq: int = 0
    stop: Stop | None = None


class _Raced(Exception):
    """Another push claimed this seq first: roll back and answer its outcome."""


async def push(store: PushStore, registry: Registry, ops: Sequence[Op]) -> PushResult:
    device = await store.device()
    result = PushResult(last_seq=device.last_seq)
    known = await store.stored_ops([op.op_id for op in ops])
    for op in ops:
        earlier = known.get(op.op_id)
        if earlier is not None and earlier.seq != op.seq:
            # Applied before under another number (the device renumbered its queue, or sent
            # one op id twice in this batch).
            result.outcomes.append(replace(earlier, seq=op.seq, op_id=op.answered_as))
            continue
        outcome, stop = await _one(store, registry, op, result.last_seq)
        if stop is not None:
            result.stop = stop
            break
        assert outcome is not None
        known[op.op_id] = outcome
        result.outcomes.append(replace(outcome, op_id=op.answered_as))
        result.last_seq = max(result.last_seq, op.seq)
    return result


async def _one(
    store: PushStore, registry: Registry, op: Op, last: int
) -> tuple[Outcome | None, Stop | None]:
    for _ in range(3):
        if op.seq <= last:
            return _replayed(op, await store.stored(op.seq))
        if op.seq > last + 1:
            return None, Stop("gap", last + 1, f"Wijziging {last + 1} ontbreekt; stuur vanaf daar.")
        try:
            return await _apply(store, registry, op), None
        except _Raced:
            last = (await store.device()).last_seq
        except TemporaryError as exc:
            return None, Stop("temporary", op.seq, exc.message)
    raise RuntimeError(f"seq {op.seq} kept racing")  # pragma: no cover - needs 3 lost races


def _replayed(op: Op, stored: Outcome | None) -> tuple[Outcome | None, Stop | None]:
    if stored is None or stored.op_id != op.op_id:
        # The device reuses a number for another operation (reinstalled, storage restored):
        # answering the old outcome would make it drop an operation that was never applied.
        return None, Stop(
            "mismatch",
            op.seq,
            f"Volgnummer {op.seq} hoort bij een andere wijziging; het apparaat moet opnieuw "
            "beginnen met een nieuw apparaat-id.",
        )
    return stored, None


async def _apply(store: PushStore, registry: Registry, op: Op) -> Outcome:
    try:
        async with store.attempt() as attempt:
            if not await attempt.claim(op.seq):
                raise _Raced
            decision = await registry.apply(attempt.context, op)
            outcome = _outcome(op, decision)
            await attempt.record(op, outcome)
            return outcome
    except (_Raced, TemporaryError):
        raise
    except Exception:
        log.exception("operation %s (%s, seq %s) failed", op.op_id, op.kind, op.seq)
    # Rolled back; record the failure on its own so the queue moves on and the data stays.
    async with store.attempt() as attempt:
        if not await attempt.claim(op.seq):
            raise _Raced
        outcome = _outcome(op, rejected(INTERNAL_ERROR, payload=op.payload))
        await attempt.record(op, outcome)
        return outcome


def _outcome(op: Op, decision: Decision) -> Outcome:
    # Whatever a mutator quotes in its answer, the record of it can always be stored.
    return Outcome(
        op.seq,
        op.op_id,
        Status(decision.status),
        storable(decision.reason),
        storable_data(decision.result),
    )
