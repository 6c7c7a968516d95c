"""Pruning the change log and resetting a device: a lagging device gets a full reset, never a
silent gap; what the server remembers of delivered jobs survives; queued work is not redone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from server.dossiers import dossiers
from server.fieldwork import changefeed, sync_store
from server.models import ChangeLog, DossierMessage, RepairLog, SyncPrune
from tests.fieldwork.support import App, job_for, repair_log
from tests.support import world
from tests.support.world import token_for


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def age_changes(days: int) -> None:
    """Everything in the change log so far happened `days` ago."""
    await ChangeLog.all().update(at=datetime.now(UTC) - timedelta(days=days))


async def desk_writes(http: httpx.AsyncClient, number: str, text: str) -> None:
    desk = await token_for(http, "anna.agent")
    r = await http.post(f"/api/v1/dossiers/{number}/messages", json={"text": text}, headers=desk)
    assert r.status_code == 201


async def test_a_device_behind_the_pruned_horizon_is_reset_the_others_carry_on(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    headers = await token_for(http, "piet.monteur")
    lagging, current = App(http, headers), App(http, headers)
    await lagging.pull()
    await current.pull()
    await desk_writes(http, job.order_number, "Sleutel ligt bij de buren.")
    assert [c["kind"] for c in (await current.pull())["changes"]] == ["job"]
    await age_changes(40)

    assert await changefeed.prune(30) >= 1
    assert (await SyncPrune.get()).through_id == await changefeed.horizon()

    behind = await lagging.pull()
    assert behind["reset"] is True
    (snap,) = behind["snapshot"]["jobs"]
    assert snap["messages"][-1]["text"] == "Sleutel ligt bij de buren."
    onward = await current.pull()
    assert onward["reset"] is False and onward["changes"] == []
    await desk_writes(http, job.order_number, "Huurder belt nog.")
    assert [c["kind"] for c in (await current.pull())["changes"]] == ["job"]
    # Pruning again with nothing old enough changes nothing.
    assert await changefeed.prune(30) == 0
    assert await SyncPrune.all().count() == 1


async def test_a_job_taken_away_long_ago_still_takes_his_offline_work(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    piet = App(http, await token_for(http, "piet.monteur"))
    await piet.pull()
    d = await dossiers.get(w.agent, job.order_number)
    await dossiers.transition(
        w.agent,
        d,
        "doorgezet_naar_monteur",
        {"technician_id": w.other_technician.id, "reason": "Andere monteur"},
    )
    await piet.pull()  # told it was withdrawn
    await age_changes(40)
    await changefeed.prune(30)
    kinds = await ChangeLog.filter(dossier_id=d.id).values_list("kind", flat=True)
    assert kinds == ["withdrawn"]  # the one row that remembers it was his

    result = await piet.push(
        [
            piet.op("add_repair_log", job.order_number, **repair_log()),
            piet.op("chat", job.order_number, text="Nog nagekomen."),
        ]
    )
    assert [o["status"] for o in result["outcomes"]] == ["applied", "applied"]
    assert await RepairLog.filter(dossier_id=d.id).count() == 1
    assert await DossierMessage.filter(dossier_id=d.id).count() == 1
    # He had seen everything up to the horizon: no reset, and the kept row is not taken for a
    # change (no second withdrawal).
    after = await piet.pull()
    assert after["reset"] is False and after["changes"] == []


async def test_reset_device_makes_its_next_pull_a_full_reset_and_keeps_its_queue(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    headers = await token_for(http, "piet.monteur")
    phone, tablet = App(http, headers), App(http, headers)
    await phone.pull()
    await tablet.pull()
    n = job.order_number
    ops = [phone.op("chat", n, text="Onderweg naar de kelder.")]
    await phone.push(ops)

    assert await sync_store.reset_devices("Piet.Monteur", phone.device) == 1
    assert (await phone.pull())["reset"] is True
    assert (await tablet.pull())["reset"] is False
    # The queue's numbering survives a reset: a replay is answered, not applied again.
    again = await phone.push(ops)
    assert again["outcomes"][0]["status"] == "applied" and again["last_seq"] == 1
    assert await DossierMessage.filter(dossier_id=job.id).count() == 1
    assert await sync_store.reset_devices("piet.monteur") == 2
    assert (await tablet.pull())["reset"] is True
    with pytest.raises(Exception, match="Apparaat 'onbekend-apparaat' van piet.monteur"):
        await sync_store.reset_devices("piet.monteur", "onbekend-apparaat")
    with pytest.raises(Exception, match="Gebruiker 'niemand' bestaat niet."):
        await sync_store.reset_devices("niemand")
