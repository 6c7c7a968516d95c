"""Bad input to the API (and the pages' query strings) is a 4xx naming the field, never a 500.

Each case here answered 500 before: a value longer than its column (also after upper-casing,
'ß' -> 'SS'), an integer beyond the database's range, a Unicode digit that int() or
str.isdigit() accepts, or a repeat report on a listed page.
"""

from __future__ import annotations

import httpx
import pytest

from tests.support import world
from tests.support.pages import login
from tests.support.world import dossier_body, token_for

HUGE = 2**70
SUPERSCRIPT_TWO = "\u00b2"  # '²': str.isdigit() says yes, int() says no
ARABIC_THREE = "\u0663"  # '٣': int() reads it as 3


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _order_number(http: httpx.AsyncClient, headers: dict[str, str]) -> str:
    created = await http.post("/api/v1/dossiers", json=dossier_body(), headers=headers)
    assert created.status_code == 201, created.text
    return str(created.json()["order_number"])


def _refused(response: httpx.Response, status: int, field: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"]["field"] == field, response.text


async def test_dossier_list_shows_the_original_of_a_repeat_report(
    http: httpx.AsyncClient, w: world.World
) -> None:
    agent = await token_for(http, "anna.agent")
    original = await _order_number(http, agent)
    repeat = await http.post("/api/v1/dossiers", json=dossier_body(parent=original), headers=agent)
    assert repeat.status_code == 201, repeat.text
    for username in ("anna.agent", "wim.woonstad"):
        listing = await http.get("/api/v1/dossiers", headers=await token_for(http, username))
        assert listing.status_code == 200, listing.text
        parents = {i["order_number"]: i["parent"] for i in listing.json()["items"]}
        assert parents == {repeat.json()["order_number"]: original, original: None}


@pytest.mark.parametrize("number", ["MK-2026-0000000000000001", "\u00df" * 15])
async def test_an_order_number_too_long_for_the_column_is_not_found(
    http: httpx.AsyncClient, w: world.World, number: str
) -> None:
    agent = await token_for(http, "anna.agent")
    _refused(await http.get(f"/api/v1/dossiers/{number}", headers=agent), 404, "order_number")
    as_parent = await http.post("/api/v1/dossiers", json=dossier_body(parent=number), headers=agent)
    assert as_parent.status_code in (404, 422), as_parent.text
    assert as_parent.json()["error"]["field"] == "parent"


@pytest.mark.parametrize("code", ["C" * 21, "\u00df" * 15])
async def test_a_client_code_too_long_is_refused_naming_client(
    http: httpx.AsyncClient, w: world.World, code: str
) -> None:
    agent = await token_for(http, "anna.agent")
    created = await http.post("/api/v1/dossiers", json=dossier_body(client=code), headers=agent)
    assert created.status_code in (404, 422), created.text
    assert created.json()["error"]["field"] == "client"
    evaluated = await http.post(
        "/api/v1/triage/evaluate", json={"client": code, "subject": "lekkage"}, headers=agent
    )
    assert evaluated.status_code in (404, 422), evaluated.text
    assert evaluated.json()["error"]["field"] == "client"
    listed = await http.get("/api/v1/dossiers", params={"client": code}, headers=agent)
    assert listed.status_code in (400, 422), listed.text
    assert listed.json()["error"]["field"] == "client"


async def test_board_filters_longer_than_their_codes_are_refused(
    http: httpx.AsyncClient, w: world.World
) -> None:
    agent = await token_for(http, "anna.agent")
    _refused(await http.get("/api/v1/board?trade=abcd", headers=agent), 400, "trade")
    _refused(await http.get("/api/v1/board?trade=\u00df\u00df", headers=agent), 422, "trade")
    _refused(await http.get(f"/api/v1/board?client={'C' * 21}", headers=agent), 400, "client")
    assert (await http.get("/api/v1/board?trade=cvi", headers=agent)).status_code == 200


async def test_integers_beyond_the_database_range_in_bodies_are_refused(
    http: httpx.AsyncClient, w: world.World
) -> None:
    agent = await token_for(http, "anna.agent")
    number = await _order_number(http, agent)
    assign = await http.post(
        f"/api/v1/dossiers/{number}/assign", json={"technician_id": HUGE}, headers=agent
    )
    _refused(assign, 422, "technician_id")
    appointment = await http.post(
        f"/api/v1/dossiers/{number}/appointment",
        json={
            "technician_id": HUGE,
            "start": "2026-03-02T10:00:00+01:00",
            "end": "2026-03-02T11:00:00+01:00",
        },
        headers=agent,
    )
    _refused(appointment, 422, "technician_id")
    address = await http.post(
        "/api/v1/dossiers", json=dossier_body(address={"id": HUGE}), headers=agent
    )
    _refused(address, 422, "address.id")
    house = await http.post(
        "/api/v1/dossiers",
        json=dossier_body(address={"postcode": "3572AB", "house_number": HUGE}),
        headers=agent,
    )
    _refused(house, 422, "address.house_number")
    evaluated = await http.post(
        "/api/v1/triage/evaluate",
        json={"client": "WST", "subject": "lekkage", "address": HUGE},
        headers=agent,
    )
    _refused(evaluated, 422, "address")
    transition = await http.post(
        f"/api/v1/dossiers/{number}/transitions",
        json={"to": "analyseren", "technician_id": HUGE},
        headers=agent,
    )
    _refused(transition, 422, "technician_id")
    edited = await http.patch(f"/api/v1/dossiers/{number}", json={"version": HUGE}, headers=agent)
    _refused(edited, 422, "version")


@pytest.mark.parametrize("raw", [str(HUGE), str(2**31), SUPERSCRIPT_TWO, ARABIC_THREE, "0"])
async def test_ids_in_paths_that_cannot_exist_are_not_found(
    http: httpx.AsyncClient, w: world.World, raw: str
) -> None:
    supervisor = await token_for(http, "sanne.supervisie")
    duty = await http.put(f"/api/v1/technicians/{raw}/duty", json={}, headers=supervisor)
    _refused(duty, 404, "technician_id")
    away = {"kind": "ziek", "starts_on": "2026-03-02", "ends_on": "2026-03-03"}
    absence = await http.post(f"/api/v1/technicians/{raw}/absences", json=away, headers=supervisor)
    _refused(absence, 404, "technician_id")
    removed = await http.delete(f"/api/v1/absences/{raw}", headers=supervisor)
    _refused(removed, 404, "absence_id")
    version = await http.get(f"/api/v1/protocols/WST/versions/{raw}", headers=supervisor)
    _refused(version, 404, "version")
    technician = await token_for(http, "piet.monteur")
    unsubscribed = await http.delete(f"/api/v1/me/push-subscriptions/{raw}", headers=technician)
    _refused(unsubscribed, 404, "subscription_id")
    agent = await token_for(http, "anna.agent")
    contact = await http.get(f"/api/v1/contacts/{raw}", headers=agent)
    _refused(contact, 404, "contact")
    transfer = await http.post(f"/api/v1/contacts/{raw}/transfer", json={}, headers=agent)
    _refused(transfer, 404, "contact")
    reply = await http.post(f"/api/v1/contacts/{raw}/reply", json={"text": "x"}, headers=agent)
    _refused(reply, 404, "contact")
    materials = await http.get(f"/api/v1/contractors/{raw}/materials", headers=supervisor)
    assert materials.status_code == 404, materials.text


@pytest.mark.parametrize("raw", ["9" * 25, SUPERSCRIPT_TWO, ARABIC_THREE, "1_0", "-1"])
async def test_query_numbers_must_be_plain_digits_in_range(
    http: httpx.AsyncClient, w: world.World, raw: str
) -> None:
    agent = await token_for(http, "anna.agent")
    listed = await http.get("/api/v1/dossiers", params={"limit": raw}, headers=agent)
    _refused(listed, 400, "limit")
    exported = await http.get(
        "/api/v1/protocols/WST/export", params={"version": raw}, headers=agent
    )
    _refused(exported, 400, "version")
    absences = await http.get("/api/v1/absences", params={"technician": raw}, headers=agent)
    _refused(absences, 400, "technician")


@pytest.mark.parametrize("raw", ["9" * 25, SUPERSCRIPT_TWO, ARABIC_THREE])
async def test_page_numbers_on_pages_are_refused_naming_pagina(
    http: httpx.AsyncClient, w: world.World, raw: str
) -> None:
    await login(http, "anna.agent")
    for path in ("/dossiers", "/archief", "/contacten"):
        page = await http.get(path, params={"pagina": raw})
        assert page.status_code == 400, (path, page.status_code)
        assert "pagina" in page.text
    assert (await http.get("/dossiers", params={"pagina": "2"})).status_code == 200
    archive = await http.get("/archief", params={"monteur": raw})
    assert archive.status_code in (200, 422), archive.status_code
    assert "geen geldige keuze voor monteur" in archive.text
    for path in (f"/protocollen/WST/versies/{raw}",):
        assert (await http.get(path)).status_code == 404


async def test_a_control_character_in_a_protocol_text_is_a_problem_not_a_crash(
    http: httpx.AsyncClient, w: world.World
) -> None:
    supervisor = await token_for(http, "sanne.supervisie")
    text = "client: WST\nsubjects:\n  lek\u0081: {}\n"
    checked = await http.post(
        "/api/v1/protocols/WST/check", json={"text": text}, headers=supervisor
    )
    assert checked.status_code == 200, checked.text
    assert [p["line"] for p in checked.json()["problems"]] == [3]
    assert "ongeldig teken U+0081" in checked.json()["problems"][0]["message"]
    published = await http.post(
        "/api/v1/protocols/WST", json={"text": text, "reason": "test"}, headers=supervisor
    )
    assert published.status_code == 422, published.text


async def test_a_suffix_that_upper_casing_makes_too_long_is_refused_or_matches_nothing(
    http: httpx.AsyncClient, w: world.World
) -> None:
    agent = await token_for(http, "anna.agent")
    suffix = "\u00df" * 6  # six characters, twelve once upper-cased
    body = dossier_body(address={"postcode": "3572AB", "house_number": 10, "suffix": suffix})
    _refused(await http.post("/api/v1/dossiers", json=body, headers=agent), 422, "address.suffix")
    found = await http.get(
        "/api/v1/addresses",
        params={"client": "WST", "postcode": "3572AB", "house_number": "10", "suffix": suffix},
        headers=agent,
    )
    assert found.status_code == 200, found.text
    assert found.json() == {"items": []}


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        (f"client={'C' * 21}&from=2026-11-01&to=2026-11-30", 404, "client"),
        ("client=\u00df\u00df&from=2026-11-01&to=2026-11-30", 404, "client"),
        (f"client=WST&from={'9' * 101}&to=2026-11-30", 400, "from"),
        (f"client=WST&from=2026-11-0{ARABIC_THREE}&to=2026-11-30", 422, "from"),
        (f"client=WST&from=2026-11-01&to=2026-11-3{SUPERSCRIPT_TWO}", 422, "to"),
        ("client=WST&from=2026-11-01&to=9999-12-31", 422, "to"),
        ("client=WST&from=0001-01-01&to=0001-01-02", 422, "from"),
        ("client=WST&from=9999-12-30&to=9999-12-31", 422, "from"),
        ("client=WST&from=2026-11-01&to=2026-11-30", 200, ""),
        ("client=WST&from=2026-11-01&to=2026-11-30&per=%00", 422, "per"),
    ],
)
async def test_telephony_figures_refuse_bad_periods(
    http: httpx.AsyncClient, w: world.World, query: str, status: int, field: str
) -> None:
    agent = await token_for(http, "anna.agent")
    answer = await http.get(f"/api/v1/figures/telephony?{query}", headers=agent)
    if status == 200:
        assert answer.status_code == 200, answer.text
        return
    _refused(answer, status, field)
