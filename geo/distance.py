"""Distances (geopy) and travel times: estimated from distance, or from a routing engine.

The estimate is straight-line distance times a road factor at an average speed. Both are
settings (defaults 1.3 and 40 km/h: Dutch urban and regional roads). A routing engine with an
OSRM-compatible API is used when configured: `/route/v1` for one trip, `/table/v1` for many
origins to one destination in one request; when it is slow or down the estimate answers
instead, so dispatch never waits on it.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import httpx
from geopy.distance import EARTH_RADIUS, geodesic, great_circle

from geo.point import Point

log = logging.getLogger(__name__)

Method = Literal["geodesic", "great_circle"]
# geopy's mean earth radius, so sphere distances here and in geo.index equal great_circle's.
EARTH_RADIUS_KM: float = float(EARTH_RADIUS)
ESTIMATE = "schatting"
ROUTING = "routeplanner"


def distance_km(a: Point, b: Point, method: Method = "geodesic") -> float:
    """Geodesic (WGS84 ellipsoid, exact) or great-circle (sphere: about 15 times faster,
    within 0.5 %, which a road factor swamps anyway)."""
    if method == "geodesic":
        return float(geodesic(a, b).km)
    return float(great_circle(a, b).km)


def sphere_km(a: Point, b: Point) -> float:
    """Great-circle distance by the haversine formula on geopy's mean earth radius: the same
    number as geopy's `great_circle` without its per-call object building (0.5 µs, not 5-25 µs),
    for hot loops such as ranking thousands of technicians."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Travel:
    distance_km: float
    minutes: float
    source: str


@dataclass(frozen=True)
class TravelModel:
    """Travel time from distance: `distance * road_factor / speed_kmh`."""

    road_factor: float = 1.3
    speed_kmh: float = 40.0
    method: Method = "great_circle"

    def __post_init__(self) -> None:
        if not self.road_factor >= 1.0:
            raise ValueError(f"omrijfactor {self.road_factor!r} moet 1 of groter zijn")
        if not self.speed_kmh > 0:
            raise ValueError(f"gemiddelde snelheid {self.speed_kmh!r} km/u moet positief zijn")

    def estimate(self, a: Point, b: Point) -> Travel:
        straight = sphere_km(a, b) if self.method == "great_circle" else distance_km(a, b)
        return self.estimate_km(straight)

    def estimate_km(self, straight_km: float) -> Travel:
        """The trip for a straight-line distance."""
        km = straight_km * self.road_factor
        return Travel(km, km / self.speed_kmh * 60.0, ESTIMATE)


class RoutingClient:
    """An OSRM-compatible routing engine (OSRM itself, or Valhalla/GraphHopper behind an OSRM
    facade). `base_url` is everything before `/route/v1/...` and `/table/v1/...`."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 1.0,
        profile: str = "driving",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.profile = profile
        self._transport = transport

    async def route(self, a: Point, b: Point) -> Travel:
        """Road distance and duration; raises httpx.HTTPError or ValueError when it can't."""
        url = (
            f"{self.base_url}/route/v1/{self.profile}/"
            f"{a.lon:.6f},{a.lat:.6f};{b.lon:.6f},{b.lat:.6f}"
        )
        # httpx's timeout is per read; asyncio.timeout bounds the whole exchange.
        async with (
            asyncio.timeout(self.timeout),
            httpx.AsyncClient(transport=self._transport, timeout=self.timeout) as client,
        ):
            response = await client.get(url, params={"overview": "false"})
        response.raise_for_status()
        body = response.json()
        if body.get("code") != "Ok" or not body.get("routes"):
            raise ValueError(f"routeplanner gaf geen route: {body.get('code')!r}")
        route = body["routes"][0]
        return Travel(float(route["distance"]) / 1000.0, float(route["duration"]) / 60.0, ROUTING)

    async def table(self, origins: Sequence[Point], destination: Point) -> list[Travel | None]:
        """Road trips from each origin to `destination` in one request (OSRM's table service),
        in the order of `origins`; None where the engine knows no route. Raises
        httpx.HTTPError, TimeoutError or ValueError when it can't answer at all; the whole
        exchange is bounded by `timeout`."""
        if not origins:
            return []
        points = [*origins, destination]
        coordinates = ";".join(f"{p.lon:.6f},{p.lat:.6f}" for p in points)
        params = {
            "sources": ";".join(str(i) for i in range(len(origins))),
            "destinations": str(len(origins)),
            "annotations": "duration,distance",
        }
        async with (
            asyncio.timeout(self.timeout),
            httpx.AsyncClient(transport=self._transport, timeout=self.timeout) as client,
        ):
            response = await client.get(
                f"{self.base_url}/table/v1/{self.profile}/{coordinates}", params=params
            )
        response.raise_for_status()
        body = response.json()
        durations = body.get("durations")
        if body.get("code") != "Ok" or not isinstance(durations, list):
            raise ValueError(f"routeplanner gaf geen tabel: {body.get('code')!r}")
        if len(durations) != len(origins):
            raise ValueError(
                f"routeplanner gaf {len(durations)} rijen voor {len(origins)} vertrekpunten"
            )
        distances = body.get("distances") or [[None]] * len(origins)
        return [
            _table_trip(row, distances[i] if i < len(distances) else [None])
            for i, row in enumerate(durations)
        ]


def _table_trip(durations: list[object], distances: list[object]) -> Travel | None:
    """One origin's row of a table answer; distances are optional (older engines omit them)."""
    seconds = durations[0] if durations else None
    if not isinstance(seconds, int | float):
        return None
    metres = distances[0] if distances else None
    km = float(metres) / 1000.0 if isinstance(metres, int | float) else math.nan
    return Travel(km, float(seconds) / 60.0, ROUTING)


async def travel(
    a: Point, b: Point, *, model: TravelModel, routing: RoutingClient | None = None
) -> Travel:
    """The routing engine's answer when there is one in time, otherwise the estimate."""
    if routing is not None:
        try:
            return await routing.route(a, b)
        except Exception as exc:
            # Includes timeouts (httpx.TimeoutException): the estimate is good enough.
            log.warning("routeplanner failed, using the estimate: %s: %s", type(exc).__name__, exc)
    return model.estimate(a, b)
