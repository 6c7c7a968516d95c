"""The dossier page in a real browser, open for two agents: agent A moves the appointment to
one of the technician's free times and later cancels it with a reason; agent B's page, never
reloaded, shows the new time, the phase and both timeline entries, and a note the technician
adds from his app."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from playwright.sync_api import Page, expect

from tests.browser.test_board import bearer, browser_login, leak_with_piet_on_duty

ZONE = ZoneInfo("Europe/Amsterdam")


def _booked_dossier(base: str) -> str:
    number = leak_with_piet_on_duty(base)
    # Booked for the day after tomorrow at 07:00, so the earliest free time is another one.
    start = (datetime.now(ZONE) + timedelta(days=2)).replace(
        hour=7, minute=0, second=0, microsecond=0
    )
    booked = httpx.post(
        f"{base}/api/v1/dossiers/{number}/appointment",
        json={
            "technician_id": 1,
            "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(),
        },
        headers=bearer(base, "anna.agent"),
    )
    assert booked.status_code == 200, booked.text
    return number


def test_moving_and_cancelling_is_seen_live_on_another_agents_dossier_page(
    page: Page, second: Page, live_server: str
) -> None:
    number = _booked_dossier(live_server)

    browser_login(second, "sanne.supervisie")
    second.goto(f"/dossiers/{number}")
    expect(second.locator("[data-dossier]")).to_have_attribute("data-live", "open")
    details_b = second.locator("[data-region=gegevens]")
    timeline_b = second.locator("[data-region=tijdlijn]")
    expect(details_b).to_contain_text("Piet Monteur")
    expect(timeline_b).not_to_contain_text("verzette de afspraak")

    browser_login(page, "anna.agent")
    page.goto(f"/dossiers/{number}")
    first_free = page.locator("[data-free-slots] button").first
    expect(first_free).to_contain_text("Verzetten naar ")
    label = first_free.inner_text()
    new_time = re.search(r"Verzetten naar \w+ ([\d-]+ [\d:]+)", label)
    assert new_time, label
    page.locator("[data-free-slots] input[name=reason]").first.fill("Huurder eerder thuis")
    first_free.click()
    expect(page.locator("[data-region=tijdlijn]")).to_contain_text("Reden: Huurder eerder thuis")

    # Agent B sees the new time and the move on the timeline without reloading.
    expect(details_b).to_contain_text(new_time.group(1))
    expect(timeline_b).to_contain_text("verzette de afspraak (Piet Monteur)")
    expect(timeline_b).to_contain_text("Reden: Huurder eerder thuis")

    # The technician writes a note from his app: it appears on B's timeline.
    note = httpx.post(
        f"{live_server}/api/v1/dossiers/{number}/notes",
        json={"text": "Sleutel ligt bij de buren"},
        headers=bearer(live_server, "piet.monteur"),
    )
    assert note.status_code in (200, 201), note.text
    expect(timeline_b).to_contain_text("Sleutel ligt bij de buren")

    # A cancels, which needs a reason; B sees the phase change and the appointment gone.
    cancel = page.locator("[data-cancel-form]")
    cancel.locator("input[name=reason]").fill("Lekkage zelf verholpen")
    cancel.locator("button").click()
    expect(page.locator("[data-region=head]")).to_contain_text("Doorgezet naar monteur")
    expect(second.locator("[data-region=head]")).to_contain_text("Doorgezet naar monteur")
    expect(timeline_b).to_contain_text("Reden: Lekkage zelf verholpen")
    expect(second.locator("#afspraak")).to_have_count(0)
