"""The desk pages as a call-taker uses them: intake form, dossier page, actions, search."""

from __future__ import annotations

import re

import httpx
import pytest

from server.models import Dossier, DossierEvent
from tests.support import world
from tests.support.pages import csrf, login


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


INTAKE = {
    "client": "WST",
    "postcode": "3572 ab",
    "house_number": "10",
    "suffix": "a",
    "contact_name": "Jan de Vries",
    "contact_phone": "030 123 4567",
    "contact_email": "Jan@Example.nl",
    "channel": "telefoon",
    "category": "lekkage_woning",
    "description": "Lekkage bij het dakraam",
}


async def test_intake_to_dossier_page(http: httpx.AsyncClient, w: world.World) -> None:
    await login(http, "anna.agent")
    form = await http.get("/dossiers/nieuw")
    assert "Woonstad Utrecht (WST)" in form.text
    response = await http.post("/dossiers/nieuw", data={**INTAKE, "csrf_token": csrf(form.text)})
    assert response.status_code == 303
    number = response.headers["location"].split("/")[2].split("?")[0]
    page = await http.get(response.headers["location"])
    assert f"Dossier {number} is aangemaakt." in page.text
    assert "Biltstraat 10-A" in page.text
    assert "3572 AB Utrecht" in page.text
    assert "030 123 4567" in page.text
    assert "jan@example.nl" in page.text
    assert "maakte het dossier aan (Telefoon, Lekkage aan woning)" in page.text
    d = await Dossier.get(order_number=number)
    assert d.address_id == w.addresses[1].id  # type: ignore[attr-defined]


async def test_intake_error_keeps_everything_typed(http: httpx.AsyncClient, w: world.World) -> None:
    await login(http, "anna.agent")
    form = await http.get("/dossiers/nieuw")
    bad = {**INTAKE, "contact_phone": "abc", "csrf_token": csrf(form.text)}
    response = await http.post("/dossiers/nieuw", data=bad)
    assert response.status_code == 422
    assert "&#39;abc&#39; is geen telefoonnummer." in response.text
    assert 'value="Jan de Vries"' in response.text
    assert "Lekkage bij het dakraam" in response.text
    assert await Dossier.all().count() == 0


async def test_moves_notes_and_contact_from_the_dossier_page(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "anna.agent")
    form = await http.get("/dossiers/nieuw")
    created = await http.post("/dossiers/nieuw", data={**INTAKE, "csrf_token": csrf(form.text)})
    url = created.headers["location"].split("?")[0]
    page = await http.get(url)
    token = csrf(page.text)
    assert (
        await http.post(f"{url}/fase", data={"csrf_token": token, "to": "analyseren"})
    ).status_code == 303
    refused = await http.post(f"{url}/fase", data={"csrf_token": token, "to": "afgerond"})
    assert refused.status_code == 422
    assert (
        "Van &#39;Storing analyseren&#39; kan een dossier niet naar &#39;Afgerond&#39;."
        in refused.text
    )
    await http.post(
        f"{url}/fase",
        data={
            "csrf_token": token,
            "to": "doorgezet_naar_monteur",
            "technician_id": str(w.technician.id),
        },
    )
    await http.post(
        f"{url}/fase",
        data={
            "csrf_token": token,
            "to": "afspraak_ingepland",
            "appointment_start": "2026-11-24T09:00",
            "appointment_end": "2026-11-24T10:00",
        },
    )
    await http.post(
        f"{url}/notitie", data={"csrf_token": token, "text": "Sleutel ligt bij de buren"}
    )
    await http.post(
        f"{url}/contact",
        data={"csrf_token": token, "how": "telefoon", "summary": "afspraak doorgegeven"},
    )
    page = await http.get(url)
    assert "Afspraak ingepland" in page.text
    assert "di 24-11-2026 09:00 – 10:00" in page.text
    assert "Monteur: Piet Monteur" in page.text  # the timeline names him, not an id
    assert "Afspraak: di 24-11-2026 09:00" in page.text
    assert "Sleutel ligt bij de buren" in page.text
    assert "had contact met de huurder (Telefoon): afspraak doorgegeven." in page.text
    d = await Dossier.get(order_number=url.rsplit("/", 1)[1])
    assert (
        d.appointment_start is not None and d.appointment_start.hour == 8
    )  # 09:00 Amsterdam = 08:00 UTC
    assert d.first_contact_at is not None
    # Not counting the background job's location event (it may land at any moment) nor the
    # messages to the tenant (their own tests).
    others = DossierEvent.filter(dossier_id=d.id).exclude(kind__in=["geocoded", "bericht"])
    assert await others.count() == 6


