"""Nearest-point search that stays fast for tens of thousands of points.

Points become unit vectors on a sphere in a scipy cKDTree. A great-circle radius is a straight
chord in 3-D, so a radius query is exact on the sphere with no lat/lon cell distortion, no
special cases at the edges of a grid, and O(log n) per query. The sphere is only the
prefilter: the candidates it returns are measured again with geopy's exact geodesic on the
WGS84 ellipsoid, which differs from the sphere by well under 1 % (the query radius is widened
by that margin so no point is missed). Why not a lat/lon grid: see docs/geo.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from geo.distance import EARTH_RADIUS_KM, distance_km
from geo.point import Point

K = TypeVar("K")

# Geodesic and spherical distance differ by at most about 0.56 %; 1 % leaves room.
SPHERE_MARGIN = 1.01


@dataclass(frozen=True)
class Neighbour(Generic[K]):
    key: K
    distance_km: float


def unit_vectors(lats: npt.ArrayLike, lons: npt.ArrayLike) -> npt.NDArray[np.float64]:
    lat = np.radians(np.asarray(lats, dtype=np.float64))
    lon = np.radians(np.asarray(lons, dtype=np.float64))
    cos_lat = np.cos(lat)
    return np.column_stack((cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)))


def _chord(radius_km: float) -> float:
    angle = min(radius_km / EARTH_RADIUS_KM, math.pi)
    return 2.0 * math.sin(angle / 2.0)


class PointIndex(Generic[K]):
    """An immutable index of keyed points; build a new one when the points move (10,000
    points take a few milliseconds)."""

    def __init__(self, items: Iterable[tuple[K, Point]]) -> None:
        pairs = list(items)
        self.keys: list[K] = [key for key, _ in pairs]
        self.points: list[Point] = [point for _, point in pairs]
        self._xyz = unit_vectors([p.lat for p in self.points], [p.lon for p in self.points])
        self._tree = cKDTree(self._xyz) if pairs else None

    def __len__(self) -> int:
        return len(self.keys)

    def within(
        self, center: Point, radius_km: float, *, exact: bool = True, limit: int | None = None
    ) -> list[Neighbour[K]]:
        """Points within `radius_km` of `center`, nearest first (ties in insertion order).

        With `exact` the distances are geodesic (WGS84); otherwise great-circle.
        """
        if self._tree is None or radius_km < 0:
            return []
        margin = SPHERE_MARGIN if exact else 1.0
        found = self._sphere_query(center, radius_km * margin)
        return self._measure(center, found, radius_km, exact, limit)

    def nearest(self, center: Point, k: int, *, exact: bool = True) -> list[Neighbour[K]]:
        """The `k` points nearest to `center`, nearest first."""
        if self._tree is None or k <= 0:
            return []
        k = min(k, len(self.keys))
        _, positions = self._tree.query(unit_vectors([center.lat], [center.lon])[0], k=k)
        positions = np.atleast_1d(positions)
        farthest = float(self._sphere_km(center, positions).max())
        if not exact:
            return self._measure(center, positions.tolist(), farthest, False, k)
        # The k-th nearest on the ellipsoid may be a different point than on the sphere: take
        # everything the sphere puts within the widened radius and let the geodesic decide.
        found = self._sphere_query(center, farthest * SPHERE_MARGIN * SPHERE_MARGIN)
        return self._measure(center, found, math.inf, True, k)

    def _sphere_query(self, center: Point, radius_km: float) -> list[int]:
        assert self._tree is not None
        vector = unit_vectors([center.lat], [center.lon])[0]
        # A relative margin is nothing at radius 0, where float noise in the unit vectors (about
        # 1e-16) can still separate a point the geodesic puts at 0.0 km; 1e-9 more covers it, and
        # `_measure` drops anything the slack let in.
        chord = _chord(radius_km) * (1 + 1e-12) + 1e-9
        found: list[int] = self._tree.query_ball_point(vector, chord)
        return found

    def _sphere_km(self, center: Point, positions: npt.ArrayLike) -> npt.NDArray[np.float64]:
        vector = unit_vectors([center.lat], [center.lon])[0]
        chords = np.linalg.norm(self._xyz[np.asarray(positions, dtype=np.intp)] - vector, axis=1)
        result: npt.NDArray[np.float64] = (
            2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(chords / 2.0, 0.0, 1.0))
        )
        return result

    def _measure(
        self, center: Point, positions: list[int], radius_km: float, exact: bool, limit: int | None
    ) -> list[Neighbour[K]]:
        if not positions:
            return []
        if exact:
            distances = [distance_km(center, self.points[i], "geodesic") for i in positions]
        else:
            distances = self._sphere_km(center, positions).tolist()
        ranked = sorted((d, i) for d, i in zip(distances, positions, strict=True) if d <= radius_km)
        if limit is not None:
            ranked = ranked[:limit]
        return [Neighbour(self.keys[i], d) for d, i in ranked]
