"""Reporting online from the home to a booked slot: the same protocol, version and outcome as
at the desk, a dossier of channel web in a contact of channel web, photos through media/, the
confirmation with the tracking link, and nothing lost when a step is refused."""

from __future__ import annotations

import re

import httpx
import pytest

from server.dispatch import assignments
from server.dossiers import dossiers
from server.models import Contact, ContactDossier, Dossier, DossierEvent, OutboundMessage, Photo
from server.protocols import protocols
from server.selfservice.booking import Offer
from tests.dispatch.support import triaged_dossier
from tests.selfservice.support import (
    ACUUT,
    PAGE,
    URGENT,
    answered,
    confirmed,
    jpeg,
    open_online,
    post,
)
from tests.support import world
from tests.support.pages import login
from tests.support.world import token_for


def _first_time(html: str) -> str:
    found = re.search(r'name="tijd" value="([^"]+)"', html)
    assert found, html
    return found.group(1).replace("&#43;", "+")


@pytest.fixture
async def w(db_clean: None) -> world.World:
    built = await world.build()
    await open_online(built)
    return built


async def test_a_leak_reported_online_with_a_photo_and_a_booked_slot(
    http: httpx.AsyncClient, w: world.World
) -> None:
    first = await http.get(PAGE)
    assert first.status_code == 200 and "Een reparatie melden" in first.text
    await confirmed(http)
    page = await http.get(PAGE)
    assert "Biltstraat 10, Utrecht" in page.text  # shown only now the code is confirmed
    await answered(http, "lekkage_waterleiding", URGENT[:2])
    # The tenant's wording of the protocol's question, not the agent's script.
    question = await http.get(PAGE)
    assert "Kunt u de leiding afsluiten met de hoofdkraan of een stopkraan?" in question.text
    assert "Kan de leiding worden afgesloten" not in question.text
    given = await post(http, "antwoord", {"vraag": "afsluitbaar", "antwoord": "ja"})
    assert given.status_code == 303
    sent = await post(
        http,
        "details",
        {"omschrijving": "Leiding onder het aanrecht gesprongen."},
        files={"fotos": ("lek.jpg", jpeg(), "image/jpeg")},
    )
    assert sent.status_code == 303, sent.text
    slots = await http.get(PAGE)
    assert "Kies wanneer de monteur komt" in slots.text, slots.text
    booked = await post(http, "versturen", {"tijd": _first_time(slots.text)})
    assert booked.status_code == 303, booked.text
    done = await http.get(PAGE)
    d = await Dossier.get()
    assert f"Uw melding {d.order_number} is verstuurd" in done.text
    assert "/volg/" in done.text and "De monteur komt" in done.text
    # The same dossier the desk makes: web channel, the protocol's version and outcome.
    version = await protocols.current(w.woonstad)
    assert d.channel == "web" and d.category == "lekkage_waterleiding"
    assert d.triage["protocol"]["version"] == version.version
    assert d.triage["outcome"]["id"] == "waterleiding_urgent" and d.urgency == "urgent"
    assert d.triage["recorded_by"] == "huurder (online)"
    assert d.contact_name == "Fatima el Amrani" and d.contact_phone == "+31612345678"
    assert d.description == "Leiding onder het aanrecht gesprongen."
    assert d.language == "nl" and d.call_back_at is None
    assert d.phase == "afspraak_ingepland" and d.technician_id == w.technician.id  # type: ignore[attr-defined]
    assert await Photo.filter(dossier_id=d.id).count() == 1
    link = await ContactDossier.get(dossier_id=d.id)
    contact = await Contact.get(id=link.contact_id)  # type: ignore[attr-defined]
    assert contact.channel == "web" and contact.result_code == "opdracht" and link.created
    received = await OutboundMessage.filter(dossier_id=d.id, kind="melding_ontvangen").first()
    assert received is not None and "/volg/" in received.body
    # The desk sees it as any other dossier.
    http.cookies.clear()
    headers = await token_for(http, "anna.agent")
    seen = await http.get(f"/api/v1/dossiers/{d.order_number}", headers=headers)
    assert seen.status_code == 200 and seen.json()["channel"] == "web"


