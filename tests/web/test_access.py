"""Every route refuses an anonymous caller; a client's user never sees another client's data."""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.routing import Mount, Route

from server.services import dossiers
from server.web.routes import PUBLIC_PATHS, routes
from tests.support import world
from tests.support.pages import login
from tests.support.world import PASSWORD, token_for


def _all_routes() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def walk(items: list[object], prefix: str) -> None:
        for item in items:
            if isinstance(item, Mount) and item.routes:
                walk(list(item.routes), prefix + item.path)
            elif isinstance(item, Route):
                for method in sorted((item.methods or set()) - {"HEAD"}):
                    found.append((method, prefix + item.path))

    walk(list(routes), "")
    return found


PROTECTED = [
    (
        m,
        p.replace("{order_number}", "MK-2026-000001")
        .replace("{client}", "WST")
        .replace("{subscription_id}", "1"),
    )
    for m, p in _all_routes()
    if p not in PUBLIC_PATHS
]


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


@pytest.mark.parametrize(("method", "path"), PROTECTED)
async def test_anonymous_is_refused(
    http: httpx.AsyncClient, w: world.World, method: str, path: str
) -> None:
    response = await http.request(method, path)
    if path.startswith("/api/"):
        assert response.status_code == 401, (method, path, response.text)
        assert response.json()["error"]["message"] == "Log eerst in."
    elif method == "GET":
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    else:
        # A page POST without a session has no CSRF cookie either: refused before the endpoint.
        assert response.status_code in (303, 403), (method, path)


@pytest.mark.parametrize(
    ("method", "path"), [p for p in PROTECTED if p[0] == "POST" and not p[1].startswith("/api/")]
)
async def test_page_posts_need_csrf_token(
    http: httpx.AsyncClient, w: world.World, method: str, path: str
) -> None:
    await login(http, "anna.agent")
    response = await http.post(path, data={"text": "x"})
    assert response.status_code == 403
    assert "CSRF" in response.text


async def _dossier_of(w: world.World, client: str) -> str:
    d = await dossiers.create(
        w.agent,
        world.intake(
            client,
            contact_name="Huurder",
            contact_phone="0301234567",
            category="elektra",
        ),
    )
    return d.order_number


async def test_client_user_gets_404_on_other_clients_dossier(
    http: httpx.AsyncClient, client_factory: object, w: world.World
) -> None:
    own = await _dossier_of(w, "WST")
    other = await _dossier_of(w, "LVD")
    headers = await token_for(http, "wim.woonstad")
    assert (await http.get(f"/api/v1/dossiers/{own}", headers=headers)).status_code == 200
    response = await http.get(f"/api/v1/dossiers/{other}", headers=headers)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == f"Dossier '{other}' niet gevonden."
    listing = (await http.get("/api/v1/dossiers", headers=headers)).json()
    assert [d["order_number"] for d in listing["items"]] == [own]
    clients = (await http.get("/api/v1/clients", headers=headers)).json()
    assert clients == [{"code": "WST", "name": "Woonstad Utrecht", "kind": "woningcorporatie"}]
    moved = await http.post(
        f"/api/v1/dossiers/{other}/transitions", json={"to": "analyseren"}, headers=headers
    )
    assert moved.status_code == 404
    # The same through the pages, with a session cookie.
    await login(http, "wim.woonstad")
    assert (await http.get(f"/dossiers/{own}")).status_code == 200
    page = await http.get(f"/dossiers/{other}")
    assert page.status_code == 404
    assert "niet gevonden" in page.text
    assert other not in (await http.get("/dossiers?fase=")).text
    lookup = await http.get("/api/v1/addresses?client=LVD&postcode=3451BC")
    assert lookup.status_code == 404


async def test_technician_sees_only_dossiers_assigned_to_him(
    http: httpx.AsyncClient, w: world.World
) -> None:
    mine = await _dossier_of(w, "WST")
    d = await dossiers.get(w.agent, mine)
    await dossiers.transition(
        w.agent, d, "doorgezet_naar_monteur", {"technician_id": w.technician.id}
    )
    headers = await token_for(http, "piet.monteur")
    assert (await http.get(f"/api/v1/dossiers/{mine}", headers=headers)).status_code == 200
    other_headers = await token_for(http, "kees.monteur")
    assert (await http.get(f"/api/v1/dossiers/{mine}", headers=other_headers)).status_code == 404
    assert (await http.get("/api/v1/clients", headers=headers)).json() == []


async def test_bad_or_expired_token_is_401(http: httpx.AsyncClient, w: world.World) -> None:
    response = await http.get("/api/v1/dossiers", headers={"Authorization": "Bearer mk_nope"})
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Token ongeldig of verlopen; log opnieuw in."
    response = await http.get("/api/v1/dossiers", headers={"Authorization": "Basic abc"})
    assert response.status_code == 401


