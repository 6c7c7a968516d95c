"""What the job screen is built from: what the report is about without saying "Overig" twice,
when he set off and the arrival the tenant was given, when he arrived, and whether the tenant
signed the werkbon."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from server.models import Dossier
from tests.fieldwork.support import App, close, job_for
from tests.support import world
from tests.support.world import token_for


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _snapshot(app: App, number: str) -> dict[str, Any]:
    body = await app.pull()
    jobs = (
        body["snapshot"]["jobs"] if body["reset"] else [c["data"]["job"] for c in body["changes"]]
    )
    (job,) = [j for j in jobs if j["order_number"] == number]
    return dict(job)


@pytest.mark.parametrize(
    ("category", "trade", "description", "subject", "shown_trade"),
    [
        ("overig", "OVE", "Deurbel doet het niet. Al twee dagen.", "Deurbel doet het niet", ""),
        ("overig", "OVE", "", "Overig", ""),
        (
            "overig",
            "TIM",
            "Keukenkastje is van de muur gekomen en hangt nu aan één scharnier boven het aanrecht",
            "Keukenkastje is van de muur gekomen en hangt nu aan één…",
            "Timmerman",
        ),
        ("calamiteit_overig", "OVE", "Muur ingestort", "Calamiteit overig", ""),
        ("lekkage_woning", "DAK", "Water langs de lamp", "Lekkage aan woning", "Dakdekker"),
    ],
)
async def test_the_subject_says_what_it_is_about_once(
    http: httpx.AsyncClient,
    w: world.World,
    category: str,
    trade: str,
    description: str,
    subject: str,
    shown_trade: str,
) -> None:
    job = await job_for(w, w.technician)
    await Dossier.filter(id=job.id).update(category=category, trade=trade, description=description)
    app = App(http, await token_for(http, "piet.monteur"))

    snapshot = await _snapshot(app, job.order_number)

    assert (snapshot["subject"], snapshot["trade"]) == (subject, shown_trade)


async def test_on_the_way_arrived_and_signed(http: httpx.AsyncClient, w: world.World) -> None:
    job = await job_for(w, w.technician, ago=timedelta(hours=3))
    n = job.order_number
    app = App(http, await token_for(http, "piet.monteur"))
    planned = await _snapshot(app, n)
    assert (planned["on_the_way"], planned["arrived_at"]) == (None, None)

    travelling = (await app.push([app.op("start_travel", n)]))["outcomes"][0]["result"]
    snapshot = await _snapshot(app, n)
    assert snapshot["on_the_way"]["eta"] == travelling["eta"]

    await app.push([app.op("arrive", n)])
    on_site = await _snapshot(app, n)
    assert on_site["on_the_way"] is None and on_site["arrived_at"] is not None
    assert datetime.fromisoformat(on_site["arrived_at"]) >= datetime.fromisoformat(
        snapshot["on_the_way"]["at"]
    )

    await app.push([close(app, n)])
    done = await _snapshot(app, n)
    (log,) = done["repair_logs"]
    assert log["signed"] is True and "signature" not in log
    assert (log["minutes"], log["work_done"]) == (35, "Sifon vervangen")
