"""The tenant's tracking page: valid, tampered and expired links, only what the tenant may
see, "ik ben dan niet thuis" to the desk, push opt-in, and one dossier's link never another's."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import httpx
import pytest

from server import live
from server.communication import communication, links, outbox
from server.dossiers import dossiers
from server.fieldwork import technician_push
from server.models import Dossier, DossierEvent, PushFollow, PushSubscription, User
from server.web.static import static_url
from tests.support import world
from tests.support.channels import new_dossier, plan


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


def path(dossier_id: int, purpose: str = links.TRACKING, **kw: object) -> str:
    return f"/{purpose}/{links.token(dossier_id, purpose, **kw)}"  # type: ignore[arg-type]


async def test_valid_link_shows_status_appointment_and_eta_and_nothing_personal(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await plan(w, await new_dossier(w), timedelta(minutes=30))
    await communication.technician_on_the_way(d, dossiers.now() + timedelta(minutes=20))
    page = await http.get(path(d.id))
    assert page.status_code == 200
    text = page.text
    assert d.order_number in text and "Woonstad Utrecht" in text
    assert "Er is een afspraak met de monteur." in text
    assert "met monteur Piet" in text and "Piet is onderweg" in text
    for personal in (
        "Fatima",
        "Amrani",
        "0612345678",
        "+31612345678",
        "huurder@example.nl",
        "Biltstraat",
        "3572",
        "Monteur</",
        "Piet Monteur",
    ):
        assert personal not in text, personal
    assert 'data-key="' in text and static_url("js/volg.js") in text


async def test_tampered_and_expired_links_get_a_clear_dutch_page(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await new_dossier(w)
    good = links.token(d.id, links.TRACKING)
    tampered = await http.get(f"/volg/{good[:-2]}xx")
    assert tampered.status_code == 404
    assert "Deze link klopt niet" in tampered.text and d.order_number not in tampered.text
    other_id = good.replace(f"{d.id}.", f"{d.id + 1}.", 1)
    assert (await http.get(f"/volg/{other_id}")).status_code == 404
    old = path(d.id, at=dossiers.now() - timedelta(days=31))
    expired = await http.get(old)
    assert expired.status_code == 410
    assert "Deze link is verlopen" in expired.text
    # A survey link is not a tracking link, nor the other way round.
    assert (await http.get(f"/volg/{links.token(d.id, links.SURVEY)}")).status_code == 404
    assert (await http.get(f"/enquete/{good}")).status_code == 404


async def test_one_dossiers_link_never_shows_another(
    http: httpx.AsyncClient, w: world.World
) -> None:
    mine = await new_dossier(w)
    other = await dossiers.create(
        w.agent, world.intake("LVD", contact_name="Anderen", contact_phone="0687654321")
    )
    page = await http.get(path(mine.id))
    assert mine.order_number in page.text
    assert other.order_number not in page.text and "Lichtveld" not in page.text


async def _csrf(http: httpx.AsyncClient, url: str) -> str:
    page = await http.get(url)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


async def test_not_home_reaches_the_timeline_and_the_desk_live(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await plan(w, await new_dossier(w))
    url = path(d.id)
    token = await _csrf(http, url)
    board = live.broker.subscribe(["board"])
    waiting = asyncio.ensure_future(board.__anext__())
    await asyncio.sleep(0.05)  # the subscription is in place once the generator runs
    response = await http.post(
        f"{url}/niet-thuis", data={"csrf_token": token, "remark": "Wel na 14:00"}
    )
    assert response.status_code == 303
    message = await asyncio.wait_for(waiting, 5)
    assert message["event"] == "niet_thuis"
    assert message["data"]["order_number"] == d.order_number
    await board.aclose()
    event = await DossierEvent.get(dossier_id=d.id, kind="niet_thuis")
    assert event.data["remark"] == "Wel na 14:00" and event.actor_name == "systeem"
    page = await http.get(f"{url}?doorgegeven=1")
    assert "U hebt doorgegeven dat u dan niet thuis bent." in page.text
    again = await http.post(f"{url}/niet-thuis", data={"csrf_token": token})
    assert again.status_code == 422
    assert "al doorgegeven" in again.text
    assert await DossierEvent.filter(dossier_id=d.id, kind="niet_thuis").count() == 1
    # Without the form's token the post is refused before it does anything.
    forged = await http.post(f"{url}/niet-thuis", data={"csrf_token": "nep"})
    assert forged.status_code == 403


def browser(endpoint: str = "https://push.example.net/abc") -> dict[str, object]:
    """What the page posts: the browser's PushSubscription.toJSON()."""
    return {"endpoint": endpoint, "keys": {"p256dh": "B" + "A" * 86, "auth": "A" * 22}}


