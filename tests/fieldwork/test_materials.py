"""The materials a werkbon offers: a list per client and per contractor, edited by supervisors
through the API, and on the technician's phone with each job."""

from __future__ import annotations

import httpx
import pytest

from server.models import Client, Contractor
from tests.fieldwork.support import App, job_for
from tests.support import world
from tests.support.world import token_for


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def test_supervisors_set_the_lists_and_the_app_gets_both_with_the_job(
    http: httpx.AsyncClient, w: world.World
) -> None:
    sanne = await token_for(http, "sanne.supervisie")
    w.woonstad.settings = {"auto_assign_acuut": True}
    await w.woonstad.save()
    contractor = await Contractor.get(code="INST")

    client_list = await http.put(
        "/api/v1/clients/wst/materials",
        json={"materials": ["  Sifon  32 mm ", "Kraanleertje", "sifon 32 mm", "Kit"]},
        headers=sanne,
    )
    own_list = await http.put(
        f"/api/v1/contractors/{contractor.id}/materials",
        json={"materials": ["Kit", "Drukvat cv"]},
        headers=sanne,
    )

    assert client_list.json() == {"materials": ["Sifon 32 mm", "Kraanleertje", "Kit"]}
    assert own_list.json() == {"materials": ["Kit", "Drukvat cv"]}
    # Other settings of the client stay as they were.
    assert (await Client.get(code="WST")).settings == {
        "auto_assign_acuut": True,
        "materials": ["Sifon 32 mm", "Kraanleertje", "Kit"],
    }
    anna = await token_for(http, "anna.agent")
    wim = await token_for(http, "wim.woonstad")
    for reader in (anna, wim):
        listed = await http.get("/api/v1/clients/WST/materials", headers=reader)
        assert listed.json()["materials"] == ["Sifon 32 mm", "Kraanleertje", "Kit"]
    assert (await http.get("/api/v1/clients/LVD/materials", headers=wim)).status_code == 404
    job = await job_for(w, w.technician)
    app = App(http, await token_for(http, "piet.monteur"))
    (snapshot,) = (await app.pull())["snapshot"]["jobs"]
    assert snapshot["order_number"] == job.order_number
    assert snapshot["materials"] == ["Sifon 32 mm", "Kraanleertje", "Kit", "Drukvat cv"]
    # A change of the list reaches the phone on the next pull.
    await http.put("/api/v1/clients/WST/materials", json={"materials": ["Vlotter"]}, headers=sanne)
    (change,) = (await app.pull())["changes"]
    assert change["data"]["job"]["materials"] == ["Vlotter", "Kit", "Drukvat cv"]


async def test_only_supervisors_change_a_list_and_bad_lists_are_named(
    http: httpx.AsyncClient, w: world.World
) -> None:
    anna = await token_for(http, "anna.agent")
    sanne = await token_for(http, "sanne.supervisie")
    url = "/api/v1/clients/WST/materials"

    refused = await http.put(url, json={"materials": ["Kit"]}, headers=anna)

    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == (
        "Alleen supervisie en beheer wijzigen de materiaallijst."
    )
    cases = [
        ({}, "Materialen: verwacht een lijst van namen, niet None."),
        ({"materials": "Kit"}, "Materialen: verwacht een lijst van namen, niet 'Kit'."),
        (
            {"materials": ["Kit", ""]},
            "Materiaal 2 moet een naam van 1 tot 200 tekens zijn, niet ''.",
        ),
        (
            {"materials": ["Kit", 3]},
            "Materiaal 2 moet een naam van 1 tot 200 tekens zijn, niet 3.",
        ),
        ({"materials": ["x"] * 301}, "Materialen: hoogstens 300 namen, niet 301."),
    ]
    for body, message in cases:
        bad = await http.put(url, json=body, headers=sanne)
        assert bad.status_code == 422, body
        assert bad.json()["error"]["message"] == message
    assert "materials" not in (await Client.get(code="WST")).settings
    missing = await http.get("/api/v1/contractors/999/materials", headers=anna)
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "Aannemer 999 niet gevonden."
    assert (await http.get("/api/v1/contractors/abc/materials", headers=anna)).status_code == 404
