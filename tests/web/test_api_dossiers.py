"""The dossier API as an integrator or the PWA uses it."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.support import world
from tests.support.world import dossier_body, token_for


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def test_create_dossier_gets_order_number_and_normalised_contact(
    http: httpx.AsyncClient, w: world.World
) -> None:
    headers = await token_for(http, "anna.agent")
    response = await http.post("/api/v1/dossiers", json=dossier_body(), headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert re.fullmatch(r"MK-\d{4}-\d{6}", body["order_number"])
    assert body["phase"] == "nieuw"
    assert body["contact"]["phone"] == "+31612345678"
    assert body["address"]["id"] == w.addresses[0].id
    assert body["address"]["street"] == "Biltstraat"
    assert [e["kind"] for e in body["events"]] == ["created"]
    assert body["events"][0]["actor"] == "Anna Agent"


async def test_bad_phone_is_refused_with_field_and_nothing_stored(
    http: httpx.AsyncClient, w: world.World
) -> None:
    headers = await token_for(http, "anna.agent")
    bad = dossier_body(contact={"name": "Jan", "phone": "12", "email": ""})
    response = await http.post("/api/v1/dossiers", json=bad, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"] == {
        "message": "'12' is geen geldig telefoonnummer.",
        "field": "contact.phone",
    }
    listing = await http.get("/api/v1/dossiers", headers=headers)
    assert listing.json()["total"] == 0


async def test_missing_field_and_broken_json_are_clear_4xx(
    http: httpx.AsyncClient, w: world.World
) -> None:
    headers = await token_for(http, "anna.agent")
    body = dossier_body()
    del body["channel"]
    response = await http.post("/api/v1/dossiers", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"] == {
        "message": "channel: Dit veld is verplicht.",
        "field": "channel",
    }
    response = await http.post(
        "/api/v1/dossiers",
        content=b"{not json",
        headers={**headers, "content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "De body is geen geldige JSON."


async def test_address_not_in_stock_needs_street_and_city(
    http: httpx.AsyncClient, w: world.World
) -> None:
    headers = await token_for(http, "anna.agent")
    unknown = {"postcode": "3581 XY", "house_number": 7, "suffix": ""}
    response = await http.post(
        "/api/v1/dossiers", json=dossier_body(address=unknown), headers=headers
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "address.street"
    assert (
        "3581XY 7 staat niet in het woningbestand van Woonstad Utrecht"
        in response.json()["error"]["message"]
    )
    typed = {**unknown, "street": "Lucasbolwerk", "city": "Utrecht"}
    response = await http.post(
        "/api/v1/dossiers", json=dossier_body(address=typed), headers=headers
    )
    assert response.status_code == 201
    assert response.json()["address"] == {
        "id": None,
        "street": "Lucasbolwerk",
        "house_number": 7,
        "suffix": "",
        "postcode": "3581XY",
        "city": "Utrecht",
    }
