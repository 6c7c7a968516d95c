"""What the technician reads in the app: a refused status change told once, dates that carry
their year when it is not this year, the time a chat message was written, and a header that
fits a 360 px phone with "Opnieuw proberen" only when there is something to retry."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.test_monteur import api, app_context, job_for_piet, log_in, offline
from tests.browser.test_monteur_device import ENQUEUE, back_online, open_job

__all__ = ["app_context"]

PULL = re.compile(r".*/api/v1/sync/pull\?.*")
# Put a job into the phone's store as a pull would (the app renders it from there offline).
STORE_JOB = """async (job) => {
  const database = await (await import('/static/monteur/db.js')).db;
  await database.put('jobs', job);
}"""
JOB = """async (number) => {
  const database = await (await import('/static/monteur/db.js')).db;
  return database.get('jobs', number);
}"""
# The queue as it stands after the operations were made at `at` (offline, a while ago).
WRITTEN_AT = """async (at) => {
  const database = await (await import('/static/monteur/db.js')).db;
  const tx = database.transaction('outbox', 'readwrite');
  for (const op of await tx.store.getAll()) await tx.store.put({ ...op, device_time: at });
  await tx.done;
}"""


def notices(page: Page) -> list[str]:
    return [t.removesuffix(" Gelezen") for t in page.locator("#notices .notice").all_inner_texts()]


def test_a_refused_status_change_is_told_once(
    app_context: BrowserContext, live_server: str
) -> None:
    first, second = job_for_piet(live_server), job_for_piet(live_server)
    page = app_context.new_page()
    log_in(page)
    offline(app_context, True)
    for number in (first, second):
        open_job(page, number)
        page.get_by_role("button", name="Op locatie").click()
    expect(page.locator("#sync-state")).to_contain_text("2 wijzigingen wachten")
    with api(live_server, "anna.agent") as desk:  # meanwhile both go to Kees
        for number in (first, second):
            r = desk.post(f"/api/v1/dossiers/{number}/assign", json={"technician_id": 2})
            assert r.status_code == 200, r.text

    # The push is answered, the pull that follows fails: the answer alone tells him.
    page.route(PULL, lambda route: route.abort("connectionreset"))
    back_online(page, app_context)
    refused = [
        f"Op locatie niet verwerkt: Opdracht {n} is intussen aan een andere monteur gegeven."
        for n in (first, second)
    ]
    expect(page.locator("#notices .notice")).to_have_count(2, timeout=20000)
    assert notices(page) == refused
    expect(page.locator("#sync-state")).to_have_text("Alles is verzonden (Geen verbinding)")
    # He reads the first; the next pull brings both refusals again, as notices: none comes back.
    page.locator("#notices .notice", has_text=first).get_by_role("button").click()
    page.unroute(PULL)
    # He taps "Opnieuw proberen". On a busy machine the app's 30-second timer may have pulled
    # first and hidden the button: the tap then pulls once more, which must change nothing.
    page.evaluate("document.getElementById('sync-retry').click()")
    expect(page.locator("#sync-state")).to_have_text("Alles is verzonden", timeout=20000)
    expect(page.locator("#notices .notice")).to_have_count(3)
    assert notices(page) == [
        refused[1],
        f"Opdracht {first} is aan een andere monteur gegeven.",
        f"Opdracht {second} is aan een andere monteur gegeven.",
    ]
    page.get_by_role("button", name="Opnieuw proberen").wait_for(state="hidden")
    page.reload()
    expect(page.locator("#sync-state")).to_have_text("Alles is verzonden", timeout=20000)
    assert len(notices(page)) == 3


def test_dates_outside_this_year_carry_the_year(
    app_context: BrowserContext, live_server: str
) -> None:
    number = job_for_piet(live_server)
    page = app_context.new_page()
    log_in(page)
    offline(app_context, True)
    # The phone's clock: 2 March 2026.
    page.clock.set_fixed_time(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    page.reload()
    job = page.evaluate(JOB, number)
    visit = {**job["history"][0]} if job["history"] else None
    earlier = {
        "order_number": "MK-2025-000007",
        "category": "Lekkage aan woning",
        "description": "",
        "result": "Verholpen",
        "repair_logs": [],
        "photos": [],
    }
    job["history"] = [
        {**earlier, "at": "2026-01-09T13:30:00+00:00"},
        {**(visit or earlier), "at": "2025-12-16T10:05:00+00:00"},
    ]
    job["appointment_start"] = "2026-03-04T09:00:00+00:00"
    job["deadline_at"] = "2027-01-05T16:00:00+00:00"
    page.evaluate(STORE_JOB, job)
    open_job(page, number)
    visits = page.locator("section", has_text="Eerdere bezoeken op dit adres").locator("li")
    expect(visits.nth(0)).to_contain_text("vr 9 jan, 14:30")
    expect(visits.nth(1)).to_contain_text("di 16 dec 2025, 11:05")
    meta = page.locator("article.detail p.meta")
    expect(meta).to_contain_text("Afspraak wo 4 mrt, 10:00")
    expect(meta).to_contain_text("Uiterlijk di 5 jan 2027, 17:00")
    page.evaluate("location.hash = '#/'")
    expect(page.locator(".jobs h2", has_text="woensdag 4 maart")).to_be_visible()
    expect(page.locator(".job .deadline").first).to_be_visible()
    assert "Uiterlijk di 5 jan 2027, 17:00" in page.locator(".jobs").inner_text()
    # A day in another year in the list's headings carries it too.
    job["appointment_start"] = "2027-01-04T09:00:00+00:00"
    page.evaluate(STORE_JOB, job)
    page.evaluate("window.dispatchEvent(new Event('jobs-changed'))")
    expect(page.locator(".jobs h2", has_text="maandag 4 januari 2027")).to_be_visible()


def test_a_chat_message_written_offline_shows_when_it_was_written(
    app_context: BrowserContext, live_server: str, live_dir: Path
) -> None:
    number = job_for_piet(live_server)
    # The job came in hours ago: a message cannot be dated before its dossier.
    with sqlite3.connect(live_dir / "live.sqlite3") as db:
        earlier = datetime.now(UTC) - timedelta(hours=3)
        db.execute(
            "UPDATE dossier SET created_at = ? WHERE order_number = ?", (str(earlier), number)
        )
    page = app_context.new_page()
    log_in(page)
    offline(app_context, True)
    page.evaluate(ENQUEUE, [number, ["Lekkage zit achter de kitrand."]])
    written = datetime.now(UTC) - timedelta(minutes=50)  # in the cellar, fifty minutes ago
    page.evaluate(WRITTEN_AT, written.isoformat())
    back_online(page, app_context)
    expect(page.locator("#sync-state")).to_have_text("Alles is verzonden", timeout=20000)
    open_job(page, number)
    message = page.locator("ol.chat li", has_text="Lekkage zit achter de kitrand.")
    expect(message.locator(".received")).to_contain_text("(ontvangen ")
    with api(live_server, "anna.agent") as desk:
        (item,) = desk.get(f"/api/v1/dossiers/{number}/messages").json()["items"]
    assert abs(datetime.fromisoformat(item["at"]) - written) < timedelta(seconds=30)
    assert datetime.fromisoformat(item["received_at"]) - written > timedelta(minutes=49)


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [...document.querySelectorAll('header *, nav.device *')]
    .filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > width + 0.5)
    .map((el) => el.id || el.tagName);
  return { width, scroll: document.documentElement.scrollWidth, out };
}"""


