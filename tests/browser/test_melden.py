"""Reporting online in headless Chromium: a burst pipe from the address to a booked slot with a
photo (scaled in the browser), the acuut path ending at "Bel nu", and the one-time code refused
when wrong or expired. Each step's page is checked at 320 px (tests/browser/screens.py)."""

from __future__ import annotations

import io
import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.screens import Watch, check
from tests.browser.test_board import EVERY_DAY, bearer
from tests.browser.test_volg import live_rows

PAGE = "/melden/woonstad"


def open_online(live_server: str, live_dir: Path) -> None:
    """Woonstad takes reports online (a setting the live server reads per request) and Piet,
    loodgieter, is on duty around the clock."""
    with sqlite3.connect(live_dir / "live.sqlite3") as db:
        [(raw,)] = db.execute("SELECT settings FROM client WHERE code = 'WST'")
        settings = {**json.loads(raw or "{}"), "online_melden": {"adres": "woonstad"}}
        db.execute(
            "UPDATE client SET settings = ?, phone = '+31307201400' WHERE code = 'WST'",
            (json.dumps(settings),),
        )
    duty = httpx.put(
        f"{live_server}/api/v1/technicians/1/duty",
        json={"roster": EVERY_DAY, "home_latitude": 52.09, "home_longitude": 5.13},
        headers=bearer(live_server, "admin"),
    )
    assert duty.status_code == 200, duty.text


@pytest.fixture
def online(live_server: str, live_dir: Path) -> Path:
    open_online(live_server, live_dir)
    return live_dir


def sent_code(live_dir: Path, to: str) -> str:
    """The code in the message the tenant was sent (no SMS is configured on the live server:
    the outbox row keeps the text until the code is used)."""
    [(body,)] = live_rows(
        live_dir,
        "SELECT body FROM outbound_message WHERE kind = 'verificatiecode' AND recipient = ? "
        "ORDER BY id DESC LIMIT 1",
        to,
    )
    found = re.search(r"\b(\d{6})\b", body)
    assert found, body
    return found.group(1)


Step = Callable[[Page], None]


def start(page: Page, number: str, contact: str = "06 12345678", suffix: str = "") -> None:
    page.goto(PAGE)
    page.get_by_label("Postcode").fill("3572 AB")
    page.get_by_label("Huisnummer").fill(number)
    page.get_by_label("Toevoeging").fill(suffix)
    page.get_by_label("Mobiel nummer of e-mailadres").fill(contact)
    page.get_by_role("button", name="Stuur mij een code").click()
    expect(page.locator("h1")).to_have_text("Vul uw code in")


def confirm(page: Page, live_dir: Path, to: str = "+31612345678") -> None:
    page.get_by_role("textbox", name="Code").fill(sent_code(live_dir, to))
    page.get_by_role("button", name="Bevestigen").click()


def choose(page: Page, subject: str) -> None:
    expect(page.locator("h1")).to_have_text("Waar gaat uw melding over?")
    page.get_by_label("Uw naam").fill("Fatima el Amrani")
    page.get_by_label(subject).check()
    page.get_by_role("button", name="Verder").click()


def answer(page: Page, label: str) -> None:
    page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Verder").click()


def photo(path: Path) -> Path:
    """A 3000 x 2000 photo as a phone takes it."""
    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), (90, 120, 160)).save(out, "JPEG", quality=95)
    path.write_bytes(out.getvalue())
    return path


def at_320(page: Page, watch: Watch, problems: list[str]) -> None:
    """The page as it stands, checked as on a small phone."""
    page.set_viewport_size({"width": 320, "height": 800})
    problems += [f"{page.locator('h1').inner_text()}: {p}" for p in check(page, watch)]


