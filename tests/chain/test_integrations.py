"""Supervisors keep the integrations on /koppelingen and over the API: a secret is stored and
never shown back, the inbound key once; bad input gets a Dutch error and stores nothing. A new
dossier reaches its client's system as a VERA Onderhoudsverzoek; photos are links the
receiver fetches with its own key."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from server.chain import outbound, secrets
from server.dossiers import dossiers, intake
from server.fieldwork import photos
from server.models import Integration
from server.protocols.triage import TriageInput
from tests.chain import erp_standin, vera_spec
from tests.chain.erp_standin import API_KEY, Erp
from tests.chain.support import LEAK, contractor_integration, settle
from tests.support import world
from tests.support.pages import csrf, login
from tests.support.scoped import jpeg
from tests.support.world import token_for


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


@pytest.fixture
async def erp() -> AsyncIterator[Erp]:
    async with erp_standin.running() as server:
        yield server


def body(erp_url: str, **overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "name": "Woonstad ERP",
        "owner": "client:WST",
        "endpoint_url": f"{erp_url}/vera/v4",
        "auth": "api_key",
        "secret": API_KEY,
        "messages": ["onderhoudsverzoek"],
        "active": True,
    }
    values.update(overrides)
    return values


async def test_the_api_keeps_the_secret_and_shows_the_key_once(
    http: httpx.AsyncClient, w: world.World, erp: Erp
) -> None:
    headers = await token_for(http, "sanne.supervisie")
    made = await http.post("/api/v1/integrations", json=body(erp.url), headers=headers)
    assert made.status_code == 201, made.text
    answer = made.json()
    key = answer["inbound_key"]
    assert key.startswith("mkv_") and answer["integration"]["inbound_key_hint"] == key[-4:]
    assert API_KEY not in made.text and answer["integration"]["secret_set"] is True
    stored = await Integration.get(id=answer["integration"]["id"])
    assert API_KEY not in stored.secret and secrets.decrypt(stored.secret) == API_KEY
    assert stored.inbound_key_hash == secrets.key_hash(key)
    number = answer["integration"]["id"]
    listed = await http.get("/api/v1/integrations", headers=headers)
    assert API_KEY not in listed.text and key not in listed.text
    # Saved again without a secret: the stored one stays.
    kept = await http.put(
        f"/api/v1/integrations/{number}", json=body(erp.url, secret=""), headers=headers
    )
    assert kept.status_code == 200 and kept.json()["secret_set"] is True
    assert secrets.decrypt((await Integration.get(id=number)).secret) == API_KEY
    renewed = await http.post(f"/api/v1/integrations/{number}/key", headers=headers)
    assert renewed.json()["inbound_key"] != key
    assert (await http.get("/api/vera/v4/ping", headers={"X-API-KEY": key})).status_code == 401
    ping = await http.get("/api/vera/v4/ping", headers={"X-API-KEY": renewed.json()["inbound_key"]})
    assert ping.status_code == 200


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": " "}, "name", "Geef de koppeling een naam."),
        ({"owner": "client:NOPE"}, "owner", "Kies de opdrachtgever of aannemer"),
        ({"endpoint_url": "ftp://erp/x"}, "endpoint_url", "Adres: vul een adres in als https://"),
        (
            {"endpoint_url": "https://user:pw@erp.example/v4"},
            "endpoint_url",
            "Adres: vul een adres",
        ),
        (
            {"messages": ["onderhoudsorder"]},
            "messages",
            "Een opdrachtgever krijgt: Onderhoudsverzoek",
        ),
        ({"messages": []}, "messages", "Kies welke berichten deze koppeling krijgt"),
        (
            {"auth": "oauth2", "token_url": "https://erp.example/token"},
            "oauth_client_id",
            "OAuth2 vraagt om een client-id.",
        ),
        ({"api_key_header": "X API"}, "api_key_header", "Header: letters, cijfers en streepjes"),
    ],
)
async def test_bad_input_is_a_dutch_error_and_stores_nothing(
    http: httpx.AsyncClient, w: world.World, change: dict[str, object], field: str, message: str
) -> None:
    headers = await token_for(http, "admin")
    answer = await http.post(
        "/api/v1/integrations", json=body("https://erp.example", **change), headers=headers
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == field
    assert answer.json()["error"]["message"].startswith(message)
    assert await Integration.all().count() == 0


async def test_the_page_makes_an_integration_and_never_shows_the_secret(
    http: httpx.AsyncClient, w: world.World, erp: Erp
) -> None:
    await login(http, "sanne.supervisie")
    form = await http.get("/koppelingen/nieuw")
    assert form.status_code == 200 and "Nieuwe koppeling" in form.text
    data = {
        "csrf_token": csrf(form.text),
        "name": "ERP Noord",
        "owner": f"contractor:{w.technician.contractor_id}",  # type: ignore[attr-defined]
        "endpoint_url": f"{erp.url}/vera/v4",
        "auth": "api_key",
        "api_key_header": "X-API-KEY",
        "secret": API_KEY,
        "messages": ["onderhoudsorder", "afspraak"],
        "active": "ja",
    }
    made = await http.post("/koppelingen/nieuw", data=data)
    assert made.status_code == 201 and "data-inbound-key" in made.text
    assert API_KEY not in made.text and "ingesteld; leeg laten om te houden" in made.text
    (stored,) = await Integration.all()
    assert stored.messages == ["onderhoudsorder", "afspraak"] and stored.active
    bad = await http.post(f"/koppelingen/{stored.id}", data={**data, "endpoint_url": "erp"})
    assert bad.status_code == 422 and "vul een adres in als" in bad.text and API_KEY not in bad.text
    listing = await http.get("/koppelingen")
    assert "ERP Noord" in listing.text and "Vandaag is elk bericht aangekomen." in listing.text
    await login(http, "anna.agent")
    assert (await http.get("/koppelingen")).status_code == 403


async def test_a_new_dossier_reaches_its_clients_system_as_an_onderhoudsverzoek(
    http: httpx.AsyncClient, w: world.World, erp: Erp
) -> None:
    headers = await token_for(http, "sanne.supervisie")
    await http.post("/api/v1/integrations", json=body(erp.url), headers=headers)
    d, _ = await intake.create_with_timeline(
        w.agent, world.intake(), TriageInput("lekkage_woning", LEAK)
    )
    await settle()
    (request,) = erp.bodies("/vera/v4/onderhoudsverzoeken")
    assert vera_spec.errors("POST", "/onderhoudsverzoeken", request) == []
    assert request["id"] == d.order_number and request["status"]["code"] == "REG"
    assert request["onderhoudstaken"][0]["specialisme"]["code"] == "DAK"
    # The other client's dossier goes nowhere.
    await intake.create_with_timeline(
        w.agent, world.intake("LVD"), TriageInput("lekkage_woning", LEAK)
    )
    await settle()
    assert len(erp.taken) == 1


async def test_photos_are_fetched_with_the_receivers_own_key(
    http: httpx.AsyncClient, w: world.World, erp: Erp
) -> None:
    _, key = await contractor_integration(w, erp)
    d = await dossiers.create(w.agent, world.intake())
    await dossiers.transition(
        w.agent,
        d,
        "doorgezet_naar_monteur",
        {"technician_id": w.technician.id, "contractor_id": w.technician.contractor_id},  # type: ignore[attr-defined]
    )
    await settle()
    photo, _ = await photos.upload(w.tech_user, "photo-chain-0001", d.order_number, jpeg())
    url = outbound.photo_url(photo.id).split("8000", 1)[-1]
    got = await http.get(url, headers={"X-API-KEY": key})
    assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg"
    assert got.content[:2] == b"\xff\xd8"
    from server.chain import integrations
    from server.chain.integrations import IntegrationInput
    from tests.chain.test_inbound import other_contractor

    _, other_key = await integrations.create(
        w.admin,
        IntegrationInput(
            name="Ander",
            owner=f"contractor:{(await other_contractor()).id}",
            endpoint_url="https://erp.example/v4",
            messages=["onderhoudsorder"],
            active=True,
        ),
    )
    assert (await http.get(url, headers={"X-API-KEY": other_key})).status_code == 404
    assert (await http.get(url)).status_code == 401
