"""Every dossier the desk makes is made inside a contact; a known caller still gets the
protocol."""

from __future__ import annotations

import html

import httpx
import pytest

from server.dossiers import dossiers
from server.models import Contact, ContactDossier, Dossier
from tests.contacts.support import event, post
from tests.support import world
from tests.support.pages import csrf, login
from tests.support.world import dossier_body, token_for

pytestmark = pytest.mark.usefixtures("clock")

FORM = {
    "client": "WST",
    "postcode": "3572 AB",
    "house_number": "10",
    "contact_name": "Fatima el Amrani",
    "contact_phone": "06 12345678",
    "channel": "telefoon",
    "category": "elektra",
    "description": "Stroom valt steeds uit.",
}


async def test_intake_during_a_call_is_made_in_that_calls_contact(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await post(http, event("i-1", "offered"))
    await post(http, event("i-1", "answered", 6))
    contact = await Contact.get(call_id="api:i-1")
    await login(http, "anna.agent")
    page = await http.get("/dossiers/nieuw")  # Alt+N while on the call
    assert f'name="contact" value="{contact.id}"' in page.text
    assert 'value="06 12345678"' in page.text  # the caller's number, prefilled
    assert '<option value="WST" selected>' in page.text
    response = await http.post(
        "/dossiers/nieuw", data={**FORM, "contact": str(contact.id), "csrf_token": csrf(page.text)}
    )
    assert response.status_code == 303, response.text
    dossier = await Dossier.get()
    link = await ContactDossier.get()
    assert (link.contact_id, link.dossier_id, link.created) == (contact.id, dossier.id, True)
    await contact.refresh_from_db()
    assert (contact.result_code, contact.subject, contact.state) == (
        "opdracht",
        "Elektra",
        "in_gesprek",  # finished once the call ends
    )
    assert contact.address_id == w.addresses[0].id
    await post(http, event("i-1", "ended", 300))
    await contact.refresh_from_db()
    assert (contact.state, contact.wrap_seconds) == ("afgerond", 0)


async def test_intake_without_a_call_makes_its_own_contact(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "anna.agent")
    page = await http.get("/dossiers/nieuw")
    assert 'name="contact" value=""' in page.text
    response = await http.post("/dossiers/nieuw", data={**FORM, "csrf_token": csrf(page.text)})
    assert response.status_code == 303
    contact = await Contact.get().prefetch_related("client", "agent")
    assert (contact.client.code, contact.channel, contact.source, contact.state) == (
        "WST",
        "telefoon_in",
        "balie",
        "afgerond",
    )
    assert (contact.caller, contact.caller_name, contact.agent.username) == (
        "+31612345678",
        "Fatima el Amrani",
        "anna.agent",
    )
    assert await ContactDossier.filter(contact_id=contact.id, created=True).count() == 1


async def test_a_refused_intake_leaves_no_contact_and_keeps_the_contact_field(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await post(http, event("i-2", "offered"))
    contact = await Contact.get(call_id="api:i-2")
    await login(http, "anna.agent")
    token = csrf((await http.get("/dossiers/nieuw")).text)
    response = await http.post(
        "/dossiers/nieuw",
        data={**FORM, "contact_name": "", "contact": str(contact.id), "csrf_token": token},
    )
    assert response.status_code == 422
    assert f'name="contact" value="{contact.id}"' in response.text
    assert await ContactDossier.all().count() == 0
    assert await Contact.all().count() == 1
    await contact.refresh_from_db()
    assert contact.result_code is None


async def test_clients_and_integrations_make_dossiers_without_a_contact(
    http: httpx.AsyncClient, w: world.World
) -> None:
    headers = await token_for(http, "anna.agent")
    api = await http.post("/api/v1/dossiers", json=dossier_body(), headers=headers)
    assert api.status_code == 201
    await login(http, "wim.woonstad")
    token = csrf((await http.get("/dossiers/nieuw")).text)
    page = await http.post("/dossiers/nieuw", data={**FORM, "csrf_token": token})
    assert page.status_code == 303
    assert await Dossier.all().count() == 2
    assert await Contact.all().count() == 0


async def test_a_known_caller_is_recognised_but_the_protocol_is_not_skipped(
    http: httpx.AsyncClient, w: world.World
) -> None:
    earlier = await dossiers.create(w.agent, world.intake("WST", category="cv_storing"))
    await post(http, event("i-3", "offered", frm="0031 6 12345678"))
    contact = await Contact.get(call_id="api:i-3")
    await login(http, "anna.agent")
    pop = html.unescape((await http.get(f"/contacten/{contact.id}/pop")).text)
    assert "Woonstad Utrecht" in pop
    assert "Goedemiddag, Woonstad Utrecht, u spreekt met Anna." in pop
    assert "Bekende beller: Fatima el Amrani" in pop
    assert "Biltstraat 10, 3572 AB" in pop
    assert "Is dit een herhaalmelding?" in pop and earlier.order_number in pop
    assert "Ook bij een bekende beller volgt u het protocol." in pop
    repeat = await http.get(
        f"/dossiers/nieuw?herhaling={earlier.order_number}&contact={contact.id}"
    )
    text = html.unescape(repeat.text)
    assert f'name="parent" value="{earlier.order_number}"' in text
    assert f'name="contact" value="{contact.id}"' in text
    # Caller and address are filled in; the triage starts empty.
    assert 'data-subject=""' in text and 'data-answers="{}"' in text


@pytest.mark.parametrize("q", ["06 12345678", "+31612345678", "0031612345678", "06-12 34 56 78"])
async def test_the_desk_finds_dossiers_by_phone_number(
    http: httpx.AsyncClient, w: world.World, q: str
) -> None:
    found = await dossiers.create(w.agent, world.intake("WST", contact_phone="0612345678"))
    other = await dossiers.create(w.agent, world.intake("WST", contact_phone="0687654321"))
    headers = await token_for(http, "anna.agent")
    await login(http, "anna.agent")
    page = await http.get("/dossiers", params={"q": q, "fase": ""})
    assert found.order_number in page.text and other.order_number not in page.text
    listed = await http.get("/api/v1/dossiers", params={"q": q, "phase": ""}, headers=headers)
    assert [d["order_number"] for d in listed.json()["items"]] == [found.order_number]


async def test_the_dossier_page_links_its_contacts(http: httpx.AsyncClient, w: world.World) -> None:
    await post(http, event("i-4", "offered"))
    contact = await Contact.get(call_id="api:i-4")
    await login(http, "anna.agent")
    token = csrf((await http.get("/dossiers/nieuw")).text)
    created = await http.post(
        "/dossiers/nieuw", data={**FORM, "contact": str(contact.id), "csrf_token": token}
    )
    page = await http.get(created.headers["location"])
    assert f'<a href="/contacten/{contact.id}">' in page.text
    # The technician's app has no contacts; his page shows none.
    d = await Dossier.get()
    await dossiers.transition(
        w.agent, d, "doorgezet_naar_monteur", {"technician_id": w.technician.id}
    )
    await login(http, "piet.monteur")
    assert "/contacten/" not in (await http.get(f"/dossiers/{d.order_number}")).text
