"""Geocoding after intake as production runs it: intake queues the job on real Redis, a real
arq worker (burst) runs the chain against a local geocoder, the dossier gets its location."""

from __future__ import annotations

import httpx
import pytest

from server import settings
from server.models import Dossier, DossierEvent
from tests.dispatch.test_geocoding_intake import TYPED
from tests.geo.servers import closed_port_url, serve
from tests.geo.test_geocode import pdok
from tests.jobs.conftest import burst
from tests.support import world
from tests.support.world import dossier_body, token_for


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _intake(http: httpx.AsyncClient) -> Dossier:
    response = await http.post(
        "/api/v1/dossiers",
        json=dossier_body(address=TYPED),
        headers=await token_for(http, "anna.agent"),
    )
    assert response.status_code == 201, response.text
    return await Dossier.get(order_number=response.json()["order_number"])


async def test_worker_geocodes_the_dossier_after_intake(
    redis_url: str, http: httpx.AsyncClient, w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(pdok) as geocoder:
        monkeypatch.setattr(settings, "GEOCODER_URL", f"pdok+{geocoder.url}")
        d = await _intake(http)
        # Queued, not run: the app process has no worker in it.
        assert (d.geo_source, len(geocoder.requests)) == ("", 0)
        done, failed = await burst(redis_url)
        assert done >= 1 and failed == 0
        assert len(geocoder.requests) == 1
    d = await Dossier.get(id=d.id)
    assert (d.geo_precision, d.geo_source, d.latitude) == ("adres", "pdok", 52.37316)
    event = await DossierEvent.get(dossier_id=d.id, kind="geocoded")
    assert (event.actor_name, event.data) == ("systeem", {"precision": "adres", "source": "pdok"})
    # Queued once per dossier: running the worker again does nothing more.
    assert await burst(redis_url) == (0, 0)
    assert await DossierEvent.filter(dossier_id=d.id, kind="geocoded").count() == 1


async def test_worker_falls_back_to_the_postcode_when_the_geocoder_is_down(
    redis_url: str, http: httpx.AsyncClient, w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "GEOCODER_URL", f"pdok+{closed_port_url()}")
    d = await _intake(http)
    assert (await burst(redis_url))[1] == 0
    d = await Dossier.get(id=d.id)
    assert (d.geo_precision, d.geo_source) == ("postcode4", "pc4")
