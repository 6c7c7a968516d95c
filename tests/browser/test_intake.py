"""A call-taker takes a report with the keyboard only, in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.support.world import PASSWORD


def login(page: Page, username: str) -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/dossiers$"))


def test_keyboard_only_intake_finds_address_and_creates_dossier(page: Page) -> None:
    login(page, "anna.agent")
    page.keyboard.press("Alt+n")
    expect(page).to_have_url(re.compile(r"/dossiers/nieuw$"))
    # The client select has focus: typing chooses the client, Tab goes through the fields.
    expect(page.locator("select[name=client]")).to_be_focused()
    page.keyboard.type("Woonstad")
    page.keyboard.press("Tab")
    expect(page.locator("input[name=postcode]")).to_be_focused()
    page.keyboard.type("3572 ab")
    page.keyboard.press("Tab")
    page.keyboard.type("10")
    page.keyboard.press("Tab")
    expect(page.locator("[data-address-result]")).to_contain_text("In woningbestand: Biltstraat 10")
    expect(page.locator("input[name=street]")).to_have_value("Biltstraat")
    page.locator("input[name=contact_name]").focus()
    page.keyboard.type("Jan de Vries")
    page.keyboard.press("Tab")
    page.keyboard.type("0612345678")
    page.locator("select[name=category]").focus()
    page.keyboard.type("Elektra")
    page.locator("textarea[name=description]").focus()
    page.keyboard.type("Stroom valt steeds uit in de keuken")
    page.keyboard.press("Control+Enter")
    expect(page.locator("[role=status].success")).to_contain_text(
        re.compile(r"Dossier MK-\d{4}-\d{6} is aangemaakt")
    )
    expect(page.locator("dl")).to_contain_text("06 12345678")
    expect(page.locator("dl")).to_contain_text("Biltstraat 10")
    # Search it back from anywhere with "/".
    page.keyboard.press("/")
    expect(page.locator("#zoek")).to_be_focused()
    page.keyboard.type("3572 AB")
    page.keyboard.press("Enter")
    expect(page.locator("table.list")).to_contain_text("Jan de Vries")


def test_no_subject_line_before_a_subject_every_subject_in_view_and_found_address_skipped(
    page: Page,
) -> None:
    login(page, "anna.agent")
    page.goto("/dossiers/nieuw")
    page.select_option("select[name=client]", "WST")
    subjects = page.locator(".triage-subjects button")
    expect(subjects.first).to_be_visible()
    # Nothing says "Onderwerp: [Ander onderwerp]" before a subject is chosen.
    expect(page.locator(".triage-chosen")).to_be_hidden()
    expect(page.get_by_role("button", name="Ander onderwerp")).to_have_count(0)
    # The last subject is whole: no box around the list cuts it off.
    cut = subjects.last.evaluate(
        """(button) => {
          const r = button.getBoundingClientRect();
          for (let box = button.parentElement; box; box = box.parentElement) {
            if (getComputedStyle(box).overflowY === "visible") continue;
            const b = box.getBoundingClientRect();
            if (box !== document.documentElement && r.bottom > b.bottom + 0.5) return box.className;
          }
          return null;
        }"""
    )
    assert cut is None, f"the last subject is cut off by .{cut}"
    # The address is found in the stock: Tab after the house number skips suffix, street and
    # city, which the lookup settled, and lands on the first empty field (the triage's search).
    page.locator("input[name=postcode]").fill("3572 ab")
    page.locator("input[name=house_number]").focus()
    page.keyboard.type("10")
    page.keyboard.press("Tab")
    expect(page.locator("[data-address-result]")).to_contain_text("In woningbestand: Biltstraat 10")
    expect(page.locator(".triage-filter")).to_be_focused()
    # Chosen: now the line says what it is and offers another.
    page.keyboard.type("lekkage aan")
    page.keyboard.press("Enter")
    expect(page.locator(".triage-chosen")).to_contain_text("Onderwerp: Lekkage aan woning")
