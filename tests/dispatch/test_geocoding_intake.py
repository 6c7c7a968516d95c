"""Geocoding at intake: the housing stock answers at once, everything else in the background;
an unreachable or hanging geocoder never holds up or fails an intake."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from server import settings
from server.models import Dossier, DossierEvent, GeocodeCache
from tests.geo.servers import closed_port_url, hang, serve
from tests.geo.test_geocode import pdok
from tests.support import world
from tests.support.pages import login
from tests.support.world import dossier_body, token_for

# Not in the Woonstad stock: typed in by the agent, geocoded in the background.
TYPED = {"postcode": "1012 JS", "house_number": 1, "street": "Dam", "city": "Amsterdam"}
PC4_1012 = (52.3735, 4.8951)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _geocoded(order_number: str, seconds: float = 5.0) -> Dossier:
    """The dossier once the background job has recorded its location."""
    for _ in range(int(seconds / 0.05)):
        d = await Dossier.get(order_number=order_number)
        if d.geo_source:
            return d
        await asyncio.sleep(0.05)
    raise AssertionError(f"{order_number} was not geocoded within {seconds}s")


async def _intake(http: httpx.AsyncClient, **address: Any) -> tuple[dict[str, Any], float]:
    headers = await token_for(http, "anna.agent")
    started = time.monotonic()
    response = await http.post(
        "/api/v1/dossiers", json=dossier_body(address=address), headers=headers
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 201, response.text
    return response.json(), elapsed


async def test_housing_stock_coordinates_are_there_at_once(
    http: httpx.AsyncClient, w: world.World
) -> None:
    body, _ = await _intake(http, postcode="3572 ab", house_number=10)
    assert body["location"]["latitude"] == 52.09
    assert body["location"]["precision"] == "adres"
    assert body["location"]["source"] == "woningbestand"


@pytest.mark.parametrize("kind", ["closed port", "hanging server"])
async def test_unreachable_geocoder_neither_holds_up_nor_fails_intake(
    http: httpx.AsyncClient, w: world.World, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    monkeypatch.setattr(settings, "GEOCODER_TIMEOUT", 1.0)
    with serve(hang) as hanging:
        url = closed_port_url() if kind == "closed port" else hanging.url
        monkeypatch.setattr(settings, "GEOCODER_URL", f"pdok+{url}")
        body, elapsed = await _intake(http, **TYPED)
        assert elapsed < 0.8, f"intake waited {elapsed:.2f}s for the geocoder"
        assert body["location"]["precision"] is None  # still being located
        d = await _geocoded(body["order_number"])
    assert (d.geo_precision, d.geo_source) == ("postcode4", "pc4")
    assert (round(d.latitude, 4), round(d.longitude, 4)) == PC4_1012  # type: ignore[arg-type]
    event = await DossierEvent.get(dossier_id=d.id, kind="geocoded")
    assert event.actor_name == "systeem"
    assert event.data == {"precision": "postcode4", "source": "pc4"}
    # The desk sees how precise the location is.
    await login(http, "anna.agent")
    page = await http.get(f"/dossiers/{d.order_number}")
    assert "locatie op postcodeniveau" in page.text
    assert "bepaalde de locatie: op postcodeniveau (bron: pc4)" in page.text


async def test_online_answer_is_cached_for_the_next_report(
    http: httpx.AsyncClient, w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(pdok) as server:
        monkeypatch.setattr(settings, "GEOCODER_URL", f"pdok+{server.url}")
        first, _ = await _intake(http, **TYPED)
        d = await _geocoded(first["order_number"])
        assert (d.geo_precision, d.geo_source) == ("adres", "pdok")
        assert (d.latitude, d.longitude) == (52.37316, 4.89216)
        cached = await GeocodeCache.get(key="1012JS|1|")
        assert cached.source == "pdok"
        second, _ = await _intake(http, **TYPED)
        again = await _geocoded(second["order_number"])
        assert again.geo_source == "pdok (cache)"
        assert len(server.requests) == 1
