"""The app's own push subscriptions and logging out: only his own, clear refusals, nothing
taken over from someone else."""

from __future__ import annotations

import os

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from server import settings
from server.communication import tracking
from server.dossiers import dossiers
from server.messaging.push import b64url
from server.models import ApiToken, PushSubscription, User
from tests.support import world
from tests.support.pages import login
from tests.support.world import PASSWORD, token_for

URL = "/api/v1/me/push-subscriptions"


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


def browser(endpoint: str) -> dict[str, object]:
    """What `PushSubscription.toJSON()` gives in a browser."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": b64url(point), "auth": b64url(os.urandom(16))},
    }


async def test_he_registers_lists_and_removes_his_own(
    http: httpx.AsyncClient, w: world.World
) -> None:
    piet = await token_for(http, "piet.monteur")
    phone = browser("https://push.example/piet-telefoon")
    made = await http.post(URL, json=phone, headers=piet)
    assert made.status_code == 201, made.text
    again = await http.post(URL, json=phone, headers=piet)
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]
    listing = (await http.get(URL, headers=piet)).json()
    assert listing["public_key"] == settings.VAPID_PUBLIC_KEY
    assert [s["endpoint"] for s in listing["items"]] == ["https://push.example/piet-telefoon"]
    gone = await http.delete(f"{URL}/{made.json()['id']}", headers=piet)
    assert gone.status_code == 204
    assert await PushSubscription.all().count() == 0


async def test_nobody_registers_or_removes_another_persons_subscription(
    http: httpx.AsyncClient, w: world.World
) -> None:
    piet, kees = await token_for(http, "piet.monteur"), await token_for(http, "kees.monteur")
    phone = browser("https://push.example/piet-telefoon")
    sub_id = (await http.post(URL, json=phone, headers=piet)).json()["id"]

    removed = await http.delete(f"{URL}/{sub_id}", headers=kees)
    assert removed.status_code == 404
    assert removed.json()["error"]["message"] == f"Pushabonnement {sub_id} niet gevonden."
    # Knowing Piet's endpoint is not enough to take his notifications.
    stolen = await http.post(URL, json=browser(phone["endpoint"]), headers=kees)  # type: ignore[arg-type]
    assert stolen.status_code == 409
    assert stolen.json()["error"]["message"] == "Dit pushabonnement hoort bij iemand anders."
    assert (await http.get(URL, headers=kees)).json()["items"] == []
    # The same browser (same keys) where Kees logs in after Piet: it is Kees's phone now.
    taken = await http.post(URL, json=phone, headers=kees)
    assert taken.status_code == 200
    kees_user = await User.get(username="kees.monteur")
    assert (await PushSubscription.get(id=sub_id)).user_id == kees_user.id  # type: ignore[attr-defined]
    assert (await http.get(URL, headers=piet)).json()["items"] == []


async def test_a_tenants_subscription_stays_the_tenants(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await dossiers.create(w.agent, world.intake())
    tenant = browser("https://push.example/huurder")
    await tracking.subscribe(d, tenant)  # on the tracking page
    refused = await http.post(URL, json=tenant, headers=await token_for(http, "piet.monteur"))
    assert refused.status_code == 409
    assert (await PushSubscription.get(endpoint=tenant["endpoint"])).user_id is None  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"endpoint": "http://push.example/x", "keys": {"p256dh": "x", "auth": "y"}}, "https://"),
        ({"endpoint": "https://push.example/x"}, "without keys"),
        ([1, 2], "De body moet een JSON-object zijn."),
    ],
)
async def test_bad_subscriptions_are_refused_clearly(
    http: httpx.AsyncClient, w: world.World, body: object, message: str
) -> None:
    r = await http.post(URL, json=body, headers=await token_for(http, "piet.monteur"))
    assert r.status_code in (400, 422)
    assert message in r.json()["error"]["message"]
    assert await PushSubscription.all().count() == 0


async def test_only_technicians(http: httpx.AsyncClient, w: world.World) -> None:
    desk = await token_for(http, "anna.agent")
    r = await http.post(URL, json=browser("https://push.example/desk"), headers=desk)
    assert r.status_code == 403
    assert (await http.get(URL, headers=desk)).status_code == 403


async def test_logout_revokes_the_device_session(http: httpx.AsyncClient, w: world.World) -> None:
    piet = await token_for(http, "piet.monteur")
    assert (await http.get(URL, headers=piet)).status_code == 200
    out = await http.post("/api/v1/auth/logout", headers=piet)
    assert out.status_code == 204
    after = await http.get(URL, headers=piet)
    assert after.status_code == 401
    assert after.json()["error"]["message"] == "Token ongeldig of verlopen; log opnieuw in."


TAKE_OVER = "/api/v1/auth/device-token"


def csrf_header(http: httpx.AsyncClient) -> dict[str, str]:
    """What the app sends: the CSRF cookie's value in the header (same origin only)."""
    return {"x-csrf-token": http.cookies["meldkamer_csrf"]}


