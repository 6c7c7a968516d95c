"""The dossier chat on the desk and portal pages, and its live stream's scoping."""

from __future__ import annotations

import re

import httpx
import pytest

from server.models import DossierMessage
from tests.fieldwork.support import App, job_for
from tests.support import world
from tests.support.world import PASSWORD, token_for


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def login(http: httpx.AsyncClient, username: str) -> str:
    page = await http.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    r = await http.post(
        "/login", data={"csrf_token": token.group(1), "username": username, "password": PASSWORD}
    )
    assert r.status_code == 303
    return token.group(1)


async def test_desk_and_client_write_in_the_chat_the_technician_reads_it(
    http: httpx.AsyncClient, client_factory: object, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    n = job.order_number
    csrf = await login(http, "anna.agent")
    r = await http.post(
        f"/dossiers/{n}/berichten", data={"csrf_token": csrf, "text": "Sleutel ligt bij de buren."}
    )
    assert r.status_code == 303
    empty = await http.post(f"/dossiers/{n}/berichten", data={"csrf_token": csrf, "text": "  "})
    assert empty.status_code == 422 and "Een bericht mag niet leeg zijn." in empty.text
    async with client_factory() as portal:  # type: ignore[operator]
        csrf = await login(portal, "wim.woonstad")
        await portal.post(
            f"/dossiers/{n}/berichten", data={"csrf_token": csrf, "text": "Bel even aan."}
        )
        page = await portal.get(f"/dossiers/{n}")
        assert "Sleutel ligt bij de buren." in page.text and "Bel even aan." in page.text
    async with client_factory() as other:  # type: ignore[operator]
        csrf = await login(other, "lisa.lichtveld")
        denied = await other.post(
            f"/dossiers/{n}/berichten", data={"csrf_token": csrf, "text": "x"}
        )
        assert denied.status_code == 404
        assert (await other.get(f"/dossiers/{n}/live")).status_code == 404
    assert await DossierMessage.filter(dossier_id=job.id).count() == 2
    async with client_factory() as phone:  # type: ignore[operator]
        app = App(phone, await token_for(phone, "piet.monteur"))
        (snap,) = (await app.pull())["snapshot"]["jobs"]
    assert [m["text"] for m in snap["messages"]] == ["Sleutel ligt bij de buren.", "Bel even aan."]
