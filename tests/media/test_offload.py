"""Processing runs off the event loop."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PIL import Image

from media import PhotoError, store_async

from .images import encoded


async def test_the_event_loop_keeps_running_while_a_photo_is_processed(tmp_path: Path) -> None:
    data = encoded(Image.effect_noise((3000, 2000), 40).convert("RGB"), "JPEG", quality=90)
    ticks = 0
    done = asyncio.Event()

    async def tick() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(0.005)

    ticker = asyncio.create_task(tick())
    stored = await store_async(tmp_path, data)
    done.set()
    await ticker

    assert (stored.width, stored.height) == (3000, 2000)
    assert ticks >= 5


async def test_refusals_come_through(tmp_path: Path) -> None:
    with pytest.raises(PhotoError, match=r"^Bestand is geen foto \(gevonden: PDF\)$"):
        await store_async(tmp_path, b"%PDF-1.4")


async def test_photos_are_processed_side_by_side(tmp_path: Path) -> None:
    photos = [encoded(Image.new("RGB", (200, 100), (i * 25, 0, 0)), "PNG") for i in range(10)]

    stored = await asyncio.gather(*(store_async(tmp_path, data) for data in photos))

    assert len({photo.key for photo in stored}) == 10
