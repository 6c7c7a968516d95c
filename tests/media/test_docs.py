"""docs/media.md stays true: every error code, variant and default limit is in it."""

from __future__ import annotations

from pathlib import Path

from media import DEFAULT_LIMITS, VARIANTS
from media.encode import DERIVATIVES
from media.errors import STATUS
from media.offload import WORKERS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "media.md").read_text()


def test_every_error_code_is_documented_with_its_status() -> None:
    for code, status in STATUS.items():
        assert f"| `{code}` | {status} |" in DOC, code


def test_the_default_limits_are_documented() -> None:
    assert f"{DEFAULT_LIMITS.max_bytes:,} bytes" in DOC
    assert f"{DEFAULT_LIMITS.max_pixels:,} pixels" in DOC
    assert WORKERS <= 4 and "min(4, CPU count)" in DOC


def test_every_variant_is_documented() -> None:
    for name in VARIANTS:
        assert f"`{name}`" in DOC, name
    for variant in DERIVATIVES:
        assert f"long side {variant.long_side} px" in DOC, variant.name
        assert f"quality {variant.quality})" in DOC, variant.name
