"""Live streams over HTTP: each user hears only about dossiers in his scope, with no more in an
event than he may see, and only for as long as he may see it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.types import ASGIApp

from server.dispatch import assignments
from server.dossiers import dossiers
from server.jobs import queue
from server.models import User
from tests.support import scoped
from tests.support.pages import csrf, login
from tests.support.streams import cookie_header, open_stream
from tests.support.world import token_for


@pytest.fixture(autouse=True)
async def _no_waiting_jobs(app: ASGIApp) -> AsyncIterator[None]:
    yield
    await queue.stop_inline(0)  # messages the moves queued are not these tests' business


async def _analyse(s: scoped.Scoped) -> None:
    """A phase move on each client's dossier, Lichtveld's first."""
    for d in (s.other, s.own):
        await dossiers.transition(s.w.agent, d, "analyseren", {})


async def test_client_portal_and_dashboard_streams_carry_only_own_dossiers(
    http: httpx.AsyncClient, app: ASGIApp
) -> None:
    s = await scoped.build()
    await login(http, "wim.woonstad")
    session = cookie_header(http)
    async with (
        open_stream(app, "/portaal/live", session) as portal,
        open_stream(app, "/dashboard/live", session) as dashboard,
        # Naming the other client in the query does not reach its channel.
        open_stream(app, "/portaal/live?klant=LVD", session) as named,
    ):
        assert (portal.status, dashboard.status, named.status) == (200, 200, 200)
        await _analyse(s)
        wanted = {"order_number": s.own.order_number, "phase": "analyseren"}
        assert await portal.events_within(0.3) == [("dossier", wanted)]
        assert await dashboard.events_within(0.3) == [("changed", wanted)]
        assert await named.events_within(0.3) == [("dossier", wanted)]


async def test_a_technician_hears_his_job_only_while_it_is_his(
    http: httpx.AsyncClient, app: ASGIApp
) -> None:
    s = await scoped.build()
    anna = await token_for(http, "anna.agent")
    await login(http, "piet.monteur")
    async with open_stream(app, f"/dossiers/{s.own.order_number}/live", cookie_header(http)) as job:
        assert job.status == 200
        chat = f"/api/v1/dossiers/{s.own.order_number}/messages"
        await http.post(chat, json={"text": "Sleutel ligt bij de buren"}, headers=anna)
        event, data = await job.next_event()
        assert (event, data["text"]) == ("message", "Sleutel ligt bij de buren")
        # The job goes to Kees: what follows is no longer Piet's business.
        await assignments.assign(s.w.agent, s.own, s.w.other_technician.id)
        await http.post(chat, json={"text": "Code van de deur: 4321"}, headers=anna)
        heard = await job.text_within(0.3)
        assert "4321" not in heard and "Kees" not in heard
    assert (await http.get(f"/dossiers/{s.own.order_number}")).status_code == 404


async def test_a_stream_ends_when_its_user_may_no_longer_see_it(
    http: httpx.AsyncClient, app: ASGIApp
) -> None:
    s = await scoped.build()
    await login(http, "wim.woonstad")
    session = cookie_header(http)
    async with (
        open_stream(app, "/portaal/live", session) as portal,
        open_stream(app, f"/dossiers/{s.own.order_number}/live", session) as page,
    ):
        await User.filter(username="wim.woonstad").update(active=False)
        await _analyse(s)
        assert await portal.events_within(0.3) == []
        assert await page.events_within(0.3) == []


async def test_logging_out_ends_the_streams_of_that_session(
    http: httpx.AsyncClient, app: ASGIApp
) -> None:
    s = await scoped.build()
    await login(http, "anna.agent")
    session = cookie_header(http)
    async with open_stream(app, "/meldkamer/live", session) as board:
        token = csrf((await http.get("/dossiers")).text)
        assert (await http.post("/logout", data={"csrf_token": token})).status_code == 303
        await _analyse(s)
        assert await board.events_within(0.3) == []
