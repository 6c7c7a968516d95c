"""The tenant's tracking page in headless Chromium: status, appointment, the technician's first
name and arrival time, "ik ben dan niet thuis", the push opt-in, and moving the appointment and
adding a photo while the desk watches.

Push: a private window (Playwright's default context) has no push service, and a normal profile
offline never hears back from Google's; the page must say so in Dutch. With a local stand-in for
that push service (tests/browser/gcm.py) Chromium makes a real subscription, with its own keys,
and the page hands it to the server, which stores it.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from server import settings
from server.communication import links
from server.triage import dutch
from tests.browser.conftest import LIVE_SECRET
from tests.browser.gcm import push_service
from tests.browser.test_board import browser_login
from tests.browser.test_dossier_live import _booked_dossier
from tests.browser.test_monteur import api, job_for_piet, photo

AMS = ZoneInfo("Europe/Amsterdam")
FAILED = "Aanmelden voor meldingen lukte niet in deze browser."
ON = "Aan: u krijgt een melding op dit toestel als er iets verandert."


def live_rows(live_dir: Path, sql: str, *args: object) -> list[tuple[Any, ...]]:
    """Read what the live server stored (its own SQLite file, opened read-only)."""
    with sqlite3.connect(f"file:{live_dir / 'live.sqlite3'}?mode=ro", uri=True) as db:
        return list(db.execute(sql, args))


def subscriptions(live_dir: Path, number: str) -> int:
    [(count,)] = live_rows(
        live_dir,
        "SELECT count(*) FROM push_follow f JOIN dossier d ON d.id = f.dossier_id "
        "WHERE d.order_number = ?",
        number,
    )
    return int(count)


def followed(live_dir: Path) -> list[tuple[Any, ...]]:
    """(endpoint, p256dh, auth, order number) of every browser following a dossier."""
    return live_rows(
        live_dir,
        "SELECT p.endpoint, p.p256dh, p.auth, d.order_number FROM push_follow f "
        "JOIN push_subscription p ON p.id = f.subscription_id "
        "JOIN dossier d ON d.id = f.dossier_id ORDER BY d.order_number",
    )


def browser_endpoint(page: Page) -> str | None:
    """The endpoint of the browser's own subscription for the tracking pages, if it has one."""
    endpoint: str | None = page.evaluate(
        """async () => {
          const registration = await navigator.serviceWorker.getRegistration("/static/js/");
          const subscription = await registration?.pushManager.getSubscription();
          return subscription ? subscription.endpoint : null;
        }"""
    )
    return endpoint


