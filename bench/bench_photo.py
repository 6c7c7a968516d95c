"""Processing time and memory of one 12-megapixel phone photo through media.store().

Run: .venv/bin/python -m bench.bench_photo [--runs N]

The photo is made here: smooth colour fields with edges and sensor-like noise, saved as a
quality-92 JPEG, so it decodes and compresses like a real one (a few MB), unlike pure noise;
its EXIF says "portrait" and carries a GPS position, as a phone's would.
Each run stores into an empty root, so every run does the full work. Peak memory is measured
in a fresh child process, where nothing else has raised the high-water mark.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PIL import ExifTags, Image, ImageDraw, ImageFilter

from media import store, store_async
from media.encode import DERIVATIVES, ORIGINAL, encode_jpeg, scaled
from media.normalise import normalise
from media.offload import WORKERS
from media.validate import open_image

SIZE = (4000, 3000)
T = TypeVar("T")


def phone_photo(seed: int = 12) -> bytes:
    rng = random.Random(seed)
    coarse = Image.new("RGB", (16, 12))
    coarse.putdata([tuple(rng.randrange(30, 230) for _ in range(3)) for _ in range(16 * 12)])
    image = coarse.resize(SIZE, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(60):  # objects with edges: pipes, tiles, a meter cupboard
        x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1])
        w, h = rng.randrange(50, 900), rng.randrange(50, 900)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.rectangle((x, y, x + w, y + h), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(2))
    noise = Image.merge("RGB", [Image.effect_noise(SIZE, 40) for _ in range(3)])
    image = Image.blend(image, noise, 0.2)
    exif = Image.Exif()  # held in portrait, with a position: both must be dealt with
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Acme"
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 22.0, 22.5),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def timed(function: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def stages(data: bytes) -> dict[str, float]:
    source, t_open = timed(lambda: open_image(data))
    image, t_normalise = timed(lambda: normalise(source.image))
    _, t_encode = timed(lambda: encode_jpeg(image, ORIGINAL.quality))

    def derive() -> None:
        smaller = image
        for variant in DERIVATIVES:
            smaller = scaled(smaller, variant.long_side)
            encode_jpeg(smaller, variant.quality)

    _, t_derive = timed(derive)
    return {
        "validate + decode": t_open,
        "normalise": t_normalise,
        "encode original": t_encode,
        "derivatives": t_derive,
    }


def full_runs(data: bytes, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as root:
            times.append(timed(lambda root=root: store(root, data))[1])  # type: ignore[misc]
    return times


def concurrent_rate(data: bytes, count: int) -> float:
    """Photos per second through store_async, `count` uploads at once (distinct roots)."""

    async def main() -> float:
        with tempfile.TemporaryDirectory() as root:
            start = time.perf_counter()
            await asyncio.gather(*(store_async(Path(root) / str(i), data) for i in range(count)))
            return count / (time.perf_counter() - start)

    return asyncio.run(main())


def peak_rss_kib() -> int:
    # VmHWM belongs to this process's own memory map; ru_maxrss would also count the parent's
    # size at fork, which Linux carries over into the child.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child_memory(path: str) -> None:
    """In a fresh process: peak RSS growth and peak Python heap of one store()."""
    data = Path(path).read_bytes()
    before = peak_rss_kib()
    tracemalloc.start()
    with tempfile.TemporaryDirectory() as root:
        store(root, data)
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(peak_rss_kib() - before, heap_peak // 1024)  # both in KiB


def memory(data: bytes) -> tuple[int, int]:
    with tempfile.NamedTemporaryFile(suffix=".jpg") as file:
        file.write(data)
        file.flush()
        result = subprocess.run(
            [sys.executable, "-m", "bench.bench_photo", "--child-memory", file.name],
            capture_output=True,
            text=True,
            check=True,
        )
    rss_kib, heap_kib = (int(value) for value in result.stdout.split())
    return rss_kib, heap_kib


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child-memory", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory:
        child_memory(args.child_memory)
        return

    data = phone_photo()
    print(f"input: {SIZE[0]}x{SIZE[1]} JPEG, {len(data) / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as root:  # also the warm-up: imports, plugin set-up
        stored = store(root, data)
        sizes = {
            name: Path(root, path).stat().st_size / 1e6
            for name, path in {"original": stored.path, **stored.derivatives}.items()
        }
    print(f"stored: {stored.width}x{stored.height}; ", end="")
    print(", ".join(f"{name} {size:.2f} MB" for name, size in sizes.items()))

    times = full_runs(data, args.runs)
    print(
        f"store(), {args.runs} runs: median {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
    )
    per_stage = [stages(data) for _ in range(args.runs)]
    for name in per_stage[0]:
        median = statistics.median(run[name] for run in per_stage)
        print(f"  {name:<18} {median * 1000:6.0f} ms")

    with tempfile.TemporaryDirectory() as root:
        store(root, data)
        again = statistics.median(timed(lambda: store(root, data))[1] for _ in range(3))
    print(f"store() of a photo already stored: median {again * 1000:.0f} ms")

    count = 2 * WORKERS
    rate = concurrent_rate(data, count)
    print(f"store_async(), {count} at once on {WORKERS} worker threads: {rate:.1f} photos/s")

    rss_kib, heap_kib = memory(data)
    print(f"peak memory of one store(): RSS +{rss_kib / 1024:.0f} MiB (fresh process), ", end="")
    print(f"Python heap {heap_kib / 1024:.1f} MiB (tracemalloc; Pillow's pixels not included)")


if __name__ == "__main__":
    main()
