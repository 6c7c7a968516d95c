"""A tenant's push opt-in cannot take over another browser's subscription by its endpoint."""

from __future__ import annotations

import httpx
import pytest

from server.models import PushFollow, PushSubscription
from server.services import links
from tests.support import world
from tests.support.channels import new_dossier
from tests.support.scoped import push_json


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def test_another_tenants_endpoint_with_other_keys_is_refused(
    http: httpx.AsyncClient, w: world.World
) -> None:
    hers, mine = await new_dossier(w), await new_dossier(w)
    await http.get(f"/volg/{links.token(hers.id, links.TRACKING)}")
    csrf = {"x-csrf-token": http.cookies["meldkamer_csrf"]}
    her_browser = push_json("https://push.example.net/haar-telefoon")
    url = f"/volg/{links.token(hers.id, links.TRACKING)}/push"
    assert (await http.post(url, json=her_browser, headers=csrf)).status_code == 201
    # Someone with a link of his own, who learnt her endpoint, sends it with his keys.
    forged = {**push_json("x"), "endpoint": her_browser["endpoint"]}
    url = f"/volg/{links.token(mine.id, links.TRACKING)}/push"
    taken = await http.post(url, json=forged, headers=csrf)
    assert taken.status_code == 409
    assert taken.json()["error"]["message"] == "Dit pushabonnement hoort bij iemand anders."
    (sub,) = await PushSubscription.all()
    assert sub.p256dh == her_browser["keys"]["p256dh"]  # type: ignore[index]
    assert [f.dossier_id for f in await PushFollow.all()] == [hers.id]  # type: ignore[attr-defined]
    # Her own browser may follow his report too (the same keys: the same browser).
    assert (await http.post(url, json=her_browser, headers=csrf)).status_code == 201
