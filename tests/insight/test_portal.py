"""The client portal: its own open dossiers only, and live events when one of them changes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest

from server import live
from server.dossiers import dossiers
from server.models import Dossier
from tests.support import world
from tests.support.pages import login


@pytest.fixture
async def w(db_clean: None) -> world.World:
    built = await world.build()
    for i, client in enumerate([built.woonstad, built.woonstad, built.lichtveld]):
        await Dossier.create(
            order_number=f"MK-2026-{i + 1:06d}",
            client=client,
            created_at=datetime(2026, 1, 5 + i, 9, tzinfo=UTC),
            channel="telefoon",
            category="lekkage_woning",
            phase="nieuw" if i != 1 else "afgerond",
            contact_name="Huurder",
            contact_phone="+31301234567",
        )
    return built


async def test_portal_lists_own_open_dossiers(http: httpx.AsyncClient, w: world.World) -> None:
    await login(http, "wim.woonstad")
    page = await http.get("/portaal?klant=LVD")  # ignored: a client user sees its own
    assert page.status_code == 200
    assert "Open dossiers (1)" in page.text
    assert "MK-2026-000001" in page.text
    assert "MK-2026-000002" not in page.text  # closed
    assert "MK-2026-000003" not in page.text  # Lichtveld's
    assert "/protocollen/WST" in page.text


async def test_desk_opens_a_clients_portal(http: httpx.AsyncClient, w: world.World) -> None:
    await login(http, "anna.agent")
    page = await http.get("/portaal?klant=LVD")
    assert "MK-2026-000003" in page.text and "MK-2026-000001" not in page.text
    assert (await http.get("/portaal?klant=XXX")).status_code == 404


async def test_a_change_reaches_the_clients_channels(w: world.World) -> None:
    dossier = await Dossier.get(order_number="MK-2026-000001")
    received: list[tuple[str, str]] = []

    async def listen(channels: list[str], count: int) -> None:
        async for message in live.broker.subscribe(channels):
            received.append((message["channel"], message["event"]))
            if len(received) >= count:
                return

    task = asyncio.create_task(
        listen(["client:WST", "dashboard:WST", "dashboard:*", "client:LVD"], 3)
    )
    await asyncio.sleep(0.05)
    await dossiers.record_contact(w.agent, dossier, "telefoon", "Huurder gebeld")
    await asyncio.wait_for(task, 2)
    assert sorted(received) == [
        ("client:WST", "dossier"),
        ("dashboard:*", "changed"),
        ("dashboard:WST", "changed"),
    ]
