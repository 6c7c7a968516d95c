"""Pull: what changed for this device since its cursor, or a full reset.

The cursor is `<epoch>.<seq>`: `seq` is a position in the server's change sequence, which
grows in commit order (the server must guarantee that: a reader never sees change n+1 before
change n), never a timestamp. A cursor the server cannot continue from — unreadable, from
another epoch, or ahead of the sequence (a restored database) — answers a full reset: the
whole current state and a fresh cursor. The head is read before the snapshot is built, so a
change committed meanwhile is delivered again next time rather than skipped; applying a
change twice on the device is harmless, missing one is not.

Old changes may be pruned. The store names the horizon: the highest change number removed. A
cursor below it may have missed a removed change, so it gets a full reset, never a silent skip.
A pull that delivered everything moves the cursor up to the head it read, so a quiet device's
cursor does not stay behind below a later horizon.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from sync.push import DeviceState

MAX_LIMIT = 500


@dataclass(frozen=True)
class Cursor:
    epoch: str
    seq: int

    def encode(self) -> str:
        return f"{self.epoch}.{self.seq}"

    @staticmethod
    def decode(raw: str | None) -> Cursor | None:
        if not raw:
            return None
        epoch, _, seq = raw.rpartition(".")
        if not epoch or not seq.isdigit() or len(seq) > 18:
            return None
        return Cursor(epoch, int(seq))


@dataclass(frozen=True)
class Change:
    seq: int
    kind: str
    job: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "kind": self.kind, "job": self.job, "data": self.data}


class PullStore(Protocol):
    async def device(self) -> DeviceState: ...

    async def refresh(self) -> None:
        """Bring the change sequence up to date for this user (may append changes)."""

    async def head(self) -> int:
        """The highest committed change number (0 when there is none)."""

    async def horizon(self) -> int:
        """The highest change number removed by pruning (0 when nothing was removed)."""

    async def changes(self, after: int, limit: int) -> list[Change]:
        """This user's changes numbered above `after`, in order, at most `limit`."""

    async def snapshot(self) -> dict[str, Any]:
        """Everything the device should hold now (its jobs), for a reset."""


@dataclass
class PullResult:
    cursor: str
    last_seq: int
    reset: bool = False
    snapshot: dict[str, Any] | None = None
    changes: list[Change] = field(default_factory=list)
    more: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "cursor": self.cursor,
            "last_seq": self.last_seq,
            "reset": self.reset,
            "snapshot": self.snapshot,
            "changes": [c.as_json() for c in self.changes],
            "more": self.more,
        }


async def pull(store: PullStore, raw_cursor: str | None, limit: int = 200) -> PullResult:
    limit = max(1, min(limit, MAX_LIMIT))
    device = await store.device()
    await store.refresh()
    head = await store.head()
    cursor = Cursor.decode(raw_cursor)
    if (
        cursor is None
        or cursor.epoch != device.epoch
        or cursor.seq > head
        or cursor.seq < await store.horizon()
    ):
        snapshot = await store.snapshot()
        return PullResult(
            Cursor(device.epoch, head).encode(), device.last_seq, reset=True, snapshot=snapshot
        )
    changes = await store.changes(cursor.seq, limit + 1)
    more = len(changes) > limit
    changes = changes[:limit]
    position = changes[-1].seq if changes else cursor.seq
    if not more:
        # Every change up to the head was committed before it was read (commit order), and all
        # of this device's are in hand: nothing at or below the head can still arrive.
        position = max(position, head)
    return PullResult(
        Cursor(device.epoch, position).encode(), device.last_seq, changes=changes, more=more
    )
