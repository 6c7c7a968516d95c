"""A client's report address and service-level norm, kept with its contact set-up."""

from __future__ import annotations

import html

import httpx

from server.models import Client
from tests.support import world
from tests.support.pages import csrf, login
from tests.support.world import token_for

ORDER = {"code": "opdracht", "label": "Leidt tot opdracht", "dossier": True}
SETUP = {"greeting": "{dagdeel}.", "inbound": [], "transfers": [], "result_codes": [ORDER]}


async def test_the_page_keeps_report_address_and_norm(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "sanne.supervisie")
    page = await http.get("/contactinstellingen/WST")
    assert 'name="service_level_norm" value="80"' in page.text  # the default
    form = {
        "csrf_token": csrf(page.text),
        "greeting": "{dagdeel}, {opdrachtgever}.",
        "inbound": "",
        "transfers": "",
        "result_codes": "opdracht | Leidt tot opdracht | dossier",
        "report_email": " rapportage@woonstad.example.nl ",
        "service_level_norm": "85%",
    }
    saved = await http.post("/contactinstellingen/WST", data=form)
    assert saved.status_code == 303, saved.text
    client = await Client.get(code="WST")
    assert client.settings["report_email"] == "rapportage@woonstad.example.nl"
    assert client.settings["service_level_norm"] == 85
    again = html.unescape((await http.get("/contactinstellingen/WST")).text)
    assert 'value="rapportage@woonstad.example.nl"' in again and 'value="85"' in again
    for name, value, message in (
        ("report_email", "rapportage@woonstad", "geen geldig e-mailadres"),
        ("service_level_norm", "180", "percentage van 1 tot en met 100"),
    ):
        wrong = await http.post("/contactinstellingen/WST", data={**form, name: value})
        assert wrong.status_code == 422
        assert message in html.unescape(wrong.text)
    assert (await Client.get(code="WST")).settings["service_level_norm"] == 85
    cleared = await http.post(
        "/contactinstellingen/WST", data={**form, "report_email": "", "service_level_norm": ""}
    )
    assert cleared.status_code == 303
    settings = (await Client.get(code="WST")).settings
    assert "report_email" not in settings and "service_level_norm" not in settings


async def test_the_api_sets_them_and_leaves_them_when_omitted(
    http: httpx.AsyncClient, w: world.World
) -> None:
    headers = await token_for(http, "sanne.supervisie")
    url = "/api/v1/clients/WST/contact-setup"
    body = {**SETUP, "report_email": "rapport@woonstad.example.nl", "service_level_norm": 90}
    answer = await http.put(url, json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["report_email"], answer.json()["service_level_norm"]) == (
        "rapport@woonstad.example.nl",
        90,
    )
    kept = (await http.put(url, json=SETUP, headers=headers)).json()
    assert (kept["report_email"], kept["service_level_norm"]) == ("rapport@woonstad.example.nl", 90)
    bad = await http.put(url, json={**SETUP, "service_level_norm": 0}, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["error"]["field"].endswith("service_level_norm")
    bad = await http.put(url, json={**SETUP, "report_email": "geen adres"}, headers=headers)
    assert bad.status_code == 422
    assert "geen geldig e-mailadres" in bad.json()["error"]["message"]
