"""Protocol pages and the triage pages, as the desk and a client use them (without JavaScript)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from urllib.parse import urlencode

import httpx
import pytest

from server.models import ClientNotification, Dossier, ProtocolVersion
from server.triage import default_protocol_text
from server.web.static import static_url
from tests.support import world
from tests.support.pages import csrf, login

GAS_MINUTES = (
    "labour_minutes: 60\n        inform_client: true\n        notices:\n          - Geen vuur"
)
MY_ROUTES = [
    ("GET", "/protocollen"),
    ("GET", "/protocollen/WST"),
    ("GET", "/protocollen/WST/bewerken"),
    ("POST", "/protocollen/WST/bewerken"),
    ("GET", "/protocollen/WST/versies/1"),
    ("GET", "/dossiers/MK-2026-000001/triage"),
    ("POST", "/dossiers/MK-2026-000001/triage"),
    ("POST", "/api/v1/triage/evaluate"),
    ("POST", "/api/v1/dossiers/MK-2026-000001/triage"),
    ("GET", "/api/v1/protocols/WST"),
    ("POST", "/api/v1/protocols/WST"),
    ("POST", "/api/v1/protocols/WST/check"),
    ("GET", "/api/v1/protocols/WST/export"),
    ("GET", "/api/v1/protocols/WST/versions"),
    ("GET", "/api/v1/protocols/WST/versions/1"),
]


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _intake(http: httpx.AsyncClient, **extra: str) -> httpx.Response:
    form = await http.get("/dossiers/nieuw")
    data = {
        "csrf_token": csrf(form.text),
        "client": "WST",
        "postcode": "3572AB",
        "house_number": "10",
        "contact_name": "Jan de Vries",
        "contact_phone": "0612345678",
        "channel": "telefoon",
        "category": "overig",
        **extra,
    }
    return await http.post("/dossiers/nieuw", data=data)


@pytest.mark.parametrize(("method", "path"), MY_ROUTES)
async def test_anonymous_callers_are_refused(
    http: httpx.AsyncClient, w: world.World, method: str, path: str
) -> None:
    response = await http.request(method, path)
    if path.startswith("/api/"):
        assert response.status_code == 401
    elif method == "GET":
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next={path}"
    else:
        assert response.status_code in (303, 403)


async def test_page_posts_without_csrf_token_are_refused(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "sanne.supervisie")
    text = default_protocol_text().replace(GAS_MINUTES, GAS_MINUTES.replace("60", "75"))
    response = await http.post(
        "/protocollen/WST/bewerken", data={"text": text, "reason": "x", "action": "publiceren"}
    )
    assert response.status_code == 403
    assert "CSRF" in response.text
    response = await http.post("/dossiers/MK-2026-000001/triage", data={"triage_subject": "x"})
    assert response.status_code == 403
    # fetch() from a page must send the cookie's token as a header, like the intake screen does.
    evaluate = {"client": "WST", "subject": "gaslek"}
    assert (await http.post("/api/v1/triage/evaluate", json=evaluate)).status_code == 403
    token = http.cookies["meldkamer_csrf"]
    response = await http.post(
        "/api/v1/triage/evaluate", json=evaluate, headers={"x-csrf-token": token}
    )
    assert response.status_code == 200
    assert await ProtocolVersion.filter(version=2).count() == 0


async def test_supervisor_checks_sees_the_change_and_publishes(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "sanne.supervisie")
    editor = await http.get("/protocollen/WST/bewerken")
    assert editor.status_code == 200
    assert "publiceren maakt versie 2" in editor.text
    assert 'value="publiceren"' in editor.text  # the button is there, hidden until checked
    text = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", editor.text, re.S)[1])  # type: ignore[index]
    assert text.startswith("# Default triage protocol")
    changed = text.replace(GAS_MINUTES, GAS_MINUTES.replace("60", "75"))
    token = csrf(editor.text)
    form = {"csrf_token": token, "text": changed, "based_on": "1", "reason": ""}
    preview = await http.post("/protocollen/WST/bewerken", data={**form, "action": "controleren"})
    assert preview.status_code == 200
    assert "Geen problemen gevonden." in preview.text
    assert '<span class="del">-        labour_minutes: 60</span>' in preview.text
    assert '<span class="add">+        labour_minutes: 75</span>' in preview.text
    no_reason = await http.post("/protocollen/WST/bewerken", data={**form, "action": "publiceren"})
    assert no_reason.status_code == 422
    assert "Geef een reden voor de wijziging" in no_reason.text
    form["reason"] = "Gaslek duurt langer"
    published = await http.post("/protocollen/WST/bewerken", data={**form, "action": "publiceren"})
    assert published.status_code == 303
    assert published.headers["location"] == "/protocollen/WST?gepubliceerd=2"
    page = await http.get(published.headers["location"])
    assert "Versie 2 is gepubliceerd" in page.text
    assert "Gaslek duurt langer" in page.text
    assert "Sanne Supervisie" in page.text
    assert await ClientNotification.filter(kind="protocol_bevestiging").count() == 1
    version = await http.get("/protocollen/WST/versies/2")
    assert "Wijzigingen ten opzichte van versie 1" in version.text
    assert '<span class="add">+        labour_minutes: 75</span>' in version.text
    old = await http.get("/protocollen/WST/versies/1")
    assert "Niet de huidige versie" in old.text


async def test_a_protocol_with_problems_is_not_published_and_shows_lines(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "sanne.supervisie")
    editor = await http.get("/protocollen/WST/bewerken")
    dead_end = default_protocol_text().replace(
        "            next: gaslek\n", "            next: nergens\n", 1
    )
    line = dead_end.splitlines().index("            next: nergens") + 1
    response = await http.post(
        "/protocollen/WST/bewerken",
        data={
            "csrf_token": csrf(editor.text),
            "text": dead_end,
            "based_on": "1",
            "reason": "fout",
            "action": "publiceren",
        },
    )
    assert response.status_code == 422
    assert f"regel {line}, subjects.gaslek.questions.waar.options[0].next" in response.text
    assert "1 probleem; zo kan het niet gepubliceerd worden." in response.text
    assert await ProtocolVersion.filter(client_id=w.woonstad.id, version__gt=1).count() == 0


async def test_agent_reads_but_may_not_edit(http: httpx.AsyncClient, w: world.World) -> None:
    await login(http, "anna.agent")
    listing = await http.get("/protocollen")
    assert "Woonstad Utrecht (WST)" in listing.text and "Lichtveld Wonen (LVD)" in listing.text
    page = await http.get("/protocollen/WST")
    assert page.status_code == 200
    assert "/protocollen/WST/bewerken" not in page.text
    editor = await http.get("/protocollen/WST/bewerken")
    assert editor.status_code == 403
    assert "Alleen supervisie en beheerders mogen protocollen wijzigen." in editor.text
    response = await http.post(
        "/protocollen/WST/bewerken",
        data={"csrf_token": csrf(page.text), "text": "x", "reason": "x", "action": "publiceren"},
    )
    assert response.status_code == 403


async def test_client_user_sees_own_protocol_read_only_and_404_on_another(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "wim.woonstad")
    listing = await http.get("/protocollen")
    assert "Woonstad Utrecht (WST)" in listing.text
    assert "Lichtveld" not in listing.text
    own = await http.get("/protocollen/WST")
    assert own.status_code == 200
    assert "Geschiedenis" in own.text and "Standaardprotocol" in own.text
    assert "Bewerken" not in own.text
    for path in ("/protocollen/LVD", "/protocollen/LVD/versies/1", "/protocollen/LVD/bewerken"):
        response = await http.get(path)
        assert response.status_code in (403, 404), path
        assert "LVD" not in response.text or "niet gevonden" in response.text
    assert (await http.get("/protocollen/LVD")).status_code == 404
    assert (await http.get("/protocollen/WST/versies/9")).status_code == 404


async def test_intake_form_with_triage_stores_it_in_one_go(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "anna.agent")
    form = await http.get("/dossiers/nieuw")
    assert "data-triage" in form.text and static_url("js/triage.js") in form.text
    response = await _intake(
        http,
        triage_subject="gaslek",
        triage_answers=json.dumps({"waar": "meterkast"}),
        triage_at="2026-07-04T14:00:00+02:00",
    )
    assert response.status_code == 303
    number = response.headers["location"].split("/")[2].split("?")[0]
    d = await Dossier.get(order_number=number)
    assert (d.category, d.urgency, d.triage["evaluated_at"]) == (
        "gaslek",
        "acuut",
        "2026-07-04T14:00:00+02:00",
    )
    page = await http.get(f"/dossiers/{number}")
    assert "Gaslek (of vermoeden)" in page.text
    assert "Waar ruikt de huurder gas?" in page.text
    assert 'href="/protocollen/WST/versies/1"' in page.text
    assert "legde de triage vast" in page.text
    assert "Triage wijzigen" in page.text
    bad = await _intake(http, triage_subject="gaslek", triage_answers='{"waar": "zolder"}')
    assert bad.status_code == 422
    assert "past niet bij vraag" in bad.text
    assert await Dossier.all().count() == 1


async def test_triage_step_page_works_one_question_per_page(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "anna.agent")
    created = await _intake(http, category="lekkage_woning")
    number = created.headers["location"].split("/")[2].split("?")[0]
    detail = await http.get(f"/dossiers/{number}")
    assert "Nog geen triage vastgelegd." in detail.text
    assert f'href="/dossiers/{number}/triage"' in detail.text
    # The category chosen at intake is the subject to start with.
    first = await http.get(f"/dossiers/{number}/triage")
    assert "Is de bewoonbaarheid van de woning in gevaar" in first.text
    subjects = await http.get(f"/dossiers/{number}/triage?onderwerp=")
    assert "Kies het onderwerp" in subjects.text
    assert "onderwerp=gaslek" in subjects.text
    steps = [("bewoonbaarheid", "nee"), ("gevolgschade", "beperkt"), ("afdekken", "nee")]
    for i, (question, value) in enumerate(steps):
        query = [("onderwerp", "lekkage_woning")] + [("antwoord", f"{q}:{v}") for q, v in steps[:i]]
        page = await http.get(f"/dossiers/{number}/triage?{urlencode(query)}")
        option = html.escape(urlencode([("antwoord", f"{question}:{value}")]))
        assert option in page.text, (question, page.text)
    query = [("onderwerp", "lekkage_woning")] + [("antwoord", f"{q}:{v}") for q, v in steps]
    outcome = await http.get(f"/dossiers/{number}/triage?{urlencode(query)}")
    assert "Voorlezen aan de melder" in outcome.text
    assert 'name="triage_answers"' in outcome.text
    answers = re.search(r"name=\"triage_answers\" value='([^']*)'", outcome.text)[1]  # type: ignore[index]
    at = re.search(r'name="triage_at" value="([^"]+)"', outcome.text)[1]  # type: ignore[index]
    assert json.loads(html.unescape(answers)) == dict(steps)
    saved = await http.post(
        f"/dossiers/{number}/triage",
        data={
            "csrf_token": csrf(outcome.text),
            "triage_subject": "lekkage_woning",
            "triage_answers": html.unescape(answers),
            "triage_at": at,
        },
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/dossiers/{number}#triage"
    d = await Dossier.get(order_number=number)
    assert d.triage["answers"] == dict(steps)
    # Opening the page again starts from the stored triage, to change an answer.
    again = await http.get(f"/dossiers/{number}/triage")
    assert "Voorlezen aan de melder" in again.text


async def test_triage_step_is_for_the_desk_only(
    http: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient], w: world.World
) -> None:
    await login(http, "anna.agent")
    created = await _intake(http)
    number = created.headers["location"].split("/")[2].split("?")[0]
    async with client_factory() as portal:
        await login(portal, "wim.woonstad")
        assert (await portal.get(f"/dossiers/{number}")).status_code == 200
        response = await portal.get(f"/dossiers/{number}/triage")
        assert response.status_code == 403
        assert "Alleen de meldkamer legt de triage van een dossier vast." in response.text
        assert "Triage uitvoeren" not in (await portal.get(f"/dossiers/{number}")).text
