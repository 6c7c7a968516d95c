"""The garbage collector while the app serves: start-up's objects frozen, young collections
rarer, and everything as it was once the (last) app has stopped."""

from __future__ import annotations

import gc

from asgi_lifespan import LifespanManager

from server import collector
from server.app import create_app


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
        # A cycle made while serving is still garbage the collector finds.
        cycle: list[object] = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == frozen