# The bar's height, and whether what is scrolled into view lands below it (not under it).
BAR = """() => {
  const bar = document.querySelector('header.bar').getBoundingClientRect();
  const heading = document.querySelector('#chat h2');
  heading.scrollIntoView();
  const top = heading.getBoundingClientRect().top;
  window.scrollTo(0, 0);
  return { height: bar.height, bottom: bar.bottom, heading: top };
}"""


def test_the_header_fits_a_360px_phone_and_offers_a_retry_only_when_needed(
    browser: object, live_server: str
) -> None:
    number = job_for_piet(live_server)
    context = browser.new_context(  # type: ignore[attr-defined]
        base_url=live_server, locale="nl-NL", viewport={"width": 360, "height": 740}
    )
    try:
        page = context.new_page()
        log_in(page)
        retry = page.get_by_role("button", name="Opnieuw proberen")
        expect(page.get_by_role("button", name="Afmelden", exact=True)).to_be_visible()
        expect(page.locator("#push-toggle")).to_have_text("Meldingen aan")
        expect(page.locator("#push-toggle")).to_be_visible()
        expect(retry).to_be_hidden()  # everything is sent: nothing to retry
        fit = page.evaluate(OVERFLOW)
        assert fit["scroll"] <= fit["width"] == 360 and fit["out"] == [], fit
        open_job(page, number)
        online_bar = page.evaluate(BAR)

        offline(context, True)
        page.evaluate(ENQUEUE, [number, ["Bericht zonder verbinding."]])
        expect(page.locator("#sync-state")).to_have_text("1 wijziging wacht op verbinding")
        expect(retry).to_be_visible()  # the sync failed, and there is work waiting
        fit = page.evaluate(OVERFLOW)
        assert fit["scroll"] <= 360 and fit["out"] == [], fit
        # One row, online and offline: the bar does not grow over what he reads.
        offline_bar = page.evaluate(BAR)
        assert online_bar["height"] == offline_bar["height"] <= 56, (online_bar, offline_bar)
        assert offline_bar["heading"] >= offline_bar["bottom"], offline_bar
        state = page.locator("#sync-state").bounding_box()
        button = retry.bounding_box()
        assert state and button and state["x"] + state["width"] <= button["x"]
        back_online(page, context)
        expect(page.locator("#sync-state")).to_have_text("Alles is verzonden", timeout=20000)
        expect(retry).to_be_hidden()
    finally:
        context.close()
