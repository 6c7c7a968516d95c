"""The arrival a tenant is told, at a fixed moment from fixed positions: a job booked for the
next morning is announced at its appointment time (message and page), one he sets off for now
by his trip; and once his phone reports a position after he set off, the tracking page works
the arrival out again from there."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import time_machine

from server.communication import communication, links
from server.domain.eta import told_arrival
from server.dossiers import dossiers
from server.models import Dossier, DossierEvent, OutboundMessage, Technician, TechnicianPosition
from tests.dispatch.support import ALWAYS, UTRECHT, set_duty
from tests.support import world
from tests.support.channels import new_dossier

AMS = ZoneInfo("Europe/Amsterdam")
# Monday 23 November 2026, 17:00 in Utrecht.
MONDAY_17 = datetime(2026, 11, 23, 17, 0, tzinfo=AMS)
AMERSFOORT = (52.156, 5.387)  # about 19 km from the job
NEXT_DOOR = (52.0905, 5.1305)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    built = await world.build()
    await set_duty(built.technician, ALWAYS, AMERSFOORT, position_consent=True)
    return built


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(MONDAY_17, tick=False) as traveller:
        yield traveller


async def booked_at(w: world.World, start: datetime) -> Dossier:
    d = await new_dossier(w)
    await dossiers.transition(
        w.agent, d, "doorgezet_naar_monteur", {"technician_id": w.technician.id}
    )
    await dossiers.transition(
        w.agent,
        d,
        "afspraak_ingepland",
        {"appointment_start": start, "appointment_end": start + timedelta(hours=2)},
    )
    return d


def page_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_told_arrival_is_the_trip_unless_it_ends_well_before_the_appointment() -> None:
    eta = MONDAY_17 + timedelta(minutes=25)
    assert told_arrival(eta, None) == (eta, False)
    assert told_arrival(eta, eta + timedelta(minutes=30)) == (eta, False)
    tomorrow = MONDAY_17 + timedelta(hours=15)
    assert told_arrival(eta, tomorrow) == (tomorrow, True)
    assert told_arrival(eta, eta - timedelta(hours=3)) == (eta, False)  # late: his trip


async def test_a_job_for_the_next_morning_is_announced_at_its_appointment(
    http: httpx.AsyncClient, w: world.World, clock: Any
) -> None:
    tuesday_8 = datetime(2026, 11, 24, 8, 0, tzinfo=AMS)
    d = await booked_at(w, tuesday_8)
    await communication.technician_on_the_way(d, MONDAY_17 + timedelta(minutes=25))
    [sms] = await OutboundMessage.filter(dossier_id=d.id, kind="monteur_onderweg", channel="sms")
    assert "op de afgesproken tijd: dinsdag 24 november om 08:00" in sms.body
    assert "17:25" not in sms.body and "onderweg" not in sms.body
    event = await DossierEvent.get(dossier_id=d.id, kind="monteur_onderweg")
    assert event.data["on_appointment"] is True
    page = page_text((await http.get(f"/volg/{links.token(d.id, links.TRACKING)}")).text)
    assert "Piet komt op de afgesproken tijd: dinsdag 24 november om 08:00." in page
    assert "is onderweg" not in page


async def test_a_job_he_sets_off_for_now_gets_his_trip_and_a_newer_position_updates_it(
    http: httpx.AsyncClient, w: world.World, clock: Any
) -> None:
    d = await booked_at(w, MONDAY_17 + timedelta(minutes=30))
    await communication.technician_on_the_way(d, MONDAY_17 + timedelta(minutes=45))
    [sms] = await OutboundMessage.filter(dossier_id=d.id, kind="monteur_onderweg", channel="sms")
    assert "Verwachte aankomst rond 17:45" in sms.body
    url = f"/volg/{links.token(d.id, links.TRACKING)}"
    assert "Piet is onderweg en is er naar verwachting om 17:45." in page_text(
        (await http.get(url)).text
    )
    # Ten minutes later his phone says he is a street away: the page works it out again.
    clock.move_to(MONDAY_17 + timedelta(minutes=10))
    tech = await Technician.get(id=w.technician.id)
    await TechnicianPosition.create(
        technician=tech,
        latitude=NEXT_DOOR[0],
        longitude=NEXT_DOOR[1],
        reported_at=MONDAY_17 + timedelta(minutes=10),
    )
    clock.move_to(MONDAY_17 + timedelta(minutes=12))
    # A street away: the shortest arrival there is (ten minutes), from now.
    assert "Piet is onderweg en is er naar verwachting om 17:22." in page_text(
        (await http.get(url)).text
    )
    # A position from before he set off says nothing new.
    await TechnicianPosition.filter(technician_id=tech.id).update(
        reported_at=MONDAY_17 - timedelta(minutes=5)
    )
    assert "om 17:45." in page_text((await http.get(url)).text)


async def test_the_job_location_unknown_keeps_the_arrival_he_was_given(
    http: httpx.AsyncClient, w: world.World, clock: Any
) -> None:
    d = await booked_at(w, MONDAY_17 + timedelta(minutes=30))
    await Dossier.filter(id=d.id).update(latitude=None, longitude=None, postcode="")
    await communication.technician_on_the_way(d, MONDAY_17 + timedelta(minutes=40))
    tech = await Technician.get(id=w.technician.id)
    await TechnicianPosition.create(
        technician=tech, latitude=UTRECHT[0], longitude=UTRECHT[1], reported_at=MONDAY_17
    )
    clock.move_to(MONDAY_17 + timedelta(minutes=5))
    page = page_text((await http.get(f"/volg/{links.token(d.id, links.TRACKING)}")).text)
    assert "om 17:40." in page
