"""Order numbers (server/dossiers/ordernumbers.py): unique and counting up per year; on
PostgreSQL no intake waits for another's commit to be numbered, at the price of a gap where an
intake was rolled back (docs/deploy.md, "Order numbers")."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from tortoise.transactions import in_transaction

from server import db, settings
from server.dossiers import dossiers
from server.dossiers.ordernumbers import next_order_number
from server.models import OrderCounter
from tests.dossiers.test_dossier_service import intake
from tests.support import world

on_postgres = pytest.mark.skipif(
    not settings.DATABASE_URL.startswith("postgres"), reason="numbering by sequence: PostgreSQL"
)
AT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


@on_postgres
async def test_an_intake_is_numbered_while_another_holds_its_transaction_open(
    w: world.World,
) -> None:
    """The counter row made every intake wait for the previous one's commit."""
    await dossiers.create(w.agent, intake(), at=AT)  # the year's first makes the sequence
    taken, release = asyncio.Event(), asyncio.Event()

    async def hold() -> str:  # another request: its own task, its own connection
        async with in_transaction() as conn:
            number = await next_order_number(conn, AT)
            taken.set()
            await release.wait()
        return number

    holder = asyncio.create_task(hold())
    await taken.wait()
    try:
        # Done while the first still holds its number, uncommitted.
        made = await asyncio.wait_for(dossiers.create(w.agent, intake(), at=AT), timeout=15)
    finally:
        release.set()
    assert await holder == "MK-2026-000002"
    assert made.order_number == "MK-2026-000003"


@on_postgres
async def test_a_rolled_back_intake_leaves_a_gap_and_numbers_stay_unique(w: world.World) -> None:
    class Refused(Exception):
        pass

    first = await dossiers.create(w.agent, intake(), at=AT)
    with pytest.raises(Refused):
        async with in_transaction() as conn:
            assert await next_order_number(conn, AT) == "MK-2026-000002"
            raise Refused
    made = await asyncio.gather(
        *(dossiers.create(w.agent, intake(name=f"Huurder {i}"), at=AT) for i in range(20))
    )
    numbers = sorted(d.order_number for d in made)
    assert first.order_number == "MK-2026-000001"
    assert numbers == [f"MK-2026-{i:06d}" for i in range(3, 23)]


@on_postgres
async def test_a_year_numbered_by_the_counter_row_goes_on_after_its_last_number(
    w: world.World,
) -> None:
    """A database numbered before the sequences: the year's sequence starts after the row."""
    await OrderCounter.create(year=2026, value=41)
    first = await dossiers.create(w.agent, intake(), at=AT)
    assert first.order_number == "MK-2026-000042"
    # Each year counts on its own; the new year starts at 1.
    new_year = await dossiers.create(w.agent, intake(), at=datetime(2027, 1, 1, 9, tzinfo=UTC))
    assert new_year.order_number == "MK-2027-000001"
    assert (await dossiers.create(w.agent, intake(), at=AT)).order_number == "MK-2026-000043"


@on_postgres
async def test_emptying_the_database_starts_the_numbers_again(w: world.World) -> None:
    """Tests and benchmarks start from nothing: the sequences go with the rows."""
    await dossiers.create(w.agent, intake(), at=AT)
    await db.empty_all_tables()
    w = await world.build()
    assert (await dossiers.create(w.agent, intake(), at=AT)).order_number == "MK-2026-000001"