async def test_search_box_finds_by_postcode_with_space(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "anna.agent")
    form = await http.get("/dossiers/nieuw")
    await http.post("/dossiers/nieuw", data={**INTAKE, "csrf_token": csrf(form.text)})
    found = await http.get("/dossiers", params={"q": "3572 ab", "fase": ""})
    assert "Jan de Vries" in found.text
    assert "1 dossier gevonden" in found.text
    none = await http.get("/dossiers", params={"q": "1234 ab", "fase": ""})
    assert "Geen dossiers gevonden." in none.text


async def test_client_user_sees_no_desk_actions(http: httpx.AsyncClient, w: world.World) -> None:
    await login(http, "anna.agent")
    form = await http.get("/dossiers/nieuw")
    created = await http.post("/dossiers/nieuw", data={**INTAKE, "csrf_token": csrf(form.text)})
    url = created.headers["location"].split("?")[0]
    await http.post("/logout", data={"csrf_token": csrf((await http.get(url)).text)})
    await login(http, "wim.woonstad")
    page = await http.get(url)
    assert page.status_code == 200
    assert "Geen vervolgstappen voor uw rol in deze fase." in page.text
    assert "Notitie toevoegen" not in page.text
    refused = await http.post(
        f"{url}/fase", data={"csrf_token": csrf(page.text), "to": "analyseren"}
    )
    assert refused.status_code == 403


async def test_healthz_and_openapi(http: httpx.AsyncClient, w: world.World) -> None:
    health = await http.get("/readyz")
    assert health.status_code == 200
    assert health.json()["database"] == "ok"
    spec = (await http.get("/api/v1/openapi.json")).json()
    assert {
        "/api/v1/dossiers",
        "/api/v1/dossiers/{order_number}/transitions",
        "/api/v1/auth/token",
    } <= set(spec["paths"])
    assert "DossierCreate" in spec["components"]["schemas"]
    assert spec["paths"]["/api/v1/dossiers"]["post"]["summary"] == "Create a dossier (intake)"


async def test_every_schema_reference_in_openapi_resolves(
    http: httpx.AsyncClient, w: world.World
) -> None:
    response = await http.get("/api/v1/openapi.json")
    text, spec = response.text, response.json()
    refs = set(re.findall(r'"#/components/schemas/([A-Za-z0-9_]+)"', text))
    assert refs, "no references found"
    assert refs - set(spec["components"]["schemas"]) == set()


async def test_pages_make_no_third_party_requests(http: httpx.AsyncClient, w: world.World) -> None:
    await login(http, "anna.agent")
    page = await http.get("/dossiers/nieuw")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert not re.search(r'(src|href)="(https?:)?//', page.text)


async def test_correcting_details_keeps_old_and_new_on_timeline(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "anna.agent")
    form = await http.get("/dossiers/nieuw")
    created = await http.post("/dossiers/nieuw", data={**INTAKE, "csrf_token": csrf(form.text)})
    url = created.headers["location"].split("?")[0]
    page = await http.get(url)
    edited = await http.post(
        f"{url}/gegevens",
        data={
            "csrf_token": csrf(page.text),
            "version": "1",
            "contact_name": "Jan de Vries",
            "contact_phone": "06 23456789",
            "contact_email": "jan@example.nl",
            "category": "lekkage_woning",
            "description": "Lekkage bij het dakraam",
        },
    )
    assert edited.status_code == 303, re.findall(r"role=\"alert\">([^<]*)", edited.text)
    page = await http.get(url)
    assert "wijzigde gegevens:" in page.text
    assert "Telefoon: <del>+31301234567</del> → <ins>+31623456789</ins>" in page.text
    # A second edit from the same (now stale) form is refused, nothing changes.
    stale = await http.post(
        f"{url}/gegevens",
        data={"csrf_token": csrf(page.text), "version": "1", "contact_name": "Iemand Anders"},
    )
    assert stale.status_code == 409
    assert "u werkte op versie 1" in stale.text
    d = await Dossier.get(order_number=url.rsplit("/", 1)[1])
    assert (d.contact_name, d.contact_phone) == ("Jan de Vries", "+31623456789")


