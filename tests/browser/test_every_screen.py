"""Every page of every role, at 360 px (a phone) and 1280 px (a desk screen): no sideways
scrolling, no text running out of its box, no text in the colour of its background, nothing in
the console (404s of resources included), and no axe-core violation (tests/browser/screens.py).

One logged-in browser context per role and width. The live server's world gets what makes the
pages full: a triaged dossier waiting for a technician, one with an appointment, an absence, a
tracking and a survey link, a client's telephone line with a registered call, a materials list,
an order sent to a contractor (its portal).
The technician app is checked screen by screen from its first start through closing a job
(question, result, werkbon, signature, confirmation); the closed job's werkbon on the dossier
page and in the archive after. Screenshots of every page go to $SCREENSHOTS, else a folder in
the temporary directory (printed when a check fails); they are not kept in the repository.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from server import settings
from server.communication import links
from tests.browser import test_melden as melden
from tests.browser.conftest import LIVE_SECRET
from tests.browser.screens import Watch, check
from tests.browser.test_board import bearer, leak_with_piet_on_duty
from tests.browser.test_contacts import call_event, woonstad_line
from tests.browser.test_contractor_portal import order_for_contractor
from tests.browser.test_dossier_live import _booked_dossier
from tests.browser.test_monteur import api, job_for_piet
from tests.browser.test_monteur_closing import draw, job_at
from tests.browser.test_monteur_device import open_job
from tests.browser.test_volg import live_rows
from tests.support.world import PASSWORD, dossier_body

WIDTHS = (360, 1280)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SHOTS = Path(os.environ.get("SCREENSHOTS") or Path(tempfile.gettempdir()) / "meldkamer-screens")


@pytest.fixture(scope="module")
def filled(live_server: str, live_dir: Path) -> dict[str, str]:
    """Order numbers and tenant links of the dossiers the pages show."""
    waiting = leak_with_piet_on_duty(live_server)
    booked = job_for_piet(live_server, street_number=10)
    monday = date.today() + timedelta(days=7 - date.today().weekday())
    with api(live_server, "sanne.supervisie") as planner:
        absence = planner.post(
            "/api/v1/technicians/2/absences",
            json={
                "starts_on": str(monday),
                "ends_on": str(monday + timedelta(days=2)),
                "kind": "verlof",
                "note": "Wintersport",
            },
        )
        assert absence.status_code == 201, absence.text
        materials = planner.put(
            "/api/v1/clients/WST/materials",
            json={"materials": ["Sifon 32 mm", "Sanitairkit", "Kraanleertje"]},
        )
        assert materials.status_code == 200, materials.text
        # The chain's integrations page (docs/chain.md): one switched off, pointing nowhere.
        integration = planner.post(
            "/api/v1/integrations",
            json={
                "name": "Woonstad ERP",
                "owner": "client:WST",
                "endpoint_url": "http://127.0.0.1:9/vera/v4",
                "secret": "geheim",
                "messages": ["onderhoudsverzoek"],
            },
        )
        assert integration.status_code == 201, integration.text
        integration_id = integration.json()["integration"]["id"]
    contact = _registered_call(live_server)
    movable = _booked_dossier(live_server)  # the day after tomorrow: movable online
    escalated = httpx.post(
        f"{live_server}/api/v1/dossiers",
        json=dossier_body(
            category="",
            description="De leverancier doet niets met mijn klacht.",
            triage={
                "subject": "monitoring",
                "answers": {"bewoonbaarheid": "nee", "soort": "afhandeling"},
            },
        ),
        headers=bearer(live_server, "anna.agent"),
    )
    assert escalated.status_code == 201, escalated.text
    [(case,)] = live_rows(live_dir, "SELECT id FROM escalation_case")
    [(dossier_id,)] = live_rows(live_dir, "SELECT id FROM dossier WHERE order_number = ?", booked)
    [(movable_id,)] = live_rows(live_dir, "SELECT id FROM dossier WHERE order_number = ?", movable)
    signed = {}
    previous = settings.SECRET_KEY
    settings.SECRET_KEY = LIVE_SECRET  # type: ignore[assignment]
    try:
        signed = {
            "volg": f"/volg/{links.token(dossier_id, links.TRACKING)}",
            "enquete": f"/enquete/{links.token(dossier_id, links.SURVEY)}",
            "volg_verzetten": f"/volg/{links.token(movable_id, links.TRACKING)}",
            "enquete_gesprek": f"/enquete-gesprek/{links.token(contact, links.CALL_SURVEY)}",
        }
    finally:
        settings.SECRET_KEY = previous
    return {
        "waiting": waiting,
        "booked": booked,
        "contact": str(contact),
        "case": str(case),
        "live_server": live_server,
        "integration": str(integration_id),
        **signed,
    }


def _registered_call(base: str) -> int:
    """Woonstad's line and transfer number, and a call on it taken and registered."""
    woonstad_line(base)
    contact = call_event(base, "screens-1", "offered")
    call_event(base, "screens-1", "answered", 5)
    call_event(base, "screens-1", "ended", 80)
    registered = httpx.patch(
        f"{base}/api/v1/contacts/{contact}",
        json={"subject": "Vraag over de afspraak", "result_code": "algemene_vraag"},
        headers=bearer(base, "anna.agent"),
    )
    assert registered.status_code == 200, registered.text
    return contact


