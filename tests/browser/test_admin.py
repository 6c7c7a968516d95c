"""The admin screens in Chromium, as issue #18's walk: a new client with office hours and a
closure day (honoured by triage) and its housing stock; its user, invited by e-mail, sets her
password, enrols her authenticator app (two-factor login required for her role) and logs in
with a code; its technician with trades, home base, roster and on-call rota."""

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

FIXTURES = Path(__file__).parent.parent / "fixtures"
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


def _urgency(base: str, headers: dict[str, str], client: str) -> str:
    """The triage engine's verdict for a partial power failure on Ascension morning."""
    answer = httpx.post(
        f"{base}/api/v1/triage/evaluate",
        json={
            "client": client,
            "subject": "elektra",
            "answers": PARTIAL_POWER_FAILURE,
            "at": ASCENSION_MORNING,
        },
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["outcome"]["urgency"])


def test_a_new_client_its_user_and_its_technician_are_set_up_on_the_screens(
    page: Page, second: Page, live_server: str, inbox: tuple[int, Inbox]
) -> None:
    """Issue #18's "done when": nothing but the screens, from a new client to its closure day
    honoured by triage."""
    browser_login(page, "admin")
    page.goto("/beheer/instellingen")
    page.get_by_label("Opdrachtgever", exact=True).check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_have_text("Opgeslagen.")

    # The client, its office hours and a closure day.
    page.goto("/beheer")
    page.get_by_role("link", name="Opdrachtgevers").click()
    page.get_by_role("link", name="Nieuwe opdrachtgever").click()
    page.get_by_label(re.compile("^Code")).fill("wsv")
    page.get_by_label("Naam").fill("Woonzorg Stichtse Vecht")
    page.get_by_role("button", name="Opdrachtgever aanmaken").click()
    expect(page).to_have_url(re.compile(r"/beheer/opdrachtgevers/WSV\?nieuw=1$"))
    expect(page.get_by_role("status")).to_contain_text("Opdrachtgever aangemaakt")
    headers = bearer(live_server, "sanne.supervisie")
    assert _urgency(live_server, headers, "WSV") == "niet_urgent"  # Friday 08:00 is near
    page.get_by_label("Maandag").fill("08:00-12:00, 13:00-17:00")
    page.get_by_label(re.compile("Eén per regel: datum en reden")).fill("15-05-2026 Brugdag")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Opgeslagen.")
    expect(page.locator("#wijzigingen + .table-scroll")).to_contain_text("15-05-2026 Brugdag")
    assert _urgency(live_server, headers, "WSV") == "urgent"  # next opening Monday 08:00

    # Its housing stock: the import runs beside the page (in the app: no Redis here).
    page.get_by_label("Bestand", exact=True).set_input_files(FIXTURES / "adressen_woonstad.csv")
    page.get_by_role("button", name="Proefimport").click()
    expect(page.get_by_role("status")).to_contain_text("Proefimport in orde")
    page.get_by_role("button", name="Nu importeren").click()
    expect(page.get_by_role("status")).to_contain_text("Geïmporteerd: 8 adressen ingelezen")

    # Its user, invited by mail.
    page.goto("/beheer/gebruikers/nieuw")
    page.get_by_label("Gebruikersnaam").fill("lisa.de.vries")
    page.get_by_label("Volledige naam").fill("Lisa de Vries")
    page.get_by_label("E-mailadres").fill("lisa@example.nl")
    page.locator("select[name=role]").select_option("client")
    page.locator("select[name=client]").select_option("WSV")
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
    expect(second).to_have_url(re.compile(r"/portaal$"))
    expect(second.locator(".me-name")).to_contain_text("Woonzorg Stichtse Vecht")
    second.get_by_role("button", name="Uitloggen").click()

    second.get_by_label("Gebruikersnaam").fill("lisa.de.vries")
    second.get_by_label("Wachtwoord").fill(PASSWORD)
    second.get_by_role("button", name="Inloggen").click()
    expect(second).to_have_url(re.compile(r"/login/code$"))
    # The code of the next 30 seconds: the one she enrolled with is used up.
    second.get_by_label(re.compile("De 6 cijfers")).fill(totp.at(time.time() + 30))
    second.get_by_role("button", name="Inloggen").click()
    expect(second).to_have_url(re.compile(r"/portaal$"))

    # Its technician: trades, home base, roster and on-call rota.
    page.goto("/beheer/monteurs")
    page.get_by_role("link", name="Monteur toevoegen").click()
    page.get_by_label("Naam").fill("Joris Stam")
    page.get_by_label("Telefoon").fill("06 23456789")
    page.get_by_label(re.compile("Thuispostcode")).fill("3611 AB")
    page.get_by_label(re.compile("Elektrici")).check()
    page.get_by_label(re.compile("Weekrooster")).fill("ma-vr 07:30-16:00\nza 08:00-12:00")
    page.get_by_label("Piket in het weekend").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_have_text("Opgeslagen.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Joris Stam")
    expect(page.get_by_label(re.compile("Weekrooster"))).to_have_value(
        re.compile("vr 07:30-16:00\nza 08:00-12:00$")
    )
    page.goto("/beheer/monteurs")
    row = page.get_by_role("row").filter(has_text="Joris Stam")
    expect(row).to_contain_text("Elektriciën")
    expect(row).to_contain_text("3611")

    # The admin sees what happened on Lisa's page.
    page.goto("/beheer/gebruikers")
    page.get_by_role("link", name="lisa.de.vries").click()
    changes = page.locator("#wijzigingen + .table-scroll")
    expect(changes).to_contain_text("ingesteld via uitnodiging")
    expect(changes).to_contain_text("tweestapsverificatie")
