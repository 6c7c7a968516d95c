"""Dossier use cases against the real database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from server.domain.errors import Conflict, Forbidden, NotFound, Unprocessable
from server.dossiers import dossiers
from server.dossiers.archive import archive_closed
from server.dossiers.dossiers import AddressInput, DossierInput
from server.models import Dossier, DossierEvent
from tests.fieldwork.support import write_werkbon
from tests.support import world


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


def intake(name: str = "Jan de Vries", postcode: str = "3572AB", **kw: object) -> DossierInput:
    return DossierInput(
        client=str(kw.pop("client", "WST")),
        address=AddressInput(postcode=postcode, house_number=int(kw.pop("number", 10))),  # type: ignore[call-overload]
        contact_name=name,
        contact_phone="0612345678",
        channel="telefoon",
        category="cv_storing",
        description="Geen warm water",
        **kw,  # type: ignore[arg-type]
    )


async def test_full_life_of_a_dossier_is_on_the_timeline(w: world.World) -> None:
    d = await dossiers.create(w.agent, intake())
    t0 = d.created_at
    steps = [
        (w.agent, "analyseren", {}),
        (w.agent, "doorgezet_naar_monteur", {"technician_id": w.technician.id}),
        (w.agent, "afspraak_ingepland", {"appointment_start": t0 + timedelta(hours=3)}),
        (w.tech_user, "in_uitvoering", {}),
        (w.tech_user, "afgerond", {"result_code": "verholpen"}),
        (w.supervisor, "gearchiveerd", {}),
    ]
    for user, target, data in steps:
        if target == "afgerond":
            await write_werkbon(w, d)  # he closes only with the visit's werkbon
        await dossiers.transition(user, d, target, data)
    stored = await Dossier.get(id=d.id)
    assert stored.phase == "gearchiveerd"
    assert stored.result_code == "verholpen"
    assert stored.closed_at is not None
    assert stored.version == 7
    events = await DossierEvent.filter(dossier_id=d.id).order_by("id")
    moves = [e for e in events if e.kind not in ("bericht", "werkbon")]
    assert [e.kind for e in events].count("werkbon") == 1
    assert [e.kind for e in moves] == ["created"] + ["transition"] * 6
    assert [e.data.get("to") for e in moves[1:]] == [s[1] for s in steps]
    assert moves[4].actor_name == "Piet Monteur"
    # The tenant is told of the appointment and the end; no SMS channel is set up in tests.
    told = [(e.data["about"], e.data["status"]) for e in events if e.kind == "bericht"]
    assert told == [("afspraak_ingepland", "niet_verzonden"), ("afgerond", "niet_verzonden")]


async def test_refused_move_changes_nothing(w: world.World) -> None:
    d = await dossiers.create(w.agent, intake())
    with pytest.raises(Unprocessable):
        await dossiers.transition(w.agent, d, "afgerond", {"result_code": "verholpen"})
    with pytest.raises(Forbidden):
        await dossiers.transition(w.tech_user, d, "analyseren", {})
    stored = await Dossier.get(id=d.id)
    assert (stored.phase, stored.version, stored.result_code) == ("nieuw", 1, None)
    assert await DossierEvent.filter(dossier_id=d.id).count() == 1


async def test_stale_copy_is_refused_as_conflict(w: world.World) -> None:
    d = await dossiers.create(w.agent, intake())
    stale = await Dossier.get(id=d.id)
    await dossiers.transition(w.agent, d, "analyseren", {})
    with pytest.raises(Conflict) as err:
        await dossiers.transition(w.supervisor, stale, "geannuleerd", {"reason": "dubbel"})
    assert "intussen door iemand anders gewijzigd" in err.value.message
    assert (await Dossier.get(id=d.id)).phase == "analyseren"


async def test_dispatch_to_unknown_technician_is_refused(w: world.World) -> None:
    d = await dossiers.create(w.agent, intake())
    with pytest.raises(Unprocessable) as err:
        await dossiers.transition(w.agent, d, "doorgezet_naar_monteur", {"technician_id": 9999})
    assert err.value.message == "Monteur 9999 bestaat niet of is niet actief."


async def test_repeat_links_to_original_and_is_on_both_timelines(w: world.World) -> None:
    original = await dossiers.create(w.agent, intake())
    repeat = await dossiers.create(w.agent, intake(parent=original.order_number.lower()))
    assert repeat.parent_id == original.id  # type: ignore[attr-defined]
    kinds = await DossierEvent.filter(dossier_id=original.id).values_list("kind", flat=True)
    assert "repeat" in kinds
    other = await dossiers.create(w.agent, intake(client="LVD", postcode="3451BC", number=3))
    with pytest.raises(Unprocessable):
        await dossiers.create(w.agent, intake(parent=other.order_number))


async def test_first_contact_is_kept_once(w: world.World) -> None:
    d = await dossiers.create(w.agent, intake())
    await dossiers.record_contact(w.agent, d, "telefoon", "afspraak besproken")
    first = (await Dossier.get(id=d.id)).first_contact_at
    d = await Dossier.get(id=d.id)
    await dossiers.record_contact(w.agent, d, "email", "bevestiging")
    assert (await Dossier.get(id=d.id)).first_contact_at == first


async def test_client_user_creates_only_for_own_client(w: world.World) -> None:
    own = await dossiers.create(w.client_user, intake())
    assert own.client_id == w.woonstad.id  # type: ignore[attr-defined]
    with pytest.raises(NotFound):
        await dossiers.create(w.client_user, intake(client="LVD", postcode="3451BC", number=3))
    with pytest.raises(Forbidden):
        await dossiers.create(w.tech_user, intake())


async def test_order_numbers_unique_and_gap_free_under_concurrency(w: world.World) -> None:
    count = 200
    created = await asyncio.gather(
        *(dossiers.create(w.agent, intake(name=f"Huurder {i}")) for i in range(count))
    )
    numbers = sorted(d.order_number for d in created)
    year = datetime.now(UTC).year
    assert numbers == [f"MK-{year}-{i:06d}" for i in range(1, count + 1)]


async def test_failed_intake_gives_its_number_back(w: world.World) -> None:
    first = await dossiers.create(w.agent, intake())
    with pytest.raises(Unprocessable):
        await dossiers.create(w.agent, intake(postcode="9999ZZ"))
    second = await dossiers.create(w.agent, intake())
    assert int(second.order_number[-6:]) == int(first.order_number[-6:]) + 1


async def test_search_by_number_name_and_postcode(w: world.World) -> None:
    a = await dossiers.create(w.agent, intake(name="Fatima el Amrani"))
    await dossiers.create(w.agent, intake(name="Jan de Vries", postcode="3572AB", number=10))
    await dossiers.create(
        w.agent, intake(name="Els Bakker", client="LVD", postcode="3451BC", number=3)
    )

    async def found(q: str, **kw: str) -> set[str]:
        result = await dossiers.search(w.agent, q, **kw)
        return {d.contact_name for d in result.items}

    assert await found("1234 ab") == set()
    assert await found("3451 bc") == {"Els Bakker"}
    assert await found("3451b") == {"Els Bakker"}
    assert await found("  EL AMR ") == {"Fatima el Amrani"}
    assert await found("de vries") == {"Jan de Vries"}
    assert await found(a.order_number.lower()) == {"Fatima el Amrani"}
    assert await found(a.order_number[-6:]) == {"Fatima el Amrani"}
    assert await found("", client="lvd") == {"Els Bakker"}
    # A client's user never finds another client's dossier, whatever he types.
    assert {d.contact_name for d in (await dossiers.search(w.other_client_user, "")).items} == {
        "Els Bakker"
    }
    with pytest.raises(Unprocessable):
        await dossiers.search(w.agent, "", phase="bestaat-niet")


async def test_archive_job_moves_old_closed_dossiers(w: world.World) -> None:
    d = await dossiers.create(w.agent, intake())
    await dossiers.transition(
        w.agent, d, "op_afstand_opgelost", {"result_code": "telefonisch_opgelost"}
    )
    fresh = await dossiers.create(w.agent, intake())
    await dossiers.transition(w.agent, fresh, "geannuleerd", {"reason": "dubbel"})
    later = datetime.now(UTC) + timedelta(days=20)
    await Dossier.filter(id=fresh.id).update(closed_at=later - timedelta(days=1))
    assert await archive_closed(14, at=later) == 1
    assert (await Dossier.get(id=d.id)).phase == "gearchiveerd"
    assert (await Dossier.get(id=fresh.id)).phase == "geannuleerd"
    last = await DossierEvent.filter(dossier_id=d.id).order_by("-id").first()
    assert last is not None and last.actor_name == "systeem"
