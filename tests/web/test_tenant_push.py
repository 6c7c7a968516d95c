"""A tenant's push opt-in cannot take over another browser's subscription by its endpoint."""

from __future__ import annotations

import httpx
import pytest

from server.communication import links
from server.models import PushFollow, PushSubscription
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


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://127.0.0.1:8443/intern",
        "https://beheer.meldkamer.local/api",
        "https://push.example.evil.net/x",
        "https://notpush.example/x",
    ],
)
async def test_an_endpoint_outside_the_push_services_is_refused(
    http: httpx.AsyncClient, w: world.World, endpoint: str
) -> None:
    # The server posts to a subscription's endpoint: a page must not point it anywhere else.
    d = await new_dossier(w)
    await http.get(f"/volg/{links.token(d.id, links.TRACKING)}")
    csrf = {"x-csrf-token": http.cookies["meldkamer_csrf"]}
    url = f"/volg/{links.token(d.id, links.TRACKING)}/push"

    refused = await http.post(url, json=push_json(endpoint), headers=csrf)

    assert refused.status_code == 422
    assert "is not at a known push service" in refused.json()["error"]["message"]
    assert not await PushSubscription.exists()
    sub_ok = await http.post(
        url, json=push_json("https://fcm.googleapis.com/fcm/send/a"), headers=csrf
    )
    assert sub_ok.status_code == 201
