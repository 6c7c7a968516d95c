"""The columns the dashboard reads instead of the timeline, kept by every path that writes it.

Each test drives one writer (the dossier services with the archive and retention jobs, triage,
a move dated back, the technician app's sync, the migration's backfill of old rows), then checks
the stored facts against hand-worked values and against their definitions over the whole timeline
(tests/insight/facts.py). The demo's check is in tests/test_demo.py. SQLite and PostgreSQL.
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import httpx
import pytest

from server import db
from server.dossiers import dossiers, events
from server.dossiers.archive import archive_closed
from server.dossiers.retention import anonymise_archived
from server.models import Dossier, DossierEvent
from server.protocols import triage
from server.protocols.triage import TriageInput
from tests.fieldwork.support import App, close, job_for
from tests.insight import facts, known
from tests.support import world

T0 = datetime(2025, 5, 5, 8, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _moves(dossier: Dossier) -> list[tuple[str | None, float | None]]:
    return [
        (e.from_phase, None if e.phase_hours is None else round(e.phase_hours, 4))
        for e in await DossierEvent.filter(dossier_id=dossier.id, kind="transition").order_by(
            "at", "id"
        )
    ]


async def test_services_archive_and_retention_keep_the_facts(w: world.World) -> None:
    d = await dossiers.create(w.agent, world.intake("WST"), at(0))
    send = {"technician_id": w.technician.id}
    await dossiers.transition(w.agent, d, "doorgezet_naar_monteur", send, at(0.25))
    await dossiers.record_contact(w.agent, d, "telefoon", "Afspraak gemaakt.", at(0.5))
    await dossiers.transition(w.agent, d, "afspraak_ingepland", {"appointment_start": at(3)}, at(1))
    await dossiers.transition(w.agent, d, "in_uitvoering", {}, at(3))
    await dossiers.add_note(w.agent, d, "Onderdeel besteld.", at(3.5))
    again = {**send, "reason": "Materiaal nodig"}
    await dossiers.transition(w.agent, d, "doorgezet_naar_monteur", again, at(4))
    await dossiers.transition(w.agent, d, "afspraak_ingepland", {"appointment_start": at(7)}, at(5))
    await dossiers.transition(w.agent, d, "in_uitvoering", {}, at(7))
    await dossiers.transition(w.agent, d, "afgerond", {"result_code": "verholpen"}, at(9))
    assert await archive_closed(14, at=at(9 + 15 * 24)) == 1
    assert await anonymise_archived(30, at=at(9 + 60 * 24)) == 1

    stored = await Dossier.get(id=d.id)
    assert (stored.visits, stored.first_visit_at, stored.remote_solved) == (2, at(3), False)
    # Notes, contact and the anonymising are no steps: the hours run from move to move.
    assert await _moves(d) == [
        ("nieuw", 0.25),
        ("doorgezet_naar_monteur", 0.75),
        ("afspraak_ingepland", 2.0),
        ("in_uitvoering", 1.0),
        ("doorgezet_naar_monteur", 1.0),
        ("afspraak_ingepland", 2.0),
        ("in_uitvoering", 2.0),
        ("afgerond", 15 * 24.0),
    ]
    kinds = await DossierEvent.filter(dossier_id=d.id).values_list("kind", "client_id")
    assert {"created", "contact", "note", "anonymised"} <= {k for k, _ in kinds}
    assert {c for _, c in kinds} == {w.woonstad.id}
    assert await facts.mismatches() == []


async def test_remote_solution_is_marked_without_a_visit(w: world.World) -> None:
    d = await dossiers.create(w.agent, world.intake("LVD"), at(0))
    await dossiers.transition(
        w.agent, d, "op_afstand_opgelost", {"result_code": "telefonisch_opgelost"}, at(0.5)
    )
    stored = await Dossier.get(id=d.id)
    assert (stored.visits, stored.first_visit_at, stored.remote_solved) == (0, None, True)
    assert await _moves(d) == [("nieuw", 0.5)]
    assert await facts.mismatches() == []


async def test_triage_keeps_its_outcome_label_in_a_column(w: world.World) -> None:
    d = await dossiers.create(w.agent, world.intake("WST"), at(0))
    leak = {"bewoonbaarheid": "nee", "gevolgschade": "beperkt", "afdekken": "nee"}
    await triage.apply(w.agent, d, TriageInput("lekkage_woning", leak, at(0)), at(0.1))
    stored = await Dossier.get(id=d.id)
    assert stored.triage_outcome and stored.triage_outcome == stored.triage["outcome"]["label"]
    assert await facts.mismatches() == []


async def test_a_move_dated_back_corrects_the_step_after_it(w: world.World) -> None:
    d = await dossiers.create(w.agent, world.intake("WST"), at(0))
    await events.record(d, "transition", w.agent, at(3), **{"from": "analyseren", "to": "x"})
    assert await _moves(d) == [("analyseren", 3.0)]
    # Written later, happened earlier: 'nieuw' lasted 1 h, 'analyseren' 2 h, not 3.
    await events.record(d, "transition", w.agent, at(1), **{"from": "nieuw", "to": "analyseren"})
    assert await _moves(d) == [("nieuw", 1.0), ("analyseren", 2.0)]
    # A first visit written after a later one is still the first.
    for hours in (8, 6):
        await events.record(d, "transition", w.agent, at(hours), to="in_uitvoering")
    stored = await Dossier.get(id=d.id)
    assert (stored.visits, stored.first_visit_at) == (2, at(6))
    assert await facts.mismatches() == []


async def test_the_technician_app_keeps_them_too(http: httpx.AsyncClient, w: world.World) -> None:
    job = await job_for(w, w.technician)
    app = App(http, await world.token_for(http, "piet.monteur"))
    n = job.order_number
    pushed = await app.push([app.op("arrive", n), close(app, n)])
    assert [o["status"] for o in pushed["outcomes"]] == ["applied"] * 2, pushed
    arrived = await DossierEvent.get(
        dossier_id=job.id, kind="transition", from_phase="afspraak_ingepland"
    )
    stored = await Dossier.get(id=job.id)
    assert (stored.visits, stored.first_visit_at) == (1, arrived.at)
    assert [p for p, _ in await _moves(job)][-2:] == ["afspraak_ingepland", "in_uitvoering"]
    assert await facts.mismatches() == []


async def test_the_migration_fills_old_rows_as_the_hooks_do(db_clean: None) -> None:
    k = await known.build()
    expected = await _snapshot()
    # Rows as they were before the columns existed (and a wrong client, to be corrected).
    await DossierEvent.all().update(client_id=k.lichtveld.id, from_phase=None, phase_hours=None)
    await Dossier.all().update(
        visits=0, first_visit_at=None, remote_solved=False, triage_outcome=None
    )
    assert await facts.mismatches() != []

    migration = importlib.import_module("server.migrations.0013_insight_facts")
    await migration.backfill(None, SimpleNamespace(client=db.connection()))
    assert await facts.mismatches() == []
    assert await _snapshot() == expected


async def _snapshot() -> list[object]:
    rows: list[object] = list(
        await Dossier.all()
        .order_by("id")
        .values_list("id", "visits", "first_visit_at", "remote_solved", "triage_outcome")
    )
    for e in await DossierEvent.all().order_by("id"):
        hours = None if e.phase_hours is None else round(e.phase_hours, 6)
        rows.append((e.id, e.client_id, e.from_phase, hours))
    return rows
