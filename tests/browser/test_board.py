"""The dispatch board in a real browser: agent A assigns with the keyboard; agent B's board,
open in another browser context, shows it live without reloading; the technician's job list has
it. An acuut job with someone on site reads "ter plaatse"; an appointment that falls in an
absence entered meanwhile is marked live."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from playwright.sync_api import Page, expect

from tests.support.world import PASSWORD

AMS = ZoneInfo("Europe/Amsterdam")
EVERY_DAY = [{"weekday": day, "start": "00:00", "end": "24:00"} for day in range(7)]


def bearer(base: str, username: str) -> dict[str, str]:
    response = httpx.post(
        f"{base}/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def browser_login(page: Page, username: str) -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/dossiers$"))


def leak_with_piet_on_duty(base: str) -> str:
    """Piet (technician 1) on duty around the clock at the Biltstraat, and a new triaged leak
    there (trade LOO) taken in by Anna: its order number."""
    duty = httpx.put(
        f"{base}/api/v1/technicians/1/duty",
        json={"roster": EVERY_DAY, "home_latitude": 52.09, "home_longitude": 5.13},
        headers=bearer(base, "admin"),
    )
    assert duty.status_code == 200, duty.text
    created = report(base, "lekkage_afvoer", {"bewoonbaarheid": "nee", "belemmering": "ja"})
    assert created["trade"] == "LOO"
    return str(created["order_number"])


def report(base: str, subject: str, answers: dict[str, str]) -> dict[str, Any]:
    """A report at the Biltstraat taken in and triaged by Anna: the dossier as the API has it."""
    created = httpx.post(
        f"{base}/api/v1/dossiers",
        json={
            "client": "WST",
            "address": {"postcode": "3572AB", "house_number": 10},
            "contact": {"name": "Fatima el Amrani", "phone": "0612345678"},
            "channel": "telefoon",
            "category": "",
            "triage": {"subject": subject, "answers": answers},
        },
        headers=bearer(base, "anna.agent"),
    )
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


def test_assign_on_the_board_is_seen_live_by_another_agent_and_the_technician(
    page: Page, second: Page, live_server: str
) -> None:
    number = leak_with_piet_on_duty(live_server)

    browser_login(second, "sanne.supervisie")
    second.goto("/meldkamer")
    expect(second.locator("[data-board]")).to_have_attribute("data-live", "open")
    row_b = second.locator(f"[data-order='{number}']")
    expect(row_b).to_contain_text(number)
    expect(row_b).not_to_contain_text("Piet Monteur")

    browser_login(page, "anna.agent")
    page.keyboard.press("Alt+b")
    expect(page).to_have_url(re.compile(r"/meldkamer$"))
    expect(page.locator(f"[data-order='{number}']")).to_be_visible()
    # Keyboard only: focus the list (first row selected), Enter asks for suggestions.
    page.locator("[data-dossiers]").focus()
    page.keyboard.press("Enter")
    suggestion = page.locator("[data-suggestions] button").first
    expect(suggestion).to_contain_text("Piet Monteur")
    expect(page.locator("[data-suggestions]")).to_contain_text("vakdiscipline: Loodgieter")
    expect(suggestion).to_be_focused()
    page.keyboard.press("Enter")  # pick him
    expect(page.locator("[data-confirm-text]")).to_have_text(
        f"{number} toewijzen aan Piet Monteur?"
    )
    expect(page.locator("[data-confirm-button]")).to_be_focused()
    page.keyboard.press("Enter")  # confirm
    expect(page.locator(f"[data-order='{number}']")).to_contain_text("Piet Monteur")

    # Agent B sees it without reloading.
    expect(row_b).to_contain_text("Piet Monteur")
    expect(row_b).to_contain_text("Doorgezet naar monteur")

    # And Piet has it in his app's job list.
    jobs = httpx.get(
        f"{live_server}/api/v1/technician/jobs", headers=bearer(live_server, "piet.monteur")
    )
    assert [j["order_number"] for j in jobs.json()["items"]] == [number]


def test_board_shows_ter_plaatse_and_appointments_during_an_absence_live(
    page: Page, live_server: str
) -> None:
    booked = leak_with_piet_on_duty(live_server)
    anna = bearer(live_server, "anna.agent")
    tomorrow = (datetime.now(AMS) + timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    appointment = httpx.post(
        f"{live_server}/api/v1/dossiers/{booked}/appointment",
        json={
            "technician_id": 1,
            "start": tomorrow.isoformat(),
            "end": (tomorrow + timedelta(hours=1)).isoformat(),
        },
        headers=anna,
    )
    assert appointment.status_code == 200, appointment.text
    acute = report(
        live_server, "lekkage_woning", {"bewoonbaarheid": "nee", "gevolgschade": "zeer_groot"}
    )
    assert acute["urgency"] == "acuut"
    on_site = acute["order_number"]
    for step in ({"to": "doorgezet_naar_monteur", "technician_id": 1}, {"to": "in_uitvoering"}):
        moved = httpx.post(
            f"{live_server}/api/v1/dossiers/{on_site}/transitions", json=step, headers=anna
        )
        assert moved.status_code == 200, moved.text

    browser_login(page, "anna.agent")
    page.goto("/meldkamer")
    expect(page.locator("[data-board]")).to_have_attribute("data-live", "open")
    rows = page.locator("[data-dossiers] li")
    # The acuut job with Piet on site: no countdown, and after the one still waiting.
    expect(rows.last).to_have_attribute("data-order", on_site)
    expect(rows.last.locator(".left")).to_have_text("ter plaatse")
    row = page.locator(f"[data-order='{booked}']")
    expect(row.locator(".clash")).to_have_count(0)

    # Supervision enters that Piet is ill tomorrow: the open board marks his appointment.
    day = tomorrow.date().isoformat()
    absent = httpx.post(
        f"{live_server}/api/v1/technicians/1/absences",
        json={"kind": "ziek", "starts_on": day, "ends_on": day},
        headers=bearer(live_server, "sanne.supervisie"),
    )
    assert absent.status_code == 201, absent.text
    assert [a["order_number"] for a in absent.json()["appointments"]] == [booked]
    expect(row.locator(".clash")).to_contain_text(
        "Afspraak tijdens afwezigheid: Piet Monteur is afwezig (ziek)"
    )
