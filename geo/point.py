"""A WGS84 point, the one coordinate type every geo module speaks."""

from __future__ import annotations

from typing import NamedTuple


class Point(NamedTuple):
    """Latitude and longitude in degrees (WGS84). Latitude first, like geopy."""

    lat: float
    lon: float


def valid(lat: float, lon: float) -> bool:
    """True for a finite latitude in [-90, 90] and longitude in [-180, 180]."""
    return -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0