def tracking_path(live_dir: Path, number: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The link the tenant got in his SMS, signed as the live server signs it."""
    [(dossier_id,)] = live_rows(live_dir, "SELECT id FROM dossier WHERE order_number = ?", number)
    monkeypatch.setattr(settings, "SECRET_KEY", LIVE_SECRET)
    return f"/volg/{links.token(dossier_id, links.TRACKING)}"


@pytest.fixture
def planned(live_server: str, live_dir: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """A dossier with an appointment with Piet Monteur in an hour, and its tracking link."""
    number = job_for_piet(live_server)
    return number, tracking_path(live_dir, number, monkeypatch)


def test_tracking_page_status_appointment_on_the_way_and_not_home(
    page: Page, live_server: str, planned: tuple[str, str]
) -> None:
    number, path = planned
    page.goto(path)
    expect(page.locator("h1")).to_have_text(f"Uw melding {number}")
    expect(page.locator(".status")).to_have_text("Er is een afspraak met de monteur.")
    with api(live_server, "anna.agent") as desk:
        start = datetime.fromisoformat(
            desk.get(f"/api/v1/dossiers/{number}").json()["appointment_start"]
        )
    local = start.astimezone(AMS)
    appointment = page.locator("h2:text('Afspraak') + p")
    day = dutch.weekday_date(local.date())
    expect(appointment).to_have_text(f"{day} om {local:%H:%M}, met monteur Piet.")
    # Nothing personal beyond that: no surname, address, phone or the tenant's name.
    text = page.locator("main").inner_text()
    for private in ("Piet Monteur", "Biltstraat", "3572", "06 12345678", "612345678", "Fatima"):
        assert private not in text

    # He sets off in his app: the page shows when he will be there.
    with api(live_server, "piet.monteur") as piet:
        pushed = piet.post(
            "/api/v1/sync/push",
            json={
                "device_id": "volg-test-device",
                "ops": [
                    {
                        "seq": 1,
                        "op_id": "volg-test-1",
                        "kind": "start_travel",
                        "job": number,
                        "payload": {"eta_minutes": 25},
                        "device_time": datetime.now(UTC).isoformat(),
                    }
                ],
            },
        )
        assert pushed.status_code == 200, pushed.text
        eta = datetime.fromisoformat(pushed.json()["outcomes"][0]["result"]["eta"])
    page.reload()
    expect(page.locator(".notice")).to_have_text(
        f"Piet is onderweg en is er naar verwachting om {eta.astimezone(AMS):%H:%M}."
    )

    # "Ik ben dan niet thuis": said once, seen by the desk.
    page.fill("#remark", "Vanaf 15 uur ben ik er wel")
    page.get_by_role("button", name="Ik ben dan niet thuis").click()
    expect(page).to_have_url(re.compile(r"doorgegeven=1"))
    expect(page.get_by_role("status").first).to_contain_text("Doorgegeven: u bent dan niet thuis.")
    expect(page.get_by_text("U hebt doorgegeven dat u dan niet thuis bent.")).to_be_visible()
    expect(page.get_by_role("button", name="Ik ben dan niet thuis")).to_have_count(0)
    with api(live_server, "anna.agent") as desk:
        events = desk.get(f"/api/v1/dossiers/{number}").json()["events"]
    [said] = [e for e in events if e["kind"] == "niet_thuis"]
    assert said["data"]["remark"] == "Vanaf 15 uur ben ik er wel"


def test_push_refused_by_the_tenant(page: Page, planned: tuple[str, str]) -> None:
    page.goto(planned[1])
    page.get_by_role("button", name="Stuur mij een melding op dit toestel").click()
    expect(page.locator("#push-status")).to_have_text(
        "U hebt meldingen niet toegestaan; u krijgt ze dan niet op dit toestel."
    )


def test_push_in_a_private_window_fails_in_dutch(
    page: Page, live_dir: Path, planned: tuple[str, str]
) -> None:
    """Playwright's contexts are private windows: Chromium has no push service there."""
    page.context.grant_permissions(["notifications"])
    page.goto(planned[1])
    button = page.get_by_role("button", name="Stuur mij een melding op dit toestel")
    button.click()
    expect(page.locator("#push-status")).to_contain_text(FAILED)
    expect(button).to_be_enabled()  # he may try again
    assert subscriptions(live_dir, planned[0]) == 0


def test_push_subscription_made_by_chromium_reaches_the_server(
    profile: Any, live_server: str, live_dir: Path, planned: tuple[str, str]
) -> None:
    number, path = planned
    with push_service() as service:
        context = profile(service)
        context.grant_permissions(["notifications"], origin=live_server)
        page = context.new_page()
        page.goto(path)
        key = page.locator("#push").get_attribute("data-key")
        page.get_by_role("button", name="Stuur mij een melding op dit toestel").click()
        expect(page.locator("#push-status")).to_have_text(ON, timeout=20000)
        made = page.evaluate(
            """async () => {
              const registration = await navigator.serviceWorker.getRegistration("/static/js/");
              return (await registration.pushManager.getSubscription()).toJSON();
            }"""
        )
        # The browser asked its push service for a subscription for our VAPID key ...
        assert [r["sender"] for r in service.registrations if r.get("scope") == "GCM"] == [key]
        # ... and the server keeps exactly what Chromium made, for this dossier.
        browser = (made["endpoint"], made["keys"]["p256dh"], made["keys"]["auth"])
        assert followed(live_dir) == [(*browser, number)]
        # One of the tokens our stand-in gave out (Chromium may register more than once).
        issued = {f"lokaal-{service.name}-{n}" for n in range(1, len(service.registrations) + 1)}
        assert made["endpoint"].rsplit("/", 1)[1] in issued

        # What a push shows. The test waits for the worker's own showNotification() call to
        # finish before it asks (asking earlier keeps Chromium from showing it at all).
        (worker,) = context.service_workers
        shown = worker.evaluate(
            """async (number) => {
              const registration = self.registration;
              const show = registration.showNotification.bind(registration);
              let showing = null;
              registration.showNotification = (...args) => (showing = show(...args));
              self.dispatchEvent(new PushEvent('push', { data: JSON.stringify({
                title: 'Woonstad Utrecht', body: 'Monteur Piet is onderweg.',
                url: location.origin + '/healthz', tag: number }) }));
              await showing;
              return (await registration.getNotifications({ tag: number }))
                .map((n) => [n.title, n.body, n.data.url]);
            }""",
            number,
        )
        tapped = f"{live_server}/healthz"
        assert shown == [["Woonstad Utrecht", "Monteur Piet is onderweg.", tapped]]


def test_one_browser_follows_two_reports_and_stops_one_at_a_time(
    profile: Any,
    live_server: str,
    live_dir: Path,
    planned: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A tenant with two reports opts in on both tracking pages and hears of both; stopping on
    one page leaves the other."""
    first, first_path = planned
    second = job_for_piet(live_server)
    second_path = tracking_path(live_dir, second, monkeypatch)
    with push_service() as service:
        context = profile(service)
        context.grant_permissions(["notifications"], origin=live_server)
        page = context.new_page()
        on = page.get_by_role("button", name="Stuur mij een melding op dit toestel")
        off = page.get_by_role("button", name="Geen meldingen meer over deze melding")
        for path in (first_path, second_path):
            page.goto(path)
            on.click()
            expect(page.locator("#push-status")).to_have_text(ON, timeout=20000)
            expect(off).to_be_visible()
            expect(on).to_be_hidden()
        endpoint = browser_endpoint(page)

        def following() -> list[str]:
            return [row[3] for row in followed(live_dir) if row[0] == endpoint]

        assert following() == sorted([first, second])
        # One subscription of the browser for both reports.
        assert [r["sender"] for r in service.registrations if r.get("scope") == "GCM"] == [
            page.locator("#push").get_attribute("data-key")
        ]

        # Back on the first page it shows that this browser follows it; stop that one only.
        page.goto(first_path)
        expect(page.locator("#push-status")).to_have_text(ON)
        off.click()
        expect(page.locator("#push-status")).to_have_text(
            "Uit: u krijgt op dit toestel geen meldingen meer over deze melding."
        )
        expect(on).to_be_visible()
        assert following() == [second]
        assert browser_endpoint(page) == endpoint  # still needed for the second report
        page.reload()
        expect(on).to_be_visible()
        expect(page.locator("#push-status")).to_have_text("")

        # The second page still follows; stopping there too ends the browser's subscription.
        page.goto(second_path)
        expect(off).to_be_visible()
        off.click()
        expect(on).to_be_visible()
        assert following() == []
        forgotten = "SELECT count(*) FROM push_subscription WHERE endpoint = ?"
        assert live_rows(live_dir, forgotten, endpoint) == [(0,)]
        assert browser_endpoint(page) is None


def test_push_service_that_never_answers_gives_up_in_dutch(
    profile: Any, live_server: str, live_dir: Path, planned: tuple[str, str]
) -> None:
    """A browser whose push service is out of reach would leave "Bezig…" for ever."""
    with push_service(answer=False) as service:
        context = profile(service)
        context.grant_permissions(["notifications"], origin=live_server)
        page = context.new_page()
        page.clock.install()
        page.goto(planned[1])
        page.get_by_role("button", name="Stuur mij een melding op dit toestel").click()
        expect(page.locator("#push-status")).to_have_text("Bezig…")
        page.wait_for_timeout(500)  # the page is now waiting for the push service
        page.clock.run_for(21000)
        expect(page.locator("#push-status")).to_contain_text(FAILED)
    assert subscriptions(live_dir, planned[0]) == 0


def test_tenant_moves_the_appointment_and_adds_a_photo_and_the_desk_sees_it_live(
    page: Page,
    second: Page,
    live_server: str,
    live_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a phone 320 px wide: a new time from the free slots, then a photo scaled in the
    browser; the agent's dossier page, never reloaded, shows both."""
    number = _booked_dossier(live_server)  # the day after tomorrow: movable online
    path = tracking_path(live_dir, number, monkeypatch)
    browser_login(second, "anna.agent")
    second.goto(f"/dossiers/{number}")
    expect(second.locator("[data-dossier]")).to_have_attribute("data-live", "open")
    timeline = second.locator("[data-region=tijdlijn]")

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(path)
    page.get_by_text("Afspraak verzetten of annuleren").click()
    choice = page.locator("label.choice").first
    new_time = choice.inner_text().strip()
    choice.click()
    page.get_by_role("button", name="Verzetten naar dit tijdstip").click()
    expect(page.locator(".notice[role=status]")).to_contain_text("Uw afspraak is verzet.")
    expect(page.locator("h2:text('Afspraak') + p")).to_contain_text(new_time)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    expect(timeline).to_contain_text("verzette de afspraak")
    expect(timeline).to_contain_text("Reden: Verzet door de huurder via de volgpagina")

    page.set_input_files("#photo", files=[photo((200, 40, 40))])  # 2400 x 1800
    page.fill("#caption", "Lekkage onder het aanrecht")
    page.get_by_role("button", name="Foto toevoegen").click()
    expect(page.locator(".notice[role=status]")).to_contain_text("Uw foto is toegevoegd")
    expect(timeline).to_contain_text("Lekkage onder het aanrecht")
    # Scaled in the browser to 2000 px on its longest side before it was sent.
    sizes = live_rows(live_dir, "SELECT width, height FROM photo WHERE client_id LIKE 'volg-%'")
    assert sizes == [(2000, 1500)]
