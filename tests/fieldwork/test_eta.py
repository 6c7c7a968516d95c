""" "Onderweg" gives the tenant an arrival estimated from where the technician is: the position
his phone sent, his last reported position, or his home base, to the job, by the routing
engine when there is one and by the dispatch board's estimate otherwise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from server import settings
from server.communication import links
from server.models import DossierEvent, Technician, TechnicianPosition
from tests.fieldwork.support import App, job_for
from tests.geo.servers import closed_port_url, osrm_table, serve
from tests.support import world
from tests.support.pages import login
from tests.support.world import token_for

ZEIST = (52.089, 5.233)  # about 7 km east of the job: 14 minutes by the board's estimate
NEXT_DOOR = (52.0905, 5.1305)  # a street away
AMERSFOORT = (52.156, 5.387)  # about 19 km


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _home(technician: Technician, where: tuple[float, float] | None) -> None:
    technician.home_latitude, technician.home_longitude = where or (None, None)
    await technician.save()


async def _set_off(http: httpx.AsyncClient, w: world.World, **payload: Any) -> dict[str, Any]:
    job = await job_for(w, w.technician)
    app = App(http, await token_for(http, "piet.monteur"))
    answer = await app.push([app.op("start_travel", job.order_number, **payload)])
    (outcome,) = answer["outcomes"]
    assert outcome["status"] == "applied", outcome
    event = await DossierEvent.get(dossier_id=job.id, kind="monteur_onderweg")
    eta = datetime.fromisoformat(outcome["result"]["eta"])
    assert datetime.fromisoformat(event.data["eta"]) == eta
    assert eta - event.at == timedelta(minutes=outcome["result"]["minutes"])
    return {**outcome["result"], "order_number": job.order_number, "event": event}


async def test_from_his_home_base_by_the_boards_estimate(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await _home(w.technician, ZEIST)

    result = await _set_off(http, w)

    # 7.0 km x 1.3 at 40 km/h is 13.7 min, 5 min to get going and park: 18.7, so 20.
    assert (result["minutes"], result["basis"]) == (20, "geschat vanaf zijn thuisbasis")


async def test_the_phones_position_goes_before_his_last_one_and_his_home(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await _home(w.technician, AMERSFOORT)
    await TechnicianPosition.create(
        technician=w.technician,
        latitude=ZEIST[0],
        longitude=ZEIST[1],
        reported_at=datetime.now(UTC) - timedelta(minutes=5),
    )
    position = {"latitude": NEXT_DOOR[0], "longitude": NEXT_DOOR[1], "accuracy_m": 25}

    from_phone = await _set_off(http, w, position=position)
    from_last = await _set_off(http, w)

    # Next door: a minute's drive, but never less than ten minutes.
    assert (from_phone["minutes"], from_phone["basis"]) == (
        10,
        "geschat vanaf de positie van zijn telefoon",
    )
    assert (from_last["minutes"], from_last["basis"]) == (
        20,
        "geschat vanaf zijn laatst gemelde positie",
    )


async def test_a_stale_position_or_a_useless_fix_falls_back_to_his_home(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await _home(w.technician, ZEIST)
    await TechnicianPosition.create(
        technician=w.technician,
        latitude=AMERSFOORT[0],
        longitude=AMERSFOORT[1],
        reported_at=datetime.now(UTC) - timedelta(hours=2),
    )
    for useless in (
        {"latitude": "52", "longitude": 5.13},
        {"latitude": 52.09, "longitude": 5.13, "accuracy_m": 20_000},
        {"latitude": 152.0, "longitude": 5.13},
        "hier",
    ):
        result = await _set_off(http, w, position=useless)
        assert (result["minutes"], result["basis"]) == (20, "geschat vanaf zijn thuisbasis")


async def test_without_any_origin_the_old_default_stands(
    http: httpx.AsyncClient, w: world.World
) -> None:
    result = await _set_off(http, w, eta_minutes=3)  # an old app's fixed guess is not taken

    assert (result["minutes"], result["basis"]) == (30, "standaard: vertrekpunt of adres onbekend")


async def test_the_routing_engine_decides_when_it_answers(
    http: httpx.AsyncClient, w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _home(w.technician, ZEIST)
    with serve(osrm_table(lambda lat, lon: 33.0)) as engine:
        monkeypatch.setattr(settings, "ROUTING_URL", engine.url)
        routed = await _set_off(http, w)
        assert len(engine.requests) == 1
    monkeypatch.setattr(settings, "ROUTING_URL", closed_port_url())
    down = await _set_off(http, w)

    assert (routed["minutes"], routed["basis"]) == (40, "route vanaf zijn thuisbasis")
    assert (down["minutes"], down["basis"]) == (20, "geschat vanaf zijn thuisbasis")


async def test_the_tracking_page_and_the_timeline_show_the_estimate(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await _home(w.technician, ZEIST)
    result = await _set_off(http, w)
    n = result["order_number"]
    eta = datetime.fromisoformat(result["eta"]).astimezone(ZoneInfo(settings.TIMEZONE))
    event: DossierEvent = result["event"]

    page = await http.get(f"/volg/{links.token(event.dossier_id, links.TRACKING)}")

    assert page.status_code == 200
    assert f"is onderweg</strong> en is er naar verwachting om {eta:%H:%M}." in page.text
    await login(http, "anna.agent")
    dossier_page = (await http.get(f"/dossiers/{n}")).text
    assert "(geschat vanaf zijn thuisbasis)." in dossier_page
