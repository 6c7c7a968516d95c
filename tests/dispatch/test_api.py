"""The dispatch API and pages: who may use them, slots around existing appointments, booking,
moving and cancelling through the lifecycle, and the technician's own job list."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import httpx
import pytest

from server.dispatch import appointment_slots, assignments
from server.domain.slots import Slot
from server.models import Dossier, DossierEvent
from tests.dispatch.support import (
    ALWAYS,
    TUESDAY_10,
    UTRECHT,
    ZONE,
    build,
    set_duty,
    triaged_dossier,
)
from tests.support import world
from tests.support.pages import login
from tests.support.world import token_for


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await build()


def _times(slots: list[Slot]) -> list[str]:
    return [f"{s.start:%a %H:%M}-{s.end:%H:%M}" for s in slots]


async def test_slots_go_around_existing_appointments(w: world.World) -> None:
    booked = await triaged_dossier(w.agent)
    nine = TUESDAY_10.replace(hour=9)
    await assignments.book(
        w.agent, booked, w.technician.id, TUESDAY_10, TUESDAY_10 + timedelta(hours=2)
    )
    d = await triaged_dossier(w.agent, labour_minutes=60)
    found = await appointment_slots.slots_for(w.agent, d, technician_id=w.technician.id, now=nine)
    # Before the 10:00-12:00 appointment at the same address, right after it, then Wednesday
    # from the start of his shift (the deadline is Wednesday 10:00).
    assert _times(found) == ["Tue 09:00-10:00", "Tue 12:00-13:00", "Wed 08:00-09:00"]
    # The dossier's own appointment does not stand in its own way when it is moved.
    own = await appointment_slots.slots_for(
        w.agent, booked, technician_id=w.technician.id, now=nine
    )
    assert _times(own)[0] == "Tue 09:00-10:00"


async def test_booking_moving_and_cancelling_are_on_the_timeline(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await triaged_dossier(w.agent)
    headers = await token_for(http, "anna.agent")
    url = f"/api/v1/dossiers/{d.order_number}"
    start = datetime(2026, 11, 25, 9, 0, tzinfo=ZONE)
    booked = await http.post(
        f"{url}/appointment",
        json={
            "technician_id": w.technician.id,
            "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(),
        },
        headers=headers,
    )
    assert booked.status_code == 200, booked.text
    body = booked.json()
    assert (body["phase"], body["technician_id"]) == ("afspraak_ingepland", w.technician.id)
    assert [e["data"].get("to") for e in body["events"] if e["kind"] == "transition"] == [
        "doorgezet_naar_monteur",
        "afspraak_ingepland",
    ]
    moved = await http.post(
        f"{url}/appointment",
        json={
            "technician_id": w.technician.id,
            "start": (start + timedelta(hours=3)).isoformat(),
            "end": (start + timedelta(hours=4)).isoformat(),
            "reason": "Huurder pas om 12 uur thuis",
        },
        headers=headers,
    )
    assert moved.status_code == 200, moved.text
    [event] = [e for e in moved.json()["events"] if e["kind"] == "appointment_moved"]
    assert event["data"]["from"] == "2026-11-25T08:00:00+00:00"
    assert event["data"]["reason"] == "Huurder pas om 12 uur thuis"
    refused = await http.post(f"{url}/appointment/cancel", json={"reason": " "}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == (
        "Geef een reden voor het annuleren van de afspraak."
    )
    cancelled = await http.post(
        f"{url}/appointment/cancel", json={"reason": "Lekkage zelf verholpen"}, headers=headers
    )
    assert cancelled.status_code == 200, cancelled.text
    after = cancelled.json()
    assert (after["phase"], after["appointment_start"]) == ("doorgezet_naar_monteur", None)
    event = [e for e in after["events"] if e["kind"] == "transition"][-1]
    assert (event["data"]["to"], event["data"]["reason"]) == (
        "doorgezet_naar_monteur",
        "Lekkage zelf verholpen",
    )
    assert event["data"]["lapsed_appointment"] == "2026-11-25T11:00:00+00:00"
    # The desk page shows it in Dutch.
    await login(http, "anna.agent")
    page = await http.get(f"/dossiers/{d.order_number}")
    assert "verzette de afspraak (Piet Monteur)" in page.text
    assert "Reden: Lekkage zelf verholpen" in page.text


async def test_a_lapsing_appointment_needs_a_reason_and_clears_its_times(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await triaged_dossier(w.agent)
    start = datetime(2026, 11, 25, 9, 0, tzinfo=ZONE)
    await assignments.book(w.agent, d, w.technician.id, start, start + timedelta(hours=1))
    headers = await token_for(http, "anna.agent")
    url = f"/api/v1/dossiers/{d.order_number}/transitions"
    refused = await http.post(url, json={"to": "doorgezet_naar_monteur"}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == "Geef een reden waarom de afspraak vervalt."
    kept = await Dossier.get(id=d.id)
    assert (kept.phase, kept.appointment_start) == ("afspraak_ingepland", start)
    lapsed = await http.post(
        url, json={"to": "doorgezet_naar_monteur", "reason": "Huurder niet thuis"}, headers=headers
    )
    assert lapsed.status_code == 200, lapsed.text
    body = lapsed.json()
    assert (body["phase"], body["appointment_start"], body["appointment_end"]) == (
        "doorgezet_naar_monteur",
        None,
        None,
    )
    assert body["technician_id"] == w.technician.id  # still his, to be planned again
    event = [e for e in body["events"] if e["kind"] == "transition"][-1]
    assert event["data"]["reason"] == "Huurder niet thuis"
    assert event["data"]["lapsed_appointment"] == "2026-11-25T08:00:00+00:00"
    # His app's job list no longer shows a time he need not keep.
    mine = await http.get("/api/v1/technician/jobs", headers=await token_for(http, "piet.monteur"))
    assert mine.json()["items"][0]["appointment_start"] is None
    await login(http, "anna.agent")
    page = await http.get(f"/dossiers/{d.order_number}")
    assert "annuleerde de afspraak van wo 25-11-2026 09:00" in page.text
    assert "Reden: Huurder niet thuis" in page.text


async def test_assigning_a_booked_dossier_to_another_lets_the_appointment_lapse(
    w: world.World,
) -> None:
    d = await triaged_dossier(w.agent)
    start = datetime(2026, 11, 25, 9, 0, tzinfo=ZONE)
    await assignments.book(w.agent, d, w.technician.id, start, start + timedelta(hours=1))
    # To the technician who has it: nothing changes.
    await assignments.assign(w.agent, d, w.technician.id)
    same = await Dossier.get(id=d.id)
    assert (same.phase, same.appointment_start, same.version) == (
        "afspraak_ingepland",
        start,
        d.version,
    )
    await assignments.assign(w.agent, d, w.other_technician.id)
    moved = await Dossier.get(id=d.id)
    assert (moved.phase, moved.technician_id, moved.appointment_start) == (
        "doorgezet_naar_monteur",
        w.other_technician.id,
        None,
    )
    last = await DossierEvent.filter(dossier_id=d.id, kind="transition").order_by("-id").first()
    assert last is not None
    assert last.data["reason"] == "Opnieuw toegewezen aan Kees Monteur"
    assert last.data["lapsed_appointment"] == "2026-11-25T08:00:00+00:00"


async def test_bad_booking_names_the_value_and_changes_nothing(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await triaged_dossier(w.agent)
    headers = await token_for(http, "anna.agent")
    response = await http.post(
        f"/api/v1/dossiers/{d.order_number}/appointment",
        json={
            "technician_id": 999,
            "start": "2026-11-25T09:00:00+01:00",
            "end": "2026-11-25T10:00:00+01:00",
        },
        headers=headers,
    )
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "Monteur 999 bestaat niet of is niet actief."
    assert (await Dossier.get(id=d.id)).phase == "nieuw"


async def test_technician_sees_his_booked_job(http: httpx.AsyncClient, w: world.World) -> None:
    d = await triaged_dossier(w.agent)
    start = datetime(2026, 11, 25, 9, 0, tzinfo=ZONE)
    await assignments.book(w.agent, d, w.technician.id, start, start + timedelta(hours=1))
    mine = await http.get("/api/v1/technician/jobs", headers=await token_for(http, "piet.monteur"))
    assert mine.status_code == 200
    [job] = mine.json()["items"]
    assert job["order_number"] == d.order_number
    assert job["appointment_start"] == "2026-11-25T08:00:00+00:00"
    assert job["location"] == {"latitude": 52.09, "longitude": 5.13, "precision": "adres"}
    other = await http.get("/api/v1/technician/jobs", headers=await token_for(http, "kees.monteur"))
    assert other.json()["items"] == []
    desk = await http.get("/api/v1/technician/jobs", headers=await token_for(http, "anna.agent"))
    assert desk.status_code == 403


async def test_position_is_kept_only_with_consent_while_on_duty(
    http: httpx.AsyncClient, w: world.World
) -> None:
    headers = await token_for(http, "piet.monteur")
    here = {"latitude": 52.1, "longitude": 5.12}
    refused = await http.post("/api/v1/technician/position", json=here, headers=headers)
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == (
        "U heeft geen toestemming gegeven om uw positie te delen."
    )
    await set_duty(w.technician, ALWAYS, UTRECHT, position_consent=True)
    kept = await http.post("/api/v1/technician/position", json=here, headers=headers)
    assert kept.json() == {"kept": True}
    await set_duty(w.technician, [], UTRECHT, position_consent=True)  # off duty from now on
    dropped = await http.post("/api/v1/technician/position", json=here, headers=headers)
    assert dropped.json() == {"kept": False}
    from server.models import TechnicianPosition

    assert await TechnicianPosition.filter(technician_id=w.technician.id).count() == 0


async def test_board_and_suggestions_are_for_the_desk_only(
    http: httpx.AsyncClient, w: world.World
) -> None:
    own = await triaged_dossier(w.agent)
    other = await triaged_dossier(w.agent, client="LVD")
    await assignments.assign(w.agent, own, w.technician.id)
    paths = [
        f"/api/v1/dossiers/{own.order_number}/suggestions",
        f"/api/v1/dossiers/{other.order_number}/suggestions",
        f"/api/v1/dossiers/{own.order_number}/slots?trade=LOO",
        "/api/v1/board",
    ]
    for username in ("wim.woonstad", "piet.monteur"):
        headers = await token_for(http, username)
        for path in paths:
            response = await http.get(path, headers=headers)
            assert response.status_code in (403, 404), (username, path)
        assign = await http.post(
            f"/api/v1/dossiers/{own.order_number}/assign",
            json={"technician_id": w.technician.id},
            headers=headers,
        )
        assert assign.status_code in (403, 404)
    desk = await token_for(http, "anna.agent")
    assert (await http.get(paths[0], headers=desk)).status_code == 200
    board = (await http.get("/api/v1/board?region=3572", headers=desk)).json()
    assert [d["order_number"] for d in board["dossiers"]] == [own.order_number]
    assert (await http.get("/api/v1/board?region=Vleuten", headers=desk)).json()["dossiers"][0][
        "order_number"
    ] == other.order_number
    # The pages: the board and its live feed refuse client users and technicians.
    for username in ("wim.woonstad", "piet.monteur"):
        async with httpx.AsyncClient(transport=http._transport, base_url="http://testserver") as c:
            await login(c, username)
            assert (await c.get("/meldkamer")).status_code == 403
            assert (await c.get("/meldkamer/live")).status_code == 403
    await login(http, "anna.agent")
    page = await http.get("/meldkamer")
    assert page.status_code == 200
    # The board's script, by its content-hashed name (server/web/static.py).
    assert re.search(r'<script type="module" src="/static/js/board\.[0-9a-f]{12}\.js">', page.text)


async def test_suggestions_api_shows_reasons(http: httpx.AsyncClient, w: world.World) -> None:
    await set_duty(w.technician, ALWAYS, UTRECHT)
    d = await triaged_dossier(w.agent, deadline=None)
    response = await http.get(
        f"/api/v1/dossiers/{d.order_number}/suggestions",
        headers=await token_for(http, "anna.agent"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["job"]["trade"] == "LOO"
    [piet] = body["suggestions"]
    assert piet["name"] == "Piet Monteur"
    assert piet["reasons"][0] == "vakdiscipline: Loodgieter"
    assert piet["reasons"][-1] == "geen termijn"
    # Looking changes nothing on the timeline.
    assert await DossierEvent.filter(dossier_id=d.id).count() == 1


async def test_dossier_page_suggests_and_assigns(http: httpx.AsyncClient, w: world.World) -> None:
    await set_duty(w.technician, ALWAYS, UTRECHT)
    d = await triaged_dossier(w.agent, deadline=None)
    await login(http, "anna.agent")
    page = await http.get(f"/dossiers/{d.order_number}")
    assert "Voorgestelde monteurs" in page.text
    assert "vakdiscipline: Loodgieter" in page.text
    assert "afstand: 0,0 km vanaf thuisbasis" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    response = await http.post(
        f"/dossiers/{d.order_number}/toewijzen",
        data={"csrf_token": token.group(1), "technician_id": str(w.technician.id)},
    )
    assert response.status_code == 303
    d = await Dossier.get(id=d.id)
    assert (d.phase, d.technician_id) == ("doorgezet_naar_monteur", w.technician.id)
    # Assigned: the panel makes way.
    assert "Voorgestelde monteurs" not in (await http.get(f"/dossiers/{d.order_number}")).text
