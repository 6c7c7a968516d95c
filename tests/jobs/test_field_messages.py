"""What the technician does in the app tells the tenant: "monteur onderweg" with his first name
and arrival time when he sets off, "afgerond" with the survey link when he closes the job.
Through the real sync API, with the jobs in-process (no Redis) and on a real arq worker."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from server.dossiers import dossiers
from server.jobs import queue
from server.models import DossierEvent, OutboundMessage
from tests.fieldwork.support import App, close
from tests.jobs.test_send_message_job import run_worker
from tests.support import world
from tests.support.channels import Channels, new_dossier, plan
from tests.support.world import token_for

AMS = ZoneInfo("Europe/Amsterdam")

# An appointment he sets off for now: the tenant is told his arrival, not the appointment.
SOON = timedelta(minutes=30)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


def sms_texts(channels: Channels) -> list[str]:
    texts = [m["body"]["content"] for r in channels.cm.received for m in r["messages"]["msg"]]
    channels.cm.received.clear()
    return texts


async def settled() -> None:
    """Let the in-process jobs finish (what a restart or the next request would see)."""
    for _ in range(200):
        if not queue._running and not await OutboundMessage.filter(status="wachtrij").exists():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("messages still waiting")


async def test_on_the_way_and_done_from_the_app_reach_the_tenant_in_process(
    http: httpx.AsyncClient, w: world.World, channels: Channels
) -> None:
    d = await plan(w, await new_dossier(w, email=""), SOON)
    await settled()
    assert len(sms_texts(channels)) == 1  # the appointment
    app = App(http, await token_for(http, "piet.monteur"))
    n = d.order_number
    setting_off = [app.op("start_travel", n, eta_minutes=25)]
    answer = await app.push(setting_off)
    eta = datetime.fromisoformat(answer["outcomes"][0]["result"]["eta"])
    await settled()
    (text,) = sms_texts(channels)
    assert f"monteur Piet is onderweg naar u voor melding {n}" in text
    assert f"Verwachte aankomst rond {eta.astimezone(AMS):%H:%M}" in text
    # The app sends the same operation again (its answer was lost): nothing new goes out.
    await app.push(setting_off)
    await settled()
    assert sms_texts(channels) == []
    await app.push([app.op("arrive", n), close(app, n)])
    await settled()
    (done,) = sms_texts(channels)
    assert f"uw melding {n} is afgerond" in done and "/enquete/" in done
    rows = await OutboundMessage.filter(dossier_id=d.id).order_by("id")
    assert [(r.kind, r.status) for r in rows] == [
        ("afspraak_ingepland", "verzonden"),
        ("monteur_onderweg", "verzonden"),
        ("afgerond", "verzonden"),
    ]
    onderweg = await DossierEvent.get(dossier_id=d.id, kind="monteur_onderweg")
    assert datetime.fromisoformat(onderweg.data["eta"]) == eta
    assert onderweg.actor_name == "Piet Monteur"  # he set off, not "systeem"


async def test_on_the_way_from_the_app_goes_out_through_the_worker(
    redis_url: str, http: httpx.AsyncClient, w: world.World, channels: Channels
) -> None:
    d = await plan(w, await new_dossier(w, email=""), SOON)
    assert await run_worker(redis_url) == (1, 0)
    sms_texts(channels)
    app = App(http, await token_for(http, "piet.monteur"))
    await app.push([app.op("start_travel", d.order_number, eta_minutes=25)])
    assert await run_worker(redis_url) == (1, 0)
    (text,) = sms_texts(channels)
    assert "monteur Piet is onderweg" in text


async def test_an_on_the_way_that_arrives_after_its_eta_tells_the_tenant_nothing(
    http: httpx.AsyncClient, w: world.World, channels: Channels
) -> None:
    """The app was offline: by the time "onderweg" reaches the server he should be there."""
    two_hours_ago = dossiers.now() - timedelta(hours=2)
    d = await dossiers.create(w.agent, world.intake(), two_hours_ago)
    await dossiers.transition(
        w.agent, d, "doorgezet_naar_monteur", {"technician_id": w.technician.id}, two_hours_ago
    )
    app = App(http, await token_for(http, "piet.monteur"))
    op = app.op("start_travel", d.order_number, eta_minutes=20)
    op["device_time"] = (datetime.now(AMS) - timedelta(minutes=45)).isoformat()
    answer = await app.push([op], device_now=datetime.now(AMS))
    assert answer["outcomes"][0]["status"] == "applied"
    await settled()
    assert sms_texts(channels) == []
    assert not await OutboundMessage.filter(dossier_id=d.id, kind="monteur_onderweg").exists()
    # The timeline still has it, with the time he set off.
    event = await DossierEvent.get(dossier_id=d.id, kind="monteur_onderweg")
    assert event.at < dossiers.now() - timedelta(minutes=40)
