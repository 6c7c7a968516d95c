"""Acuut and urgent jobs go 'op locatie' without a planned appointment; planned work does not."""

from __future__ import annotations

import httpx
import pytest

from server.dossiers import dossiers
from server.models import Dossier, DossierEvent
from tests.fieldwork.support import App
from tests.support import world
from tests.support.world import token_for


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def sent_to_piet(w: world.World, urgency: str) -> Dossier:
    d = await dossiers.create(w.agent, world.intake())
    await dossiers.transition(
        w.agent, d, "doorgezet_naar_monteur", {"technician_id": w.technician.id}
    )
    await Dossier.filter(id=d.id).update(urgency=urgency)
    return await Dossier.get(id=d.id)


async def test_acuut_job_goes_on_location_from_the_app_and_the_timeline_says_why(
    http: httpx.AsyncClient, w: world.World
) -> None:
    acuut = await sent_to_piet(w, "acuut")
    planned = await sent_to_piet(w, "niet_urgent")
    app = App(http, await token_for(http, "piet.monteur"))
    await app.pull()
    result = await app.push(
        [app.op("arrive", acuut.order_number), app.op("arrive", planned.order_number)]
    )

    first, second = result["outcomes"]
    assert first["status"] == "applied"
    assert (await Dossier.get(id=acuut.id)).phase == "in_uitvoering"
    move = await DossierEvent.filter(dossier_id=acuut.id, kind="transition").order_by("-id").first()
    assert move is not None
    assert move.data["to"] == "in_uitvoering"
    assert move.data["reason"] == "Op locatie zonder afspraak (acuut of urgent)"
    # Planned work without an appointment: refused, told, and what he reported is kept.
    assert second["status"] == "conflict"
    assert "plan eerst een afspraak" in second["reason"]
    assert (await Dossier.get(id=planned.id)).phase == "doorgezet_naar_monteur"
    refused = await DossierEvent.get(dossier_id=planned.id, kind="veldmelding_geweigerd")
    assert refused.data["intent"] == "Op locatie"
    notices = [c for c in (await app.pull())["changes"] if c["kind"] == "notice"]
    assert [n["job"] for n in notices] == [planned.order_number]