async def test_the_app_takes_over_a_technicians_web_session(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "piet.monteur")
    r = await http.post(TAKE_OVER, headers=csrf_header(http))
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["role"], got["username"]) == ("technician", "piet.monteur")
    assert (await ApiToken.get(user_id=w.tech_user.id)).label == "monteur-app"
    # The token is his device session now; the web session has ended (one session, the app's).
    piet = {"Authorization": f"Bearer {got['token']}"}
    assert (await http.get(URL, headers=piet)).status_code == 200
    assert (await http.get("/dossiers")).headers["location"].startswith("/login")
    again = await http.post(TAKE_OVER, headers=csrf_header(http))
    assert again.status_code == 401
    assert await ApiToken.filter(user_id=w.tech_user.id).count() == 1


async def test_taking_over_needs_the_csrf_token(http: httpx.AsyncClient, w: world.World) -> None:
    await login(http, "piet.monteur")
    forged = await http.post(TAKE_OVER)  # what a form on another site could send
    assert forged.status_code == 403 and "CSRF" in forged.text
    wrong = await http.post(TAKE_OVER, headers={"x-csrf-token": "nep"})
    assert wrong.status_code == 403
    assert await ApiToken.all().count() == 0
    assert (await http.get("/dossiers")).status_code == 200  # still logged in on the website


@pytest.mark.parametrize("username", ["admin", "sanne.supervisie", "anna.agent", "wim.woonstad"])
async def test_only_a_technicians_session_is_taken_over(
    http: httpx.AsyncClient, w: world.World, username: str
) -> None:
    await login(http, username)
    r = await http.post(TAKE_OVER, headers=csrf_header(http))
    assert r.status_code == 403
    assert r.json()["error"]["message"] == (
        "De monteursapp en haar pushberichten zijn alleen voor servicemonteurs."
    )
    assert await ApiToken.all().count() == 0
    assert (await http.get("/dossiers")).status_code == 200


async def test_a_token_does_not_make_another(http: httpx.AsyncClient, w: world.World) -> None:
    piet = await token_for(http, "piet.monteur")
    r = await http.post(TAKE_OVER, headers=piet)
    assert r.status_code == 400
    assert r.json()["error"]["message"] == (
        "De app neemt alleen een websessie over; deze aanvraag heeft een token."
    )
    assert await ApiToken.all().count() == 1


async def test_logging_out_of_the_app_ends_a_web_session_of_the_same_browser_too(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "piet.monteur")
    # The app's own login form, beside the web session (it sends the CSRF header, as here).
    r = await http.post(
        "/api/v1/auth/token",
        json={"username": "piet.monteur", "password": PASSWORD},
        headers=csrf_header(http),
    )
    piet = {"Authorization": f"Bearer {r.json()['token']}"}
    assert (await http.post("/api/v1/auth/logout", headers=piet)).status_code == 204
    # Nothing is left for the app to take over after Afmelden.
    assert (await http.get("/dossiers")).headers["location"].startswith("/login")
    assert (await http.post(TAKE_OVER, headers=csrf_header(http))).status_code == 401


HANDOVER = "meldkamer_app"  # the cookie the app reads before it asks to take over


@pytest.mark.parametrize("username", ["piet.monteur", "anna.agent"])
async def test_only_a_technicians_website_login_offers_the_app_a_session(
    http: httpx.AsyncClient, w: world.World, username: str
) -> None:
    await login(http, username)
    offered = HANDOVER in http.cookies
    assert offered is (username == "piet.monteur")


async def test_the_offer_ends_with_the_takeover_and_with_logging_out(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "piet.monteur")
    assert (await http.post(TAKE_OVER, headers=csrf_header(http))).status_code == 200
    assert HANDOVER not in http.cookies
    await login(http, "piet.monteur")
    await http.post("/logout", headers=csrf_header(http))
    assert HANDOVER not in http.cookies
    # A desk user's login in the same browser withdraws a technician's earlier offer.
    await login(http, "piet.monteur")
    await login(http, "anna.agent")
    assert HANDOVER not in http.cookies
