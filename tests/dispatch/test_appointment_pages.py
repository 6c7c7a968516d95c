"""The dossier page: moving and cancelling a booked appointment (a reason required for
cancelling, both on the timeline), the GeoNames credit for postcode-level locations, and the
live events that tell an open page to refresh."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from server import live
from server.dispatch import assignments
from server.dossiers import dossiers
from server.models import Dossier
from tests.dispatch.support import ALWAYS, UTRECHT, ZONE, build, set_duty, triaged_dossier
from tests.support import world
from tests.support.pages import csrf, login

START = datetime(2026, 11, 25, 9, 0, tzinfo=ZONE)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await build()


async def _booked(w: world.World) -> Dossier:
    await set_duty(w.technician, ALWAYS, UTRECHT)
    d = await triaged_dossier(w.agent, deadline=None)
    await assignments.book(w.agent, d, w.technician.id, START, START + timedelta(hours=1))
    return d


async def _move(
    http: httpx.AsyncClient, d: Dossier, page: httpx.Response, start: str, end: str, reason: str
) -> httpx.Response:
    """Post the page's own "zelf een tijd kiezen" form (times as a datetime-local field)."""
    return await http.post(
        f"/dossiers/{d.order_number}/afspraak",
        data={
            "csrf_token": csrf(page.text),
            "technician_id": str(d.technician_id),  # type: ignore[attr-defined]
            "appointment_start": start,
            "appointment_end": end,
            "reason": reason,
        },
    )


async def test_move_and_cancel_from_the_dossier_page(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await _booked(w)
    await login(http, "anna.agent")
    page = await http.get(f"/dossiers/{d.order_number}")
    assert 'id="afspraak"' in page.text
    assert "Verzetten naar " in page.text  # his free times are offered
    # The generic "Afspraak vervalt" move without a reason is not offered beside it.
    assert "Afspraak vervalt, opnieuw inplannen" not in page.text
    moved = await _move(
        http, d, page, "2026-11-25T13:00", "2026-11-25T14:30", "Huurder pas na de lunch thuis"
    )
    assert moved.status_code == 303
    d = await Dossier.get(id=d.id)
    assert d.appointment_start == datetime(2026, 11, 25, 13, 0, tzinfo=ZONE)
    assert d.appointment_end == datetime(2026, 11, 25, 14, 30, tzinfo=ZONE)
    page = await http.get(f"/dossiers/{d.order_number}")
    assert "verzette de afspraak (Piet Monteur)" in page.text
    assert "Reden: Huurder pas na de lunch thuis" in page.text

    no_reason = await http.post(
        f"/dossiers/{d.order_number}/afspraak/annuleren",
        data={"csrf_token": csrf(page.text), "reason": "  "},
    )
    assert no_reason.status_code == 422
    assert "Geef een reden voor het annuleren van de afspraak." in no_reason.text
    assert (await Dossier.get(id=d.id)).phase == "afspraak_ingepland"
    cancelled = await http.post(
        f"/dossiers/{d.order_number}/afspraak/annuleren",
        data={"csrf_token": csrf(page.text), "reason": "Lekkage zelf verholpen"},
    )
    assert cancelled.status_code == 303
    d = await Dossier.get(id=d.id)
    assert (d.phase, d.appointment_start) == ("doorgezet_naar_monteur", None)
    page = await http.get(f"/dossiers/{d.order_number}")
    assert "annuleerde de afspraak" in page.text
    assert "Reden: Lekkage zelf verholpen" in page.text
    assert 'id="afspraak"' not in page.text


async def test_bad_move_keeps_the_appointment_and_says_why(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await _booked(w)
    await login(http, "anna.agent")
    page = await http.get(f"/dossiers/{d.order_number}")
    response = await _move(http, d, page, "2026-11-25T13:00", "2026-11-25T12:00", "")
    assert response.status_code == 422
    assert "De eindtijd moet na de begintijd liggen." in response.text
    assert (await Dossier.get(id=d.id)).appointment_start == START


async def test_client_and_technician_cannot_move(http: httpx.AsyncClient, w: world.World) -> None:
    d = await _booked(w)
    for username in ("wim.woonstad", "piet.monteur"):
        async with httpx.AsyncClient(transport=http._transport, base_url="http://testserver") as c:
            await login(c, username)
            page = await c.get(f"/dossiers/{d.order_number}")
            assert 'id="afspraak"' not in page.text
            token = csrf((await c.get("/dossiers")).text)
            for path in ("afspraak", "afspraak/annuleren"):
                response = await c.post(
                    f"/dossiers/{d.order_number}/{path}",
                    data={"csrf_token": token, "reason": "x", "technician_id": "1"},
                )
                assert response.status_code == 403, (username, path)
    kept = await Dossier.get(id=d.id)
    assert (kept.phase, kept.appointment_start, kept.version) == (
        "afspraak_ingepland",
        START,
        d.version,
    )


async def test_postcode_level_location_credits_geonames(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await triaged_dossier(w.agent)
    await login(http, "anna.agent")
    credit = "Postcode-coördinaten: © GeoNames (www.geonames.org), CC BY 4.0"
    assert credit not in (await http.get(f"/dossiers/{d.order_number}")).text  # from stock
    await Dossier.filter(id=d.id).update(geo_precision="postcode4", geo_source="pc4")
    assert credit in (await http.get(f"/dossiers/{d.order_number}")).text
    board = await http.get("/meldkamer")
    assert f'data-pc4-credit="{credit}"' in board.text


async def test_changes_are_announced_on_the_dossier_channel(w: world.World) -> None:
    d = await triaged_dossier(w.agent)
    seen: list[dict[str, Any]] = []

    async def listen() -> None:
        async for message in live.broker.subscribe([f"dossier:{d.order_number}"]):
            seen.append(message)

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0)
    await dossiers.add_note(w.tech_user, d, "Sleutel ligt bij de buren")
    await dossiers.update_details(w.agent, d, {"description": "Lekkage onder het aanrecht"}, None)
    await asyncio.sleep(0.05)
    listener.cancel()
    changed = [(m["event"], m["data"]["what"]) for m in seen]
    assert changed == [("changed", "note"), ("changed", "updated")]
