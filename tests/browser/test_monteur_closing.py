"""Closing a job in the technician app, in headless Chromium: offline, with the result, the
werkbon (materials picked from the client's list, the time from arrival to finish), the tenant's
signature drawn on the screen and a confirmation; online again it is in the dossier. Closing
before the appointment's day asks first. The phone's clock stands still at a fixed moment, so
nothing depends on today's date."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.test_monteur import api, app_context, log_in, offline
from tests.browser.test_monteur_device import back_online, open_job
from tests.support.world import PASSWORD, dossier_body

__all__ = ["app_context"]

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY_14 = datetime(2026, 3, 2, 14, 0, tzinfo=AMS)
MONDAY_20 = datetime(2026, 3, 2, 20, 0, tzinfo=AMS)


def job_at(base: str, appointment: datetime, **body: object) -> str:
    """A job for Piet with its appointment at `appointment`."""
    with api(base, "anna.agent") as desk:
        created = desk.post("/api/v1/dossiers", json=dossier_body(**body))
        assert created.status_code == 201, created.text
        number = str(created.json()["order_number"])
        moves = [
            {"to": "doorgezet_naar_monteur", "technician_id": 1},
            {"to": "afspraak_ingepland", "appointment_start": appointment.isoformat()},
        ]
        for move in moves:
            r = desk.post(f"/api/v1/dossiers/{number}/transitions", json=move)
            assert r.status_code == 200, r.text
    return number


def draw(page: Page) -> None:
    """A signature: one zigzag stroke across the canvas, with the mouse (pointer events)."""
    box = page.locator("canvas.signature-pad").bounding_box()
    assert box is not None
    left, middle = box["x"] + 20, box["y"] + box["height"] / 2
    page.mouse.move(left, middle)
    page.mouse.down()
    for i in range(1, 12):
        page.mouse.move(left + i * 22, middle + (25 if i % 2 else -25), steps=3)
    page.mouse.up()


def test_closing_offline_with_result_werkbon_signature_and_confirmation(
    app_context: BrowserContext, live_server: str
) -> None:
    with api(live_server, "sanne.supervisie") as sanne:
        listed = sanne.put(
            "/api/v1/clients/WST/materials",
            json={"materials": ["Sifon 32 mm", "Sanitairkit", "Kraanleertje"]},
        )
        assert listed.status_code == 200, listed.text
    number = job_at(live_server, MONDAY_14.replace(hour=13))
    page = app_context.new_page()
    page.clock.set_fixed_time(MONDAY_14)
    log_in(page)
    offline(app_context, True)
    open_job(page, number)
    page.get_by_role("button", name="Op locatie").click()
    page.get_by_role("button", name="Afsluiten").click()  # same day: no question first

    closing = page.locator("section.closing")
    expect(closing).to_contain_text("Stap 1 van 4: Resultaat")
    results = closing.locator("input[name=result]")
    assert results.evaluate_all("(all) => all.map((r) => r.value)") == [
        "verholpen",
        "tijdelijk_verholpen",
        "niet_verholpen",
        "geen_storing",
        "rekening_huurder",
    ]
    page.get_by_role("button", name="Volgende").click()
    expect(closing.get_by_role("alert")).to_have_text("Kies het resultaat van het bezoek.")
    page.get_by_label("Tijdelijk verholpen, vervolg nodig").check()
    page.get_by_role("button", name="Volgende").click()

    expect(closing).to_contain_text("Stap 2 van 4: Werkbon")
    options = closing.locator("datalist option")
    assert options.evaluate_all("(all) => all.map((o) => o.value)") == [
        "Sifon 32 mm",
        "Sanitairkit",
        "Kraanleertje",
    ]
    assert closing.locator("input[name=material_name]").get_attribute("list") == (
        closing.locator("datalist").get_attribute("id")
    )
    # Arrival is when he tapped "Op locatie", finished is now: the time in between.
    expect(closing.locator("input[name=arrived]")).to_have_value("14:00")
    expect(closing.locator("input[name=finished]")).to_have_value("14:00")
    expect(closing.locator("input[name=minutes]")).to_have_value("0")
    closing.locator("input[name=arrived]").fill("13:20")
    expect(closing.locator("input[name=minutes]")).to_have_value("40")
    page.get_by_role("button", name="Volgende").click()
    expect(closing.get_by_role("alert")).to_have_text(
        "Vul de oorzaak of de uitgevoerde werkzaamheden in."
    )
    closing.locator("textarea[name=cause]").fill("Kraan lekt bij de spindel")
    closing.locator("textarea[name=work_done]").fill("Kraanleertje vervangen, kraan nog oud")
    closing.locator("input[name=material_name]").fill("Kraanleertje")
    closing.locator("input[name=material_quantity]").fill("2")
    closing.locator("input[name=minutes]").fill("45")  # his own count wins
    page.get_by_role("button", name="Volgende").click()

    expect(closing).to_contain_text("Stap 3 van 4: Handtekening huurder")
    expect(page.get_by_role("button", name="Verder zonder handtekening")).to_be_visible()
    draw(page)
    closing.locator("input[name=signed_by]").fill("F. el Amrani")
    page.get_by_role("button", name="Volgende").click()

    expect(closing).to_contain_text("Stap 4 van 4: Controleren en bevestigen")
    summary = closing.locator("dl.summary")
    expect(summary).to_contain_text("Tijdelijk verholpen, vervolg nodig")
    expect(summary).to_contain_text("2 × Kraanleertje")
    expect(summary).to_contain_text("13:20–14:00, 45 min")
    expect(summary.locator("img.signature-preview")).to_be_visible()
    expect(summary).to_contain_text("F. el Amrani")
    expect(page.locator("#sync-state")).to_have_text("1 wijziging wacht op verbinding")
    page.get_by_role("button", name="Bevestigen").click()

    detail = page.locator("article.detail")
    expect(detail.locator("p.meta")).to_contain_text("Afgerond")
    expect(detail).to_contain_text("getekend door de huurder (niet verzonden)")
    expect(page.locator("#sync-state")).to_have_text("2 wijzigingen wachten op verbinding")
    back_online(page, app_context)
    expect(page.locator("#sync-state")).to_have_text("Alles is verzonden", timeout=20000)

    with api(live_server, "anna.agent") as desk:
        d = desk.get(f"/api/v1/dossiers/{number}").json()
    assert (d["phase"], d["result_code"]) == ("afgerond", "tijdelijk_verholpen")
    (werkbon,) = [e["data"] for e in d["events"] if e["kind"] == "werkbon"]
    assert werkbon["materials"] == [{"name": "Kraanleertje", "quantity": 2, "unit": "st"}]
    assert (werkbon["minutes"], werkbon["fixed"], werkbon["signed"]) == (45, False, True)
    # The desk sees the signature on the dossier page.
    desk_page = app_context.new_page()
    desk_page.goto("/login")
    desk_page.fill("input[name=username]", "anna.agent")
    desk_page.fill("input[name=password]", PASSWORD)
    desk_page.click("button[type=submit]")
    desk_page.goto(f"/dossiers/{number}")
    signature = desk_page.get_by_role("img", name="Handtekening huurder: F. el Amrani")
    expect(signature).to_be_visible()
    assert signature.evaluate("(img) => img.naturalWidth > 100 && img.naturalHeight > 20")
    expect(desk_page.locator("#veldwerk")).to_contain_text(
        "Voor akkoord getekend door F. el Amrani"
    )


def test_closing_before_the_appointments_day_asks_first(
    app_context: BrowserContext, live_server: str
) -> None:
    number = job_at(live_server, datetime(2026, 3, 3, 8, 0, tzinfo=AMS))
    page = app_context.new_page()
    page.clock.set_fixed_time(MONDAY_20)  # the evening before
    log_in(page)
    open_job(page, number)
    page.get_by_role("button", name="Op locatie").click()

    page.get_by_role("button", name="Afsluiten").click()

    question = page.get_by_role("alertdialog")
    expect(question).to_contain_text("De afspraak is pas morgen om 08:00 — toch afsluiten?")
    question.get_by_role("button", name="Terug").click()
    expect(question).to_be_hidden()
    page.get_by_role("button", name="Afsluiten").click()
    page.get_by_role("button", name="Toch afsluiten").click()
    expect(page.locator("section.closing")).to_contain_text("Stap 1 van 4")
    page.get_by_role("button", name="Annuleren").click()
    expect(page.locator("article.detail p.meta")).to_contain_text("Op locatie")
    expect(page.locator("#sync-state")).to_have_text("Alles is verzonden", timeout=20000)
    with api(live_server, "anna.agent") as desk:
        assert desk.get(f"/api/v1/dossiers/{number}").json()["phase"] == "in_uitvoering"


def test_onderweg_sends_where_the_phone_is_and_shows_the_arrival_given(
    browser: object, live_server: str
) -> None:
    number = job_at(live_server, MONDAY_14)
    context = browser.new_context(  # type: ignore[attr-defined]
        base_url=live_server,
        locale="nl-NL",
        permissions=["geolocation"],
        geolocation={"latitude": 52.0905, "longitude": 5.1305, "accuracy": 20},
    )
    try:
        page = context.new_page()
        log_in(page)
        open_job(page, number)
        page.get_by_role("button", name="Onderweg").click()
        given = page.locator("section.status p", has_text="Verwachte aankomst")
        expect(given).to_contain_text(
            "U bent onderweg. Verwachte aankomst, aan de huurder doorgegeven: ", timeout=20000
        )
        with api(live_server, "anna.agent") as desk:
            events = desk.get(f"/api/v1/dossiers/{number}").json()["events"]
        (onderweg,) = [e["data"] for e in events if e["kind"] == "monteur_onderweg"]
        assert onderweg["basis"] == "geschat vanaf de positie van zijn telefoon"
        eta = datetime.fromisoformat(onderweg["eta"]).astimezone(AMS)
        expect(given).to_contain_text(f"{eta:%H:%M}.")
    finally:
        context.close()


def test_urgency_badges_and_what_a_job_is_about(
    app_context: BrowserContext, live_server: str, live_dir: Path
) -> None:
    numbers = {
        urgency: job_at(
            live_server, MONDAY_14, category="overig", description=f"Deurbel {urgency}. Snel."
        )
        for urgency in ("acuut", "urgent", "niet_urgent")
    }
    with sqlite3.connect(live_dir / "live.sqlite3") as db:
        for urgency, number in numbers.items():
            db.execute(
                "UPDATE dossier SET urgency = ?, trade = 'OVE' WHERE order_number = ?",
                (urgency, number),
            )
    page = app_context.new_page()
    log_in(page)

    colours = {}
    for urgency, number in numbers.items():
        job = page.locator(".job", has=page.locator(f"a[href='#/opdracht/{number}']"))
        badge = job.locator(".badge")
        expect(job.locator(".what")).to_contain_text(f"Deurbel {urgency}")
        colours[badge.inner_text()] = badge.evaluate("(b) => getComputedStyle(b).color")
        assert "Overig" not in job.inner_text()
    assert colours == {
        "Acuut": "rgb(179, 38, 30)",  # red
        "Urgent": "rgb(138, 90, 0)",  # amber
        "Niet urgent": "rgb(60, 64, 67)",  # neutral
    }
    open_job(page, numbers["urgent"])
    melding = page.locator("section", has=page.get_by_role("heading", name="Melding"))
    expect(melding).to_contain_text("Deurbel urgent. Snel.")
    assert "Overig" not in melding.inner_text()
    assert melding.inner_text().count("Deurbel urgent") == 1


def test_the_state_line_says_nothing_was_sent_before_logging_in(
    browser: object, live_server: str
) -> None:
    context = browser.new_context(base_url=live_server, locale="nl-NL")  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto("/monteur/")
        expect(page.locator("form.login")).to_be_visible()
        expect(page.locator("#sync-state")).to_have_text("Niet ingelogd")
        assert httpx.get(f"{live_server}/healthz").status_code == 200
    finally:
        context.close()
