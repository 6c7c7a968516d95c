"""At intake the agent types the tenant's word and gets the right subject; a triage solved
remotely shows the knowledge-base article, in a real browser."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from tests.browser.test_intake import login
from tests.support.world import PASSWORD

TITLE = "Cv-ketel: waterdruk te laag, zelf bijvullen"


def _article(base: str) -> None:
    token = httpx.post(
        f"{base}/api/v1/auth/token",
        json={"username": "sanne.supervisie", "password": PASSWORD},
    ).json()["token"]
    made = httpx.post(
        f"{base}/api/v1/knowledge",
        json={
            "title": TITLE,
            "body": "Zet de ketel uit.\n\nVul bij tot tussen 1,5 en 2 bar.",
            "subject": "cv_storing",
            "outcome": "cv_bijvullen",
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert made.status_code == 201, made.text


def test_tenants_words_find_the_subject_and_the_article_is_shown(
    page: Page, live_server: str
) -> None:
    _article(live_server)
    login(page, "anna.agent")
    page.goto("/dossiers/nieuw")
    page.locator("select[name=client]").select_option("WST")
    expect(page.locator(".triage-version")).to_contain_text("Protocol WST, versie")
    first = page.locator(".triage-subjects li").first
    for word, label in (
        ("kraan", "Lekkage aanvoerleiding water"),
        ("wc", "Lekkage afvoeren"),
        ("stroom", "Elektra"),
        ("sleutel", "Buitensluiting"),
    ):
        page.locator(".triage-filter").fill(word)
        expect(first).to_have_text(label)
    page.locator(".triage-filter").fill("xyzzy")
    expect(first).to_have_text("Geen onderwerp gevonden.")
    page.locator(".triage-filter").fill("ketel")
    expect(first).to_have_text("Cv-storing")
    page.locator(".triage-filter").press("Enter")
    stage = page.locator(".triage-stage")
    expect(stage).to_contain_text("Is de bewoonbaarheid van de woning in gevaar")
    page.keyboard.press("2")  # nee
    expect(stage).to_contain_text("Wat geeft de drukmeter op de cv-ketel aan?")
    page.keyboard.press("1")  # onder 1 bar
    article = page.locator(".triage-article")
    expect(article).to_contain_text("Uit de kennisbank")
    expect(article).to_contain_text(TITLE)
    expect(article).to_contain_text("Vul bij tot tussen 1,5 en 2 bar.")
    expect(article.locator("a")).to_have_attribute("href", re.compile(r"^/kennisbank/\d+$"))
