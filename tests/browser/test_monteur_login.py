"""Logging in once: a technician who logs in on the website lands in the app with his jobs,
which takes over that session instead of asking again; the rules of the app's own login hold
(no login over another technician's waiting work, Afmelden leaves nothing to take over)."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.screens import Watch
from tests.browser.test_monteur import app_context, job_for_piet, offline
from tests.browser.test_monteur_device import COUNTS, ENQUEUE, META, chat_texts, open_job
from tests.support.world import PASSWORD

__all__ = ["app_context"]

# Records whether the app's login form was ever on screen, from the first paint on.
WATCH_LOGIN_FORM = """
new MutationObserver(() => {
  if (document.querySelector('form.login')) window.sawLoginForm = true;
}).observe(document, { childList: true, subtree: true });
"""


def website_login(page: Page, username: str) -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_logging_in_on_the_website_lands_in_the_app_with_his_jobs_and_no_second_form(
    app_context: BrowserContext, live_server: str
) -> None:
    number = job_for_piet(live_server)
    page = app_context.new_page()
    page.add_init_script(WATCH_LOGIN_FORM)
    website_login(page, "piet.monteur")
    page.wait_for_url("**/monteur/")
    expect(page.locator(".job").first).to_be_visible()
    expect(page.locator("#sync-state")).to_have_text("Alles is verzonden")
    open_job(page, number)
    assert page.evaluate("window.sawLoginForm === true") is False
    assert page.evaluate(META, "username") == "piet.monteur"
    # The app's own device session from now on: it starts, and syncs, as the app.
    page.reload()
    expect(page.locator("article.detail")).to_have_attribute("data-job", number)
    assert page.evaluate("window.sawLoginForm === true") is False

    # Afmelden leaves no session behind that the app could take over again.
    page.get_by_role("button", name="Afmelden", exact=True).click()
    expect(page.locator("form.login")).to_be_visible()
    page.reload()
    expect(page.locator("form.login")).to_be_visible()
    assert page.evaluate(COUNTS) == [0, 0, 0, 0]


def test_no_website_login_over_another_technicians_waiting_work(
    app_context: BrowserContext, live_server: str
) -> None:
    number = job_for_piet(live_server)
    page = app_context.new_page()
    website_login(page, "piet.monteur")
    expect(page.locator(".job").first).to_be_visible()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    offline(app_context, True)
    page.evaluate(ENQUEUE, [number, ["Nog te versturen door Piet."]])
    expect(page.locator("#sync-state")).to_contain_text("1 wijziging wacht")
    # His token runs out on the phone (as after a long weekend): the app needs a login again.
    page.evaluate("import('/static/monteur/db.js').then((m) => m.setMeta('token', null))")
    offline(app_context, False)

    # Kees logs in on the website with this phone: his session must not send Piet's work.
    website_login(page, "kees.monteur")
    page.wait_for_url("**/monteur/")
    expect(page.locator("form.login .error")).to_have_text(
        "Op deze telefoon wachten nog wijzigingen van piet.monteur. "
        "Log in als piet.monteur om ze te versturen."
    )
    assert len(page.evaluate(META, "token") or "") == 0
    assert chat_texts(live_server, number) == []
    # Piet, in the app's own form, sends it.
    page.fill("input[name=username]", "piet.monteur")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#sync-state")).to_have_text("Alles is verzonden", timeout=20000)
    assert chat_texts(live_server, number) == ["Nog te versturen door Piet."]


def test_a_fresh_start_and_a_desk_users_visit_log_nothing_in_the_console(
    app_context: BrowserContext,
) -> None:
    """Without a website session to take over the app does not ask for one: no 401 (or 403
    for a desk user's session) in the console at start."""
    page = app_context.new_page()
    watch = Watch(page)
    page.goto("/monteur/")
    expect(page.locator("form.login")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.reload()  # the second start, with the site's CSRF cookie set by the first
    expect(page.locator("form.login")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert watch.take() == []

    website_login(page, "anna.agent")
    page.wait_for_url("**/dossiers")
    page.goto("/monteur/")
    expect(page.locator("form.login")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert watch.take() == []

    # A technician's website login is still taken over, once; the next start asks nothing.
    website_login(page, "piet.monteur")
    page.wait_for_url("**/monteur/")
    expect(page.locator("#sync-state")).to_have_text("Alles is verzonden")
    page.get_by_role("button", name="Afmelden", exact=True).click()
    expect(page.locator("form.login")).to_be_visible()
    page.reload()
    expect(page.locator("form.login")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert watch.take() == []