def _login(page: Page, username: str) -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    # Logging in hashes the password (slow on purpose): wait for the page it leads to, or a
    # visit made next interrupts the login's navigation.
    page.wait_for_url(lambda url: "/login" not in url)
    page.wait_for_load_state("networkidle")


@dataclass
class Screen:
    page: Page
    watch: Watch


Screens = Callable[[str | None, int], Screen]


@pytest.fixture(scope="module")
def screens(browser: Browser, live_server: str) -> Iterator[Screens]:
    """A logged-in page per (user, width), made once; third-party requests are refused."""
    made: dict[tuple[str | None, int], tuple[Any, Screen]] = {}
    external: list[str] = []

    def open_as(username: str | None, width: int) -> Screen:
        if (username, width) not in made:
            context = browser.new_context(
                base_url=live_server, locale="nl-NL", viewport={"width": width, "height": 900}
            )
            context.on(
                "request",
                lambda r: (
                    None
                    if r.url.startswith((live_server, "blob:", "data:"))
                    else external.append(r.url)
                ),
            )
            page = context.new_page()
            screen = Screen(page, Watch(page))
            if username:
                _login(page, username)
                screen.watch.take()
            made[username, width] = (context, screen)
        return made[username, width][1]

    yield open_as
    for context, _ in made.values():
        context.close()
    assert external == [], f"requests to third parties: {external}"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def _visit(
    screen: Screen,
    who: str,
    path: str,
    width: int,
    act: Callable[[Page], None] | None = None,
) -> list[str]:
    page = screen.page
    page.goto(path)
    if act is not None:
        page.wait_for_load_state("networkidle")
        act(page)
    problems = check(page, screen.watch)
    # A tenant's link is named by what it is, not by its token.
    shown = re.sub(r"^/(volg|enquete|enquete-gesprek)/[^?]*", r"/\1", path)
    name = re.sub(r"[^A-Za-z0-9]+", "_", shown).strip("_")[:60] or "start"
    _shot(page, f"{who}-{width}-{name}{'-na' if act else ''}")
    return [f"{path} @{width}px: {p}" for p in problems]


def _run(
    screens: Screens,
    username: str | None,
    visits: list[Any],
    widths: tuple[int, ...] = WIDTHS,
) -> None:
    problems: list[str] = []
    for width in widths:
        screen = screens(username, width)
        for visit in visits:
            path, act = visit if isinstance(visit, tuple) else (visit, None)
            problems += _visit(screen, username or "huurder", path, width, act)
    assert not problems, f"screenshots in {SHOTS}\n" + "\n".join(problems)


# --- what a user does on a page before it is checked again ------------------------------------


