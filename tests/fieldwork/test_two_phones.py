"""One technician, two phones: the same report from both at the same moment lands on the
timeline twice, tells the tenant once, and neither phone gets "fout aan onze kant"."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from server.models import DossierEvent, OutboundMessage
from tests.fieldwork.support import App, job_for
from tests.support import world
from tests.support.world import token_for


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def test_two_phones_setting_off_at_the_same_moment_tell_the_tenant_once(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    n = job.order_number
    headers = await token_for(http, "piet.monteur")
    phones = [App(http, headers), App(http, headers)]
    now = datetime.now(UTC)
    ops = [phone.op("start_travel", n, eta_minutes=120) for phone in phones]
    for op in ops:
        # Both say he set off before the appointment was even made: the server records the
        # moment the job entered its phase instead, the same second for both phones, so both
        # messages to the tenant get the same outbox key.
        op["device_time"] = (now - timedelta(hours=1)).isoformat()

    answers = await asyncio.gather(
        *(phone.push([op], device_now=now) for phone, op in zip(phones, ops, strict=True))
    )

    assert [[o["status"] for o in a["outcomes"]] for a in answers] == [["applied"], ["applied"]]
    assert [a["last_seq"] for a in answers] == [1, 1]
    sms = await OutboundMessage.filter(dossier_id=job.id, kind="monteur_onderweg")
    assert [m.channel for m in sms] == ["sms"]
    assert await DossierEvent.filter(dossier_id=job.id, kind="monteur_onderweg").count() == 2
