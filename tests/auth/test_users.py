"""Users made by `meldkamer createuser`: a technician comes with the technician the desk sends
jobs to."""

from __future__ import annotations

import httpx
import pytest

from server.auth.users import create_user
from server.domain.errors import Unprocessable
from server.dossiers import dossiers
from server.models import Technician, User
from tests.support import world
from tests.support.world import token_for

PASSWORD = "kaasschaaf fietsbel regenjas"


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def test_a_new_technician_can_be_sent_a_job_and_sees_it(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await create_user(
        "joost.monteur",
        "technician",
        PASSWORD,
        full_name="Joost de Vries",
        trades=["ELE"],
        home_postcode="3572 AB",
    )
    technician = await Technician.get(user__username="joost.monteur")
    assert (technician.name, technician.trades, technician.home_postcode) == (
        "Joost de Vries",
        ["ELE"],
        "3572AB",
    )
    d = await dossiers.create(w.agent, world.intake())
    sent = await http.post(
        f"/api/v1/dossiers/{d.order_number}/assign",
        json={"technician_id": technician.id},
        headers=await token_for(http, "anna.agent"),
    )
    assert sent.status_code == 200, sent.text
    login = await http.post(
        "/api/v1/auth/token", json={"username": "joost.monteur", "password": PASSWORD}
    )
    own = {"Authorization": f"Bearer {login.json()['token']}"}
    jobs = await http.get("/api/v1/technician/jobs", headers=own)
    assert jobs.status_code == 200, jobs.text
    assert [job["order_number"] for job in jobs.json()["items"]] == [d.order_number]


async def test_a_technician_without_a_trade_is_refused_and_not_half_made(
    db_clean: None,
) -> None:
    with pytest.raises(Unprocessable) as refused:
        await create_user("joost.monteur", "technician", PASSWORD, home_postcode="3572AB")
    assert refused.value.message.startswith("Een monteur heeft minstens één vakdiscipline nodig")
    assert refused.value.field == "trade"
    assert not await User.exists(username="joost.monteur")
