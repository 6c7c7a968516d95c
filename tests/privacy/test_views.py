"""Who opened which dossier: staff and client users' looks are logged (once per ten minutes),
and only admins see the log."""

from __future__ import annotations

import httpx
import pytest

from server.models import DossierView
from tests.support import world
from tests.support.channels import new_dossier
from tests.support.pages import login
from tests.support.world import token_for


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def test_every_look_is_logged_and_only_admins_see_who_looked(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await new_dossier(w)
    headers = await token_for(http, "wim.woonstad")
    http.cookies.clear()
    other = await token_for(http, "lisa.lichtveld")
    http.cookies.clear()
    await login(http, "anna.agent")
    for _ in range(3):  # the page reloading is one look
        page = await http.get(f"/dossiers/{d.order_number}")
        assert page.status_code == 200
    assert "Ingezien door" not in page.text
    http.cookies.clear()
    assert (
        await http.get(f"/api/v1/dossiers/{d.order_number}", headers=headers)
    ).status_code == 200
    # Another client's user cannot open it, so did not look at it.
    assert (await http.get(f"/api/v1/dossiers/{d.order_number}", headers=other)).status_code == 404

    looks = await DossierView.filter(dossier_id=d.id).order_by("id")
    assert [(v.username, v.role, v.via) for v in looks] == [
        ("anna.agent", "agent", "scherm"),
        ("wim.woonstad", "client", "api"),
    ]

    http.cookies.clear()
    await login(http, "admin")
    admin_page = await http.get(f"/dossiers/{d.order_number}")
    assert "Ingezien door" in admin_page.text
    assert "anna.agent" in admin_page.text and "wim.woonstad" in admin_page.text
    log = await http.get("/privacy/inzagelog", params={"gebruiker": "anna.agent"})
    assert log.status_code == 200 and d.order_number in log.text
    by_dossier = await http.get("/privacy/inzagelog", params={"dossier": d.order_number.lower()})
    assert "wim.woonstad" in by_dossier.text and "anna.agent" in by_dossier.text
    nobody = await http.get("/privacy/inzagelog", params={"gebruiker": "niemand"})
    assert "Niets gevonden" in nobody.text
    too_long = await http.get("/privacy/inzagelog", params={"gebruiker": "x" * 200})
    assert too_long.status_code == 400
