"""The ranking index a server process keeps across suggestions: what another process changes
in the database (a trade, a roster, an absence, coverage, a position, an assignment) shows in
the next suggestion, and the answer is what loading and ranking everyone gives."""

from __future__ import annotations

from datetime import timedelta

import pytest

from server.dispatch import candidates, kept, suggestions
from server.domain.dispatch import rank
from server.models import (
    Absence,
    Contractor,
    ContractorCoverage,
    Dossier,
    RosterEntry,
    Technician,
    TechnicianPosition,
)
from tests.dispatch.support import TUESDAY_10, UTRECHT, build, technician, triaged_dossier
from tests.support import world

ZEIST = (52.089, 5.233)
AMERSFOORT = (52.156, 5.387)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await build()


async def _found(dossier: Dossier) -> dict[str, suggestions.Suggestion]:
    found = await suggestions.ranked(dossier, now=TUESDAY_10)
    return {s.name: s for s in found.items}


async def test_the_index_is_kept_until_something_changes(w: world.World) -> None:
    await technician("Zeist Loodgieter", ["LOO"], ZEIST)
    d = await triaged_dossier(w.agent)
    await _found(d)
    horizon = timedelta(days=2)
    first = await kept.index(TUESDAY_10, horizon, candidates.rules())
    assert await kept.index(TUESDAY_10 + timedelta(minutes=5), horizon, candidates.rules()) is first
    await Technician.filter(name="Zeist Loodgieter").update(phone="0612345678")
    assert await kept.index(TUESDAY_10, horizon, candidates.rules()) is not first


async def test_changes_made_elsewhere_show_in_the_next_suggestion(w: world.World) -> None:
    zeist = await technician("Zeist Loodgieter", ["LOO"], ZEIST)
    amersfoort = await technician("Amersfoort Loodgieter", ["LOO"], AMERSFOORT)
    d = await triaged_dossier(w.agent)
    assert {"Zeist Loodgieter", "Amersfoort Loodgieter"} <= set(await _found(d))

    # Another process (or a person at the database) changes rows; no call to this process.
    await Technician.filter(id=zeist.id).update(trades=["ELE"])
    assert "Zeist Loodgieter" not in await _found(d)
    await Technician.filter(id=zeist.id).update(trades=["LOO", "ELE"])
    assert "Zeist Loodgieter" in await _found(d)

    await RosterEntry.filter(technician_id=amersfoort.id).delete()
    assert "Amersfoort Loodgieter" not in await _found(d)

    await Absence.create(
        technician=zeist,
        kind="ziek",
        starts_on=TUESDAY_10.date(),
        ends_on=TUESDAY_10.date() + timedelta(days=3),
        created_at=TUESDAY_10,
    )
    assert "Zeist Loodgieter" not in await _found(d)
    await Absence.filter(technician_id=zeist.id).delete()
    assert "Zeist Loodgieter" in await _found(d)

    # His contractor stops covering Woonstad's addresses: only the meldkamer's own remain.
    firm = await Contractor.create(code="ZEIST", name="Zeister Installatie")
    await Technician.filter(id=zeist.id).update(contractor_id=firm.id)
    other = await Contractor.create(code="ELDERS", name="Elders BV")
    await ContractorCoverage.create(
        contractor=other, client=w.woonstad, postcode_from=1000, postcode_to=9999
    )
    assert "Zeist Loodgieter" not in await _found(d)


async def test_positions_and_load_are_current(w: world.World) -> None:
    zeist = await technician("Zeist Loodgieter", ["LOO"], ZEIST)
    d = await triaged_dossier(w.agent)
    before = (await _found(d))["Zeist Loodgieter"]
    assert before.origin == "thuisbasis" and before.open_jobs == 0

    await Technician.filter(id=zeist.id).update(position_consent=True)
    await TechnicianPosition.create(
        technician=zeist,
        latitude=UTRECHT[0],
        longitude=UTRECHT[1],
        reported_at=TUESDAY_10 - timedelta(minutes=3),
    )
    moved = (await _found(d))["Zeist Loodgieter"]
    assert moved.origin == "positie" and moved.distance_km < before.distance_km
    await TechnicianPosition.filter(technician_id=zeist.id).update(
        latitude=ZEIST[0], longitude=ZEIST[1]
    )
    assert (await _found(d))["Zeist Loodgieter"].distance_km == pytest.approx(before.distance_km)
    await TechnicianPosition.filter(technician_id=zeist.id).update(
        latitude=UTRECHT[0], longitude=UTRECHT[1]
    )
    assert (await _found(d))["Zeist Loodgieter"].origin == "positie"
    await TechnicianPosition.filter(technician_id=zeist.id).delete()
    assert (await _found(d))["Zeist Loodgieter"].origin == "thuisbasis"

    other = await triaged_dossier(w.agent)
    await Dossier.filter(id=other.id).update(technician_id=zeist.id, phase="afspraak_ingepland")
    assert (await _found(d))["Zeist Loodgieter"].open_jobs == 1
    await Dossier.filter(id=other.id).update(phase="afgerond")
    assert (await _found(d))["Zeist Loodgieter"].open_jobs == 0


async def test_the_kept_answer_is_what_ranking_everyone_gives(w: world.World) -> None:
    homes = [(52.0 + i * 0.02, 5.0 + (i % 7) * 0.05) for i in range(40)]
    for i, home in enumerate(homes):
        tech = await technician(f"Monteur {i:02d}", ["LOO"] if i % 3 else ["LOO", "CVI"], home)
        if i % 4 == 0:
            await Technician.filter(id=tech.id).update(position_consent=True)
            await TechnicianPosition.create(
                technician=tech,
                latitude=home[0] + 0.05,
                longitude=home[1],
                reported_at=TUESDAY_10 - timedelta(minutes=i),
            )
    rules = candidates.rules()
    for trade, urgency in (("LOO", "urgent"), ("CVI", "acuut"), ("LOO", "niet_urgent")):
        d = await triaged_dossier(w.agent, trade=trade, urgency=urgency)
        for now in (TUESDAY_10, TUESDAY_10 + timedelta(minutes=20)):
            found = await suggestions.ranked(d, now=now)
            job = candidates.job_for(d)
            everyone = await candidates.load(now, horizon=timedelta(days=3))
            coverage = await candidates.coverage(d.client_id)  # type: ignore[attr-defined]
            assert found.items == rank(job, everyone, now, rules=rules, coverage=coverage)
