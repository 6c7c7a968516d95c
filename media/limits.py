"""Limits on what is accepted, and how they are written for people (Dutch number format)."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1_000_000
MEGAPIXEL = 1_000_000


@dataclass(frozen=True)
class Limits:
    """Upper bounds for one upload. Megabytes and megapixels are decimal (10**6).

    `max_memory` bounds what storing the photo takes at its peak, estimated from the header
    (media/memory.py). The default lets an RGB photo with a colour profile reach the pixel
    limit (50 MP at 15 bytes a pixel), so an ordinary colour photo is only ever limited by its
    pixel count; formats that cost more a pixel (transparency, 16-bit grey, WebP) get fewer.
    """

    max_bytes: int = 25 * MB
    max_pixels: int = 50 * MEGAPIXEL
    max_memory: int = 750 * MB


DEFAULT_LIMITS = Limits()


def dutch_amount(value: int, unit: int) -> str:
    """`value / unit` with a decimal comma and one decimal, rounded up.

    Rounding up keeps a refused amount from reading as the limit itself
    ("25,0 MB (maximaal 25 MB)").
    """
    tenths = -(-value * 10 // unit)
    return f"{tenths // 10},{tenths % 10}"


def dutch_limit(value: int, unit: int) -> str:
    """A limit as people write it: whole numbers without decimals."""
    if value % unit == 0:
        return str(value // unit)
    return dutch_amount(value, unit)
