"""Personal data leaves archived dossiers after the retention period; the dossier stays."""

from __future__ import annotations

from datetime import timedelta

import pytest

from server.dossiers import dossiers
from server.dossiers.retention import anonymise_archived
from server.models import Dossier, DossierEvent
from tests.support import world


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _archived(w: world.World, name: str) -> Dossier:
    d = await dossiers.create(
        w.agent, world.intake(contact_name=name, contact_email="x@example.nl", category="elektra")
    )
    await dossiers.update_details(w.agent, d, {"contact_phone": "0623456789"})
    await dossiers.transition(
        w.agent, d, "op_afstand_opgelost", {"result_code": "telefonisch_opgelost"}
    )
    await dossiers.transition(w.supervisor, d, "gearchiveerd", {})
    return d


async def test_old_archived_dossier_loses_personal_data_only(w: world.World) -> None:
    old = await _archived(w, "Jan de Vries")
    recent = await _archived(w, "Els Bakker")
    later = old.closed_at + timedelta(days=800)  # type: ignore[operator]
    await Dossier.filter(id=recent.id).update(closed_at=later - timedelta(days=10))

    assert await anonymise_archived(730, at=later) == 1
    stored = await Dossier.get(id=old.id)
    assert (stored.contact_name, stored.contact_phone, stored.contact_email) == (
        "(verwijderd)",
        "",
        "",
    )
    assert (stored.street, stored.category, stored.result_code) == (
        "Biltstraat",
        "elektra",
        "telefonisch_opgelost",
    )
    update = await DossierEvent.get(dossier_id=old.id, kind="updated")
    assert update.data["changes"]["contact_phone"] == ["(verwijderd)", "(verwijderd)"]
    assert await DossierEvent.filter(dossier_id=old.id, kind="anonymised").count() == 1
    assert (await Dossier.get(id=recent.id)).contact_name == "Els Bakker"
    # Running again finds nothing left to do; 0 days switches it off.
    assert await anonymise_archived(730, at=later) == 0
    assert await anonymise_archived(0, at=later + timedelta(days=9999)) == 0
    assert (await dossiers.search(w.agent, "de vries")).total == 0
