"""The telephony figures on a hand-built week of calls across the end of summer time, through
the database (SQLite and PostgreSQL), the API, the dashboard and its Excel sheet."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import httpx
import openpyxl
import pytest
import time_machine

from server import db
from server.domain.kpis import Grain, Period
from server.insight import telephony
from server.insight.figures import Scope
from server.models import Client, Contact
from tests.contacts.support import TENANT, WST_LINE, signed
from tests.contacts.support import telephony as telephony_lines
from tests.support import world
from tests.support.pages import login

# Monday 19 to Sunday 25 October 2026; summer time ends on the Sunday at 03:00.
WEEK = Period(datetime(2026, 10, 19).date(), datetime(2026, 10, 25).date())
Q = "from=2026-10-19&to=2026-10-25"


async def call(
    client: Client,
    at: datetime,
    *,
    wait: int | None = None,
    talk: int | None = None,
    wrap: int | None = None,
    channel: str = "telefoon_in",
    result: str | None = None,
    transferred: bool = False,
) -> Contact:
    """A contact as the call events leave it: answered when it has a talk time."""
    answered = at + timedelta(seconds=wait or 0) if talk is not None else None
    ended = (answered + timedelta(seconds=talk)) if answered and talk is not None else None
    if answered is None and wait is not None:
        ended = at + timedelta(seconds=wait)
    state = (
        "gemist" if answered is None and ended else ("afgerond" if wrap is not None else "nawerk")
    )
    return await Contact.create(
        client=client,
        channel=channel,
        state=state,
        offered_at=at,
        answered_at=answered,
        ended_at=ended,
        wait_seconds=wait,
        talk_seconds=talk,
        wrap_seconds=wrap,
        result_code=result,
        result_label={"opdracht": "Leidt tot opdracht", "algemene_vraag": "Algemene vraag"}.get(
            result or "", ""
        ),
        transferred_at=ended if transferred else None,
        created_at=at,
    )


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=UTC)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    built = await world.build()
    wst, lvd = built.woonstad, built.lichtveld
    await call(wst, utc(18, 22, 30), wait=20, talk=100, wrap=20)  # Monday 00:30 local
    await call(wst, utc(19, 7, 30), wait=30, talk=200, wrap=60, result="opdracht")  # Mon 09:30
    await call(wst, utc(19, 7, 40), wait=31, talk=100)  # 09:40, still in wrap-up
    await call(wst, utc(20, 12), wait=45)  # Tuesday 14:00, hung up after 45 s
    await call(wst, utc(25, 12), wait=5, talk=60, wrap=0, result="opdracht", transferred=True)
    await call(wst, utc(25, 23, 30), wait=5, talk=60, wrap=0)  # Monday 26th 00:30: not in it
    await call(wst, utc(19, 8), wait=0, talk=90, wrap=0, channel="telefoon_uit")
    await call(wst, utc(21, 9), channel="email", result="algemene_vraag")
    await call(lvd, utc(19, 7, 30), wait=10, talk=50, wrap=10)
    return built


async def test_figures_of_a_client_in_local_time(w: world.World) -> None:
    t = await telephony.figures(Scope((w.woonstad.id,)), WEEK, Grain.DAG, 80)
    c = t.calls.total
    assert (c.offered, c.answered, c.within, c.abandoned, c.transferred) == (5, 4, 3, 1, 1)
    assert c.service_level == 60.0  # a wait of exactly 30 s counts, 31 s does not
    assert (c.average_wait, c.average_talk, c.average_handling) == (21.5, 115.0, 135.0)
    cells = {(d, h): n for d in range(7) for h in range(24) if (n := t.calls.grid.offered[d][h])}
    # Monday 00:30 and 09:xx in summer time, Sunday 13:00 in winter time.
    assert cells == {(0, 0): 1, (0, 9): 2, (1, 14): 1, (6, 13): 1}
    assert t.calls.grid.answered[1][14] == 0
    assert [(d.isoformat(), n.offered, n.service_level) for d, n in t.calls.series.items()] == [
        ("2026-10-19", 3, 66.7),
        ("2026-10-20", 1, 0.0),
        ("2026-10-25", 1, 100.0),
    ]
    assert t.channels == [("telefoon_in", 5), ("email", 1), ("telefoon_uit", 1)]
    assert t.results == [
        ("opdracht", "Leidt tot opdracht", 2),
        ("algemene_vraag", "Algemene vraag beantwoord", 1),
    ]
    assert t.order_share == 66.7


async def test_whole_meldkamer_and_empty_scope(w: world.World) -> None:
    everyone = await telephony.figures(Scope(None), WEEK, Grain.WEEK, 80)
    assert everyone.calls.total.offered == 6
    assert [n.offered for n in everyone.calls.series.values()] == [6]
    nobody = await telephony.figures(Scope(()), WEEK, Grain.WEEK, 80)
    assert nobody.calls.total.offered == 0 and nobody.calls.total.service_level is None
    assert db.dialect() in ("sqlite", "postgres")


async def get(http: httpx.AsyncClient, who: str, query: str) -> httpx.Response:
    return await http.get(
        f"/api/v1/figures/telephony?{query}", headers=await world.token_for(http, who)
    )


async def test_api_per_role(http: httpx.AsyncClient, w: world.World) -> None:
    w.woonstad.settings = {**w.woonstad.settings, "service_level_norm": 90}
    await w.woonstad.save()
    answer = await get(http, "anna.agent", f"client=WST&{Q}")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["client"] == "WST" and (body["from"], body["to"]) == ("2026-10-19", "2026-10-25")
    assert (body["offered"], body["answered"], body["answered_within_30s"]) == (5, 4, 3)
    assert (body["service_level"], body["abandoned"], body["norm"]) == (60.0, 1, 90)
    assert body["per_hour"][9] == {"hour": 9, "offered": 2, "answered": 2}
    assert sum(h["offered"] for h in body["per_hour"]) == 5
    assert body["heatmap"]["offered"][6][13] == 1
    # The desk without a client: the whole meldkamer, at the default norm.
    whole = (await get(http, "sanne.supervisie", Q)).json()
    assert (whole["client"], whole["offered"], whole["norm"]) == (None, 6, 80)
    # A client's user: its own figures, with or without naming itself.
    own = (await get(http, "wim.woonstad", Q)).json()
    assert (own["client"], own["offered"]) == ("WST", 5)
    assert (await get(http, "wim.woonstad", f"client=WST&{Q}")).json()["offered"] == 5
    other = await get(http, "lisa.lichtveld", f"client=WST&{Q}")
    assert other.status_code == 404
    assert "WST" in other.json()["error"]["message"]
    assert (await get(http, "lisa.lichtveld", Q)).json()["offered"] == 1
    refused = await get(http, "piet.monteur", Q)
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("query", "field", "text"),
    [
        ("from=2026-10-25&to=2026-10-19", "to", "ligt voor de begindatum"),
        ("from=2026-02-30&to=2026-10-19", "from", "geen geldige datum"),
        ("from=19-10-2026&to=2026-10-25", "from", "geen geldige datum"),
        ("to=2026-10-25", "from", "Geef 'from'"),
        ("from=2024-01-01&to=2026-10-25", "from", "hoogstens 400 dagen"),
        (f"{Q}&per=uur", "per", "Onbekende waarde"),
    ],
)
async def test_api_bad_dates_are_a_dutch_422(
    http: httpx.AsyncClient, w: world.World, query: str, field: str, text: str
) -> None:
    answer = await get(http, "anna.agent", query)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == field
    assert text in answer.json()["error"]["message"]


async def test_posted_call_events_show_up_in_the_figures(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await telephony_lines(w)
    at = datetime(2026, 11, 17, 8, 0, tzinfo=UTC)  # Tuesday 09:00 in Amsterdam
    with time_machine.travel(at + timedelta(minutes=5), tick=False):
        for kind, seconds in (("offered", 0), ("answered", 12), ("ended", 140)):
            event = {
                "call_id": "fig-1",
                "event": kind,
                "at": (at + timedelta(seconds=seconds)).isoformat(),
                "from": TENANT,
                "to": WST_LINE,
                "agent": "anna.agent",
            }
            body = json.dumps(event).encode()
            sent = await http.post(
                "/api/v1/telephony/events",
                content=body,
                headers={"content-type": "application/json", **signed(body)},
            )
            assert sent.status_code == 200, sent.text
        answer = await get(http, "wim.woonstad", "from=2026-11-17&to=2026-11-17")
    body = answer.json()
    assert (body["offered"], body["answered_within_30s"], body["service_level"]) == (1, 1, 100.0)
    assert body["per_hour"][9]["answered"] == 1
    assert body["average_wait_seconds"] == 12.0 and body["average_talk_seconds"] == 128.0


async def test_dashboard_shows_service_level_against_norm_and_heatmap(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "wim.woonstad")
    page = await http.get("/dashboard?van=2026-10-19&tot=2026-10-25")
    assert page.status_code == 200
    html = page.text
    assert "Servicelevel (binnen 30 s)" in html and "60%" in html
    assert "norm 80%: niet gehaald" in html
    assert "Gesprekken aangeboden per weekdag en uur" in html
    assert 'class="sr">Gesprekken aangeboden per weekdag en uur' in html
    sheet = await http.get("/dashboard/telefonie.xlsx?van=2026-10-19&tot=2026-10-25")
    assert sheet.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    values = {row[0]: row[1] for row in book["Telefonie"].iter_rows(values_only=True) if row[0]}
    assert values["Aangeboden gesprekken"] == 5
    assert values["Servicelevel (%)"] == 60
    assert values["Verloren (opgehangen voor aannemen)"] == 1
    chart = await http.get(
        "/dashboard/grafiek/bezetting_aangeboden.xlsx?van=2026-10-19&tot=2026-10-25"
    )
    assert chart.status_code == 200
    grid = list(
        openpyxl.load_workbook(io.BytesIO(chart.content)).active.iter_rows(values_only=True)
    )
    assert grid[1][0] == "ma" and grid[1][1 + 9] == 2  # Monday 09:00