async def test_api_patch_and_client_user_cannot_edit(
    http: httpx.AsyncClient, w: world.World
) -> None:
    from tests.support.world import dossier_body, token_for

    agent = await token_for(http, "anna.agent")
    created = (await http.post("/api/v1/dossiers", json=dossier_body(), headers=agent)).json()
    url = f"/api/v1/dossiers/{created['order_number']}"
    response = await http.patch(
        url, json={"version": 1, "description": "Ook lekkage in badkamer"}, headers=agent
    )
    assert response.status_code == 200
    assert response.json()["events"][-1]["data"] == {
        "changes": {
            "description": ["Water loopt langs de lamp in de keuken.", "Ook lekkage in badkamer"]
        }
    }
    client = await token_for(http, "wim.woonstad")
    refused = await http.patch(url, json={"description": "x"}, headers=client)
    assert refused.status_code == 403
    bad = await http.patch(url, json={"category": "bestaat_niet"}, headers=agent)
    assert bad.status_code == 422
    assert bad.json()["error"] == {
        "message": "Onbekende categorie 'bestaat_niet'.",
        "field": "category",
    }


async def test_field_events_read_as_sentences_on_the_timeline(
    http: httpx.AsyncClient, w: world.World
) -> None:
    from datetime import UTC, datetime

    from server.dossiers import events

    await login(http, "anna.agent")
    form = await http.get("/dossiers/nieuw")
    created = await http.post("/dossiers/nieuw", data={**INTAKE, "csrf_token": csrf(form.text)})
    url = created.headers["location"].split("?")[0]
    d = await Dossier.get(order_number=url.rsplit("/", 1)[1])
    at = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    await events.record(
        d,
        "werkbon",
        w.tech_user,
        at,
        cause="Lekke kraanleertjes",
        work_done="Leertjes vervangen",
        fixed=True,
        minutes=25,
        materials=[{"name": "kraanleertje", "quantity": 2, "unit": "st"}],
    )
    await events.record(
        d,
        "veldmelding_geweigerd",
        w.tech_user,
        at,
        intent="Afgerond",
        reason="Opdracht is intussen geannuleerd.",
    )
    page = (await http.get(url)).text
    assert "legde de reparatie vast (verholpen)." in page
    assert "Materialen: 2 st kraanleertje" in page
    refused = "meldde vanuit de app „Afgerond”, maar dat is niet verwerkt: Opdracht is intussen"
    assert refused in page


async def test_triage_description_and_sentences_with_one_full_stop(
    http: httpx.AsyncClient, w: world.World
) -> None:
    """The dossier page says what triage wrote when the agent typed nothing ("Omschrijving —"
    was wrong), and a summary that ends in a full stop does not get a second one."""
    from server.dossiers import dossiers

    d = await dossiers.create(w.agent, world.intake("WST", contact_name="Jan", description=""))
    await Dossier.filter(id=d.id).update(
        triage={"description": "Lekkage afvoer; water onder het aanrecht."}
    )
    await dossiers.record_contact(w.agent, d, "telefoon", "Afspraak met huurder bevestigd.")
    await dossiers.record_contact(w.agent, d, "telefoon", "Huurder gebeld")
    await login(http, "anna.agent")
    page = (await http.get(f"/dossiers/{d.order_number}")).text
    assert (
        '<dd class="pre" data-description>Lekkage afvoer; water onder het aanrecht. '
        '<span class="muted">(triage)</span></dd>'
    ) in page
    assert "(Telefoon): Afspraak met huurder bevestigd.\n" in page
    assert "(Telefoon): Huurder gebeld.\n" in page
    assert ".." not in page.replace("...", "")


@pytest.mark.parametrize(
    ("username", "home"),
    [
        ("anna.agent", "/dossiers"),
        ("admin", "/dossiers"),
        ("wim.woonstad", "/portaal"),
        ("piet.monteur", "/monteur/"),
    ],
)
async def test_login_lands_each_role_where_it_works(
    http: httpx.AsyncClient, w: world.World, username: str, home: str
) -> None:
    page = await http.get("/login")
    response = await http.post(
        "/login",
        data={"csrf_token": csrf(page.text), "username": username, "password": world.PASSWORD},
    )

    assert response.headers["location"] == home
    assert (await http.get("/")).headers["location"] == home
    assert (await http.get(home)).status_code == 200
