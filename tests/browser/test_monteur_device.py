"""The technician app in headless Chromium: logging out, a session that ran out while he was
offline, recovery from lost or reused sequence numbers, and notifications.

Notifications: in a private window (Playwright's default context) Chromium has no push
service, and the app must say clearly that it failed; in a normal profile with a local stand-in
for Chromium's push service (tests/browser/gcm.py) "Meldingen aan" makes a real subscription that
the server stores for him. What the server sends to it is decrypted in
tests/jobs/test_technician_push.py; the service worker's handlers are driven by events
dispatched inside the worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.gcm import push_service
from tests.browser.test_monteur import api, app_context, job_for_piet, log_in, offline
from tests.browser.test_volg import live_rows
from tests.support.world import PASSWORD

__all__ = ["app_context"]

META = "(key) => import('/static/monteur/db.js').then((m) => m.getMeta(key))"
OUTBOX = "() => import('/static/monteur/db.js').then(async (m) => (await m.db).getAll('outbox'))"
COUNTS = """async () => {
  const database = await (await import('/static/monteur/db.js')).db;
  return Promise.all(['jobs', 'outbox', 'blobs', 'meta'].map((s) => database.count(s)));
}"""
# Replace the queue as a phone with lost or restored storage would hold it.
SET_QUEUE = """async ([ops, seq]) => {
  const database = await (await import('/static/monteur/db.js')).db;
  const tx = database.transaction(['outbox', 'meta'], 'readwrite');
  await tx.objectStore('outbox').clear();
  for (const op of ops) await tx.objectStore('outbox').put(op);
  await tx.objectStore('meta').put(seq, 'seq');
  await tx.done;
}"""
ENQUEUE = """async ([job, texts]) => {
  const { enqueue } = await import('/static/monteur/outbox.js');
  for (const text of texts) await enqueue('chat', job, { text });
}"""


def chat_texts(base: str, number: str) -> list[str]:
    with api(base, "anna.agent") as desk:
        return [m["text"] for m in desk.get(f"/api/v1/dossiers/{number}/messages").json()["items"]]


def open_job(page: Page, number: str) -> None:
    page.evaluate(f"location.hash = '#/opdracht/{number}'")
    expect(page.locator("article.detail")).to_be_visible()


def send_chat(page: Page, text: str) -> None:
    page.locator("#chat textarea").fill(text)
    page.get_by_role("button", name="Versturen").click()


def back_online(page: Page, context: BrowserContext) -> None:
    offline(context, False)
    page.evaluate("window.dispatchEvent(new Event('online'))")


def test_logout_warns_of_unsent_work_sends_it_first_and_leaves_nothing_behind(
    app_context: BrowserContext, live_server: str
) -> None:
    number = job_for_piet(live_server)
    page = app_context.new_page()
    log_in(page)
    token = page.evaluate(META, "token")
    offline(app_context, True)
    open_job(page, number)
    send_chat(page, "Kelder is droog, ik meld af.")
    expect(page.locator("#sync-state")).to_contain_text("1 wijziging wacht")

    page.get_by_role("button", name="Afmelden", exact=True).click()
    expect(page.locator(".logout")).to_contain_text(
        "1 wijziging is nog niet verzonden. Als u nu afmeldt, gaan ze verloren."
    )
    page.get_by_role("button", name="Eerst versturen").click()  # still without signal
    expect(page.locator(".logout [role=status]")).to_contain_text("Versturen lukte niet")
    expect(page.locator(".logout [role=status]")).to_contain_text("1 wijziging wacht nog")
    back_online(page, app_context)
    page.get_by_role("button", name="Eerst versturen").click()

    expect(page.locator("form.login")).to_be_visible(timeout=20000)
    assert chat_texts(live_server, number) == ["Kelder is droog, ik meld af."]
    assert page.evaluate(COUNTS) == [0, 0, 0, 0]  # jobs, queue, photos, token and ids: gone
    assert all(n.startswith("mk-monteur-") for n in page.evaluate("caches.keys()"))
    revoked = httpx.get(
        f"{live_server}/api/v1/me/push-subscriptions", headers={"Authorization": f"Bearer {token}"}
    )
    assert revoked.status_code == 401
    page.reload()  # the app shell still starts, at the login form
    expect(page.locator("form.login")).to_be_visible()


def test_a_session_that_ran_out_offline_keeps_the_work_and_sends_it_after_login(
    app_context: BrowserContext, live_server: str
) -> None:
    number = job_for_piet(live_server)
    page = app_context.new_page()
    log_in(page)
    offline(app_context, True)
    open_job(page, number)
    page.get_by_role("button", name="Op locatie").click()
    expect(page.locator("#sync-state")).to_contain_text("1 wijziging wacht")
    send_chat(page, "Meterkast open, bezig.")
    expect(page.locator("#sync-state")).to_contain_text("2 wijzigingen wachten")
    # The device session ends on the server while he is in the cellar.
    token = page.evaluate(META, "token")
    assert (
        httpx.post(
            f"{live_server}/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 204
    )
    back_online(page, app_context)
    expect(page.locator("form.login .error")).to_have_text(
        "Uw sessie is verlopen; log opnieuw in. Uw wijzigingen blijven bewaard."
    )
    expect(page.locator("#sync-state")).to_contain_text(
        "2 wijzigingen wachten; log opnieuw in om te versturen"
    )
    assert len(page.evaluate(OUTBOX)) == 2
    # His work never goes out under someone else's login.
    page.fill("input[name=username]", "kees.monteur")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("form.login .error")).to_have_text(
        "Op deze telefoon wachten nog wijzigingen van piet.monteur. "
        "Log in als piet.monteur om ze te versturen."
    )
    page.fill("input[name=username]", "piet.monteur")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#sync-state")).to_have_text("Alles is verzonden", timeout=20000)
    assert chat_texts(live_server, number) == ["Meterkast open, bezig."]
    with api(live_server, "anna.agent") as desk:
        assert desk.get(f"/api/v1/dossiers/{number}").json()["phase"] == "in_uitvoering"


def test_lost_and_reused_numbers_recover_without_losing_or_doubling(
    app_context: BrowserContext, live_server: str
) -> None:
    number = job_for_piet(live_server)
    page = app_context.new_page()
    log_in(page)
    offline(app_context, True)
    page.evaluate(ENQUEUE, [number, ["een", "twee", "drie"]])
    queued: list[dict[str, Any]] = page.evaluate(OUTBOX)
    # Numbers 1..5 are lost on the phone: its queue starts at 6 (the server expects 1).
    page.evaluate(SET_QUEUE, [[{**op, "seq": op["seq"] + 5} for op in queued], 8])
    back_online(page, app_context)
    expect(page.locator("#sync-state")).to_have_text("Alles is verzonden", timeout=20000)
    assert chat_texts(live_server, number) == ["een", "twee", "drie"]

    # The phone is restored from a backup: "drie" is queued again under an older number, and a
    # new message made since takes number 3, which the server gave to "drie".
    offline(app_context, True)
    page.evaluate(SET_QUEUE, [[], 2])
    page.evaluate(ENQUEUE, [number, ["vier"]])
    (vier,) = page.evaluate(OUTBOX)
    assert vier["seq"] == 3
    page.evaluate(SET_QUEUE, [[{**queued[2], "seq": 2}, vier], 3])
    back_online(page, app_context)
    expect(page.locator("#sync-state")).to_have_text("Alles is verzonden", timeout=20000)
    assert chat_texts(live_server, number) == ["een", "twee", "drie", "vier"]
    assert page.evaluate(META, "seq") == 4  # new work goes on after the server's number
    expect(page.locator("#notices")).not_to_contain_text("Volgnummer")


def test_notifications_toggle_and_the_service_workers_push_handlers(
    app_context: BrowserContext, live_server: str
) -> None:
    number = job_for_piet(live_server)
    app_context.grant_permissions(["notifications"])
    page = app_context.new_page()
    log_in(page)
    toggle = page.locator("#push-toggle")
    expect(toggle).to_have_text("Meldingen aan")
    toggle.click()
    # Headless Chromium cannot reach a push service: the app must say so, register nothing.
    expect(page.locator("#notices")).to_contain_text("Meldingen aanzetten lukte niet")
    expect(toggle).to_have_text("Meldingen aan")
    with api(live_server, "piet.monteur") as piet:
        assert piet.get("/api/v1/me/push-subscriptions").json()["items"] == []

    # What a push from the server shows, and where a tap on it leads.
    (worker,) = app_context.service_workers
    shown = worker.evaluate(
        """async (number) => {
          self.dispatchEvent(new PushEvent('push', { data: JSON.stringify({
            title: `Nieuwe opdracht ${number} — Biltstraat 10, Utrecht`,
            body: 'Acuut · Lekkage aan woning',
            url: `/monteur/#/opdracht/${number}`, tag: number }) }));
          for (let i = 0; i < 50; i += 1) {
            const found = await self.registration.getNotifications({ tag: number });
            if (found.length) return found.map((n) => [n.title, n.body, n.tag, n.data.url]);
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          return [];
        }""",
        number,
    )
    assert shown == [
        [
            f"Nieuwe opdracht {number} — Biltstraat 10, Utrecht",
            "Acuut · Lekkage aan woning",
            number,
            f"/monteur/#/opdracht/{number}",
        ]
    ]
    worker.evaluate(
        """async (number) => {
          const [notification] = await self.registration.getNotifications({ tag: number });
          self.dispatchEvent(new NotificationEvent('notificationclick', { notification }));
        }""",
        number,
    )
    expect(page.locator("article.detail")).to_have_attribute("data-job", number)


def test_notifications_on_makes_a_real_subscription_stored_for_him(
    profile: Any, live_server: str, live_dir: Path
) -> None:
    job_for_piet(live_server)  # his list is not empty, as log_in expects
    with push_service() as service:
        context = profile(service)
        context.grant_permissions(["notifications"], origin=live_server)
        page = context.new_page()
        log_in(page)
        toggle = page.locator("#push-toggle")
        expect(toggle).to_have_text("Meldingen aan")
        toggle.click()
        expect(toggle).to_have_text("Meldingen uit", timeout=20000)
        made = page.evaluate(
            """async () => {
              const registration = await navigator.serviceWorker.getRegistration("/monteur/");
              return (await registration.pushManager.getSubscription()).toJSON();
            }"""
        )
        with api(live_server, "piet.monteur") as piet:
            listing = piet.get("/api/v1/me/push-subscriptions").json()
        # Chromium subscribed for our VAPID key, and the server keeps exactly that, as Piet's.
        gcm = [r["sender"] for r in service.registrations if r.get("scope") == "GCM"]
        assert gcm == [listing["public_key"]]
        assert [s["endpoint"] for s in listing["items"]] == [made["endpoint"]]
        stored = live_rows(
            live_dir,
            'SELECT p.p256dh, p.auth, u.username FROM push_subscription p JOIN "user" u '
            "ON u.id = p.user_id WHERE p.endpoint = ?",
            made["endpoint"],
        )
        assert stored == [(made["keys"]["p256dh"], made["keys"]["auth"], "piet.monteur")]

        # Off again: gone on the server and in the browser.
        toggle.click()
        expect(toggle).to_have_text("Meldingen aan")
        with api(live_server, "piet.monteur") as piet:
            assert piet.get("/api/v1/me/push-subscriptions").json()["items"] == []
        assert (
            page.evaluate(
                """async () => {
              const registration = await navigator.serviceWorker.getRegistration("/monteur/");
              return await registration.pushManager.getSubscription();
            }"""
            )
            is None
        )