async def test_acuut_ends_at_call_now_and_is_on_the_board_with_the_call_back_flag(
    http: httpx.AsyncClient, w: world.World
) -> None:
    w.woonstad.phone = "+31307201400"
    await w.woonstad.save(update_fields=["phone"])
    await confirmed(http)
    await answered(http, "lekkage_waterleiding", ACUUT)
    page = await http.get(PAGE)
    assert "Bel nu" in page.text and 'href="tel:+31307201400"' in page.text
    d = await Dossier.get()  # sent at once: no photos, no slot, no waiting
    assert d.urgency == "acuut" and d.call_back_at is not None
    assert await DossierEvent.filter(dossier_id=d.id, kind="terugbellen").exists()
    http.cookies.clear()
    board = await http.get("/api/v1/board", headers=await token_for(http, "anna.agent"))
    row = next(r for r in board.json()["dossiers"] if r["order_number"] == d.order_number)
    assert row["call_back"] is True and row["contact_phone"] == "+31612345678"


async def test_the_tenant_may_ask_to_be_called_instead_of_picking_a_time(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await confirmed(http)
    await answered(http, "lekkage_waterleiding", URGENT)
    await post(http, "details", {"omschrijving": ""})
    asked = await post(http, "versturen", {"bellen": "ja"})
    assert asked.status_code == 303
    d = await Dossier.get()
    assert d.call_back_at is not None and d.appointment_start is None
    assert "We bellen u om een afspraak te maken." in (await http.get(PAGE)).text


async def test_a_slot_taken_meanwhile_is_refused_and_nothing_is_lost(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await confirmed(http)
    await answered(http, "lekkage_waterleiding", URGENT)
    await post(http, "details", {"omschrijving": "Onder het aanrecht."})
    offered = await http.get(PAGE)
    chosen = _first_time(offered.text)
    # Meanwhile the desk books the only loodgieter at that very time for another dossier.
    first = Offer.parse(chosen)
    assert first is not None
    other = await triaged_dossier(w.agent)
    await assignments.book(w.agent, other, first.technician_id, first.start, first.end)
    refused = await post(http, "versturen", {"tijd": chosen})
    assert refused.status_code == 422
    assert "Deze tijd is intussen niet meer vrij" in refused.text
    assert not await Dossier.filter(channel="web").exists()
    again = await http.get(PAGE)
    assert "Kies wanneer de monteur komt" in again.text
    fresh = Offer.parse(_first_time(again.text))
    assert fresh is not None and fresh.start != first.start
    booked = await post(http, "versturen", {"tijd": fresh.value})
    assert booked.status_code == 303
    d = await Dossier.get(channel="web")
    assert d.appointment_start == fresh.start and d.description == "Onder het aanrecht."


async def test_in_english_the_page_and_the_dossier_keep_the_tenants_language(
    http: httpx.AsyncClient, w: world.World
) -> None:
    first = await http.get(PAGE, params={"taal": "en"})
    assert '<html lang="en">' in first.text and "Report a repair" in first.text
    await confirmed(http)
    await answered(http, "lekkage_waterleiding", ACUUT)
    page = await http.get(PAGE)
    assert "Call now" in page.text and "This cannot wait." in page.text
    assert (await Dossier.get()).language == "en"


async def test_the_call_back_flag_goes_once_the_desk_has_reached_the_tenant(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await confirmed(http)
    await answered(http, "lekkage_waterleiding", ACUUT)
    d = await dossiers.get(w.agent, (await Dossier.get()).order_number)
    http.cookies.clear()
    await login(http, "anna.agent")
    detail = await http.get(f"/dossiers/{d.order_number}")
    assert detail.status_code == 200
    assert "vraagt om terugbellen</strong> (online gemeld): +31612345678" in detail.text
    await dossiers.record_contact(w.agent, d, "telefoon", "Gebeld, hoofdkraan dicht.")
    http.cookies.clear()
    board = await http.get("/api/v1/board", headers=await token_for(http, "anna.agent"))
    row = next(r for r in board.json()["dossiers"] if r["order_number"] == d.order_number)
    assert row["call_back"] is False
