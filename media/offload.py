"""Photo processing off the event loop, on a small pool of its own.

A pool of its own bounds how many photos are decoded at once (a 50-megapixel photo takes
several hundred MB while it is processed) and leaves the default thread pool, which Starlette
uses for file responses and sync endpoints, free. Pillow releases the GIL while it decodes,
resizes and encodes, so the threads do run in parallel.
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import BinaryIO

from media.limits import DEFAULT_LIMITS, Limits
from media.pipeline import StoredPhoto, store
from media.storage import StrPath

WORKERS = max(1, min(4, os.cpu_count() or 1))

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def _default_pool() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="media")
        return _pool


async def store_async(
    root: StrPath,
    data: bytes | BinaryIO,
    limits: Limits = DEFAULT_LIMITS,
    *,
    executor: Executor | None = None,
) -> StoredPhoto:
    """store() in a worker thread; the event loop keeps serving meanwhile.

    If the awaiting task is cancelled the photo is still stored (a thread cannot be stopped);
    storing is idempotent, so a retried upload finds it there.
    """
    loop = asyncio.get_running_loop()
    call = functools.partial(store, root, data, limits)
    return await loop.run_in_executor(executor or _default_pool(), call)
