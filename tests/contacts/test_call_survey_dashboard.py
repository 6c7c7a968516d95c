"""The call survey on the dashboard: per client and per agent for the meldkamer, a client's
own averages only (no agents' names, no other client), next to the job survey."""

from __future__ import annotations

import io
from typing import Any

import httpx
import openpyxl
import pytest

from server.communication import call_surveys, surveys
from server.contacts import contacts
from server.contacts.contacts import Registration
from server.dossiers import dossiers
from server.models import CallSurvey, User
from tests.contacts.support import NOW
from tests.support import world
from tests.support.pages import login
from tests.support.world import intake

pytestmark = pytest.mark.usefixtures("clock")
PERIOD = {"van": "2026-11-16", "tot": "2026-11-18"}
HEADER = (
    "Ingevuld",
    "Vriendelijkheid",
    "Deskundigheid",
    "Behulpzaamheid",
    "Oplossing",
    "Gemiddeld",
)


async def _answered(
    agent: User, client: str, caller: str, scores: tuple[int, int, int, int] | None
) -> None:
    contact = await contacts.register(
        agent,
        None,
        Registration(client=client, subject="Vraag", result_code="algemene_vraag", caller=caller),
    )
    survey = await CallSurvey.get(contact_id=contact.id)
    if scores is not None:
        names = ("friendliness", "expertise", "helpfulness", "solution")
        await call_surveys.submit(survey, {n: str(s) for n, s in zip(names, scores, strict=True)})


async def _sheet(http: httpx.AsyncClient, key: str, **params: str) -> list[tuple[Any, ...]]:
    response = await http.get(f"/dashboard/grafiek/{key}.xlsx", params={**PERIOD, **params})
    assert response.status_code == 200, response.text
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


@pytest.fixture
async def answers(w: world.World, clock: None) -> None:
    await _answered(w.agent, "WST", "+31611111111", (5, 4, 4, 3))
    await _answered(w.supervisor, "WST", "+31622222222", (3, 3, 3, 3))
    await _answered(w.agent, "LVD", "+31633333333", (1, 1, 1, 2))
    await _answered(w.agent, "LVD", "+31644444444", None)  # invited, not answered
    # A job survey the same day: counted in its own chart only.
    d = await dossiers.create(w.agent, intake("WST"))
    await dossiers.transition(w.agent, d, "op_afstand_opgelost", {"result_code": "verholpen"})
    await surveys.submit(
        d, {"friendliness": "2", "expertise": "2", "helpfulness": "2", "solution": "2"}
    )


@pytest.mark.usefixtures("answers")
async def test_the_meldkamer_sees_every_client_and_agent(http: httpx.AsyncClient) -> None:
    await login(http, "anna.agent")
    assert await _sheet(http, "enquete_gesprek") == [
        ("Opdrachtgever", "Uitgenodigd", *HEADER),
        ("Lichtveld Wonen", 2, 1, 1, 1, 1, 2, 1.25),
        ("Woonstad Utrecht", 2, 2, 4, 3.5, 3.5, 3, 3.5),
    ]
    assert await _sheet(http, "enquete_gesprek_medewerkers") == [
        ("Medewerker", *HEADER),
        ("Anna Agent", 2, 3, 2.5, 2.5, 2.5, 2.62),
        ("Sanne Supervisie", 1, 3, 3, 3, 3, 3),
    ]
    # For one client, its agents only.
    assert await _sheet(http, "enquete_gesprek_medewerkers", klant="LVD") == [
        ("Medewerker", *HEADER),
        ("Anna Agent", 1, 1, 1, 1, 2, 1.25),
    ]
    page = await http.get("/dashboard", params=PERIOD)
    assert "Enquête na het gesprek, per medewerker (gemiddeld, 1-5)" in page.text
    assert "Enquêtescores (gemiddeld, 1 ingevuld)" in page.text  # the job survey, apart


@pytest.mark.usefixtures("answers")
async def test_a_client_sees_its_own_averages_and_no_agents(http: httpx.AsyncClient) -> None:
    await login(http, "wim.woonstad")
    assert await _sheet(http, "enquete_gesprek") == [
        ("Opdrachtgever", "Uitgenodigd", *HEADER),
        ("Woonstad Utrecht", 2, 2, 4, 3.5, 3.5, 3, 3.5),
    ]
    refused = await http.get("/dashboard/grafiek/enquete_gesprek_medewerkers.xlsx", params=PERIOD)
    assert refused.status_code == 404
    page = await http.get("/dashboard", params=PERIOD)
    assert page.status_code == 200
    assert "Enquête na het gesprek, per opdrachtgever" in page.text
    for hidden in ("Anna Agent", "Sanne Supervisie", "per medewerker", "Lichtveld"):
        assert hidden not in page.text, hidden
    other = await http.get(
        "/dashboard/grafiek/enquete_gesprek.xlsx", params={**PERIOD, "klant": "LVD"}
    )
    assert other.status_code == 404


async def test_an_answer_outside_the_period_does_not_count(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await _answered(w.agent, "WST", "+31611111111", (5, 5, 5, 5))
    await login(http, "anna.agent")
    before = {"van": "2026-10-01", "tot": "2026-10-31"}
    assert await _sheet(http, "enquete_gesprek", **before) == [
        ("Opdrachtgever", "Uitgenodigd", *HEADER)
    ]
    assert NOW.date().isoformat() == "2026-11-17"
