"""Contacts in a real browser: a call offered to Anna pops up in every desk tab she has open,
with the client and the caller recognised; she registers a contact without a dossier by
keyboard only."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import httpx
from playwright.sync_api import Page, expect

from server.contacts import signatures
from tests.browser.test_board import bearer, browser_login

SECRET = "test-telephony-secret"  # TELEPHONY_SECRET of the live server (tests/conftest.py)
LINE = "+31851234567"
CALLER = "+31612345678"


def woonstad_line(base: str) -> None:
    """Woonstad's line and transfer number (as a supervisor keeps them), and an open dossier
    of the caller at the Biltstraat."""
    setup = httpx.put(
        f"{base}/api/v1/clients/WST/contact-setup",
        json={
            "greeting": "{dagdeel}, {opdrachtgever}, u spreekt met {medewerker}.",
            "inbound": [{"kind": "telefoon", "value": LINE, "label": "Storingslijn"}],
            "transfers": [{"name": "Klantenservice Woonstad", "number": "0302636363"}],
            "result_codes": [
                {"code": "opdracht", "label": "Leidt tot opdracht", "dossier": True},
                {"code": "algemene_vraag", "label": "Algemene vraag beantwoord"},
                {"code": "geen_actie", "label": "Geen actie / verkeerd verbonden"},
            ],
        },
        headers=bearer(base, "sanne.supervisie"),
    )
    assert setup.status_code == 200, setup.text
    dossier = httpx.post(
        f"{base}/api/v1/dossiers",
        json={
            "client": "WST",
            "address": {"postcode": "3572AB", "house_number": 10},
            "contact": {"name": "Fatima el Amrani", "phone": "06 12345678"},
            "channel": "telefoon",
            "category": "cv_storing",
            "description": "Geen verwarming.",
        },
        headers=bearer(base, "anna.agent"),
    )
    assert dossier.status_code == 201, dossier.text


def call_event(base: str, call_id: str, kind: str, seconds: int = 0) -> int:
    at = datetime.now(UTC) + timedelta(seconds=seconds)
    body = json.dumps(
        {
            "call_id": call_id,
            "event": kind,
            "at": at.isoformat(),
            "from": CALLER,
            "to": LINE,
            "agent": "anna.agent",
        }
    ).encode()
    stamp = int(datetime.now(UTC).timestamp())
    response = httpx.post(
        f"{base}/api/v1/telephony/events",
        content=body,
        headers={
            "content-type": "application/json",
            signatures.HEADER: signatures.sign(SECRET, stamp, body),
        },
    )
    assert response.status_code == 200, response.text
    return int(response.json()["contact_id"])


def _listening(*tabs: Page) -> None:
    """Wait until one tab holds the agent's stream and the others hear it from that one."""
    states: list[str | None] = []
    for _ in range(100):
        states = [t.locator("[data-screen-pop]").get_attribute("data-live") for t in tabs]
        if "open" in states and all(s in ("open", "relay") for s in states):
            return
        tabs[0].wait_for_timeout(100)
    raise AssertionError(f"no tab listens: {states}")


