"""Registering what a contact led to, at the desk and through the API; recording transfers."""

from __future__ import annotations

import html
from datetime import timedelta

import httpx
import pytest

from server.dossiers import dossiers
from server.models import Contact, ContactDossier, TransferTarget
from tests.contacts.support import NOW, TENANT, event, post
from tests.support import world
from tests.support.pages import csrf, login
from tests.support.world import token_for

pytestmark = pytest.mark.usefixtures("clock")


async def _desk(http: httpx.AsyncClient, username: str = "anna.agent") -> str:
    await login(http, username)
    return csrf((await http.get("/contacten/registreren")).text)


async def test_a_contact_without_call_is_registered_in_one_form(
    http: httpx.AsyncClient, w: world.World
) -> None:
    token = await _desk(http)
    form = {
        "csrf_token": token,
        "client": "WST",
        "channel": "telefoon_in",
        "subject": "Vraag over huur",
        "result_code": "algemene_vraag",
        "note": "Verwezen naar het klantportaal.",
        "caller": "06 12345678",
        "started": (NOW - timedelta(minutes=3)).isoformat(),
    }
    response = await http.post("/contacten/registreren", data=form)
    assert response.status_code == 303
    contact = await Contact.get().prefetch_related("client", "agent")
    assert response.headers["location"] == f"/contacten?geregistreerd={contact.id}"
    assert (contact.client.code, contact.state, contact.source, contact.call_id) == (
        "WST",
        "afgerond",
        "balie",
        None,
    )
    assert (contact.subject, contact.result_code, contact.result_label) == (
        "Vraag over huur",
        "algemene_vraag",
        "Algemene vraag beantwoord",
    )
    assert (contact.caller, contact.agent.username) == (TENANT, "anna.agent")
    assert contact.talk_seconds is not None and 180 <= contact.talk_seconds < 240
    listed = await http.get(response.headers["location"])
    assert f"Contact {contact.id} is geregistreerd." in listed.text
    assert "Vraag over huur" in listed.text


async def test_the_form_names_what_is_missing(http: httpx.AsyncClient, w: world.World) -> None:
    token = await _desk(http)
    base = {"csrf_token": token, "client": "WST", "subject": "Lift", "result_code": "geen_actie"}
    cases = [
        ({"client": ""}, "Kies de opdrachtgever."),
        ({"subject": " "}, "Vul het onderwerp in."),
        (
            {"result_code": "klacht"},
            "Resultaatcode 'klacht' hoort niet bij Woonstad Utrecht; kies uit opdracht, "
            "op_afstand_opgelost, doorverwezen, algemene_vraag, doorverbonden, geen_actie, "
            "herhaalmelding.",
        ),
        (
            {"result_code": "herhaalmelding"},
            "'Herhaalmelding' hoort bij een dossier: noem het dossier waar dit contact over gaat "
            "of maak een melding.",
        ),
        ({"dossiers": "MK-2026-999999"}, "Dossier 'MK-2026-999999' niet gevonden."),
        ({"caller": "bel me"}, "'bel me' is geen telefoonnummer."),
    ]
    for change, message in cases:
        response = await http.post("/contacten/registreren", data={**base, **change})
        assert response.status_code == 422, change
        assert message in html.unescape(response.text), change
    assert await Contact.all().count() == 0


