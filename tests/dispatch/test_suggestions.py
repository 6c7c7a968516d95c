"""Suggestions from the database: rosters, homes, positions, load and coverage as stored, ranked
with a fixed clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from server.dispatch import assignments, suggestions
from server.domain.errors import Forbidden, Unprocessable
from server.models import (
    Client,
    Contractor,
    ContractorCoverage,
    Dossier,
    DossierEvent,
    Technician,
    TechnicianPosition,
)
from tests.dispatch.support import (
    ALWAYS,
    TUESDAY_10,
    UTRECHT,
    WEEKDAYS,
    build,
    set_duty,
    technician,
    triaged_dossier,
)
from tests.support import world

ZEIST = (52.089, 5.233)  # about 7 km east of the Biltstraat
GRONINGEN = (53.219, 6.566)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await build()


async def _names(dossier: Dossier, w: world.World, **kwargs: object) -> list[str]:
    found = await suggestions.suggest(w.agent, dossier, now=TUESDAY_10, **kwargs)  # type: ignore[arg-type]
    return [s.name for s in found.items]


async def test_trade_distance_and_reasons(w: world.World) -> None:
    await technician("Zeist Loodgieter", ["LOO"], ZEIST)
    await technician("Groningen Loodgieter", ["LOO"], GRONINGEN)
    await technician("Elektricien Dichtbij", ["ELE"], UTRECHT)
    d = await triaged_dossier(w.agent)
    found = await suggestions.suggest(w.agent, d, now=TUESDAY_10)
    assert [s.name for s in found.items] == [
        "Piet Monteur",
        "Zeist Loodgieter",
        "Groningen Loodgieter",
    ]
    piet = found.items[0]
    assert piet.reasons == (
        "vakdiscipline: Loodgieter",
        "in dienst tot 17:00",
        "afstand: 0,0 km vanaf thuisbasis",
        "aanrijtijd: ca. 0 min (geschat), aankomst 10:00",
        "open opdrachten: 0",
        "haalt de termijn: klaar ca. 11:00, uiterlijk wo 25 nov 10:00",
    )
    zeist = found.items[1]
    assert zeist.reasons[2] == "afstand: 7,0 km vanaf thuisbasis"
    assert zeist.reasons[3] == "aanrijtijd: ca. 14 min (geschat), aankomst 10:14"


async def test_load_counts_against_a_nearer_technician(w: world.World) -> None:
    zeist = await technician("Zeist Loodgieter", ["LOO"], ZEIST)
    for _ in range(2):
        busy = await triaged_dossier(w.agent)
        await assignments.assign(w.agent, busy, w.technician.id)
    d = await triaged_dossier(w.agent)
    found = await suggestions.suggest(w.agent, d, now=TUESDAY_10)
    # Piet is next door but has two open jobs (2 x 30 min); Zeist is 14 minutes away.
    assert [s.technician_id for s in found.items] == [zeist.id, w.technician.id]
    assert found.items[1].reasons[4] == "open opdrachten: 2"


async def test_off_duty_now_comes_after_those_on_duty_and_misses_an_acute_deadline(
    w: world.World,
) -> None:
    await technician("Nachtdienst", ["LOO"], ZEIST, roster=ALWAYS)
    evening = TUESDAY_10.replace(hour=20)
    d = await triaged_dossier(w.agent, urgency="acuut", deadline=evening + timedelta(hours=2))
    found = await suggestions.suggest(w.agent, d, now=evening)
    # Piet's shift is over and none starts before the deadline: not suitable at all.
    assert [s.name for s in found.items] == ["Nachtdienst"]
    assert found.items[0].reasons[3] == "aanrijtijd: ca. 14 min (geschat), aankomst 20:14"


async def test_on_call_counts_for_acute_only(w: world.World) -> None:
    evening = TUESDAY_10.replace(hour=20)
    await set_duty(w.technician, WEEKDAYS, UTRECHT, on_call_evenings=True)
    acute = await triaged_dossier(w.agent, urgency="acuut", deadline=evening + timedelta(hours=2))
    urgent = await triaged_dossier(w.agent, urgency="urgent", deadline=evening + timedelta(hours=2))
    found = await suggestions.suggest(w.agent, acute, now=evening)
    assert [s.name for s in found.items] == ["Piet Monteur"]
    assert found.items[0].reasons[1].startswith("piketdienst tot ")
    # Piket is for emergencies: an urgent report waits for tomorrow's shift, after its deadline.
    assert (await suggestions.suggest(w.agent, urgent, now=evening)).items == []


async def test_recent_position_with_consent_beats_home(w: world.World) -> None:
    far = await technician("Reiziger", ["LOO"], GRONINGEN)
    await Technician.filter(id=far.id).update(position_consent=True)
    await TechnicianPosition.create(
        technician=far,
        latitude=52.091,
        longitude=5.131,
        reported_at=TUESDAY_10 - timedelta(minutes=5),
    )
    d = await triaged_dossier(w.agent)
    found = await suggestions.suggest(w.agent, d, now=TUESDAY_10)
    reiziger = next(s for s in found.items if s.name == "Reiziger")
    assert reiziger.origin == "positie"
    assert reiziger.reasons[2] == "afstand: 0,1 km vanaf laatste positie (09:55)"
    # An hour-old position no longer counts: he is back at his home base.
    later = TUESDAY_10 + timedelta(hours=1)
    again = await suggestions.suggest(w.agent, d, now=later)
    assert next(s for s in again.items if s.name == "Reiziger").origin == "thuisbasis"


async def test_contractor_coverage_limits_who_is_suggested(w: world.World) -> None:
    other = await Contractor.create(code="ELDERS", name="Elders BV")
    await technician("Elders Loodgieter", ["LOO"], UTRECHT, contractor=other)
    inst = await Contractor.get(code="INST")
    client = await Client.get(code="WST")
    await ContractorCoverage.create(
        contractor=inst, client=client, trade="LOO", postcode_from=3500, postcode_to=3599
    )
    await ContractorCoverage.create(
        contractor=other, client=client, trade=None, postcode_from=1000, postcode_to=1999
    )
    d = await triaged_dossier(w.agent)
    assert await _names(d, w) == ["Piet Monteur"]


async def test_without_trade_or_for_the_wrong_role(w: world.World) -> None:
    d = await triaged_dossier(w.agent)
    await Dossier.filter(id=d.id).update(trade=None)
    d = await Dossier.get(id=d.id)
    with pytest.raises(
        Unprocessable, match=f"Dossier {d.order_number} heeft nog geen vakdiscipline"
    ):
        await suggestions.suggest(w.agent, d, now=TUESDAY_10)
    assert await _names(d, w, trade="LOO") == ["Piet Monteur"]
    for user in (w.client_user, w.tech_user):
        with pytest.raises(Forbidden, match="Alleen de meldkamer"):
            await suggestions.suggest(user, d, now=TUESDAY_10)


async def test_acute_report_is_assigned_automatically_when_the_client_wants_it(
    w: world.World,
) -> None:
    d = await triaged_dossier(w.agent, urgency="acuut", deadline=None)
    assert await suggestions.auto_assign(w.agent, d) is None  # client has not asked for it
    client = await Client.get(code="WST")
    client.settings = {"auto_assign_acuut": True}
    await client.save()
    # Piet on duty around the clock so the real clock of this test does not matter.
    await set_duty(w.technician, ALWAYS, UTRECHT)
    choice = await suggestions.auto_assign(w.agent, d)
    assert choice is not None and choice.name == "Piet Monteur"
    d = await Dossier.get(id=d.id)
    assert (d.phase, d.technician_id) == ("doorgezet_naar_monteur", w.technician.id)
    event = await DossierEvent.get(dossier_id=d.id, kind="auto_assigned")
    assert event.actor_name == "systeem"
    assert event.data["technician"] == "Piet Monteur"
    assert event.data["why"].startswith("acuut, en Woonstad Utrecht laat acute meldingen")
    assert "vakdiscipline: Loodgieter" in event.data["reasons"]
