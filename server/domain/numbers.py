"""Whole numbers typed by people and programs: ASCII digits within the database's range.

`int()` and `str.isdigit()` both accept more than digits 0-9 ('²', '٣', ' 7', '1_000'), and
Python ints have no upper bound, while every id and counter column is a 32-bit INTEGER.
"""

from __future__ import annotations

import re

# The largest value of an INTEGER column (ids, versions, house numbers) on PostgreSQL.
INT_MAX = 2**31 - 1

# Longer input cannot be in range; checked before int() so a huge string costs nothing.
_DIGITS = re.compile(r"[0-9]{1,18}")


def whole_number(raw: str | int | None, low: int = 0, high: int = INT_MAX) -> int | None:
    """The number `raw` spells in ASCII digits when it lies within [low, high], else None."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int):
        return raw if low <= raw <= high else None
    text = raw.strip()
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def row_id(raw: str | int | None) -> int | None:
    """An id as stored (1 up to INT_MAX), or None when `raw` cannot be one."""
    return whole_number(raw, 1, INT_MAX)


# Dutch house numbers have at most five digits; the bound keeps typos out of the INTEGER column.
HOUSE_NUMBER_MAX = 100_000
