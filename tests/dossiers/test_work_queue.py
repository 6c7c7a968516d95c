"""The work queue at /dossiers: open dossiers by time left to their deadline, overdue ones in
red (an appointment after the deadline too), and "mijn dossiers"."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
import time_machine

from server.dossiers import dossiers
from server.models import Dossier, User
from tests.dispatch.support import TUESDAY_10, triaged_dossier
from tests.support import world
from tests.support.pages import login

NOW = TUESDAY_10


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _made(by: User, urgency: str, deadline_hours: float | None, **changes: object) -> str:
    deadline = NOW + timedelta(hours=deadline_hours) if deadline_hours is not None else None
    d = await triaged_dossier(by, urgency=urgency, deadline=deadline)
    if changes:
        await Dossier.filter(id=d.id).update(**changes)
    return d.order_number


def _rows(html: str) -> list[tuple[str, bool, str]]:
    """(order number, marked overdue, the deadline text) per row of the queue, in order."""
    found = []
    for row in re.findall(r"<tr\s+(?:class=\"overdue\"\s+)?data-order=.*?</tr>", html, re.S):
        number = re.search(r'data-order="([^"]+)"', row)
        standing = re.search(r"<span data-standing>([^<]*)</span>", row)
        assert number and standing
        found.append((number.group(1), row.startswith('<tr class="overdue"'), standing.group(1)))
    return found


async def test_queue_by_time_left_with_late_appointments_overdue(
    http: httpx.AsyncClient, w: world.World
) -> None:
    later = await _made(w.supervisor, "urgent", 20)
    missed = await _made(w.supervisor, "acuut", -3)
    # Acuut, still two hours to go, but booked for five hours from now: late already.
    booked_late = await _made(
        w.supervisor,
        "acuut",
        2,
        phase="afspraak_ingepland",
        technician_id=w.technician.id,
        appointment_start=NOW + timedelta(hours=5),
        appointment_end=NOW + timedelta(hours=6),
    )
    no_deadline = await _made(w.agent, "niet_urgent", None)
    with time_machine.travel(NOW, tick=False):
        await login(http, "anna.agent")
        page = await http.get("/dossiers")
        detail = await http.get(f"/dossiers/{booked_late}")
    assert "<h1>Werkvoorraad</h1>" in page.text
    assert _rows(page.text) == [
        (missed, True, "3 u 0 min te laat"),
        (booked_late, True, "afspraak 3 u 0 min na de termijn (nog 2 u 0 min)"),
        (later, False, "nog 20 u 0 min"),
        (no_deadline, False, "geen termijn"),
    ]
    # The dossier page says it too, in red.
    assert (
        '<span class="deadline overdue" data-standing>uiterlijk di 24-11-2026 12:00 · '
        "afspraak 3 u 0 min na de termijn (nog 2 u 0 min)</span>"
    ) in detail.text


async def test_newest_first_on_request_and_for_all_phases(
    http: httpx.AsyncClient, w: world.World
) -> None:
    first = await _made(w.agent, "urgent", 1)
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        second = await dossiers.create(w.agent, world.intake("WST", contact_name="Later"))
    with time_machine.travel(NOW, tick=False):
        await login(http, "anna.agent")
        newest = await http.get("/dossiers?volgorde=nieuw")
        everything = await http.get("/dossiers?fase=")
        bad = await http.get("/dossiers?volgorde=willekeurig")
    assert [r[0] for r in _rows(newest.text)] == [second.order_number, first]
    assert [r[0] for r in _rows(everything.text)] == [second.order_number, first]
    assert "<h1>Dossiers</h1>" in everything.text
    assert bad.status_code == 422 and "Onbekende volgorde &#39;willekeurig&#39;" in bad.text


async def test_my_dossiers_are_those_i_took_in_or_worked_on(
    http: httpx.AsyncClient, w: world.World
) -> None:
    taken_in = await _made(w.agent, "urgent", 10)
    worked_on = await _made(w.supervisor, "urgent", 5)
    await _made(w.supervisor, "urgent", 1)  # Sanne's alone: not Anna's
    await dossiers.add_note(w.agent, await Dossier.get(order_number=worked_on), "Huurder gebeld.")
    with time_machine.travel(NOW, tick=False):
        await login(http, "anna.agent")
        mine = await http.get("/dossiers?mijn=1")
    assert "<h1>Mijn dossiers</h1>" in mine.text
    assert [r[0] for r in _rows(mine.text)] == [worked_on, taken_in]
    assert 'href="/dossiers?mijn=1" accesskey="m"' in mine.text
