"""A call-taker triages a report with the keyboard only, and a supervisor edits a protocol."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.test_intake import login


def test_keyboard_only_triage_during_intake(page: Page) -> None:
    login(page, "anna.agent")
    page.keyboard.press("Alt+n")
    expect(page).to_have_url(re.compile(r"/dossiers/nieuw$"))
    expect(page.locator("select[name=client]")).to_be_focused()
    page.keyboard.type("Woonstad")
    page.keyboard.press("Tab")
    page.keyboard.type("3572 ab")
    page.keyboard.press("Tab")
    page.keyboard.type("10")
    expect(page.locator(".triage-version")).to_contain_text("Protocol WST, versie")
    page.locator(".triage-filter").focus()
    page.keyboard.type("lekkage aan")
    page.keyboard.press("Enter")
    stage = page.locator(".triage-stage")
    expect(stage).to_contain_text("Is de bewoonbaarheid van de woning in gevaar")
    page.keyboard.press("2")  # nee
    expect(stage).to_contain_text("Hoe groot is het risico op gevolgschade?")
    page.keyboard.press("1")  # zeer groot
    expect(stage).to_contain_text("Lekkage aan woning, zeer groot risico op gevolgschade")
    expect(stage).to_contain_text("Voorlezen aan de melder")
    # Backspace goes back one question; another answer leads elsewhere.
    page.keyboard.press("Backspace")
    expect(stage).to_contain_text("Hoe groot is het risico op gevolgschade?")
    page.keyboard.press("2")  # beperkt
    expect(stage).to_contain_text("Kan de huurder de lekkage beperken")
    page.keyboard.press("1")  # ja
    expect(stage).to_contain_text("Niet urgent")
    expect(page.locator(".triage-path")).to_contain_text("Beperkt risico op gevolgschade")
    expect(page.locator("select[name=category]")).to_have_value("lekkage_woning")
    page.locator("input[name=contact_name]").focus()
    page.keyboard.type("Jan de Vries")
    page.keyboard.press("Tab")
    page.keyboard.type("0612345678")
    page.keyboard.press("Control+Enter")
    expect(page.locator("[role=status].success")).to_contain_text("is aangemaakt")
    triage = page.locator("#triage")
    expect(triage).to_contain_text("Lekkage aan woning, beperkt risico op gevolgschade")
    expect(triage).to_contain_text("versie 1")
    expect(page.locator("#tijdlijn")).to_contain_text("legde de triage vast")


def test_unfinished_triage_warns_before_intake(page: Page) -> None:
    login(page, "anna.agent")
    page.goto("/dossiers/nieuw")
    expect(page.locator(".triage-version")).to_contain_text("Kies eerst de opdrachtgever")
    page.locator("select[name=client]").select_option("WST")
    page.locator(".triage-filter").fill("gas")
    page.locator(".triage-filter").press("Enter")
    expect(page.locator(".triage-stage")).to_contain_text("Waar ruikt de huurder gas?")
    page.fill("input[name=postcode]", "3572AB")
    page.fill("input[name=house_number]", "10")
    page.fill("input[name=contact_name]", "Jan")
    page.fill("input[name=contact_phone]", "0612345678")
    page.locator("input[name=contact_phone]").press("Control+Enter")
    expect(page.locator(".triage [role=alert]")).to_contain_text("De triage is nog niet af")
    expect(page).to_have_url(re.compile(r"/dossiers/nieuw$"))
    page.keyboard.press("1")
    expect(page.locator(".triage-stage")).to_contain_text("Acuut")


def test_supervisor_sees_problems_while_typing(page: Page) -> None:
    login(page, "sanne.supervisie")
    page.goto("/protocollen/LVD/bewerken")
    text = page.locator("textarea[name=text]")
    expect(page.locator("[data-problems]")).to_contain_text("Geen problemen gevonden.")
    text.fill(
        text.input_value().replace("            next: gaslek\n", "            next: nergens\n", 1)
    )
    problems = page.locator("[data-problems]")
    expect(problems).to_contain_text("onbekende vraag of uitkomst 'nergens'")
    expect(page.locator("[data-publish]")).to_be_hidden()
    problems.locator("button").first.click()
    selected = page.evaluate(
        "(() => { const t = document.querySelector('textarea');"
        " return t.value.slice(t.selectionStart, t.selectionEnd); })()"
    )
    assert selected.strip() == "next: nergens"
    text.fill(
        text.input_value()
        .replace("next: nergens", "next: gaslek", 1)
        .replace("Gaslek (of vermoeden)", "Gaslek of gaslucht", 1)
    )
    expect(page.locator("[data-problems]")).to_contain_text("Geen problemen gevonden.")
    expect(page.locator(".diff .add").first).to_contain_text("Gaslek of gaslucht")
    page.fill("input[name=reason]", "Duidelijker label")
    page.locator("button[value=publiceren]").click()
    expect(page.locator("[role=status]")).to_contain_text("Versie 2 is gepubliceerd")
