"""Services ask for work by name only: every name they may use has a function to run it."""

from __future__ import annotations

import pytest

from server.jobs import queue, tasks


def test_every_job_name_has_its_function_and_no_more() -> None:
    assert {f.__name__ for f in tasks.FUNCTIONS} == queue.JOBS


async def test_an_unknown_job_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown job send_mesage"):
        await queue.enqueue("send_mesage", 1)
