"""A phone whose clock is two hours wrong: the server measures the offset when the app sends,
records device-stated times corrected (repair log, status moves on the timeline) and keeps
the raw value beside them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from server.models import Device, Dossier, DossierEvent, DossierMessage, RepairLog
from server.web.templating import local_day
from tests.fieldwork.support import App, job_for, repair_log
from tests.support import world
from tests.support.pages import login
from tests.support.world import token_for

WRONG = timedelta(hours=2)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


def near(value: datetime | str, expected: datetime, slack: float = 5) -> bool:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return abs((value - expected).total_seconds()) <= slack


async def planned_hours_ago(w: world.World) -> Dossier:
    """A job whose whole history so far lies three hours back."""
    job = await job_for(w, w.technician)
    earlier = datetime.now(UTC) - timedelta(hours=3)
    await DossierEvent.filter(dossier_id=job.id).update(at=earlier)
    await Dossier.filter(id=job.id).update(created_at=earlier)
    return await Dossier.get(id=job.id)


@pytest.mark.parametrize("skew", [-WRONG, WRONG])
async def test_device_times_are_corrected_by_the_measured_offset(
    http: httpx.AsyncClient, w: world.World, skew: timedelta
) -> None:
    job = await planned_hours_ago(w)
    n = job.order_number
    app = App(http, await token_for(http, "piet.monteur"))
    now = datetime.now(UTC)
    arrived, logged = now - timedelta(minutes=40), now - timedelta(minutes=10)
    ops = [app.op("arrive", n), app.op("add_repair_log", n, **repair_log())]
    # What the phone's clock said at each moment (it runs `skew` off).
    ops[0]["device_time"] = (arrived + skew).isoformat()
    ops[1]["device_time"] = (logged + skew).isoformat()

    result = await app.push(ops, device_now=now + skew)

    assert [o["status"] for o in result["outcomes"]] == ["applied", "applied"]
    device = await Device.get(device_id=app.device)
    assert device.clock_offset is not None
    assert abs(device.clock_offset + skew.total_seconds()) <= 5
    log = await RepairLog.get(dossier_id=job.id)
    assert log.device_time == logged + skew  # the raw value, as the phone said it
    assert log.reported_at is not None and near(log.reported_at, logged)
    werkbon = await DossierEvent.get(dossier_id=job.id, kind="werkbon")
    assert near(werkbon.at, logged) and near(werkbon.data["received_at"], now)
    move = await DossierEvent.filter(dossier_id=job.id, kind="transition").order_by("-id").first()
    assert move is not None and move.data["to"] == "in_uitvoering"
    assert near(move.at, arrived) and near(move.data["received_at"], now)
    # The timeline reads in the order things happened: arrival before the repair log.
    timeline = await DossierEvent.filter(dossier_id=job.id).order_by("at", "id")
    assert [e.kind for e in timeline][-2:] == ["transition", "werkbon"]
    # The job as the phone sees it shows the corrected time of the log.
    (snap,) = (await app.pull())["snapshot"]["jobs"]
    assert near(snap["repair_logs"][0]["at"], logged)


async def test_a_time_ahead_of_the_server_is_never_recorded_in_the_future(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    app = App(http, await token_for(http, "piet.monteur"))
    now = datetime.now(UTC)
    op = app.op("add_repair_log", job.order_number, **repair_log())
    # The phone's clock jumped forward after the log was made: it claims a later moment.
    op["device_time"] = (now + timedelta(hours=3)).isoformat()
    await app.push([op], device_now=now)
    log = await RepairLog.get(dossier_id=job.id)
    assert log.reported_at is not None and log.reported_at <= datetime.now(UTC)
    assert near(log.reported_at, now)


async def test_without_the_header_times_stay_the_servers(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    app = App(http, await token_for(http, "piet.monteur"))
    op = app.op("add_repair_log", job.order_number, **repair_log())
    op["device_time"] = (datetime.now(UTC) - WRONG).isoformat()
    await app.push([op])
    assert (await Device.get(device_id=app.device)).clock_offset is None
    log = await RepairLog.get(dossier_id=job.id)
    assert log.reported_at == log.created_at
    werkbon = await DossierEvent.get(dossier_id=job.id, kind="werkbon")
    assert "received_at" not in werkbon.data


async def test_a_move_never_lands_before_the_phase_it_leaves(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)  # the appointment was planned just now
    planned = (
        await DossierEvent.filter(dossier_id=job.id, kind="transition").order_by("-at").first()
    )
    assert planned is not None
    app = App(http, await token_for(http, "piet.monteur"))
    now = datetime.now(UTC)
    op = app.op("arrive", job.order_number)
    op["device_time"] = (now - timedelta(hours=1) - WRONG).isoformat()  # before it was planned
    await app.push([op], device_now=now - WRONG)
    move = await DossierEvent.filter(dossier_id=job.id, kind="transition").order_by("-id").first()
    assert move is not None and move.data["to"] == "in_uitvoering"
    assert move.at == planned.at and "received_at" in move.data


async def test_a_chat_message_written_offline_shows_when_it_was_written_and_when_it_arrived(
    http: httpx.AsyncClient, client_factory: object, w: world.World
) -> None:
    job = await planned_hours_ago(w)
    n = job.order_number
    app = App(http, await token_for(http, "piet.monteur"))
    now = datetime.now(UTC)
    written = now - timedelta(minutes=50)
    op = app.op("chat", n, text="Kelder staat blank, ik bel de huurder.")
    op["device_time"] = (written - WRONG).isoformat()  # the phone runs two hours behind
    await app.push([op], device_now=now - WRONG)

    message = await DossierMessage.get(dossier_id=job.id)
    assert message.device_time == written - WRONG  # the raw value, as the phone said it
    assert message.reported_at is not None and near(message.reported_at, written)
    assert near(message.created_at, now)
    # The phone, the API and the dossier page all show when it was written, and its arrival.
    (snap,) = (await app.pull())["snapshot"]["jobs"]
    (shown,) = snap["messages"]
    assert near(shown["at"], written) and near(shown["received_at"], now) and shown["late"]
    async with client_factory() as desk:  # type: ignore[operator]
        await login(desk, "anna.agent")
        (listed,) = (await desk.get(f"/api/v1/dossiers/{n}/messages")).json()["items"]
        assert listed == {k: v for k, v in shown.items() if k != "op_id"}
        page = (await desk.get(f"/dossiers/{n}")).text
    assert f'{local_day(message.reported_at)}</time> <small class="received">' in page
    assert f"(ontvangen {local_day(message.created_at)})" in page


async def test_a_chat_message_sent_at_once_shows_one_time(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    app = App(http, await token_for(http, "piet.monteur"))
    now = datetime.now(UTC)
    op = app.op("chat", job.order_number, text="Onderweg.")
    op["device_time"] = (now - WRONG).isoformat()
    await app.push([op], device_now=now - WRONG)
    (snap,) = (await app.pull())["snapshot"]["jobs"]
    (shown,) = snap["messages"]
    assert near(shown["at"], now) and not shown["late"]