def test_a_burst_pipe_from_address_to_booked_slot_with_a_photo(
    page: Page, online: Path, tmp_path: Path
) -> None:
    watch = Watch(page)
    problems: list[str] = []
    start(page, "10")
    at_320(page, watch, problems)
    confirm(page, online)
    expect(page.locator(".home-line")).to_contain_text("Biltstraat 10, Utrecht")
    at_320(page, watch, problems)
    choose(page, "Lekkage aanvoerleiding water")
    answer(page, "Nee")
    answer(page, "Gesprongen of spuitende leiding")
    # The protocol's question in the tenant's words.
    expect(page.locator("legend")).to_have_text(
        "Kunt u de leiding afsluiten met de hoofdkraan of een stopkraan?"
    )
    at_320(page, watch, problems)
    answer(page, "Ja, de leiding is afgesloten of af te sluiten")
    page.get_by_label("Omschrijving (wat ziet u, waar in huis?)").fill("Onder het aanrecht.")
    page.get_by_label("Foto's (ten hoogste 4, optioneel)").set_input_files(
        photo(tmp_path / "lek.jpg")
    )
    expect(page.locator("[data-photo-status]")).to_have_text("lek.jpg")
    at_320(page, watch, problems)
    page.get_by_role("button", name="Verder").click()
    expect(page.locator("h1")).to_have_text("Kies wanneer de monteur komt")
    at_320(page, watch, problems)
    page.locator("input[name=tijd]").first.check()
    page.get_by_role("button", name="Deze tijd kiezen en melding versturen").click()
    expect(page.locator("h1")).to_contain_text("is verstuurd")
    expect(page.locator("[role=status]").first).to_contain_text("De monteur komt")
    at_320(page, watch, problems)
    number = re.search(r"MK-\d{4}-\d+", page.locator("h1").inner_text())
    assert number
    [(phase, channel, photos, width)] = live_rows(
        online,
        "SELECT d.phase, d.channel, count(p.id), max(p.width) FROM dossier d "
        "LEFT JOIN photo p ON p.dossier_id = d.id WHERE d.order_number = ?",
        number.group(0),
    )
    assert (phase, channel, photos) == ("afspraak_ingepland", "web", 1)
    assert width == 1600  # scaled in the browser before it was sent
    assert not problems, "\n".join(problems)


def test_acuut_ends_at_call_now(page: Page, online: Path) -> None:
    watch = Watch(page)
    problems: list[str] = []
    start(page, "10")
    confirm(page, online)
    choose(page, "Lekkage aanvoerleiding water")
    answer(page, "Nee")
    answer(page, "Gesprongen of spuitende leiding")
    answer(page, "Nee, niet af te sluiten")
    expect(page.locator("h1")).to_have_text("Bel nu")
    call = page.locator("a.call-button")
    expect(call).to_be_visible()
    assert call.get_attribute("href") == "tel:+31307201400"
    expect(call).to_have_text("Bel 030 720 1400")
    at_320(page, watch, problems)
    [(urgency, called)] = live_rows(
        online,
        "SELECT urgency, call_back_at IS NOT NULL FROM dossier WHERE channel = 'web' "
        "ORDER BY id DESC LIMIT 1",
    )
    assert (urgency, called) == ("acuut", 1)
    assert not problems, "\n".join(problems)


def test_the_code_is_refused_when_wrong_or_expired(page: Page, online: Path) -> None:
    watch = Watch(page)
    problems: list[str] = []
    start(page, "10", contact="06 23456789", suffix="a")
    right = sent_code(online, "+31623456789")
    page.get_by_role("textbox", name="Code").fill(f"{(int(right) + 1) % 10**6:06d}")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.locator("#fout")).to_have_text(
        "Deze code klopt niet. U kunt het nog 4 keer proberen."
    )
    watch.take()  # the refusal's own 422 is the point here; the page itself is checked
    at_320(page, watch, problems)
    # Ten minutes later (its expiry moved back, not waited for): the right code is too late.
    with sqlite3.connect(online / "live.sqlite3") as db:
        db.execute(
            "UPDATE report_draft SET code_expires_at = '2000-01-01 00:00:00+00:00' "
            "WHERE contact = '+31623456789'"
        )
    page.get_by_role("textbox", name="Code").fill(right)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.locator("#fout")).to_have_text("Deze code is verlopen. Vraag een nieuwe code aan.")
    watch.take()
    page.get_by_role("button", name="Geen code gekregen? Stuur een nieuwe code").click()
    confirm(page, online, "+31623456789")
    expect(page.locator(".home-line")).to_contain_text("Biltstraat 10-A")
    assert not problems, "\n".join(problems)
