"""An in-memory store that keeps the promises a real one must keep: for tests and for reading.

Each attempt works on a copy of the data and commits it whole or not at all; a claim waits
while another attempt holds the same device's next number, like a row lock until commit.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sync.ops import Op, Outcome
from sync.pull import Change
from sync.push import DeviceState


@dataclass
class MemoryWorld:
    """The 'database': devices, outcomes, changes and whatever mutators write in `data`."""

    last_seq: dict[str, int] = field(default_factory=dict)
    epochs: dict[str, str] = field(default_factory=dict)
    outcomes: dict[tuple[str, int], Outcome] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    horizon: int = 0
    data: dict[str, Any] = field(default_factory=dict)
    _busy: set[str] = field(default_factory=set)
    _cond: asyncio.Condition = field(default_factory=asyncio.Condition)


class MemoryAttempt:
    def __init__(self, world: MemoryWorld, device: str) -> None:
        self.world = world
        self.device = device
        self.context: dict[str, Any] = copy.deepcopy(world.data)
        self.claimed: int | None = None
        self.pending: dict[tuple[str, int], Outcome] = {}

    async def claim(self, first: int, last: int) -> bool:
        async with self.world._cond:
            await self.world._cond.wait_for(lambda: self.device not in self.world._busy)
            if self.world.last_seq.get(self.device, 0) != first - 1:
                return False
            self.world._busy.add(self.device)
            self.claimed = last
            # Data read before the claim may be stale: start from what is committed now.
            self.context.clear()
            self.context.update(copy.deepcopy(self.world.data))
            return True

    async def prepare(self, ops: Sequence[Op]) -> None:
        return None

    async def settle(self) -> None:
        return None

    async def record(self, op: Op, outcome: Outcome) -> None:
        taken = {o.op_id for (d, _), o in self.world.outcomes.items() if d == self.device}
        if op.op_id in taken or op.op_id in {o.op_id for o in self.pending.values()}:
            raise ValueError(f"duplicate op_id {op.op_id}")  # the UNIQUE constraint
        self.pending[(self.device, op.seq)] = outcome


class MemoryStore:
    """PushStore and PullStore for one device of one user."""

    def __init__(self, world: MemoryWorld, device: str, epoch: str = "e1") -> None:
        self.world = world
        self.name = device
        world.epochs.setdefault(device, epoch)
        world.last_seq.setdefault(device, 0)

    async def device(self) -> DeviceState:
        return DeviceState(self.world.last_seq[self.name], self.world.epochs[self.name])

    async def stored(self, seqs: Sequence[int]) -> dict[int, Outcome]:
        found = ((seq, self.world.outcomes.get((self.name, seq))) for seq in seqs)
        return {seq: outcome for seq, outcome in found if outcome is not None}

    async def stored_ops(self, op_ids: Sequence[str]) -> dict[str, Outcome]:
        wanted = set(op_ids)
        return {
            o.op_id: o
            for (d, _), o in self.world.outcomes.items()
            if d == self.name and o.op_id in wanted
        }

    @asynccontextmanager
    async def attempt(self) -> AsyncIterator[MemoryAttempt]:
        attempt = MemoryAttempt(self.world, self.name)
        try:
            yield attempt
        except BaseException:
            await self._release(attempt, commit=False)
            raise
        await self._release(attempt, commit=True)

    async def _release(self, attempt: MemoryAttempt, commit: bool) -> None:
        async with self.world._cond:
            if commit and attempt.claimed is not None:
                self.world.data = attempt.context
                self.world.outcomes.update(attempt.pending)
                self.world.last_seq[self.name] = attempt.claimed
            if attempt.claimed is not None:
                self.world._busy.discard(self.name)
            self.world._cond.notify_all()

    async def refresh(self) -> None:
        return None

    async def head(self) -> int:
        return max(self.world.horizon, self.world.changes[-1].seq if self.world.changes else 0)

    async def horizon(self) -> int:
        return self.world.horizon

    async def changes(self, after: int, limit: int) -> list[Change]:
        return [c for c in self.world.changes if c.seq > after][:limit]

    async def snapshot(self) -> dict[str, Any]:
        return {"data": copy.deepcopy(self.world.data)}

    def add_change(self, kind: str, job: str = "", **data: Any) -> Change:
        seq = max(self.world.horizon, self.world.changes[-1].seq if self.world.changes else 0)
        change = Change(seq + 1, kind, job, data)
        self.world.changes.append(change)
        return change

    def prune(self, through: int) -> None:
        """Remove the changes numbered up to `through`, as the server's nightly pruning does."""
        self.world.changes = [c for c in self.world.changes if c.seq > through]
        self.world.horizon = max(self.world.horizon, through)
