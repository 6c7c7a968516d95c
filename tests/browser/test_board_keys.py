"""The board's choices by keyboard: each list is one tab stop, arrows move within it, the
chosen one stays marked, and "Terug" is readable and goes back to the choice."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.browser.test_board import EVERY_DAY, bearer, browser_login, leak_with_piet_on_duty


def second_plumber(base: str, live_dir: Path) -> None:
    """Kees, the world's electrician, learns plumbing (in the live server's own database) and
    goes on duty a little farther from the Biltstraat than Piet."""
    with sqlite3.connect(live_dir / "live.sqlite3") as db:
        db.execute("UPDATE technician SET trades = ? WHERE id = 2", ('["ELE", "LOO"]',))
    duty = httpx.put(
        f"{base}/api/v1/technicians/2/duty",
        json={"roster": EVERY_DAY, "home_latitude": 52.10, "home_longitude": 5.15},
        headers=bearer(base, "admin"),
    )
    assert duty.status_code == 200, duty.text


def test_suggestions_by_arrows_one_tab_stop_chosen_marked_and_back(
    page: Page, live_server: str, live_dir: Path
) -> None:
    number = leak_with_piet_on_duty(live_server)
    second_plumber(live_server, live_dir)
    browser_login(page, "anna.agent")
    page.goto("/meldkamer")
    page.locator(f"[data-order='{number}']").click()
    suggestions = page.locator("[data-suggestions] button")
    piet, kees = suggestions.nth(0), suggestions.nth(1)
    expect(piet).to_be_focused()
    expect(piet).to_contain_text("Piet Monteur")
    # Why Kees stands below Piet, in words.
    expect(page.locator("[data-suggestions] .order-reason").nth(1)).to_contain_text(
        "Onder Piet Monteur:"
    )
    page.keyboard.press("ArrowDown")
    expect(kees).to_be_focused()
    # One tab stop: Tab leaves the list whatever its length, Shift+Tab comes back to Kees.
    page.keyboard.press("Tab")
    assert not page.evaluate(
        "() => document.querySelector('[data-suggestions]').contains(document.activeElement)"
    )
    page.keyboard.press("Shift+Tab")
    expect(kees).to_be_focused()
    page.keyboard.press("Enter")
    # Kees is marked as chosen (filled in the brand blue), Piet is not.
    expect(kees).to_have_attribute("aria-pressed", "true")
    expect(kees).to_have_css("background-color", "rgb(11, 92, 173)")
    expect(piet).to_have_attribute("aria-pressed", "false")
    expect(page.locator("[data-confirm-text]")).to_have_text(
        f"{number} toewijzen aan Kees Monteur?"
    )
    expect(page.locator("[data-confirm-button]")).to_be_focused()
    # The free times are one tab stop too.
    slots = page.locator("[data-slot-list] button")
    expect(slots.first).to_be_visible()
    assert page.locator("[data-slot-list] button[tabindex='0']").count() == 1
    # "Terug" reads (not white on white) and goes back to the choice.
    cancel = page.locator("[data-confirm-cancel]")
    assert cancel.evaluate("(b) => getComputedStyle(b).color") != "rgb(255, 255, 255)"
    cancel.click()
    expect(page.locator("[data-confirm]")).to_be_hidden()
    expect(kees).to_be_focused()
    expect(kees).to_have_attribute("aria-pressed", "false")
