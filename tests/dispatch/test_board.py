"""The board's deadlines: an acuut dossier counts down until someone is on site; then it says
"ter plaatse" (and how late he arrived, if he did) and sorts after those still waiting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from server.dispatch import assignments, board
from server.dossiers import dossiers
from server.models import Dossier
from tests.dispatch.support import TUESDAY_10, build, triaged_dossier
from tests.support import world
from tests.support.world import token_for

NORM = timedelta(minutes=120)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await build()


async def _acute(w: world.World, reported: datetime, arrival: datetime | None) -> Dossier:
    """An acuut report with the deadline of the default norm; on site at `arrival` if given."""
    d = await triaged_dossier(w.agent, urgency="acuut", deadline=reported + NORM)
    await assignments.assign(w.agent, d, w.technician.id, at=reported + timedelta(minutes=5))
    if arrival is not None:
        await dossiers.transition(w.tech_user, d, "in_uitvoering", {}, at=arrival)
    return d


async def test_on_site_settles_the_deadline_and_sorts_after_the_waiting(w: world.World) -> None:
    now = TUESDAY_10 + timedelta(hours=3)
    late = await _acute(w, TUESDAY_10, arrival=TUESDAY_10 + NORM + timedelta(minutes=12))
    in_time = await _acute(w, TUESDAY_10 - timedelta(hours=1), arrival=TUESDAY_10)
    waiting = await _acute(w, TUESDAY_10 + timedelta(minutes=30), arrival=None)
    urgent = await triaged_dossier(w.agent, deadline=TUESDAY_10 + timedelta(hours=24))
    rows = await board.open_dossiers(w.agent, board.Filters(), now)
    by_number = {r["order_number"]: r for r in rows}
    # Waiting first (acuut before urgent), then those with someone on site, by deadline.
    assert [r["order_number"] for r in rows] == [
        waiting.order_number,
        urgent.order_number,
        in_time.order_number,
        late.order_number,
    ]
    shown = {
        n: (r["deadline_text"], r["minutes_left"], r["overdue"], r["late_on_arrival_minutes"])
        for n, r in by_number.items()
    }
    assert shown == {
        waiting.order_number: ("30 min te laat", -30, True, None),
        urgent.order_number: ("nog 21 u 0 min", 21 * 60, False, None),
        in_time.order_number: ("ter plaatse", None, False, 0),
        late.order_number: ("ter plaatse, 12 min te laat aangekomen", None, False, 12),
    }
    assert by_number[late.order_number]["on_site_at"] == "2026-11-24T11:12:00+00:00"
    assert by_number[waiting.order_number]["on_site"] is False


async def test_a_deadline_to_finish_keeps_counting_on_site(w: world.World) -> None:
    d = await triaged_dossier(w.agent, urgency="urgent", deadline=TUESDAY_10 + timedelta(hours=2))
    await assignments.assign(w.agent, d, w.technician.id, at=TUESDAY_10)
    await dossiers.transition(w.tech_user, d, "in_uitvoering", {}, at=TUESDAY_10)
    [row] = await board.open_dossiers(w.agent, board.Filters(), TUESDAY_10 + timedelta(hours=3))
    assert (row["on_site"], row["deadline_text"], row["overdue"]) == (
        True,
        "1 u 0 min te laat",
        True,
    )


async def test_board_api_shows_ter_plaatse(http: httpx.AsyncClient, w: world.World) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    reported = now - NORM - timedelta(minutes=30)
    late = await _acute(w, reported, arrival=reported + NORM + timedelta(minutes=12))
    waiting = await _acute(w, now - timedelta(minutes=10), arrival=None)
    body = (await http.get("/api/v1/board", headers=await token_for(http, "anna.agent"))).json()
    rows = [(d["order_number"], d["deadline_text"], d["overdue"]) for d in body["dossiers"]]
    assert [r[0] for r in rows] == [waiting.order_number, late.order_number]
    assert rows[0][1] in ("nog 1 u 50 min", "nog 1 u 49 min")  # the clock moves on meanwhile
    assert rows[1][1:] == ("ter plaatse, 12 min te laat aangekomen", False)
