"""The admin screens in Chromium: a user invited by e-mail sets her password, enrols her
authenticator app (two-factor login required for her role) and logs in with a code; a closure
day set on the client's screen is honoured by triage."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import httpx
import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import serve
from tests.browser.test_board import bearer, browser_login
from tests.messaging.smtp_server import Inbox, smtp_server

PASSWORD = "paars nijlpaard danst op ijs"
ASCENSION_MORNING = "2026-05-14T09:00:00+02:00"
PARTIAL_POWER_FAILURE = {
    "bewoonbaarheid": "nee",
    "omvang": "gedeeltelijk",
    "groepenkast": "helpt_niet",
    "cv_uitval": "nee",
    "belemmering": "ja",
}


@pytest.fixture(scope="module")
def inbox() -> Iterator[tuple[int, Inbox]]:
    with smtp_server() as (port, box, _):
        yield port, box


@pytest.fixture(scope="module")
def live_server(live_dir: Path, inbox: tuple[int, Inbox]) -> Iterator[str]:
    """The app with the local SMTP server as its mail."""
    port, _ = inbox
    mail = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_STARTTLS": "false",
        "MAIL_FROM": "berichten@meldkamer.example.nl",
    }
    yield from serve(live_dir, mail)


def _link(box: Inbox) -> str:
    deadline = time.monotonic() + 10
    while not box.envelopes and time.monotonic() < deadline:
        time.sleep(0.1)
    message = message_from_bytes(box.envelopes[-1].content, policy=policy.default)  # type: ignore[arg-type]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    found = re.search(r"/account/wachtwoord/[A-Za-z0-9_-]+", text)
    assert found, text
    return found.group(0)


def test_invite_set_password_enrol_and_log_in_with_a_code(
    page: Page, second: Page, inbox: tuple[int, Inbox]
) -> None:
    browser_login(page, "admin")
    page.goto("/beheer/instellingen")
    page.get_by_label("Meldkamermedewerker").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_have_text("Opgeslagen.")

    page.goto("/beheer/gebruikers/nieuw")
    page.get_by_label("Gebruikersnaam").fill("lisa.de.vries")
    page.get_by_label("Volledige naam").fill("Lisa de Vries")
    page.get_by_label("E-mailadres").fill("lisa@example.nl")
    page.locator("select[name=role]").select_option("agent")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_role("status")).to_contain_text("Uitnodiging verstuurd naar lisa@example.nl")

    # Lisa, in her own browser, follows the link in her mail.
    second.goto(_link(inbox[1]))
    expect(second.get_by_role("heading")).to_have_text("Welkom: kies uw wachtwoord")
    second.get_by_label("Nieuw wachtwoord").fill(PASSWORD)
    second.get_by_label("Nogmaals").fill(PASSWORD)
    second.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(second.get_by_role("status")).to_have_text("Uw wachtwoord is ingesteld. Log in.")
    expect(second.get_by_label("Gebruikersnaam")).to_have_value("lisa.de.vries")
    second.get_by_label("Wachtwoord").fill(PASSWORD)
    second.get_by_role("button", name="Inloggen").click()

    # Her role requires two-factor login: she enrols before she is in.
    expect(second).to_have_url(re.compile(r"/login/tweestaps$"))
    expect(second.locator(".qr svg")).to_be_visible()
    secret = second.locator("[data-secret]").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    second.get_by_label("Code uit de app").fill(totp.now())
    second.get_by_role("button", name="Bevestigen").click()
    expect(second.get_by_role("heading")).to_have_text("Tweestapsverificatie ingesteld")
    expect(second.locator(".recovery-codes li")).to_have_count(10)
    second.get_by_role("link", name="Verder").click()
    expect(second).to_have_url(re.compile(r"/dossiers$"))
    second.get_by_role("button", name="Uitloggen").click()

    second.get_by_label("Gebruikersnaam").fill("lisa.de.vries")
    second.get_by_label("Wachtwoord").fill(PASSWORD)
    second.get_by_role("button", name="Inloggen").click()
    expect(second).to_have_url(re.compile(r"/login/code$"))
    # The code of the next 30 seconds: the one she enrolled with is used up.
    second.get_by_label(re.compile("De 6 cijfers")).fill(totp.at(time.time() + 30))
    second.get_by_role("button", name="Inloggen").click()
    expect(second).to_have_url(re.compile(r"/dossiers$"))
    expect(second.locator(".me-name")).to_contain_text("Lisa de Vries")

    # The admin sees what happened on her page.
    page.goto("/beheer/gebruikers")
    page.get_by_role("link", name="lisa.de.vries").click()
    expect(page.locator("#wijzigingen + .table-scroll")).to_contain_text(
        "ingesteld via uitnodiging"
    )
    expect(page.locator("#wijzigingen + .table-scroll")).to_contain_text("tweestapsverificatie")


def test_a_closure_day_set_on_screen_is_honoured_by_triage(page: Page, live_server: str) -> None:
    # Supervisie: the first test made two-factor login required for the desk.
    headers = bearer(live_server, "sanne.supervisie")

    def outcome() -> str:
        answer = httpx.post(
            f"{live_server}/api/v1/triage/evaluate",
            json={
                "client": "WST",
                "subject": "elektra",
                "answers": PARTIAL_POWER_FAILURE,
                "at": ASCENSION_MORNING,
            },
            headers=headers,
        )
        assert answer.status_code == 200, answer.text
        return str(answer.json()["outcome"]["urgency"])

    assert outcome() == "niet_urgent"
    browser_login(page, "sanne.supervisie")
    page.goto("/beheer")
    page.get_by_role("link", name="Opdrachtgevers").click()
    page.get_by_role("link", name=re.compile("Woonstad Utrecht")).click()
    page.get_by_label(re.compile("Eén per regel: datum en reden")).fill("15-05-2026 Brugdag")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Opgeslagen.")
    expect(page.locator("#wijzigingen + .table-scroll")).to_contain_text("15-05-2026 Brugdag")
    assert outcome() == "urgent"
