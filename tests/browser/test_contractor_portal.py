"""A contractor without an ERP works an order in real Chromium: accepts it, plans the
appointment with one of its technicians, and reports it done with a werkbon and a photo; the
desk's dossier page shows each step."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PIL import Image
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_monteur import api
from tests.support.world import PASSWORD, dossier_body

REFUSED = "the server responded with a status of 422 (Unprocessable Entity)"
INSTALLATIEBEDRIJF = 1  # the first contractor of the test world (Installatiebedrijf Noord)


def order_for_contractor(base: str) -> str:
    """A report the desk sends to Installatiebedrijf Noord, not to a technician."""
    with api(base, "anna.agent") as desk:
        created = desk.post("/api/v1/dossiers", json=dossier_body())
        assert created.status_code == 201, created.text
        number = str(created.json()["order_number"])
        sent = desk.post(
            f"/api/v1/dossiers/{number}/transitions",
            json={"to": "doorgezet_naar_monteur", "contractor_id": INSTALLATIEBEDRIJF},
        )
        assert sent.status_code == 200, sent.text
    return number


def log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    page.wait_for_load_state("networkidle")


def _photo() -> dict[str, object]:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (40, 120, 200)).save(buffer, "JPEG")
    return {"name": "meterkast.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def test_accept_plan_and_report_done_with_a_photo(browser: Browser, live_server: str) -> None:
    number = order_for_contractor(live_server)
    context = browser.new_context(base_url=live_server, locale="nl-NL")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, "bas.aannemer")
    expect(page).to_have_url(f"{live_server}/aannemer")
    row = page.locator("tr", has_text=number)
    expect(row).to_contain_text("nieuw")
    row.get_by_role("link", name=number).click()

    page.get_by_role("button", name="Opdracht accepteren").click()
    expect(page.get_by_role("status")).to_contain_text("U heeft de opdracht geaccepteerd")
    day = (datetime.now(UTC) + timedelta(days=2)).astimezone(ZoneInfo("Europe/Amsterdam"))
    plan = page.locator("#inplannen")
    plan.get_by_label("Datum").fill(day.date().isoformat())
    plan.get_by_label("Van").fill("09:00")
    plan.get_by_label("Tot").fill("10:30")
    plan.get_by_label("Monteur").select_option(label="Piet Monteur")
    plan.get_by_role("button", name="Afspraak inplannen").click()
    expect(page.get_by_role("status")).to_contain_text("De afspraak staat")
    expect(page.locator("dl")).to_contain_text("Piet Monteur")

    done = page.locator("#gereed")
    done.get_by_label("Resultaat").select_option("verholpen")
    done.get_by_label("Uitgevoerde werkzaamheden").fill("Aardlekschakelaar vervangen.")
    done.get_by_label("Materialen").fill("1 st Aardlekschakelaar 40A")
    # A refusal keeps what was typed: the time is out of range first.
    done.get_by_label("Foto's").set_input_files([_photo()])  # type: ignore[list-item]
    done.get_by_label("Bestede tijd (minuten)").fill("2000")
    page.get_by_role("button", name="Gereedmelden").click()
    expect(page.locator(".field-error")).to_contain_text("Bestede tijd moet 0 tot 1440 minuten")
    # Chromium logs the refused request (422) itself: that one is the point of this step.
    assert errors == [f"Failed to load resource: {REFUSED}"], errors
    errors.clear()
    again = page.locator("#gereed")
    expect(again.get_by_label("Uitgevoerde werkzaamheden")).to_have_value(
        "Aardlekschakelaar vervangen."
    )
    again.get_by_label("Bestede tijd (minuten)").fill("40")
    again.get_by_label("Foto's").set_input_files([_photo()])  # type: ignore[list-item]
    page.get_by_role("button", name="Gereedmelden").click()
    expect(page).to_have_url(f"{live_server}/aannemer?gedaan=afgerond")
    expect(page.get_by_role("status").first).to_contain_text("gereedgemeld")
    expect(page.locator("#open-dossiers")).not_to_contain_text(number)
    assert errors == [], errors
    context.close()

    desk = browser.new_context(base_url=live_server, locale="nl-NL").new_page()
    log_in(desk, "anna.agent")
    desk.goto(f"/dossiers/{number}")
    timeline = desk.locator("#tijdlijn")
    expect(timeline).to_contain_text("accepteerde de opdracht namens Installatiebedrijf Noord")
    expect(timeline).to_contain_text("Aardlekschakelaar vervangen.")
    expect(timeline).to_contain_text("voegde een foto toe")
    expect(desk.locator(".dossier-head")).to_contain_text("Afgerond")
    expect(desk.locator("#veldwerk img")).to_have_count(1)
    desk.context.close()
