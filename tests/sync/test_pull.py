"""Pull: changes after the cursor in order, paging, and a full reset for unusable cursors."""

from __future__ import annotations

import pytest

from sync import Cursor, pull
from sync.memory import MemoryStore, MemoryWorld


@pytest.fixture
def store() -> MemoryStore:
    s = MemoryStore(MemoryWorld(), "d1", epoch="e7")
    s.world.data["jobs"] = ["MK-1"]
    return s


async def test_first_pull_is_a_reset_with_a_cursor_at_the_head(store: MemoryStore) -> None:
    store.add_change("job", "MK-1")
    first = await pull(store, None)
    assert first.reset and first.snapshot == {"data": {"jobs": ["MK-1"]}}
    assert first.cursor == "e7.1"
    assert (await pull(store, first.cursor)).changes == []


async def test_changes_after_the_cursor_in_order_with_paging(store: MemoryStore) -> None:
    start = (await pull(store, None)).cursor
    for i in range(5):
        store.add_change("chat", "MK-1", text=f"bericht {i}")
    page = await pull(store, start, limit=3)
    assert [c.data["text"] for c in page.changes] == ["bericht 0", "bericht 1", "bericht 2"]
    assert page.more and not page.reset and page.cursor == "e7.3"
    rest = await pull(store, page.cursor, limit=3)
    assert [c.seq for c in rest.changes] == [4, 5] and not rest.more


@pytest.mark.parametrize("cursor", ["", "zomaar", "e7.x", "e6.0", "e7.99"])
async def test_unusable_cursor_resets(store: MemoryStore, cursor: str) -> None:
    store.add_change("job", "MK-1")
    result = await pull(store, cursor)
    assert result.reset and result.changes == [] and result.cursor == "e7.1"


async def test_new_epoch_resets_devices_with_old_cursors(store: MemoryStore) -> None:
    cursor = (await pull(store, None)).cursor
    store.world.epochs["d1"] = "e8"
    result = await pull(store, cursor)
    assert result.reset and result.cursor == "e8.0"


def test_cursor_round_trip() -> None:
    assert Cursor.decode(Cursor("a.b", 12).encode()) == Cursor("a.b", 12)
    assert Cursor.decode("e.123456789012345678901") is None


async def test_a_cursor_below_the_pruned_horizon_resets_never_skips(store: MemoryStore) -> None:
    behind = (await pull(store, None)).cursor  # e7.0: then the device stays offline
    for i in range(4):
        store.add_change("chat", "MK-1", text=f"bericht {i}")
    current = (await pull(store, behind)).cursor
    assert current == "e7.4"
    store.prune(through=3)  # bericht 0..2 are gone from the log

    lagging = await pull(store, behind)
    assert lagging.reset and lagging.snapshot is not None and lagging.cursor == "e7.4"
    # A device that had seen them all carries on with what is left after its cursor.
    store.add_change("chat", "MK-1", text="bericht 4")
    onward = await pull(store, current)
    assert not onward.reset and [c.data["text"] for c in onward.changes] == ["bericht 4"]
    # Pruning everything keeps the numbering: no cursor is taken for one ahead of the head.
    store.prune(through=5)
    assert await store.head() == 5
    assert not (await pull(store, "e7.5")).reset