def _open_moving(page: Page) -> None:
    """The tenant opens "verzetten of annuleren": the free slots and the cancel form."""
    page.locator("details.change summary").click()
    page.locator("details.change[open] fieldset").wait_for()


def _intake_with_subject(page: Page) -> None:
    page.select_option("select[name=client]", "WST")
    page.locator(".triage-subjects button").first.wait_for()
    page.locator(".triage-subjects button").first.click()
    page.locator(".triage-stage .choice").first.wait_for()


def _board_choosing(page: Page) -> None:
    """A dossier chosen, its suggestions shown, one picked: the confirm with "Terug" shows."""
    page.locator("[data-dossiers] li").first.wait_for()
    page.locator("[data-dossiers]").focus()
    page.keyboard.press("Enter")
    first = page.locator("[data-suggestions] button").first
    first.wait_for()
    first.click()
    expect(page.locator("[data-confirm-cancel]")).to_be_visible()


def test_desk_screens(screens: Screens, filled: dict[str, str]) -> None:
    waiting, booked = filled["waiting"], filled["booked"]
    _run(
        screens,
        "anna.agent",
        [
            "/dossiers",
            "/dossiers?mijn=1",
            "/dossiers?fase=&volgorde=nieuw",
            "/dossiers/nieuw",
            ("/dossiers/nieuw", _intake_with_subject),
            f"/dossiers/{waiting}",
            f"/dossiers/{booked}",
            f"/dossiers/{waiting}/triage",
            "/meldkamer",
            ("/meldkamer", _board_choosing),
            "/archief",
            "/dashboard",
            "/protocollen",
            "/protocollen/WST",
            "/contacten",
            "/contacten/registreren",
            f"/contacten/{filled['contact']}",
        ],
    )


def _call_offered(page: Page) -> None:
    page.locator("[data-screen-pop] [data-pop]").wait_for()


def test_the_screen_pop_on_desk_pages(
    screens: Screens, filled: dict[str, str], live_server: str
) -> None:
    """A call offered to Anna pops up above the page she is on (every desk tab), and the intake
    opened in it says so."""
    for width in WIDTHS:
        screens("anna.agent", width).page.goto("/dossiers")
    contact = call_event(live_server, "screens-2", "offered")
    try:
        _run(
            screens,
            "anna.agent",
            [
                ("/dossiers", _call_offered),
                ("/meldkamer", _call_offered),
                (f"/dossiers/nieuw?contact={contact}", _call_offered),
            ],
        )
    finally:
        call_event(live_server, "screens-2", "ended", 60)
        httpx.patch(
            f"{live_server}/api/v1/contacts/{contact}",
            json={"subject": "Verkeerd verbonden", "result_code": "geen_actie"},
            headers=bearer(live_server, "anna.agent"),
        )


def test_supervisor_screens(screens: Screens, filled: dict[str, str]) -> None:
    _run(
        screens,
        "sanne.supervisie",
        [
            "/dossiers",
            "/planning",
            "/sjablonen",
            "/sjablonen/WST",
            "/sjablonen/WST/melding_ontvangen/sms.txt",
            "/sjablonen/WST/afspraak_ingepland/email.html",
            "/protocollen/WST/bewerken",
            "/protocollen/WST/versies/1",
            "/contacten",
            "/contactinstellingen",
            "/contactinstellingen/WST",
            "/escalaties",
            f"/escalaties/{filled['case']}",
            "/koppelingen",
            "/koppelingen/nieuw",
            f"/koppelingen/{filled['integration']}",
        ],
    )


def _stock_dry_run(page: Page) -> None:
    """A dry run of a file with bad rows: the result page lists every row's problem."""
    fixtures = Path(__file__).parent.parent / "fixtures"
    page.set_input_files("input[name=file]", fixtures / "adressen_fouten.csv")
    page.get_by_role("button", name="Proefimport").click()
    page.locator(".import-errors li").first.wait_for()


