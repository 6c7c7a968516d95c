"""The cyclic garbage collector tuned for a long-running server process.

With CPython's defaults a collection starts every 700 new container objects, and each full
collection walks every object the process holds: the modules, the ORM's models, the templates
and the caches made at start-up, which never become garbage. An intake allocates a few hundred
objects, so one process collected every two or three intakes and spent about a seventh of its
CPU doing it (bench/profile_intake.py prints the collector's share). After start-up the objects
made so far are frozen (gc.freeze: a collection no longer walks them) and a collection starts
every 10,000 new objects; cycles are still collected, only later. Both are undone when the app
stops (the last of several apps running at once in one process, as in some tests), so a
process that starts and stops apps keeps the collector as it found it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# New container objects between collections of the youngest generation (CPython: 700), and how
# many of those before an older generation's (CPython: 10 and 10, kept).
YOUNG_THRESHOLD = 10_000

_serving = 0  # apps in this process between start-up and stop
_before: tuple[int, int, int] = gc.get_threshold()


@contextmanager
def tuned() -> Iterator[None]:
    """While serving: what exists now is frozen, and collections come less often."""
    global _serving, _before
    if _serving == 0:
        _before = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(YOUNG_THRESHOLD, *_before[1:])
    _serving += 1
    try:
        yield
    finally:
        _serving -= 1
        if _serving == 0:
            gc.set_threshold(*_before)
            gc.unfreeze()