async def test_login_is_rate_limited(http: httpx.AsyncClient, w: world.World) -> None:
    for _ in range(5):
        bad = await http.post(
            "/api/v1/auth/token", json={"username": "anna.agent", "password": "fout"}
        )
        assert bad.status_code == 401
        assert bad.json()["error"]["message"] == "Onjuiste gebruikersnaam of wachtwoord."
    blocked = await http.post(
        "/api/v1/auth/token", json={"username": "anna.agent", "password": PASSWORD}
    )
    assert blocked.status_code == 429
    assert "Te veel mislukte inlogpogingen" in blocked.json()["error"]["message"]
    # Another user is not locked out by someone guessing anna's password.
    assert (await token_for(http, "sanne.supervisie"))["Authorization"].startswith("Bearer mk_")


async def test_session_ends_when_password_changes(http: httpx.AsyncClient, w: world.World) -> None:
    await login(http, "anna.agent")
    assert (await http.get("/dossiers")).status_code == 200
    w.agent.session_epoch += 1
    await w.agent.save(update_fields=["session_epoch"])
    response = await http.get("/dossiers")
    assert response.status_code == 303


async def test_login_redirect_stays_on_this_site(http: httpx.AsyncClient, w: world.World) -> None:
    page = await http.get("/login?next=https://evil.example/")
    assert 'name="next" value="/"' in page.text


async def test_session_cookie_is_httponly_and_samesite(
    http: httpx.AsyncClient, w: world.World
) -> None:
    page = await http.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    response = await http.post(
        "/login",
        data={"csrf_token": token.group(1), "username": "anna.agent", "password": PASSWORD},
    )
    cookie = next(
        v
        for k, v in response.headers.multi_items()
        if k == "set-cookie" and "meldkamer_session" in v
    )
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    # Not Secure on plain http://localhost; BASE_URL=https://… turns it on (settings.HTTPS).
    assert "secure" not in cookie.lower()


# The technician app's own routes (push subscriptions): technicians only, everyone else 403.
DEVICE_ROUTES = [
    ("GET", "/api/v1/me/push-subscriptions"),
    ("POST", "/api/v1/me/push-subscriptions"),
    ("DELETE", "/api/v1/me/push-subscriptions/999"),
    # Taking over the web session (with a token: 400, tests/field/test_device_api.py).
    ("POST", "/api/v1/auth/device-token"),
]


@pytest.mark.parametrize(
    "username", ["admin", "sanne.supervisie", "anna.agent", "wim.woonstad", "piet.monteur"]
)
async def test_device_routes_are_for_technicians(
    http: httpx.AsyncClient, w: world.World, username: str
) -> None:
    headers = await token_for(http, username)
    for method, path in DEVICE_ROUTES:
        response = await http.request(method, path, headers=headers, json={})
        if username == "piet.monteur":
            assert response.status_code not in (401, 403), (method, path, response.text)
        else:
            assert response.status_code == 403, (username, method, path, response.status_code)


# Dispatch planning: (method, path, roles that may use it). Refused roles get 403; a refused
# page POST is refused after its CSRF check, so these are sent with a valid token.
PLANNING_ROUTES = [
    ("GET", "/planning", {"admin", "sanne.supervisie"}),
    ("POST", "/planning/afwezigheid", {"admin", "sanne.supervisie"}),
    ("POST", "/planning/afwezigheid/999/verwijderen", {"admin", "sanne.supervisie"}),
    ("POST", "/planning/toewijzen/WST", {"admin", "sanne.supervisie"}),
    ("GET", "/api/v1/absences", {"admin", "sanne.supervisie", "anna.agent"}),
    ("POST", "/api/v1/technicians/1/absences", {"admin", "sanne.supervisie"}),
    ("DELETE", "/api/v1/absences/999", {"admin", "sanne.supervisie"}),
    ("POST", "/dossiers/{n}/afspraak", {"admin", "sanne.supervisie", "anna.agent"}),
    ("POST", "/dossiers/{n}/afspraak/annuleren", {"admin", "sanne.supervisie", "anna.agent"}),
]


@pytest.mark.parametrize(
    "username", ["admin", "sanne.supervisie", "anna.agent", "wim.woonstad", "piet.monteur"]
)
async def test_dispatch_planning_routes_by_role(
    http: httpx.AsyncClient, w: world.World, username: str
) -> None:
    number = await _dossier_of(w, "WST")
    headers = await token_for(http, username)
    await login(http, username)
    token = re.search(r'name="csrf_token" value="([^"]+)"', (await http.get("/dossiers")).text)
    assert token
    for method, path, allowed in PLANNING_ROUTES:
        path = path.replace("{n}", number)
        if path.startswith("/api/"):
            response = await http.request(method, path, headers=headers, json={})
        elif method == "GET":
            response = await http.get(path)
        else:
            response = await http.post(path, data={"csrf_token": token.group(1)})
        if username in allowed:
            # Allowed: the call reaches its checks (a missing record or empty form is 4xx).
            assert response.status_code not in (401, 403), (method, path, response.text)
        else:
            assert response.status_code == 403, (username, method, path, response.status_code)