def test_admin_screens(screens: Screens, filled: dict[str, str]) -> None:
    _run(
        screens,
        "admin",
        [
            "/beheer",
            "/beheer/gebruikers",
            "/beheer/gebruikers/nieuw",
            "/beheer/gebruikers/3",
            "/beheer/instellingen",
            "/beheer/opdrachtgevers",
            "/beheer/opdrachtgevers/nieuw",
            "/beheer/opdrachtgevers/WST",
            "/beheer/monteurs",
            "/beheer/monteurs/1",
            "/beheer/monteurs/nieuw",
            "/account/tweestaps",
            f"/dossiers/{filled['booked']}",  # with who opened it
            "/privacy",
            "/privacy/inzagelog?gebruiker=admin",
        ],
    )
    _run(
        screens,
        "sanne.supervisie",
        ["/beheer", ("/beheer/opdrachtgevers/WST", _stock_dry_run)],
    )


def test_client_screens(screens: Screens, filled: dict[str, str]) -> None:
    _run(
        screens,
        "wim.woonstad",
        [
            "/portaal",
            "/portaal/rapportages",
            "/dossiers",
            f"/dossiers/{filled['booked']}",
            "/dossiers/nieuw",
            "/archief",
            "/dashboard",
            "/protocollen/WST",
            "/sjablonen",
            "/sjablonen/WST/afspraak_gewijzigd/sms.txt",
            "/contacten",
            f"/contacten/{filled['contact']}",
            "/escalaties?gesloten=1",
            f"/escalaties/{filled['case']}",
        ],
    )


def _accepted(page: Page) -> None:
    """The order accepted: the forms to plan, send a technician and report done show."""
    accept = page.get_by_role("button", name="Opdracht accepteren")
    if accept.count():
        accept.click()
    page.locator("#gereed").wait_for()


def test_contractor_screens(screens: Screens, live_server: str) -> None:
    number = order_for_contractor(live_server)
    _run(
        screens,
        "bas.aannemer",
        [
            "/aannemer",
            f"/aannemer/opdrachten/{number}",
            (f"/aannemer/opdrachten/{number}", _accepted),
        ],
    )
    # The desk's page of an order with a contractor.
    _run(screens, "anna.agent", [f"/dossiers/{number}"])


def test_tenant_and_login_screens(screens: Screens, filled: dict[str, str]) -> None:
    _run(screens, None, ["/login"])
    tenant = [
        filled["volg"],
        f"{filled['volg']}?taal=en",
        (filled["volg_verzetten"], _open_moving),
        (f"{filled['volg_verzetten']}?taal=en", _open_moving),
        filled["enquete"],
        f"{filled['enquete']}?taal=en",
        filled["enquete_gesprek"],
        f"{filled['enquete_gesprek']}?taal=en",
    ]
    # A tenant's pages on the narrowest phone too (WCAG 2.1 reflow: 320 px).
    _run(screens, None, tenant, (320, *WIDTHS))
    broken: list[str] = []
    for width in (320, *WIDTHS):
        for path in ("/volg/nep", "/volg/nep?taal=en"):
            found = _visit(screens(None, width), "huurder", path, width)
            # The broken link's page answers 404 on purpose: only its other problems count.
            broken += [p for p in found if "404" not in p]
    assert not broken, f"screenshots in {SHOTS}\n" + "\n".join(broken)
    _run(
        screens,
        None,
        [
            "/login",
            filled["volg"],
            filled["enquete"],
            "/wachtwoord-vergeten",
        ],
    )


def test_the_technician_apps_first_start(screens: Screens) -> None:
    """Opened on its own, without a session: the login form, and no 401 in the console."""
    problems: list[str] = []
    for width in WIDTHS:
        page = screens(None, width).page
        page.goto("/monteur/")
        page.locator("form.login").wait_for()
        problems += [f"/monteur/ @{width}px: {p}" for p in check(page, screens(None, width).watch)]
        _shot(page, f"huurder-{width}-monteur-start")
    assert not problems, f"screenshots in {SHOTS}\n" + "\n".join(problems)


def _tomorrow_at_eight() -> datetime:
    """An appointment on the next day, so "Afsluiten" asks first."""
    now = datetime.now(AMSTERDAM)
    return (now + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)


