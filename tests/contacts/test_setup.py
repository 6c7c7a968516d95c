"""Each client's contact set-up: greeting, inbound lines, transfer numbers, result codes."""

from __future__ import annotations

import html

import httpx
import pytest

from server.models import Client, Contact, InboundLine, TransferTarget
from tests.contacts.support import event, post
from tests.support import world
from tests.support.pages import csrf, login
from tests.support.world import token_for

pytestmark = pytest.mark.usefixtures("clock")

SETUP = {
    "greeting": "{dagdeel}, storingsdienst {opdrachtgever}, met {medewerker}.",
    "inbound": [{"kind": "telefoon", "value": "085 123 45 67", "label": "Storingslijn"}],
    "transfers": [
        {
            "name": "Kantoor",
            "number": "030 263 6363",
            "hours": [{"days": ["ma", "di", "wo", "do", "vr"], "from": "08:00", "to": "17:00"}],
        },
        {"name": "Huismeester Zuilen", "number": "06 11112222", "hours": []},
    ],
    "result_codes": [
        {"code": "opdracht", "label": "Leidt tot opdracht", "dossier": True},
        {"code": "klacht", "label": "Klacht doorgezet"},
    ],
}


async def test_a_supervisor_replaces_the_setup_through_the_api(
    http: httpx.AsyncClient, w: world.World
) -> None:
    headers = await token_for(http, "sanne.supervisie")
    response = await http.put("/api/v1/clients/WST/contact-setup", json=SETUP, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["inbound"] == [
        {"kind": "telefoon", "value": "+31851234567", "label": "Storingslijn"}
    ]
    assert [(t["name"], t["number"], t["hours_text"]) for t in body["transfers"]] == [
        ("Kantoor", "+31302636363", "ma-vr 08:00-17:00"),
        ("Huismeester Zuilen", "+31611112222", "altijd"),
    ]
    assert [c["code"] for c in body["result_codes"]] == ["opdracht", "klacht"]
    # An agent reads it, and registers with the client's own code.
    agent = await token_for(http, "anna.agent")
    assert (await http.get("/api/v1/clients/WST/contact-setup", headers=agent)).json() == body
    registered = await http.post(
        "/api/v1/contacts",
        json={"client": "WST", "subject": "Klacht over monteur", "result_code": "klacht"},
        headers=agent,
    )
    assert registered.json()["result_label"] == "Klacht doorgezet"
    refused = await http.put("/api/v1/clients/WST/contact-setup", json=SETUP, headers=agent)
    assert refused.status_code == 403


async def test_the_setup_is_refused_whole_naming_the_item(
    http: httpx.AsyncClient, w: world.World
) -> None:
    headers = await token_for(http, "sanne.supervisie")
    bad_hours = {
        **SETUP,
        "transfers": [
            {
                "name": "Kantoor",
                "number": "0302636363",
                "hours": [{"days": ["mo"], "from": "8", "to": "17"}],
            }
        ],
    }
    taken = {**SETUP, "inbound": [{"kind": "telefoon", "value": "+31302345678"}]}
    cases = [
        (
            bad_hours,
            "'mo' is geen dag: gebruik ma, di, wo, do, vr, za, zo of fd (feestdag).",
            "transfers[0].hours[0]",
        ),
        (taken, "+31302345678 is al een lijn van Lichtveld Wonen.", "inbound"),
        ({**SETUP, "greeting": "Hoi {naam}"}, None, "greeting"),
        ({**SETUP, "result_codes": [{"code": "klacht", "label": "Klacht"}]}, None, "result_codes"),
    ]
    for body, message, field in cases:
        response = await http.put("/api/v1/clients/WST/contact-setup", json=body, headers=headers)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["field"] == field
        if message:
            assert response.json()["error"]["message"] == message
    assert await TransferTarget.filter(client_id=w.woonstad.id).count() == 2  # unchanged
    assert await InboundLine.filter(client_id=w.woonstad.id).count() == 1


async def test_the_settings_page_round_trips_its_text(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "sanne.supervisie")
    page = await http.get("/contactinstellingen/WST")
    text = html.unescape(page.text)
    assert "085 123 4567 | Storingslijn" in text
    assert "Klantenservice Woonstad | 030 263 6363 | ma-vr 08:00-17:00" in text
    assert "Piket Woonstad | 06 12000000 | ma-vr 17:00-08:00; za,zo,fd 00:00-24:00" in text
    assert "herhaalmelding | Herhaalmelding | dossier" in text
    form = {
        "csrf_token": csrf(page.text),
        "greeting": "{dagdeel}, {opdrachtgever}.",
        "inbound": "085 123 4567 | Storingslijn\nstoringen@woonstad.example | Mailbox",
        "transfers": "Kantoor | 030 263 6363 | ma-vr 08:00-17:00\nPiket | 06 12000000 | altijd",
        "result_codes": "opdracht | Leidt tot opdracht | dossier\ngeen_actie | Geen actie",
    }
    saved = await http.post("/contactinstellingen/WST", data=form)
    assert (saved.status_code, saved.headers["location"]) == (
        303,
        "/contactinstellingen/WST?opgeslagen=1",
    )
    again = html.unescape((await http.get("/contactinstellingen/WST")).text)
    assert "storingen@woonstad.example | Mailbox" in again
    assert "Piket | 06 12000000 | altijd" in again
    client = await Client.get(code="WST")
    assert client.settings["greeting"] == "{dagdeel}, {opdrachtgever}."
    wrong = await http.post(
        "/contactinstellingen/WST", data={**form, "transfers": "Kantoor | 030 263 6363 | 9-5"}
    )
    assert wrong.status_code == 422
    assert "Regel 1: &#39;9-5&#39; is geen venster" in wrong.text


async def test_agents_and_clients_may_not_change_the_setup(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "anna.agent")
    assert (await http.get("/contactinstellingen/WST")).status_code == 403


async def test_the_greeting_follows_the_client_and_the_time_of_day(
    http: httpx.AsyncClient, w: world.World
) -> None:
    client = await Client.get(code="WST")
    client.settings = {
        **client.settings,
        "greeting": "{dagdeel}, {opdrachtgever}, met {medewerker}.",
    }
    await client.save()
    await post(http, event("s-1", "offered"))
    contact = await Contact.get(call_id="api:s-1")
    await login(http, "anna.agent")
    pop = await http.get(f"/contacten/{contact.id}/pop")
    assert "Goedemiddag, Woonstad Utrecht, met Anna." in pop.text
