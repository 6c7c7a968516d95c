"""Distances, the travel estimate and the routing engine with its fallback."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.distance import (
    ESTIMATE,
    ROUTING,
    RoutingClient,
    Travel,
    TravelModel,
    distance_km,
    sphere_km,
    travel,
)
from geo.point import Point
from tests.geo.servers import closed_port_url, fail, hang, osrm_table, serve

AMSTERDAM = Point(52.3731, 4.8922)
ROTTERDAM = Point(51.9225, 4.4792)
UTRECHT = Point(52.0907, 5.1214)


def test_geodesic_and_great_circle_agree_within_half_a_percent() -> None:
    exact = distance_km(AMSTERDAM, ROTTERDAM)
    sphere = distance_km(AMSTERDAM, ROTTERDAM, "great_circle")
    assert exact == pytest.approx(57.4, abs=0.3)
    assert abs(exact - sphere) / exact < 0.005


@given(
    st.builds(Point, st.floats(-90, 90), st.floats(-180, 180)),
    st.builds(Point, st.floats(-90, 90), st.floats(-180, 180)),
)
def test_fast_sphere_distance_equals_geopys_great_circle(a: Point, b: Point) -> None:
    assert sphere_km(a, b) == pytest.approx(distance_km(a, b, "great_circle"), rel=1e-9, abs=1e-6)


def test_estimate_uses_road_factor_and_speed() -> None:
    trip = TravelModel().estimate(AMSTERDAM, ROTTERDAM)
    straight = distance_km(AMSTERDAM, ROTTERDAM, "great_circle")
    assert trip.distance_km == pytest.approx(straight * 1.3)
    assert trip.minutes == pytest.approx(straight * 1.3 / 40 * 60)
    assert trip.source == ESTIMATE
    faster = TravelModel(road_factor=1.0, speed_kmh=60).estimate(AMSTERDAM, ROTTERDAM)
    assert faster.minutes == pytest.approx(straight)


@pytest.mark.parametrize(("factor", "speed"), [(0.9, 40.0), (1.3, 0.0), (1.3, -5.0)])
def test_bad_settings_are_refused(factor: float, speed: float) -> None:
    with pytest.raises(ValueError, match=repr(factor) if factor < 1 else repr(speed)):
        TravelModel(road_factor=factor, speed_kmh=speed)


def osrm(path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
    return 200, {"code": "Ok", "routes": [{"distance": 78400.0, "duration": 3300.0}]}


async def test_routing_engine_answer() -> None:
    with serve(osrm) as server:
        trip = await travel(
            AMSTERDAM, ROTTERDAM, model=TravelModel(), routing=RoutingClient(server.url)
        )
        path, query = server.requests[0]
    assert (trip.distance_km, trip.minutes, trip.source) == (78.4, 55.0, ROUTING)
    assert path == "/route/v1/driving/4.892200,52.373100;4.479200,51.922500"
    assert query["overview"] == ["false"]


@pytest.mark.parametrize("responder", [hang, fail], ids=["hangt", "http-500"])
async def test_routing_engine_down_gives_the_estimate_quickly(responder: Any) -> None:
    with serve(responder) as server:
        started = time.monotonic()
        trip = await travel(
            AMSTERDAM,
            ROTTERDAM,
            model=TravelModel(),
            routing=RoutingClient(server.url, timeout=0.3),
        )
        seconds = time.monotonic() - started
    assert trip == TravelModel().estimate(AMSTERDAM, ROTTERDAM)
    assert seconds < 0.8


async def test_routing_engine_without_route_or_unreachable_gives_the_estimate() -> None:
    def no_route(path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        return 200, {"code": "NoRoute", "routes": []}

    with serve(no_route) as server:
        trip = await travel(
            AMSTERDAM, ROTTERDAM, model=TravelModel(), routing=RoutingClient(server.url)
        )
    assert trip.source == ESTIMATE
    closed = RoutingClient(closed_port_url())
    assert (
        await travel(AMSTERDAM, ROTTERDAM, model=TravelModel(), routing=closed)
    ).source == ESTIMATE


async def test_routing_table_asks_once_for_many_origins() -> None:
    slow_from_rotterdam = osrm_table(lambda lat, lon: 70.0 if lat < 52 else None)
    with serve(slow_from_rotterdam) as server:
        trips = await RoutingClient(server.url).table([ROTTERDAM, AMSTERDAM], UTRECHT)
        [(path, query)] = server.requests
    assert path == "/table/v1/driving/4.479200,51.922500;4.892200,52.373100;5.121400,52.090700"
    assert (query["sources"], query["destinations"]) == (["0;1"], ["2"])
    assert query["annotations"] == ["duration,distance"]
    # Rotterdam: the engine's trip; Amsterdam: it knows no route (null), so no trip.
    assert trips == [Travel(70.0, 70.0, ROUTING), None]


@pytest.mark.parametrize("responder", [hang, fail], ids=["hangt", "http-500"])
async def test_routing_table_that_does_not_answer_raises_within_its_timeout(
    responder: Any,
) -> None:
    with serve(responder) as server:
        started = time.monotonic()
        with pytest.raises((TimeoutError, httpx.HTTPError)):
            await RoutingClient(server.url, timeout=0.3).table([ROTTERDAM], UTRECHT)
        assert time.monotonic() - started < 0.8
