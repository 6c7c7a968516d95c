"""Every path that changes what the dashboard or the portal shows tells the client's live
channels, once per change and after the commit: the technician app's sync, the archive job,
a survey answer. A refused operation tells nobody."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from server import live
from server.communication import surveys
from server.dossiers import archive, dossiers
from server.models import Dossier
from tests.fieldwork.support import App, job_for
from tests.support import world
from tests.support.world import intake, token_for

CHANNELS = ["client:WST", "dashboard:WST", "dashboard:*", "client:LVD", "dashboard:LVD"]


@dataclass
class Heard:
    """(channel, event, published phase, phase stored in the database when it arrived)."""

    messages: list[tuple[str, str, str, str]] = field(default_factory=list)

    def channels(self) -> list[str]:
        return sorted(m[0] for m in self.messages)


@contextlib.asynccontextmanager
async def listening() -> AsyncIterator[Heard]:
    heard = Heard()

    async def listen() -> None:
        async for message in live.broker.subscribe(CHANNELS):
            data = message["data"]
            stored = await Dossier.get(order_number=data["order_number"]).values_list(
                "phase", flat=True
            )
            heard.messages.append((message["channel"], message["event"], data["phase"], stored))

    task = asyncio.create_task(listen())
    await asyncio.sleep(0.05)
    try:
        yield heard
        await asyncio.sleep(0.2)  # let the listener read what was published
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


THREE = ["client:WST", "dashboard:*", "dashboard:WST"]


async def test_technician_sync_reaches_the_clients_channels_after_commit(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    app = App(http, await token_for(http, "piet.monteur"))
    async with listening() as heard:
        result = await app.push([app.op("arrive", job.order_number)])
    assert result["outcomes"][0]["status"] == "applied"
    # One message per channel of Woonstad, none for Lichtveld; a page that re-reads on it
    # finds the new phase in the database.
    assert heard.channels() == THREE
    assert {m[2:] for m in heard.messages} == {("in_uitvoering", "in_uitvoering")}
    assert {m[1] for m in heard.messages} == {"changed", "dossier"}


async def test_a_refused_app_operation_tells_nobody(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    app = App(http, await token_for(http, "piet.monteur"))
    async with listening() as heard:
        # 'Afgerond' straight from an appointment is not allowed: a conflict, no change.
        result = await app.push([app.op("complete", job.order_number, result_code="verholpen")])
    assert result["outcomes"][0]["status"] == "conflict"
    assert heard.messages == []


async def test_a_batch_tells_after_its_block_and_not_when_it_fails(w: world.World) -> None:
    from tortoise.transactions import in_transaction

    from server.dossiers import events
    from server.insight import changes

    d = await dossiers.create(w.agent, intake("WST"))
    async with listening() as heard, changes.batch(), in_transaction() as conn:
        await events.record(d, "contact", w.agent, datetime.now(UTC), conn, how="telefoon")
        await events.record(d, "updated", w.agent, datetime.now(UTC), conn)
        await asyncio.sleep(0.1)
        assert heard.messages == []  # nothing while the transaction is open
    assert heard.channels() == THREE  # once for both events
    async with listening() as heard:
        with pytest.raises(RuntimeError):
            async with changes.batch(), in_transaction() as conn:
                await events.record(d, "contact", w.agent, datetime.now(UTC), conn)
                raise RuntimeError("rolled back")
        await events.record(d, "note", w.agent, datetime.now(UTC), text="geen wijziging")
    assert heard.messages == []  # rolled back, and a note changes no figure


async def test_archiving_and_a_survey_reach_the_dashboard(w: world.World) -> None:
    d = await dossiers.create(w.agent, intake("WST"))
    await dossiers.transition(w.agent, d, "op_afstand_opgelost", {"result_code": "verholpen"})
    async with listening() as heard:
        await surveys.submit(
            d, {"friendliness": "5", "expertise": "4", "helpfulness": "5", "solution": "4"}
        )
    assert heard.channels() == THREE
    later = datetime.now(UTC) + timedelta(days=30)
    async with listening() as heard:
        assert await archive.archive_closed(14, at=later) == 1
    assert heard.channels() == THREE
    assert {m[2:] for m in heard.messages} == {("gearchiveerd", "gearchiveerd")}


async def test_an_assignment_and_its_appointment_reach_the_portal(w: world.World) -> None:
    from server.dispatch import assignments

    d = await dossiers.create(w.agent, intake("WST"))
    async with listening() as heard:
        await assignments.assign(w.agent, d, w.technician.id)
    assert [m[:3] for m in heard.messages if m[0] == "client:WST"] == [
        ("client:WST", "dossier", "doorgezet_naar_monteur")
    ]