async def followed(endpoint: str) -> list[str]:
    rows = await PushFollow.filter(subscription__endpoint=endpoint).prefetch_related("dossier")
    return sorted(f.dossier.order_number for f in rows)


async def test_push_opt_in_stores_the_browser_once(http: httpx.AsyncClient, w: world.World) -> None:
    d = await new_dossier(w)
    url = path(d.id)
    await http.get(url)
    csrf = {"x-csrf-token": http.cookies["meldkamer_csrf"]}
    for _ in range(2):
        response = await http.post(f"{url}/push", json=browser(), headers=csrf)
        assert response.status_code == 201, response.text
        assert response.json() == {"following": True}
    assert [s.endpoint for s in await PushSubscription.all()] == ["https://push.example.net/abc"]
    assert await followed("https://push.example.net/abc") == [d.order_number]
    bad = await http.post(f"{url}/push", json={"endpoint": "http://x", "keys": {}}, headers=csrf)
    assert bad.status_code == 422
    assert "Pushabonnement niet bruikbaar" in bad.json()["error"]["message"]
    garbage = await http.post(f"{url}/push", content=b"[1]", headers=csrf)
    assert garbage.status_code == 400
    assert garbage.json()["error"]["message"] == "De body moet een JSON-object zijn."
    wrong = await http.post(
        f"/volg/{links.token(d.id, links.SURVEY)}/push", json=browser(), headers=csrf
    )
    assert wrong.status_code == 404
    forged = await http.post(f"{url}/push", json=browser("https://push.example.net/x"))
    assert forged.status_code == 403  # no CSRF token: refused before anything is stored
    assert await PushSubscription.all().count() == 1


async def test_one_browser_follows_two_reports_and_stops_one_at_a_time(
    http: httpx.AsyncClient, w: world.World
) -> None:
    first, second = await new_dossier(w), await new_dossier(w)
    await http.get(path(first.id))
    csrf = {"x-csrf-token": http.cookies["meldkamer_csrf"]}
    endpoint = {"endpoint": "https://push.example.net/abc"}

    async def state(d: Dossier) -> bool:
        response = await http.post(f"{path(d.id)}/push/stand", json=endpoint, headers=csrf)
        assert response.status_code == 200, response.text
        return bool(response.json()["following"])

    for d in (first, second):
        assert (await http.post(f"{path(d.id)}/push", json=browser(), headers=csrf)).is_success
    # Subscribing on the second page did not take the browser away from the first.
    assert await followed(endpoint["endpoint"]) == sorted([first.order_number, second.order_number])
    assert await state(first) and await state(second)
    for d in (first, second):  # both reports' messages go to this browser
        pushes = [r.address for r in await outbox.tenant_recipients(d) if r.channel == "push"]
        assert pushes == [endpoint["endpoint"]]

    stop = await http.post(f"{path(first.id)}/push/uit", json=endpoint, headers=csrf)
    assert stop.json() == {"following": False, "forgotten": False}
    assert not await state(first) and await state(second)
    assert await followed(endpoint["endpoint"]) == [second.order_number]
    # Stopping the last one forgets the browser altogether; stopping again changes nothing.
    last = await http.post(f"{path(second.id)}/push/uit", json=endpoint, headers=csrf)
    assert last.json() == {"following": False, "forgotten": True}
    assert await PushSubscription.all().count() == 0
    again = await http.post(f"{path(second.id)}/push/uit", json=endpoint, headers=csrf)
    assert again.json() == {"following": False, "forgotten": True}
    assert not await state(second)


async def test_a_technicians_browser_keeps_his_notifications(
    http: httpx.AsyncClient, w: world.World
) -> None:
    piet = await User.get(username="piet.monteur")
    phone = browser("https://push.example.net/piet")
    await technician_push.subscribe(piet, phone)
    d = await new_dossier(w)
    await http.get(path(d.id))
    csrf = {"x-csrf-token": http.cookies["meldkamer_csrf"]}
    other_keys = {**phone, "keys": {"p256dh": "B" + "C" * 86, "auth": "C" * 22}}
    taken = await http.post(f"{path(d.id)}/push", json=other_keys, headers=csrf)
    assert taken.status_code == 409
    assert taken.json()["error"]["message"] == "Dit pushabonnement hoort bij iemand anders."
    # His own browser on the tracking page: it follows the dossier, and stopping keeps him.
    assert (await http.post(f"{path(d.id)}/push", json=phone, headers=csrf)).is_success
    stop = await http.post(
        f"{path(d.id)}/push/uit", json={"endpoint": phone["endpoint"]}, headers=csrf
    )
    assert stop.json()["forgotten"] is False  # still his
    (sub,) = await technician_push.subscriptions(piet)
    assert (sub.endpoint, sub.p256dh) == (phone["endpoint"], "B" + "A" * 86)
