"""The contractor portal: a contractor works its own orders as the technician app would
(the same lifecycle, timeline and tenant messages), and gives back what it cannot do."""

from __future__ import annotations

import httpx
import pytest
from starlette.types import ASGIApp

from server.contractors import orders
from server.models import Dossier, DossierEvent, OutboundMessage, Photo, RepairLog
from server.web.pages.contractor_portal import materials
from tests.contractors.support import day_after_tomorrow, order, session
from tests.fieldwork.support import jpeg
from tests.support import world
from tests.support.pages import login
from tests.support.streams import cookie_header, open_stream


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _kinds(d: Dossier) -> list[str]:
    return [m.kind for m in await OutboundMessage.filter(dossier_id=d.id).order_by("id")]


async def test_accept_plan_send_and_report_done_with_werkbon_and_photo(
    http: httpx.AsyncClient, w: world.World
) -> None:
    own = await order(w, w.contractor)
    other = await order(w, w.other_contractor)
    token = await session(http)
    listing = (await http.get("/aannemer")).text
    assert own.order_number in listing and other.order_number not in listing
    assert "Biltstraat 10" in listing and "nieuw" in listing
    base = f"/aannemer/opdrachten/{own.order_number}"
    # Planning before accepting is refused, and says why.
    early = await http.post(
        base + "/inplannen",
        data={"csrf_token": token, "datum": day_after_tomorrow(), "van": "09:00", "tot": "10:00"},
    )
    assert early.status_code == 422 and "Accepteer de opdracht eerst." in early.text
    assert (await http.post(base + "/accepteren", data={"csrf_token": token})).status_code == 303
    planned = await http.post(
        base + "/inplannen",
        data={
            "csrf_token": token,
            "datum": day_after_tomorrow(),
            "van": "09:00",
            "tot": "10:30",
            "technician_id": str(w.technician.id),
        },
    )
    assert planned.status_code == 303, planned.text
    d = await Dossier.get(id=own.id)
    assert d.phase == "afspraak_ingepland" and d.technician_id == w.technician.id  # type: ignore[attr-defined]
    assert d.appointment_start is not None and d.contractor_accepted_at is not None
    # The tenant hears of it exactly as when the desk plans.
    assert "afspraak_ingepland" in await _kinds(d)
    page = (await http.get(planned.headers["location"])).text
    assert "De afspraak staat; de huurder krijgt bericht." in page and "Piet Monteur" in page
    done = await http.post(
        base + "/gereed",
        data={
            "csrf_token": token,
            "result_code": "verholpen",
            "cause": "Groep defect",
            "work_done": "Groep vervangen.",
            "materials": "2 st Sifon 32 mm\n1,5 m Koperbuis 15 mm\nKit",
            "minutes": "45",
        },
        files={"photos": ("meterkast.jpg", jpeg(), "image/jpeg")},
        headers={"x-csrf-token": token},  # as the page's script sends a form with files
    )
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/aannemer?gedaan=afgerond"
    d = await Dossier.get(id=own.id)
    assert d.phase == "afgerond" and d.result_code == "verholpen"
    log = await RepairLog.get(dossier_id=d.id)
    assert (log.work_done, log.minutes, log.fixed) == ("Groep vervangen.", 45, True)
    assert log.materials == [
        {"name": "Sifon 32 mm", "quantity": 2, "unit": "st"},
        {"name": "Koperbuis 15 mm", "quantity": 1.5, "unit": "m"},
        {"name": "Kit", "quantity": 1, "unit": "st"},
    ]
    photo = await Photo.get(dossier_id=d.id)
    assert photo.attached_at is not None
    # Everything on the timeline, in order, by the contractor's user.
    events = await DossierEvent.filter(dossier_id=d.id, actor_id=w.contractor_user.id)
    assert [e.kind for e in events] == [
        "opdracht_geaccepteerd",
        "transition",
        "transition",
        "werkbon",
        "foto",
        "transition",
    ]
    assert [e.data.get("to") for e in events if e.kind == "transition"] == [
        "afspraak_ingepland",
        "in_uitvoering",
        "afgerond",
    ]
    assert "afgerond" in await _kinds(d)
    # The photo is the contractor's to see, not another contractor's.
    assert (await http.get(f"/api/v1/photos/{photo.key}/thumb")).status_code == 200
    await login(http, "dirk.aannemer")
    assert (await http.get(f"/api/v1/photos/{photo.key}/thumb")).status_code == 404
    # The desk reads it all on the dossier page.
    await login(http, "anna.agent")
    desk = (await http.get(f"/dossiers/{d.order_number}")).text
    assert "accepteerde de opdracht namens Installatiebedrijf Noord" in desk
    assert "Groep vervangen." in desk and "Bas Aannemer" in desk


