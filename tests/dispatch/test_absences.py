"""Absences (verlof, ziek, cursus): an absent technician is off duty for ranking, slots, the
board and positions; nobody takes over his on-call duty, and the board warns about the hole.
Entered by supervision through the API and the planning page, which list the appointments he
already has in it; the board marks those until they are moved or reassigned."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import httpx
import pytest
import time_machine

from server.dispatch import absences, appointment_slots, assignments, board, duty, suggestions
from server.domain.errors import Forbidden
from server.models import Absence, Client, Dossier, TechnicianPosition
from tests.dispatch.support import (
    ALWAYS,
    TUESDAY_10,
    UTRECHT,
    WEEKDAYS,
    build,
    set_duty,
    technician,
    triaged_dossier,
)
from tests.support import world
from tests.support.pages import csrf, login
from tests.support.world import token_for

ZEIST = (52.089, 5.233)
TUESDAY = TUESDAY_10.date()


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await build()


async def _away(tech_id: int, first: date, last: date, kind: str = "verlof") -> None:
    admin = await world.User.get(username="admin")
    await absences.add(admin, tech_id, absences.AbsenceInput(str(first), str(last), kind))


async def test_absent_technician_is_not_suggested_and_gets_no_slots(w: world.World) -> None:
    zeist = await technician("Zeist Loodgieter", ["LOO"], ZEIST)
    d = await triaged_dossier(w.agent)  # deadline Wednesday 10:00
    await _away(w.technician.id, TUESDAY, TUESDAY + timedelta(days=1), "ziek")
    found = await suggestions.suggest(w.agent, d, now=TUESDAY_10)
    assert [s.name for s in found.items] == ["Zeist Loodgieter"]
    assert (
        await appointment_slots.slots_for(w.agent, d, technician_id=w.technician.id, now=TUESDAY_10)
        == []
    )
    trade = await appointment_slots.slots_for(w.agent, d, now=TUESDAY_10)
    assert {s.technician_id for s in trade} == {zeist.id}
    # Back on Thursday: then he has slots again (for a job without a deadline).
    later = await triaged_dossier(w.agent, deadline=None)
    slots = await appointment_slots.slots_for(
        w.agent, later, technician_id=w.technician.id, now=TUESDAY_10
    )
    assert f"{slots[0].start:%a %d %H:%M}" == "Thu 26 08:00"


async def test_his_on_call_goes_to_nobody_and_the_board_warns(w: world.World) -> None:
    # Piet is the only plumber; besides weekdays he is on call at weekends.
    await set_duty(w.technician, WEEKDAYS, UTRECHT, on_call_weekends=True)
    friday_evening = datetime(2026, 11, 27, 20, 0, tzinfo=TUESDAY_10.tzinfo)
    acute = await triaged_dossier(
        w.agent, urgency="acuut", deadline=friday_evening + timedelta(hours=20)
    )
    before = await suggestions.suggest(w.agent, acute, now=friday_evening)
    assert [s.name for s in before.items] == ["Piet Monteur"]
    assert await board.holes(w.agent, TUESDAY_10) == []
    await _away(w.technician.id, date(2026, 11, 28), date(2026, 11, 28))  # Saturday
    after = await suggestions.suggest(w.agent, acute, now=friday_evening)
    assert after.items == []  # nobody took his Saturday over
    [hole] = await board.holes(w.agent, TUESDAY_10, trade="LOO")
    assert hole["text"] == (
        "Geen loodgieter in dienst of piket van za 28 nov 00:00 tot zo 29 nov 00:00 "
        "(Piet Monteur afwezig)"
    )
    # Kees (another trade) has no hole of his own; a trade filter shows only its holes.
    assert await board.holes(w.agent, TUESDAY_10, trade="ELE") == []


async def test_board_api_shows_the_hole_and_leaves_the_absent_off_duty(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await set_duty(w.technician, ALWAYS, UTRECHT)
    await set_duty(w.other_technician, [], UTRECHT)
    today = absences.today()
    headers = await token_for(http, "anna.agent")
    first = (await http.get("/api/v1/board", headers=headers)).json()
    assert [t["name"] for t in first["technicians"]] == ["Piet Monteur"]
    assert first["rota_holes"] == []
    await _away(w.technician.id, today, today + timedelta(days=2), "cursus")
    after = (await http.get("/api/v1/board", headers=headers)).json()
    assert after["technicians"] == []
    # Each of his trades has nobody left, from now on.
    assert [h["trade"] for h in after["rota_holes"]] == sorted(w.technician.trades)
    assert all(h["absent"] == ["Piet Monteur"] for h in after["rota_holes"])


async def test_absence_now_drops_his_position_and_reports_are_not_kept(
    w: world.World,
) -> None:
    await set_duty(w.technician, ALWAYS, UTRECHT, position_consent=True)
    assert await duty.report_position(w.tech_user, 52.1, 5.12, None) is True
    today = absences.today()
    await _away(w.technician.id, today, today)
    assert await TechnicianPosition.filter(technician_id=w.technician.id).count() == 0
    assert await duty.report_position(w.tech_user, 52.1, 5.12, None) is False


async def test_api_enters_lists_and_removes_with_dutch_errors(
    http: httpx.AsyncClient, w: world.World
) -> None:
    url = f"/api/v1/technicians/{w.technician.id}/absences"
    sanne = await token_for(http, "sanne.supervisie")
    good = {"kind": "verlof", "starts_on": "2026-12-21", "ends_on": "2027-01-01"}
    created = await http.post(url, json={**good, "note": "Kerst"}, headers=sanne)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["technician"], body["kind_label"], body["created_by"]) == (
        "Piet Monteur",
        "Verlof",
        "Sanne Supervisie",
    )
    bad = [
        (
            {**good, "starts_on": "21-12-2026"},
            "Begindatum '21-12-2026' is geen datum (JJJJ-MM-DD).",
        ),
        ({**good, "ends_on": "2026-12-20"}, "De einddatum 20-12-2026 ligt voor de begindatum."),
        ({**good, "kind": "vakantie"}, "Onbekende soort afwezigheid 'vakantie'"),
        (
            {**good, "starts_on": "2026-12-31", "ends_on": "2027-01-05"},
            "Piet Monteur is al afwezig (verlof) van 21-12-2026 tot en met 01-01-2027.",
        ),
    ]
    for data, message in bad:
        response = await http.post(url, json=data, headers=sanne)
        assert response.status_code == 422, data
        assert response.json()["error"]["message"].startswith(message)
    assert await Absence.all().count() == 1
    # The desk reads them; agents, clients and technicians may not enter them.
    anna = await token_for(http, "anna.agent")
    listed = await http.get("/api/v1/absences?since=2026-12-01", headers=anna)
    assert [a["note"] for a in listed.json()["items"]] == ["Kerst"]
    for username in ("anna.agent", "wim.woonstad", "piet.monteur"):
        refused = await http.post(url, json=good, headers=await token_for(http, username))
        assert refused.status_code == 403, username
    assert (
        await http.get("/api/v1/absences", headers=await token_for(http, "wim.woonstad"))
    ).status_code == 403
    gone = await http.delete(f"/api/v1/absences/{body['id']}", headers=sanne)
    assert gone.status_code == 204
    again = await http.delete(f"/api/v1/absences/{body['id']}", headers=sanne)
    assert again.status_code == 404
    assert again.json()["error"]["message"] == f"Afwezigheid '{body['id']}' niet gevonden."


async def test_planning_page_enters_absence_and_switches_auto_assign(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "sanne.supervisie")
    page = await http.get("/planning")
    assert page.status_code == 200
    assert "Geen lopende of komende afwezigheid." in page.text
    today = absences.today()
    form = {
        "csrf_token": csrf(page.text),
        "technician_id": str(w.technician.id),
        "kind": "ziek",
        "starts_on": str(today),
        "ends_on": str(today - timedelta(days=1)),
        "note": "griep",
    }
    refused = await http.post("/planning/afwezigheid", data=form)
    assert refused.status_code == 422
    assert "ligt voor de begindatum" in refused.text
    assert 'value="griep"' in refused.text  # what was typed is still there
    form["ends_on"] = str(today + timedelta(days=2))
    saved = await http.post("/planning/afwezigheid", data=form)
    assert saved.status_code == 303
    assert saved.headers["location"].startswith("/planning?opgeslagen=afwezigheid&afwezigheid=")
    listing = (await http.get(saved.headers["location"])).text
    assert "Afwezigheid vastgelegd." in listing
    assert "Piet Monteur" in listing and "griep" in listing
    # Acuut automatisch toewijzen, per client; its other settings stay.
    await Client.filter(code="WST").update(settings={"sms_sender": "Woonstad"})
    assert not suggestions.auto_assigns(await Client.get(code="WST"))
    switched = await http.post(
        "/planning/toewijzen/WST", data={"csrf_token": csrf(listing), "enabled": "ja"}
    )
    assert switched.status_code == 303
    wst = await Client.get(code="WST")
    assert wst.settings == {"sms_sender": "Woonstad", "auto_assign_acuut": True}
    # Agents see the board, not the planning page.
    async with httpx.AsyncClient(transport=http._transport, base_url="http://testserver") as c:
        await login(c, "anna.agent")
        assert (await c.get("/planning")).status_code == 403
    with pytest.raises(Forbidden):
        await suggestions.set_auto_assign(w.agent, "WST", False)


# --- appointments he already has ------------------------------------------------------------

WEDNESDAY_9 = TUESDAY_10 + timedelta(days=1, hours=-1)


async def _booked(w: world.World, start: datetime, technician_id: int | None = None) -> str:
    d = await triaged_dossier(w.agent, deadline=None)
    tech = technician_id or w.technician.id
    await assignments.book(w.agent, d, tech, start, start + timedelta(hours=1))
    return d.order_number


async def test_entering_an_absence_lists_the_appointments_in_it(
    http: httpx.AsyncClient, w: world.World
) -> None:
    inside = await _booked(w, WEDNESDAY_9)
    await _booked(w, WEDNESDAY_9 + timedelta(days=2))  # Friday: he is back
    await _booked(w, WEDNESDAY_9, technician_id=w.other_technician.id)  # not his
    sanne = await token_for(http, "sanne.supervisie")
    created = await http.post(
        f"/api/v1/technicians/{w.technician.id}/absences",
        json={"kind": "ziek", "starts_on": "2026-11-25", "ends_on": "2026-11-26"},
        headers=sanne,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["appointments"] == [
        {
            "order_number": inside,
            "address": "Biltstraat 10, 3572 AB Utrecht",
            "start": "2026-11-25T08:00:00+00:00",
            "end": "2026-11-25T09:00:00+00:00",
            "when": "wo 25 nov 09:00–10:00",
        }
    ]
    assert body["warning"] == (
        "Let op: Piet Monteur heeft 1 afspraak tijdens deze afwezigheid. Verzet ze of wijs ze "
        "toe aan een andere monteur; het dispatchbord toont ze als 'Afspraak tijdens "
        "afwezigheid'."
    )
    # Nothing was moved for him: the appointment stands until the desk acts.
    assert (await Dossier.get(order_number=inside)).phase == "afspraak_ingepland"
    # An absence without appointments in it says so by an empty list.
    quiet = await http.post(
        f"/api/v1/technicians/{w.technician.id}/absences",
        json={"kind": "verlof", "starts_on": "2026-12-21", "ends_on": "2026-12-24"},
        headers=sanne,
    )
    assert (quiet.json()["appointments"], quiet.json()["warning"]) == ([], None)


async def test_board_marks_them_until_moved_or_reassigned(
    http: httpx.AsyncClient, w: world.World
) -> None:
    moved, reassigned = await _booked(w, WEDNESDAY_9), await _booked(w, WEDNESDAY_9)
    await _away(w.technician.id, date(2026, 11, 25), date(2026, 11, 26))
    anna = await token_for(http, "anna.agent")

    async def clashes() -> dict[str, str]:
        rows = (await http.get("/api/v1/board", headers=anna)).json()["dossiers"]
        return {d["order_number"]: d["absence_clash"]["text"] for d in rows if d["absence_clash"]}

    text = (
        "Afspraak tijdens afwezigheid: Piet Monteur is afwezig (verlof) van 25-11 tot en met "
        "26-11-2026"
    )
    assert await clashes() == {moved: text, reassigned: text}
    friday = WEDNESDAY_9 + timedelta(days=2)
    d = await Dossier.get(order_number=moved)
    await assignments.book(w.agent, d, w.technician.id, friday, friday + timedelta(hours=1))
    d = await Dossier.get(order_number=reassigned)
    await assignments.book(
        w.agent, d, w.other_technician.id, WEDNESDAY_9, WEDNESDAY_9 + timedelta(hours=1)
    )
    assert await clashes() == {}


@time_machine.travel(TUESDAY_10, tick=True)
async def test_planning_page_warns_of_his_appointments_until_they_are_moved(
    http: httpx.AsyncClient, w: world.World
) -> None:
    # The page lists only clashes still ahead, so the clock stands on the Tuesday before.
    number = await _booked(w, WEDNESDAY_9)
    await login(http, "sanne.supervisie")
    page = await http.get("/planning")
    form = {
        "csrf_token": csrf(page.text),
        "technician_id": str(w.technician.id),
        "kind": "cursus",
        "starts_on": "2026-11-25",
        "ends_on": "2026-11-25",
    }
    saved = await http.post("/planning/afwezigheid", data=form)
    assert saved.status_code == 303
    row = await Absence.get(technician_id=w.technician.id)
    assert saved.headers["location"] == f"/planning?opgeslagen=afwezigheid&afwezigheid={row.id}"
    shown = (await http.get(saved.headers["location"])).text
    assert "Let op: Piet Monteur heeft 1 afspraak tijdens deze afwezigheid." in shown
    line = f'<a href="/dossiers/{number}">{number}</a>, Biltstraat 10, 3572 AB Utrecht, '
    assert shown.count(f"{line}wo 25 nov 09:00–10:00") == 2  # the warning and its table row
    d = await Dossier.get(order_number=number)
    later = WEDNESDAY_9 + timedelta(days=1)
    await assignments.book(w.agent, d, w.technician.id, later, later + timedelta(hours=1))
    assert number not in (await http.get("/planning")).text