async def test_a_call_is_registered_from_the_pop_and_finished_when_it_has_ended(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await post(http, event("r-1", "offered"))
    await post(http, event("r-1", "answered", 8))
    token = await _desk(http)
    form_page = await http.get("/contacten/registreren")
    contact = await Contact.get(call_id="api:r-1")
    assert f'name="contact" value="{contact.id}"' in form_page.text
    assert '<option value="WST" selected>' in form_page.text
    response = await http.post(
        "/contacten/registreren",
        data={
            "csrf_token": token,
            "contact": str(contact.id),
            "client": "WST",
            "subject": "VvE-zaak: lekkage gemeenschappelijke ruimte",
            "result_code": "doorverwezen",
            "referred_to": "VvE Beheer Midden",
        },
    )
    assert response.status_code == 303
    await contact.refresh_from_db()
    assert (contact.state, contact.closed_at) == ("in_gesprek", None)  # still talking
    await post(http, event("r-1", "ended", 130))
    await contact.refresh_from_db()
    assert (contact.state, contact.wrap_seconds, contact.referred_to) == (
        "afgerond",
        0,
        "VvE Beheer Midden",
    )


async def test_registering_after_the_call_counts_the_wrap_up(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await post(http, event("r-2", "offered"))
    await post(http, event("r-2", "answered", 8))
    await post(http, event("r-2", "ended", 68))
    contact = await Contact.get(call_id="api:r-2")
    headers = await token_for(http, "anna.agent")
    patched = await http.patch(
        f"/api/v1/contacts/{contact.id}",
        json={"subject": "Verkeerd verbonden", "result_code": "geen_actie"},
        headers=headers,
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (body["state"], body["wait_seconds"], body["talk_seconds"]) == ("afgerond", 8, 60)
    assert body["wrap_seconds"] >= 0


async def test_api_registers_reads_and_searches_contacts(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await dossiers.create(w.agent, world.intake("WST"))
    headers = await token_for(http, "anna.agent")
    created = await http.post(
        "/api/v1/contacts",
        json={
            "client": "WST",
            "subject": "Wanneer komt de monteur?",
            "result_code": "herhaalmelding",
            "caller": "+31612345678",
            "dossiers": [d.order_number],
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["dossiers"] == [{"order_number": d.order_number, "created": False}]
    assert (body["state"], body["channel"], body["result_label"]) == (
        "afgerond",
        "telefoon_in",
        "Herhaalmelding",
    )
    for q in ("06 12345678", "+31612345678", "0031612345678", "monteur"):
        found = await http.get("/api/v1/contacts", params={"q": q}, headers=headers)
        assert [c["id"] for c in found.json()["items"]] == [body["id"]], q
    detail = await http.get(f"/api/v1/contacts/{body['id']}", headers=headers)
    # Tuesday 14:00: Woonstad's office is open, its on-call number is not.
    assert [t["name"] for t in detail.json()["transfer_now"]] == ["Klantenservice Woonstad"]
    assert await ContactDossier.filter(created=False).count() == 1


async def test_a_transfer_is_recorded_from_the_pop(http: httpx.AsyncClient, w: world.World) -> None:
    await post(http, event("r-3", "offered"))
    await post(http, event("r-3", "answered", 4))
    contact = await Contact.get(call_id="api:r-3")
    token = await _desk(http)
    pop = await http.get(f"/contacten/{contact.id}/pop", headers={"x-pop-page": "/meldkamer"})
    assert "Doorverbinden nu" in pop.text and "Klantenservice Woonstad" in pop.text
    assert "Piket Woonstad" not in pop.text  # not valid on a Tuesday afternoon
    first = await TransferTarget.get(name="Klantenservice Woonstad")
    response = await http.post(
        f"/contacten/{contact.id}/doorverbinden",
        data={"csrf_token": token, "target": str(first.id), "terug": "/meldkamer"},
    )
    assert (response.status_code, response.headers["location"]) == (303, "/meldkamer")
    await contact.refresh_from_db()
    assert (contact.transferred_to, contact.transferred_name) == (
        "+31302636363",
        "Klantenservice Woonstad",
    )
    # Registering next proposes "doorverbonden".
    form = await http.get(f"/contacten/registreren?contact={contact.id}")
    assert '<option value="doorverbonden" selected>' in form.text
    # Back only to a page of this site.
    outside = await http.post(
        f"/contacten/{contact.id}/doorverbinden",
        data={"csrf_token": token, "target": str(first.id), "terug": "//elders.example/"},
    )
    assert outside.headers["location"] == f"/contacten/{contact.id}"
    missing = await http.post(f"/contacten/{contact.id}/doorverbinden", data={"csrf_token": token})
    assert missing.status_code == 422
    assert "Kies een doorverbindnummer of vul een nummer in." in missing.text
    for bad in ("\u00b2", str(2**31), "9" * 25):  # a superscript two, beyond the id column
        refused = await http.post(
            f"/contacten/{contact.id}/doorverbinden", data={"csrf_token": token, "target": bad}
        )
        assert refused.status_code == 422, (bad, refused.status_code)
        assert "is geen doorverbindnummer." in refused.text


async def test_transfer_through_the_api_to_a_number_typed_in(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await post(http, event("r-4", "offered"))
    contact = await Contact.get(call_id="api:r-4")
    headers = await token_for(http, "anna.agent")
    typed = await http.post(
        f"/api/v1/contacts/{contact.id}/transfer", json={"number": "030 263 6363"}, headers=headers
    )
    assert typed.json()["transfer"]["name"] == "Klantenservice Woonstad"
    other = await http.post(
        f"/api/v1/contacts/{contact.id}/transfer", json={"target": 999}, headers=headers
    )
    assert other.status_code == 422
    assert other.json()["error"] == {
        "message": "Doorverbindnummer 999 hoort niet bij dit contact.",
        "field": "target",
    }
