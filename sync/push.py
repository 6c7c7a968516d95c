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

# Operations applied in one transaction at most: the device's row (and any dossier a status
# move touches) stays locked until it commits.
MAX_RUN = 100

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

    async def claim(self, first: int, last: int) -> bool:
        """Advance the device's last_seq from first - 1 to last; False when another push won.

        Held until the transaction ends: a second push of the device waits, then finds its
        numbers taken."""

    async def prepare(self, ops: Sequence[Op]) -> None:
        """Before the mutators of several operations run: a chance to read at once what each
        would look up on its own."""

    async def settle(self) -> None:
        """After the mutators of several operations: write what they left to be written
        together. A failure here fails the run (its operations then go one by one)."""

    async def record(self, op: Op, outcome: Outcome) -> None:
        """Store the outcome (unique per device and seq, and per device and op_id); the
        store may write them all at the end of the transaction."""


class PushStore(Protocol):
    """Persistence of one device's sync state; the server implements it on its database."""

    async def device(self) -> DeviceState: ...

    async def stored(self, seqs: Sequence[int]) -> dict[int, Outcome]:
        """The stored outcomes under these numbers."""

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


class _Failed(Exception):
    """The operation at `index` of a run raised: the run's transaction is rolled back."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


async def push(store: PushStore, registry: Registry, ops: Sequence[Op]) -> PushResult:
    device = await store.device()
    result = PushResult(last_seq=device.last_seq)
    last = device.last_seq
    known = await store.stored_ops([op.op_id for op in ops])
    replays = await store.stored([op.seq for op in ops if op.seq <= last])
    i = 0
    while i < len(ops):
        op = ops[i]
        earlier = known.get(op.op_id)
        if earlier is not None and earlier.seq != op.seq:
            # Applied before under another number (the device renumbered its queue, or sent
            # one op id twice in this batch).
            result.outcomes.append(replace(earlier, seq=op.seq, op_id=op.answered_as))
            i += 1
            continue
        if op.seq <= last:
            if op.seq not in replays:  # claimed by a push that raced this one
                replays.update(await store.stored([o.seq for o in ops[i:] if o.seq <= last]))
            outcome, stop = _replayed(op, replays.get(op.seq))
            run = [op]
        elif op.seq > last + 1:
            outcome = None
            stop = Stop("gap", last + 1, f"Wijziging {last + 1} ontbreekt; stuur vanaf daar.")
            run = []
        else:
            run = _run(ops, i, known)
            try:
                done, stop = await _apply_run(store, registry, run)
            except _Raced:
                last = (await store.device()).last_seq
                continue
            run = run[: len(done)]
            for applied_op, outcome in zip(run, done, strict=True):
                known[applied_op.op_id] = outcome
                result.outcomes.append(replace(outcome, op_id=applied_op.answered_as))
            if run:
                last = result.last_seq = max(result.last_seq, run[-1].seq)
            outcome = None
        if stop is not None:
            result.stop = stop
            break
        if outcome is not None:
            known[op.op_id] = outcome
            result.outcomes.append(replace(outcome, op_id=op.answered_as))
            result.last_seq = max(result.last_seq, op.seq)
        i += len(run)
    return result


def _run(ops: Sequence[Op], start: int, known: dict[str, Outcome]) -> list[Op]:
    """The operations from `start` that can go in one transaction: new ones, each op id once
    (one answered from another's record claims no number, so what follows it meets a gap)."""
    run = [ops[start]]  # the caller has seen that this one is new
    seen = {ops[start].op_id}
    for op in ops[start + 1 : start + MAX_RUN]:
        if op.op_id in known or op.op_id in seen:
            break
        seen.add(op.op_id)
        run.append(op)
    return run


async def _apply_run(
    store: PushStore, registry: Registry, run: list[Op]
) -> tuple[list[Outcome], Stop | None]:
    """Apply `run` (numbers last + 1 onwards) in one transaction: one claim, one write of the
    outcomes. An operation that raises rolls the whole transaction back; then those before it
    are applied again without it, and it goes alone the careful way (`_one`): a TemporaryError
    stops there, anything else is recorded as a rejection that keeps the payload."""
    try:
        async with store.attempt() as attempt:
            if not await attempt.claim(run[0].seq, run[-1].seq):
                raise _Raced
            await attempt.prepare(run)
            outcomes: list[Outcome] = []
            for index, op in enumerate(run):
                try:
                    decision = await registry.apply(attempt.context, op)
                except Exception as exc:
                    raise _Failed(index) from exc
                outcome = _outcome(op, decision)
                await attempt.record(op, outcome)
                outcomes.append(outcome)
            try:
                await attempt.settle()
            except Exception as exc:
                raise _Failed(0) from exc  # whose row failed is not known: one by one
            return outcomes, None
    except _Failed as failed:
        index = failed.index
    done, stop = await _apply_run(store, registry, run[:index]) if index else ([], None)
    if stop is not None:
        return done, stop
    alone, stop = await _one(store, registry, run[index])
    return (done, stop) if alone is None else ([*done, alone], None)


async def _one(store: PushStore, registry: Registry, op: Op) -> tuple[Outcome | None, Stop | None]:
    """One operation in its own transaction, after it failed in a run."""
    try:
        return await _apply(store, registry, op), None
    except TemporaryError as exc:
        return None, Stop("temporary", op.seq, exc.message)


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
            if not await attempt.claim(op.seq, op.seq):
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
        if not await attempt.claim(op.seq, op.seq):
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
