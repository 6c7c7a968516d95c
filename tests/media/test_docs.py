"""docs/media.md stays true: every error code, variant and default limit is in it."""

from __future__ import annotations

import re
from pathlib import Path

from media import DEFAULT_LIMITS, VARIANTS
from media.encode import DERIVATIVES
from media.errors import STATUS
from media.memory import BYTES_PER_PIXEL, DECODER_BYTES, PROFILE_BYTES
from media.offload import WORKERS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "media.md").read_text()


def test_every_error_code_is_documented_with_its_status() -> None:
    for code, status in STATUS.items():
        assert f"| `{code}` | {status} |" in DOC, code


def test_the_default_limits_are_documented() -> None:
    assert f"{DEFAULT_LIMITS.max_bytes:,} bytes" in DOC
    assert f"{DEFAULT_LIMITS.max_pixels:,} pixels" in DOC
    assert f"{DEFAULT_LIMITS.max_memory:,} bytes" in DOC


def test_the_memory_per_mode_is_documented() -> None:
    for mode, cost in BYTES_PER_PIXEL.items():
        if mode in ("La", "RGBa", "I;16B", "I;16L", "I;16N"):
            continue  # Pillow's internal variants of the modes in the table
        assert re.search(rf"\| [^|]*`{re.escape(mode)}`[^|]* \| {cost} \|", DOC), mode
    assert f"WebP decoder keeps its own copy of the pixels: {DECODER_BYTES['WebP']} bytes" in DOC
    assert f"one more RGB copy: {PROFILE_BYTES} bytes more" in DOC
    assert WORKERS <= 4 and "min(4, CPU count)" in DOC


def test_every_variant_is_documented() -> None:
    for name in VARIANTS:
        assert f"`{name}`" in DOC, name
    for variant in DERIVATIVES:
        assert f"long side {variant.long_side} px" in DOC, variant.name
        assert f"quality {variant.quality})" in DOC, variant.name