async def test_declining_gives_the_order_back_to_the_desk_live(
    http: httpx.AsyncClient, app: ASGIApp, client_factory: object, w: world.World
) -> None:
    own = await order(w, w.contractor)
    base = f"/aannemer/opdrachten/{own.order_number}"
    async with client_factory() as desk:  # type: ignore[operator]
        await login(desk, "anna.agent")
        async with open_stream(app, "/meldkamer/live", cookie_header(desk)) as board:
            token = await session(http)
            empty = await http.post(base + "/weigeren", data={"csrf_token": token, "reason": " "})
            assert empty.status_code == 422
            assert "Geef een reden waarom u de opdracht weigert." in empty.text
            assert (await Dossier.get(id=own.id)).phase == "doorgezet_naar_monteur"
            gone = await http.post(
                base + "/weigeren", data={"csrf_token": token, "reason": "Geen elektricien vrij."}
            )
            assert (
                gone.status_code == 303 and gone.headers["location"] == "/aannemer?gedaan=geweigerd"
            )
            seen = await board.events_within(0.5)
        assert (
            "transition",
            {
                "order_number": own.order_number,
                "from": "doorgezet_naar_monteur",
                "phase": "analyseren",
                "technician_id": None,
            },
        ) in seen
        page = (await desk.get(f"/dossiers/{own.order_number}")).text
        assert "weigerde de opdracht" in page and "Geen elektricien vrij." in page
    d = await Dossier.get(id=own.id)
    assert (d.phase, d.contractor_id) == ("analyseren", None)  # type: ignore[attr-defined]
    # No longer the contractor's: gone from its list, not found by its number.
    assert own.order_number not in (await http.get("/aannemer")).text
    assert (await http.get(base)).status_code == 404


async def test_plans_outside_the_rules_are_refused_and_change_nothing(
    http: httpx.AsyncClient, w: world.World
) -> None:
    own = await order(w, w.contractor)
    token = await session(http)
    base = f"/aannemer/opdrachten/{own.order_number}"
    await http.post(base + "/accepteren", data={"csrf_token": token})
    stranger = await orders.technicians(w.other_contractor_user)
    cases = {
        ("2020-01-06", "09:00", "10:00", ""): "Een afspraak kan niet in het verleden liggen.",
        (day_after_tomorrow(), "10:00", "09:00", ""): "De eindtijd moet na de begintijd liggen.",
        ("morgen", "09:00", "10:00", ""): "'morgen' is geen datum",
        (day_after_tomorrow(), "9 uur", "10:00", ""): "'9 uur' is geen tijd",
        (day_after_tomorrow(), "09:00", "10:00", "abc"): "'abc' is geen geldige monteur.",
        (
            day_after_tomorrow(),
            "09:00",
            "10:00",
            str(w.other_technician.id + 99),
        ): "werkt niet (meer) voor Installatiebedrijf Noord",
    }
    assert stranger == []
    before = (await Dossier.get(id=own.id)).version
    for (day, start, end, tech), message in cases.items():
        response = await http.post(
            base + "/inplannen",
            data={
                "csrf_token": token,
                "datum": day,
                "van": start,
                "tot": end,
                "technician_id": tech,
            },
        )
        assert response.status_code == 422, (day, start, end, tech)
        assert message in response.text.replace("&#39;", "'"), (message, day, start, end)
        assert f'value="{start}"' in response.text  # what was typed stays in the form
    assert (await Dossier.get(id=own.id)).version == before
    assert "afspraak_ingepland" not in await _kinds(own)


async def test_a_bad_photo_refuses_the_whole_report_and_loses_nothing(
    http: httpx.AsyncClient, w: world.World
) -> None:
    own = await order(w, w.contractor, urgency="urgent")
    token = await session(http)
    base = f"/aannemer/opdrachten/{own.order_number}"
    await http.post(base + "/accepteren", data={"csrf_token": token})
    response = await http.post(
        base + "/gereed",
        data={
            "csrf_token": token,
            "result_code": "verholpen",
            "work_done": "Lamp vervangen.",
            "minutes": "20",
        },
        files={"photos": ("notitie.jpg", b"dit is geen foto", "image/jpeg")},
        headers={"x-csrf-token": token},
    )
    assert response.status_code == 422
    assert "Foto 'notitie.jpg'" in response.text.replace("&#39;", "'")
    assert "Lamp vervangen." in response.text  # the werkbon as typed
    d = await Dossier.get(id=own.id)
    assert d.phase == "doorgezet_naar_monteur"
    assert not await RepairLog.filter(dossier_id=d.id).exists()
    # Urgent work is done without an appointment: done straight from 'doorgezet'.
    ok = await http.post(
        base + "/gereed",
        data={
            "csrf_token": token,
            "result_code": "verholpen",
            "work_done": "Lamp vervangen.",
            "minutes": "20",
        },
    )
    assert ok.status_code == 303
    assert (await Dossier.get(id=own.id)).phase == "afgerond"


async def test_a_contractor_is_closed_out_of_the_desk_and_the_api(
    http: httpx.AsyncClient, w: world.World
) -> None:
    own = await order(w, w.contractor)
    await session(http)
    for path in ["/dossiers", f"/dossiers/{own.order_number}", "/meldkamer", "/portaal"]:
        assert (await http.get(path)).status_code == 403, path
    home = await http.get("/")
    assert home.status_code == 303 and home.headers["location"] == "/aannemer"


def test_materials_lines() -> None:
    assert materials("3 rol Tape\n\n 1 Kraan\n2 xyz Ding") == [
        {"name": "Tape", "quantity": 3, "unit": "rol"},
        {"name": "Kraan", "quantity": 1, "unit": "st"},
        {"name": "xyz Ding", "quantity": 2, "unit": "st"},
    ]
