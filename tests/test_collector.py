"""The garbage collector while the app serves: start-up's objects frozen, young collections
rarer, and everything as it was once the (last) app has stopped."""

from __future__ import annotations

import gc
import weakref

from asgi_lifespan import LifespanManager

from server import collector
from server.app import create_app


class _Node:
    me: object = None


async def test_serving_freezes_start_up_and_collects_less_often_then_undoes_both() -> None:
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    first, second = create_app(manage_db=False), create_app(manage_db=False)
    async with LifespanManager(first):
        assert gc.get_freeze_count() > frozen  # a collection no longer walks them
        assert gc.get_threshold() == (collector.YOUNG_THRESHOLD, *threshold[1:])
        async with LifespanManager(second):
            assert gc.get_threshold()[0] == collector.YOUNG_THRESHOLD
        # The other app still serves: the first to stop leaves the tuning in place.
        assert gc.get_threshold()[0] == collector.YOUNG_THRESHOLD
        assert gc.get_freeze_count() > frozen
        # A cycle made while serving is still collected, without being asked, once enough
        # new objects have been made.
        cycle = _Node()
        cycle.me = cycle
        gone = weakref.ref(cycle)
        del cycle
        kept = [[] for _ in range(3 * collector.YOUNG_THRESHOLD)]
        assert gone() is None
        del kept
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == frozen
