"""Limits on what is accepted, and how they are written for people (Dutch number format)."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1_000_000
MEGAPIXEL = 1_000_000


@dataclass(frozen=True)
class Limits:
    """Upper bounds for one upload. Megabytes and megapixels are decimal (10**6)."""

    max_bytes: int = 25 * MB
    max_pixels: int = 50 * MEGAPIXEL


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