def _app_tour(screen: Screen, width: int, number: str) -> list[str]:
    """The app's screens for one job, from the list to the job closed, each checked."""
    page, problems = screen.page, []

    def look(name: str) -> None:
        problems.extend(f"monteur {name} @{width}px: {p}" for p in check(page, screen.watch))
        _shot(page, f"piet.monteur-{width}-monteur-{name}")

    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 52.0905, "longitude": 5.1305, "accuracy": 20})
    page.goto("/monteur/")
    page.locator(".job").first.wait_for()
    look("opdrachten")
    open_job(page, number)
    look("opdracht")
    page.get_by_role("button", name="Onderweg").click()
    expect(page.locator("section.status p", has_text="Verwachte aankomst")).to_be_visible(
        timeout=20000
    )
    look("onderweg")
    page.get_by_role("button", name="Op locatie").click()
    page.get_by_role("button", name="Afsluiten").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("toch afsluiten?")
    look("afsluiten-vraag")
    page.get_by_role("button", name="Toch afsluiten").click()
    closing = page.locator("section.closing")
    expect(closing).to_contain_text("Stap 1 van 4")
    look("afsluiten-1-resultaat")
    page.get_by_label("Storing verholpen").check()
    page.get_by_role("button", name="Volgende").click()
    expect(closing).to_contain_text("Stap 2 van 4")
    closing.locator("textarea[name=cause]").fill("Sifon lekt bij de moer")
    closing.locator("textarea[name=work_done]").fill("Sifon vervangen en afgekit")
    closing.locator("input[name=material_name]").fill("Sifon 32 mm")
    closing.get_by_role("button", name="Materiaal toevoegen").click()
    closing.locator("input[name=material_name]").nth(1).fill("Sanitairkit")
    look("afsluiten-2-werkbon")
    page.get_by_role("button", name="Volgende").click()
    expect(closing).to_contain_text("Stap 3 van 4")
    look("afsluiten-3-handtekening")
    draw(page)
    closing.locator("input[name=signed_by]").fill("F. el Amrani")
    page.get_by_role("button", name="Volgende").click()
    expect(closing).to_contain_text("Stap 4 van 4")
    look("afsluiten-4-bevestigen")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.locator("article.detail p.meta")).to_contain_text("Afgerond")
    expect(page.locator("#sync-state")).to_have_text("Alles is verzonden", timeout=20000)
    look("afgesloten")
    return problems


def test_technician_app_screens_through_closing_a_job(
    screens: Screens, filled: dict[str, str], live_server: str
) -> None:
    """Every screen of the app at both widths, closing with werkbon, materials from the
    client's list and the tenant's signature; then that werkbon where the desk and the client
    read it (the dossier page, the archive)."""
    problems: list[str] = []
    closed = []
    for width in WIDTHS:
        number = job_at(live_server, _tomorrow_at_eight())
        problems += _app_tour(screens("piet.monteur", width), width, number)
        closed.append(number)
    assert not problems, f"screenshots in {SHOTS}\n" + "\n".join(problems)
    with api(live_server, "anna.agent") as desk:
        events = desk.get(f"/api/v1/dossiers/{closed[0]}").json()["events"]
    assert [e["data"]["signed"] for e in events if e["kind"] == "werkbon"] == [True]
    _run(screens, "anna.agent", [f"/dossiers/{closed[0]}", "/archief"])
    _run(screens, "wim.woonstad", [f"/dossiers/{closed[0]}", "/archief"])


def test_the_search_box_keeps_room_beside_the_longest_menu(screens: Screens) -> None:
    """Supervision has the most menu items; the search box once shrank to "Orde"."""
    for width, least in ((1280, 300), (360, 120)):
        page = screens("sanne.supervisie", width).page
        page.goto("/planning")
        box = page.locator("#zoek").bounding_box()
        assert box is not None and box["width"] >= least, (width, box)
        # Every menu item can be reached: the menu scrolls in its own strip on a phone.
        last = page.locator("nav[aria-label=Hoofdmenu] a").last
        last.scroll_into_view_if_needed()
        expect(last).to_be_in_viewport()