def test_an_offered_call_pops_up_in_every_desk_tab_of_the_agent(
    page: Page, live_server: str
) -> None:
    woonstad_line(live_server)
    browser_login(page, "anna.agent")
    board = page.context.new_page()
    board.goto("/meldkamer")
    _listening(page, board)

    contact = call_event(live_server, "browser-1", "offered")

    for tab in (page, board):
        pop = tab.locator("[data-screen-pop] [data-pop]")
        expect(pop).to_be_visible()
        expect(pop).to_have_attribute("data-contact", str(contact))
        expect(pop.locator("[data-pop-client]")).to_have_text("Woonstad Utrecht")
        expect(pop.locator("[data-greeting]")).to_contain_text(
            ", Woonstad Utrecht, u spreekt met Anna."
        )
        expect(pop.locator("[data-pop-caller]")).to_have_text("06 12345678")
        recognised = pop.locator("[data-pop-recognition]")
        expect(recognised).to_contain_text("Bekende beller: Fatima el Amrani")
        expect(recognised).to_contain_text("Biltstraat 10, 3572 AB")
        expect(recognised.locator("[data-repeat]")).to_contain_text("Is dit een herhaalmelding?")
        expect(pop).to_contain_text("Gaat over")

    call_event(live_server, "browser-1", "answered", 7)
    for tab in (page, board):
        expect(tab.locator("[data-pop] .pop-head .state")).to_have_text("In gesprek")

    # A tab opened during the call shows it at once.
    late = page.context.new_page()
    late.goto("/contacten")
    expect(late.locator("[data-pop]")).to_have_attribute("data-contact", str(contact))
    late.close()

    # Alt+N on the call: the intake form is made in this contact, the caller filled in.
    page.keyboard.press("Alt+n")
    expect(page).to_have_url(re.compile(r"/dossiers/nieuw$"))
    expect(page.locator("input[name=contact]")).to_have_value(str(contact))
    expect(page.locator("input[name=contact_phone]")).to_have_value("06 12345678")
    expect(page.locator("[data-intake-contact-note]")).to_contain_text("06 12345678")
    _listening(page, board)

    call_event(live_server, "browser-1", "ended", 95)
    expect(board.locator("[data-pop]")).to_contain_text("Gesprek beëindigd")
    registered = httpx.patch(
        f"{live_server}/api/v1/contacts/{contact}",
        json={"subject": "Cv doet het weer", "result_code": "algemene_vraag"},
        headers=bearer(live_server, "anna.agent"),
    )
    assert registered.json()["state"] == "afgerond"
    expect(board.locator("[data-screen-pop]")).to_be_hidden()
    board.close()


def test_registering_a_contact_without_dossier_by_keyboard(page: Page, live_server: str) -> None:
    browser_login(page, "anna.agent")
    _listening(page)
    contact = call_event(live_server, "browser-2", "offered")
    call_event(live_server, "browser-2", "answered", 4)
    expect(page.locator("[data-pop]")).to_have_attribute("data-contact", str(contact))

    page.keyboard.press("Alt+k")
    expect(page).to_have_url(re.compile(r"/contacten/registreren$"))
    # The client came with the call: the cursor waits in the subject.
    expect(page.locator("select[name=client]")).to_have_value("WST")
    expect(page.locator("input[name=subject]")).to_be_focused()
    page.keyboard.type("Vraag over huurverhoging")
    page.keyboard.press("Tab")
    expect(page.locator("select[name=result_code]")).to_be_focused()
    page.keyboard.type("Algemene")
    expect(page.locator("select[name=result_code]")).to_have_value("algemene_vraag")
    page.locator("textarea[name=note]").focus()
    page.keyboard.type("Verwezen naar het huurteam.")
    page.keyboard.press("Control+Enter")

    expect(page).to_have_url(re.compile(rf"/contacten\?geregistreerd={contact}$"))
    expect(page.locator("[role=status].success")).to_have_text(
        f"Contact {contact} is geregistreerd."
    )
    row = page.locator("table.contacts tbody tr").first
    expect(row).to_contain_text("Vraag over huurverhoging")
    expect(row).to_contain_text("Algemene vraag beantwoord")
    expect(row).to_contain_text("In gesprek")  # finished when the call ends

    call_event(live_server, "browser-2", "ended", 60)
    expect(page.locator("[data-screen-pop]")).to_be_hidden()  # registered and ended: done
    page.reload()
    expect(page.locator("table.contacts tbody tr").first).to_contain_text("Afgerond")

    # Without a call: Alt+K, the client by typing, and the rest as before.
    page.keyboard.press("Alt+k")
    expect(page.locator("select[name=client]")).to_be_focused()
    page.keyboard.type("Woonstad")
    page.keyboard.press("Tab")
    page.locator("input[name=subject]").focus()
    page.keyboard.type("Verkeerd verbonden")
    page.keyboard.press("Tab")
    page.keyboard.type("Geen")
    page.keyboard.press("Control+Enter")
    expect(page.locator("[role=status].success")).to_contain_text("is geregistreerd.")
    expect(page.locator("table.contacts tbody tr").first).to_contain_text("Afgerond")
