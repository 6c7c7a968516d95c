"""Group commit of intakes (PostgreSQL, server/dossiers/intake.py): concurrent intakes of one
process are stored together in one transaction, each still numbered, triaged, with its own
timeline and the tenant's messages; one that the database refuses fails alone."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from server import db, settings
from server.dossiers import intake
from server.jobs import queue
from server.models import Dossier, DossierEvent, OutboundMessage
from server.protocols import protocols
from server.protocols.triage import TriageInput
from tests.dossiers.test_intake_statements import counting
from tests.support import world

pytestmark = pytest.mark.skipif(
    not settings.DATABASE_URL.startswith("postgres"), reason="group commit: PostgreSQL"
)
LEAK = TriageInput("lekkage_afvoer", {"bewoonbaarheid": "nee", "belemmering": "ja"})


@pytest.fixture
async def w(db_clean: None) -> world.World:
    built = await world.build()
    await protocols.current(built.woonstad)
    return built


async def test_concurrent_intakes_are_stored_together_each_complete(w: world.World) -> None:
    await intake.create(w.agent, world.intake(), LEAK)  # the year's sequence is there
    with counting() as statements:
        made = await asyncio.gather(
            *(
                intake.create(w.agent, world.intake(contact_name=f"Huurder {i}"), LEAK)
                for i in range(20)
            )
        )
    await queue.stop_inline()
    numbers = sorted(d.order_number for d in made)
    year = datetime.now(UTC).year
    assert numbers == [f"MK-{year}-{i:06d}" for i in range(2, 22)]
    # Fewer inserts than intakes: they went in batches, not one transaction each.
    inserts = [s for s in statements if s.lstrip().startswith('INSERT INTO "dossier"')]
    assert 1 <= len(inserts) < 20
    for dossier in made:
        stored = await Dossier.get(order_number=dossier.order_number)
        assert stored.contact_name == dossier.contact_name and stored.urgency == "urgent"
        assert stored.triage_outcome  # the save hook's column, set for a batch too
        kinds = await DossierEvent.filter(dossier_id=stored.id).values_list("kind", flat=True)
        assert {"created", "triage"} <= set(kinds)
        texts = await OutboundMessage.filter(dossier_id=stored.id).values_list("body", flat=True)
        assert len(texts) == 1 and stored.order_number in texts[0]


async def test_an_intake_the_database_refuses_fails_alone(w: world.World) -> None:
    await intake.create(w.agent, world.intake(), LEAK)
    conn = db.connection()
    await conn.execute_script(
        """
        CREATE FUNCTION refuse_intake() RETURNS trigger AS $$
        BEGIN
          IF NEW.contact_name = 'Weiger' THEN RAISE EXCEPTION 'geweigerd'; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql;
        CREATE TRIGGER refuse_intake BEFORE INSERT ON dossier
          FOR EACH ROW EXECUTE FUNCTION refuse_intake();
        """
    )
    try:
        names = [f"Huurder {i}" for i in range(6)] + ["Weiger"] + [f"Huurder {i}" for i in (6, 7)]
        outcomes = await asyncio.gather(
            *(intake.create(w.agent, world.intake(contact_name=n), LEAK) for n in names),
            return_exceptions=True,
        )
    finally:
        await conn.execute_script(
            "DROP TRIGGER refuse_intake ON dossier; DROP FUNCTION refuse_intake();"
        )
    await queue.stop_inline()
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1 and "geweigerd" in str(refused[0])
    stored = await Dossier.filter(contact_name__startswith="Huurder").values_list(
        "contact_name", flat=True
    )
    assert sorted(stored) == sorted(n for n in names if n != "Weiger")
    assert not await Dossier.filter(contact_name="Weiger").exists()
    # Each stored one has its timeline and message; nothing of the refused one is left.
    assert await DossierEvent.filter(kind="triage").count() == 9
    assert await OutboundMessage.all().count() == 9


async def test_backdated_intakes_of_two_years_in_one_batch_count_each_in_their_year(
    w: world.World,
) -> None:
    last_year, this_year = datetime(2026, 12, 31, 12, tzinfo=UTC), datetime(2027, 1, 2, tzinfo=UTC)
    made = await asyncio.gather(
        *(
            intake.create(w.agent, world.intake(), LEAK, at=at)
            for at in (last_year, this_year, last_year, this_year)
        )
    )
    numbers = sorted(d.order_number for d in made)
    assert numbers == ["MK-2026-000001", "MK-2026-000002", "MK-2027-000001", "MK-2027-000002"]


def _attributes(row: object) -> dict[str, object]:
    # A database default is a fresh marker object per row: compared by its kind.
    return {
        k: type(v).__name__ if type(v).__name__ == "DatabaseDefault" else v
        for k, v in vars(row).items()
    }


async def test_the_intake_rows_are_built_as_the_orm_builds_them(w: world.World) -> None:
    """db.new, the intake's cheap constructor, sets what Model(...) sets, defaults included."""
    dossier = await intake.create(w.agent, world.intake(), LEAK)
    at = datetime(2026, 3, 2, 10, tzinfo=UTC)
    cases: list[tuple[type, dict[str, object]]] = [
        (
            Dossier,
            {
                "client": w.woonstad,
                "created_by": w.agent,
                "created_at": at,
                "description": "Lekkage",
                "triage": {"outcome": {"action": "inplannen"}},
                "contact_phone": "+31612345678",
            },
        ),
        (
            DossierEvent,
            {"dossier": dossier, "client_id": dossier.client_id, "kind": "created", "at": at},  # type: ignore[attr-defined]
        ),
        (
            OutboundMessage,
            {
                "dossier": dossier,
                "client": w.woonstad,
                "channel": "sms",
                "kind": "melding_ontvangen",
                "status": "wachtrij",
                "key": "x",
                "body": "tekst",
            },
        ),
    ]
    for model, values in cases:
        assert _attributes(db.new(model, **values)) == _attributes(model(**values)), model


async def test_a_hundred_intakes_at_once_go_in_full_batches(w: world.World) -> None:
    """The limit of intakes at once per process (INTAKE_CONCURRENCY) lets the writer's batches
    fill: at the pool's size they stayed small, and each intake cost PostgreSQL twice."""
    await intake.create(w.agent, world.intake(), LEAK)
    with counting() as statements:
        made = await asyncio.gather(
            *(
                intake.create(w.agent, world.intake(contact_name=f"Huurder {i}"), LEAK)
                for i in range(100)
            )
        )
    await queue.stop_inline()
    assert len({d.order_number for d in made}) == 100
    inserts = [s for s in statements if s.lstrip().startswith('INSERT INTO "dossier"')]
    assert len(inserts) <= 3, len(inserts)  # batches of up to 50; twenty at a time made five