def test_the_checks_see_what_a_user_would(screens: Screens) -> None:
    """The checks themselves: a page made wrong on purpose is caught on every count."""
    screen = screens("anna.agent", 1280)
    page = screen.page
    page.goto("/dossiers")
    page.wait_for_load_state("networkidle")
    screen.watch.take()
    # Styled through the DOM: the page's CSP refuses style attributes in markup.
    page.evaluate(
        """() => {
          const add = (tag, text, style) => {
            const el = Object.assign(document.createElement(tag), { textContent: text });
            Object.assign(el.style, style);
            document.querySelector("main").append(el);
            return el;
          };
          add("button", "Weg", { background: "#fff", color: "#fff" }).className = "x";
          add("p", "Een heel lange regel tekst", { width: "40px", whiteSpace: "nowrap" });
          add("div", "breed", { width: "3000px" });
          add("img", "", {}).src = "/static/bestaat-niet.png";
          const bare = document.createElement("table");
          bare.className = "kaal";
          bare.insertRow().insertCell().textContent = "Piet";
          document.querySelector("main").append(bare);
        }"""
    )
    page.wait_for_timeout(300)
    problems = "\n".join(check(page, screen.watch))
    assert "de pagina schuift opzij" in problems
    assert 'tekst in de kleur van de achtergrond: <button.x> "Weg"' in problems
    assert 'tekst loopt uit zijn vak: <p> "Een heel lange regel tekst"' in problems
    assert "404 op " in problems and "bestaat-niet.png" in problems
    assert "axe image-alt" in problems
    assert 'tabel zonder opmaak: <table.kaal> "Piet"' in problems


def test_online_reporting_screens(screens: Screens, filled: dict[str, str], live_dir: Path) -> None:
    """Every step of /melden (tests/browser/test_melden.py walks them): the home and number,
    the code, an unknown home, name and subject, a question, description and photos, the times,
    the confirmation, and acuut's "Bel nu"."""
    melden.open_online(filled["live_server"], live_dir)
    problems: list[str] = []
    for width in WIDTHS:
        problems += _walk_online_report(screens(None, width), width, live_dir)
    assert not problems, f"screenshots in {SHOTS}\n" + "\n".join(problems)


def _walk_online_report(screen: Screen, width: int, live_dir: Path) -> list[str]:
    page = screen.page
    problems: list[str] = []

    def shot(name: str) -> None:
        problems.extend(f"/melden {name} @{width}px: {p}" for p in check(page, screen.watch))
        _shot(page, f"huurder-{width}-melden-{name}")

    to = f"+3162000{width:04d}"
    # The tenant's context visited the tracking pages in English before: start afresh in Dutch.
    page.context.clear_cookies()
    page.goto(melden.PAGE)
    shot("adres")
    melden.start(page, "12", contact=to)
    shot("code")
    melden.confirm(page, live_dir, to)
    shot("woning")
    page.get_by_label("Huisnummer").fill("10")
    page.get_by_role("button", name="Verder").click()
    shot("onderwerp")
    melden.choose(page, "Lekkage aanvoerleiding water")
    shot("vraag")
    for label in ("Nee", "Gesprongen of spuitende leiding"):
        melden.answer(page, label)
    melden.answer(page, "Ja, de leiding is afgesloten of af te sluiten")
    shot("details")
    page.get_by_role("button", name="Verder").click()
    shot("afspraak")
    page.locator("input[name=tijd]").first.check()
    page.get_by_role("button", name="Deze tijd kiezen en melding versturen").click()
    shot("klaar")
    page.get_by_role("button", name="Opnieuw beginnen").click()
    again = f"+3162100{width:04d}"
    melden.start(page, "10", contact=again)
    melden.confirm(page, live_dir, again)
    melden.choose(page, "Lekkage aanvoerleiding water")
    for label in ("Nee", "Gesprongen of spuitende leiding", "Nee, niet af te sluiten"):
        melden.answer(page, label)
    shot("bel-nu")
    page.get_by_role("button", name="Opnieuw beginnen").click()
    return problems
