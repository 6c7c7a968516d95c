"""Every route refuses an anonymous caller; a client's user never sees another client's data."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from starlette.routing import Mount, Route
from starlette.types import ASGIApp

from server.communication import links
from server.dossiers import dossiers
from server.jobs import queue
from server.models import DossierEvent, User
from server.web.routes import PUBLIC_PATHS, routes
from tests.support import scoped, world
from tests.support.pages import csrf, login
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


# The tenant's pages: the signed link in the path is the key (server/communication/links.py).
TENANT_LINK_ROUTES = [
    (m, p) for m, p in _all_routes() if p in PUBLIC_PATHS and p.startswith(("/volg/", "/enquete"))
]


@pytest.mark.parametrize(("method", "path"), TENANT_LINK_ROUTES)
async def test_a_tenant_route_without_a_valid_link_does_nothing(
    http: httpx.AsyncClient, w: world.World, method: str, path: str
) -> None:
    """A made-up or tampered token answers 404 and changes nothing, with or without the CSRF
    token (the link, not a session, is what lets a tenant in)."""
    d = await dossiers.create(w.agent, world.intake("WST"))
    purpose = path.split("/")[1]
    good = links.token(d.id, purpose) if purpose in (links.TRACKING, links.SURVEY) else "1.x.y"
    events = await DossierEvent.filter(dossier_id=d.id).count()
    await http.get("/login")  # a CSRF cookie, so a POST reaches the route
    headers = {"x-csrf-token": http.cookies.get("meldkamer_csrf", "")}
    # Tampered: its last two characters changed (never to what they were: that would be the
    # good token, one run in 4,096).
    tampered = good[:-2] + ("xx" if good[-2:] != "xx" else "yy")
    for token in ("nep", tampered, "9999." + good.split(".", 1)[-1]):
        response = await http.request(method, path.replace("{token}", token), headers=headers)
        assert response.status_code == 404, (method, path, token, response.text[:200])
    assert await DossierEvent.filter(dossier_id=d.id).count() == events


async def test_the_favicon_is_public_so_no_page_logs_a_404(http: httpx.AsyncClient) -> None:
    icon = await http.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert (await http.get("/static/favicon.svg")).status_code == 200


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
    assert "Te veel mislukte pogingen" in blocked.json()["error"]["message"]
    # Another user is not locked out by someone guessing anna's password.
    assert (await token_for(http, "sanne.supervisie"))["Authorization"].startswith("Bearer mk_")


async def test_session_ends_when_password_changes(http: httpx.AsyncClient, w: world.World) -> None:
    await login(http, "anna.agent")
    assert (await http.get("/dossiers")).status_code == 200
    w.agent.session_epoch += 1
    await w.agent.save(update_fields=["session_epoch"])
    response = await http.get("/dossiers")
    assert response.status_code == 303


async def test_the_api_with_a_session_cookie_needs_the_csrf_header(
    http: httpx.AsyncClient, w: world.World
) -> None:
    """A page's script may call the API with its session; another site's form may not."""
    number = await _dossier_of(w, "WST")
    await login(http, "anna.agent")
    url = f"/api/v1/dossiers/{number}/notes"
    forged = [
        await http.post(url, json={"text": "x"}),
        await http.post(url, content=b'{"text": "x"}', headers={"content-type": "text/plain"}),
        await http.post(url, data={"text": "x"}),
        await http.patch(f"/api/v1/dossiers/{number}", json={"description": "x"}),
    ]
    assert [r.status_code for r in forged] == [403, 403, 403, 403]
    assert await DossierEvent.filter(kind="note").count() == 0
    header = {"x-csrf-token": http.cookies["meldkamer_csrf"]}
    assert (await http.post(url, json={"text": "Gebeld."}, headers=header)).status_code == 201


async def test_logout_ends_the_session_also_for_a_copy_of_its_cookie(
    http: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient], w: world.World
) -> None:
    await login(http, "wim.woonstad")
    async with client_factory() as thief:
        thief.cookies.update(http.cookies)  # the cookie, copied before the user logs out
        assert (await thief.get("/portaal")).status_code == 200
        token = csrf((await http.get("/portaal")).text)
        assert (await http.post("/logout", data={"csrf_token": token})).status_code == 303
        after = await thief.get("/portaal")
        assert after.status_code == 303 and after.headers["location"] == "/login?next=/portaal"
    assert (await http.get("/portaal")).status_code == 303
    # Logging in again works as before.
    await login(http, "wim.woonstad")
    assert (await http.get("/portaal")).status_code == 200


async def test_a_cookie_planted_before_login_is_not_logged_in(
    http: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient], w: world.World
) -> None:
    """Session fixation: the session the user logs in with is new, not one handed to him."""
    async with client_factory() as attacker:
        await attacker.get("/login")
        planted = dict(attacker.cookies)
        http.cookies.update(planted)
        await login(http, "anna.agent")
        assert http.cookies["meldkamer_session"] != planted.get("meldkamer_session")
        assert (await http.get("/dossiers")).status_code == 200
        response = await attacker.get("/dossiers")
        assert response.status_code == 303


async def test_login_form_is_rate_limited_too(http: httpx.AsyncClient, w: world.World) -> None:
    for _ in range(5):
        page = await http.get("/login")
        data = {"csrf_token": csrf(page.text), "username": "anna.agent", "password": "fout"}
        bad = await http.post("/login", data=data)
        assert bad.status_code == 401 and "Onjuiste gebruikersnaam of wachtwoord." in bad.text
    data = {"csrf_token": csrf(page.text), "username": "anna.agent", "password": PASSWORD}
    blocked = await http.post("/login", data=data)
    assert blocked.status_code == 429 and "Te veel mislukte pogingen" in blocked.text
    assert "meldkamer_session" not in http.cookies


async def test_app_logout_revokes_only_that_token(http: httpx.AsyncClient, w: world.World) -> None:
    phone = await token_for(http, "piet.monteur")
    tablet = await token_for(http, "piet.monteur")
    assert (await http.post("/api/v1/auth/logout", headers=phone)).status_code == 204
    refused = await http.get("/api/v1/technician/jobs", headers=phone)
    assert refused.status_code == 401
    assert refused.json()["error"]["message"] == "Token ongeldig of verlopen; log opnieuw in."
    assert (await http.get("/api/v1/technician/jobs", headers=tablet)).status_code == 200


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
    # Taking over the web session (with a token: 400, tests/fieldwork/test_device_api.py).
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


# Every route with who may use it: A admin, S supervisor, G agent (desk), C a client's user,
# T a technician, K a contractor's user (aannemer). Public routes are PUBLIC_PATHS. A role not
# listed is refused with 403, or with 404 where the route names something outside its scope
# (HIDDEN), which is not revealed.
ACCESS: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/clients"): "ASGCT",
    ("GET", "/api/v1/addresses"): "ASGC",
    ("GET", "/api/v1/dossiers"): "ASGCT",
    ("POST", "/api/v1/dossiers"): "ASGC",
    ("GET", "/api/v1/dossiers/{order_number}"): "ASGCT",
    ("PATCH", "/api/v1/dossiers/{order_number}"): "ASG",
    ("POST", "/api/v1/dossiers/{order_number}/transitions"): "ASG",
    ("POST", "/api/v1/dossiers/{order_number}/notes"): "ASGT",
    ("POST", "/api/v1/triage/evaluate"): "ASGC",
    ("POST", "/api/v1/dossiers/{order_number}/triage"): "ASG",
    ("GET", "/api/v1/protocols/{client}"): "ASGC",
    ("POST", "/api/v1/protocols/{client}"): "AS",
    ("POST", "/api/v1/protocols/{client}/check"): "AS",
    ("GET", "/api/v1/protocols/{client}/export"): "ASGC",
    ("GET", "/api/v1/protocols/{client}/versions"): "ASGC",
    ("GET", "/api/v1/protocols/{client}/versions/{version}"): "ASGC",
    ("GET", "/api/v1/dossiers/{order_number}/suggestions"): "ASG",
    ("GET", "/api/v1/dossiers/{order_number}/slots"): "ASG",
    ("POST", "/api/v1/dossiers/{order_number}/assign"): "ASG",
    ("POST", "/api/v1/dossiers/{order_number}/appointment"): "ASG",
    ("POST", "/api/v1/dossiers/{order_number}/appointment/cancel"): "ASG",
    ("GET", "/api/v1/board"): "ASG",
    ("GET", "/api/v1/technician/jobs"): "T",
    ("POST", "/api/v1/technician/position"): "T",
    ("PUT", "/api/v1/technicians/{technician_id}/duty"): "AS",
    ("GET", "/api/v1/absences"): "ASG",
    ("POST", "/api/v1/technicians/{technician_id}/absences"): "AS",
    ("DELETE", "/api/v1/absences/{absence_id}"): "AS",
    ("POST", "/api/v1/sync/push"): "T",
    ("GET", "/api/v1/sync/pull"): "T",
    ("PUT", "/api/v1/photos/{client_id}"): "T",
    ("GET", "/api/v1/photos/{key}/{variant}"): "ASGCTK",
    ("GET", "/api/v1/dossiers/{order_number}/messages"): "ASGCT",
    ("POST", "/api/v1/dossiers/{order_number}/messages"): "ASGCT",
    ("GET", "/api/v1/me/push-subscriptions"): "T",
    ("POST", "/api/v1/me/push-subscriptions"): "T",
    ("DELETE", "/api/v1/me/push-subscriptions/{subscription_id}"): "T",
    ("POST", "/api/v1/auth/device-token"): "T",
    ("POST", "/api/v1/auth/logout"): "ASGCTK",
    ("GET", "/api/v1/clients/{client}/materials"): "ASGC",
    ("PUT", "/api/v1/clients/{client}/materials"): "AS",
    ("GET", "/api/v1/contractors/{contractor_id}/materials"): "ASG",
    ("PUT", "/api/v1/contractors/{contractor_id}/materials"): "AS",
    ("GET", "/"): "ASGCTK",
    ("POST", "/logout"): "ASGCTK",
    ("GET", "/dossiers"): "ASGCT",
    ("GET", "/dossiers/nieuw"): "ASGC",
    ("POST", "/dossiers/nieuw"): "ASGC",
    ("GET", "/dossiers/{order_number}"): "ASGCT",
    ("POST", "/dossiers/{order_number}/fase"): "ASG",
    ("POST", "/dossiers/{order_number}/notitie"): "ASGT",
    ("POST", "/dossiers/{order_number}/contact"): "ASG",
    ("GET", "/meldkamer"): "ASG",
    ("GET", "/meldkamer/live"): "ASG",
    ("POST", "/dossiers/{order_number}/toewijzen"): "ASG",
    ("POST", "/dossiers/{order_number}/afspraak"): "ASG",
    ("POST", "/dossiers/{order_number}/afspraak/annuleren"): "ASG",
    ("GET", "/planning"): "AS",
    ("POST", "/planning/afwezigheid"): "AS",
    ("POST", "/planning/afwezigheid/{absence_id}/verwijderen"): "AS",
    ("POST", "/planning/toewijzen/{client}"): "AS",
    ("POST", "/planning/verzetten/{client}"): "AS",
    ("GET", "/dossiers/{order_number}/triage"): "ASG",
    ("POST", "/dossiers/{order_number}/triage"): "ASG",
    ("GET", "/protocollen"): "ASGC",
    ("GET", "/protocollen/{client}"): "ASGC",
    ("GET", "/protocollen/{client}/bewerken"): "AS",
    ("POST", "/protocollen/{client}/bewerken"): "AS",
    ("GET", "/protocollen/{client}/versies/{version}"): "ASGC",
    ("POST", "/dossiers/{order_number}/gegevens"): "ASG",
    ("GET", "/archief"): "ASGC",
    ("POST", "/archief/export"): "ASGC",
    ("GET", "/archief/exports/{token}"): "ASGC",
    ("GET", "/dashboard"): "ASGC",
    ("GET", "/dashboard/live"): "ASGC",
    ("GET", "/dashboard/grafiek/{key}.xlsx"): "ASGC",
    ("GET", "/dashboard/telefonie.xlsx"): "ASGC",
    ("GET", "/portaal"): "ASGC",
    ("GET", "/portaal/live"): "ASGC",
    ("GET", "/portaal/rapportages"): "ASC",
    ("GET", "/portaal/rapportages/{report_id}.pdf"): "ASC",
    ("GET", "/portaal/rapportages/{report_id}.xlsx"): "ASC",
    ("GET", "/sjablonen"): "ASC",
    ("GET", "/sjablonen/{client}"): "ASC",
    ("GET", "/sjablonen/{client}/{kind}/{file}"): "ASC",
    ("POST", "/sjablonen/{client}/{kind}/{file}"): "ASC",
    ("POST", "/dossiers/{order_number}/berichten"): "ASGCT",
    ("GET", "/dossiers/{order_number}/live"): "ASGCT",
    # Contacts: the desk works with them; a client's user reads its own; technicians none.
    ("GET", "/api/v1/contacts"): "ASGC",
    ("GET", "/api/v1/figures/telephony"): "ASGC",
    ("POST", "/api/v1/contacts"): "ASG",
    ("GET", "/api/v1/contacts/{contact_id}"): "ASGC",
    ("PATCH", "/api/v1/contacts/{contact_id}"): "ASG",
    ("POST", "/api/v1/contacts/{contact_id}/transfer"): "ASG",
    ("POST", "/api/v1/contacts/{contact_id}/reply"): "ASG",
    ("GET", "/api/v1/callers"): "ASG",
    ("GET", "/api/v1/clients/{client}/contact-setup"): "ASG",
    ("PUT", "/api/v1/clients/{client}/contact-setup"): "AS",
    ("GET", "/contacten"): "ASGC",
    ("GET", "/contacten/registreren"): "ASG",
    ("POST", "/contacten/registreren"): "ASG",
    ("GET", "/contacten/live"): "ASG",
    ("GET", "/contacten/actief"): "ASG",
    ("GET", "/contacten/{contact_id}"): "ASGC",
    ("POST", "/contacten/{contact_id}"): "ASG",
    ("GET", "/contacten/{contact_id}/pop"): "ASG",
    ("POST", "/contacten/{contact_id}/doorverbinden"): "ASG",
    ("POST", "/contacten/{contact_id}/antwoord"): "ASG",
    ("POST", "/dossiers/{order_number}/antwoord"): "ASG",
    ("GET", "/contactinstellingen"): "AS",
    ("GET", "/contactinstellingen/{client}"): "AS",
    ("POST", "/contactinstellingen/{client}"): "AS",
    # Operating: Prometheus' own token (METRICS_TOKEN, tests/web/test_operations.py) or an admin.
    ("GET", "/metrics"): "A",
    # Knowledge base: supervisors write; the desk reads; a client's user reads the shared
    # articles and its own; technicians none.
    ("GET", "/api/v1/knowledge"): "ASGC",
    ("POST", "/api/v1/knowledge"): "AS",
    ("GET", "/api/v1/knowledge/{article_id}"): "ASGC",
    ("PUT", "/api/v1/knowledge/{article_id}"): "AS",
    ("GET", "/api/v1/knowledge/{article_id}/versions"): "ASGC",
    ("GET", "/api/v1/knowledge/{article_id}/versions/{article_version}"): "ASGC",
    ("GET", "/api/v1/protocols/{client}/subjects"): "ASGC",
    ("GET", "/kennisbank"): "ASGC",
    ("GET", "/kennisbank/nieuw"): "AS",
    ("POST", "/kennisbank/nieuw"): "AS",
    ("GET", "/kennisbank/{article_id}"): "ASGC",
    ("GET", "/kennisbank/{article_id}/bewerken"): "AS",
    ("POST", "/kennisbank/{article_id}/bewerken"): "AS",
    ("GET", "/kennisbank/{article_id}/versies/{article_version}"): "ASGC",
    # Escalation cases: the desk and the client's users read; the client (and the meldkamer's
    # admins and supervisors, helping out) record steps; technicians none.
    ("GET", "/escalaties"): "ASGC",
    ("GET", "/escalaties/{case_id}"): "ASGC",
    ("POST", "/escalaties/{case_id}/stap"): "ASC",
    # Privacy (AVG): access requests, erasure and the log of who opened what are an admin's.
    ("GET", "/privacy"): "A",
    ("POST", "/privacy/zoeken"): "A",
    ("POST", "/privacy/inzage"): "A",
    ("POST", "/privacy/wissen"): "A",
    ("GET", "/privacy/inzagelog"): "A",
    # The chain's integrations (docs/chain.md): supervisors and admins keep them.
    ("GET", "/api/v1/integrations"): "AS",
    ("POST", "/api/v1/integrations"): "AS",
    ("GET", "/api/v1/integrations/{integration_id}"): "AS",
    ("PUT", "/api/v1/integrations/{integration_id}"): "AS",
    ("POST", "/api/v1/integrations/{integration_id}/key"): "AS",
    ("GET", "/koppelingen"): "AS",
    ("GET", "/koppelingen/nieuw"): "AS",
    ("POST", "/koppelingen/nieuw"): "AS",
    ("GET", "/koppelingen/{integration_id}"): "AS",
    ("POST", "/koppelingen/{integration_id}"): "AS",
    ("POST", "/koppelingen/{integration_id}/sleutel"): "AS",
    # The contractor portal: a contractor's user only, on its own orders; everything else is
    # closed to it (server/web/auth.py, CONTRACTOR_AREA). Declining is last: the order leaves.
    ("GET", "/aannemer"): "K",
    ("GET", "/aannemer/live"): "K",
    ("GET", "/aannemer/opdrachten/{order_number}"): "K",
    ("POST", "/aannemer/opdrachten/{order_number}/accepteren"): "K",
    ("POST", "/aannemer/opdrachten/{order_number}/inplannen"): "K",
    ("POST", "/aannemer/opdrachten/{order_number}/monteur"): "K",
    ("POST", "/aannemer/opdrachten/{order_number}/gereed"): "K",
    ("POST", "/aannemer/opdrachten/{order_number}/weigeren"): "K",
    # Administration (docs/admin.md): users and the platform's settings are the admin's;
    # clients, technicians and the housing stock are supervisie's work too. Enrolling in
    # two-factor login is for every staff and client user (technicians log in on the phone).
    ("GET", "/account/tweestaps"): "ASGC",
    ("POST", "/account/tweestaps"): "ASGC",
    ("GET", "/beheer"): "AS",
    ("GET", "/beheer/gebruikers"): "A",
    ("GET", "/beheer/gebruikers/nieuw"): "A",
    ("POST", "/beheer/gebruikers/nieuw"): "A",
    ("GET", "/beheer/gebruikers/{user_id}"): "A",
    ("POST", "/beheer/gebruikers/{user_id}"): "A",
    ("POST", "/beheer/gebruikers/{user_id}/actief"): "A",
    ("POST", "/beheer/gebruikers/{user_id}/uitnodiging"): "A",
    ("POST", "/beheer/gebruikers/{user_id}/tweestaps-verwijderen"): "A",
    ("GET", "/beheer/instellingen"): "A",
    ("POST", "/beheer/instellingen"): "A",
    ("GET", "/beheer/opdrachtgevers"): "AS",
    ("GET", "/beheer/opdrachtgevers/nieuw"): "A",
    ("POST", "/beheer/opdrachtgevers/nieuw"): "A",
    ("GET", "/beheer/opdrachtgevers/{client}"): "AS",
    ("POST", "/beheer/opdrachtgevers/{client}"): "AS",
    ("POST", "/beheer/opdrachtgevers/{client}/logo"): "AS",
    ("POST", "/beheer/opdrachtgevers/{client}/rapportages"): "AS",
    ("POST", "/beheer/opdrachtgevers/{client}/rapportages/maken"): "AS",
    ("POST", "/beheer/opdrachtgevers/{client}/rapportages/{report_id}/opnieuw"): "AS",
    ("POST", "/beheer/opdrachtgevers/{client}/woningbestand"): "AS",
    ("GET", "/beheer/opdrachtgevers/{client}/woningbestand/{import_id}"): "AS",
    ("POST", "/beheer/opdrachtgevers/{client}/woningbestand/{import_id}/importeren"): "AS",
    ("GET", "/beheer/monteurs"): "AS",
    ("GET", "/beheer/monteurs/nieuw"): "AS",
    ("POST", "/beheer/monteurs/nieuw"): "AS",
    ("GET", "/beheer/monteurs/{technician_id}"): "AS",
    ("POST", "/beheer/monteurs/{technician_id}"): "AS",
}
# A technician has no client: a client's protocol is out of his scope (404, like any other).
HIDDEN: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/addresses"): "T",
    ("GET", "/api/v1/protocols/{client}"): "T",
    ("GET", "/api/v1/protocols/{client}/export"): "T",
    ("GET", "/api/v1/protocols/{client}/versions"): "T",
    ("GET", "/api/v1/protocols/{client}/versions/{version}"): "T",
    ("GET", "/protocollen/{client}"): "T",
    ("GET", "/protocollen/{client}/versies/{version}"): "T",
    ("GET", "/protocollen/{client}/bewerken"): "T",
    ("POST", "/protocollen/{client}/bewerken"): "T",
    ("GET", "/api/v1/clients/{client}/materials"): "T",
    ("GET", "/api/v1/protocols/{client}/subjects"): "T",
    # The upload names a job; anyone but its technician gets 'not found'.
    ("PUT", "/api/v1/photos/{client_id}"): "ASGCK",
}
LETTERS = {
    "A": "admin",
    "S": "supervisor",
    "G": "agent",
    "C": "client",
    "T": "technician",
    "K": "contractor",
}
# Logging out ends the caller's session or token: tried last.
LAST = {("POST", "/logout"), ("POST", "/api/v1/auth/logout")}


def test_access_table_names_every_route() -> None:
    routes_here = {r for r in _all_routes() if r[1] not in PUBLIC_PATHS}
    routes_here = {r for r in routes_here if not r[1].startswith("/static")}
    assert set(ACCESS) == routes_here, (
        f"missing: {sorted(routes_here - set(ACCESS))}; gone: {sorted(set(ACCESS) - routes_here)}"
    )
    assert set(HIDDEN) <= set(ACCESS)


@pytest.mark.parametrize("role", list(scoped.USERS))
async def test_every_route_by_role(http: httpx.AsyncClient, app: ASGIApp, role: str) -> None:
    s = await scoped.build()
    bodies = scoped.bodies(s)
    username = scoped.USERS[role]
    scoped.export_file(await User.get(username=username))
    headers = await token_for(http, username)
    await login(http, username)
    token = csrf((await http.get("/login")).text)
    wrong = []
    for method, template in sorted(ACCESS, key=lambda r: r in LAST):
        path = scoped.concrete(template, s)
        status, _ = await scoped.call(
            http, app, headers, method, path, bodies.get((method, template)), token
        )
        allowed = {LETTERS[c] for c in ACCESS[method, template]}
        hidden = {LETTERS[c] for c in HIDDEN.get((method, template), "")}
        # Allowed: it reached its own checks (a request may be refused, not who asks).
        expected = "not 401/403/404" if role in allowed else (404 if role in hidden else 403)
        if (status in (401, 403, 404)) if role in allowed else status != expected:
            wrong.append(f"{method} {path}: {status}, expected {expected}")
    await queue.stop_inline(0)  # reminders the bookings scheduled: not this test's business
    assert not wrong, "\n".join(wrong)


# Online reporting (server/selfservice): public, without a login; the tenant's draft cookie is
# the key, and each step refuses what comes before a confirmed code (tests/selfservice).
MELDEN_ROUTES = {
    ("GET", "/melden/{client}"),
    ("POST", "/melden/{client}/adres"),
    ("POST", "/melden/{client}/code"),
    ("POST", "/melden/{client}/nieuwe-code"),
    ("POST", "/melden/{client}/woning"),
    ("POST", "/melden/{client}/onderwerp"),
    ("POST", "/melden/{client}/antwoord"),
    ("POST", "/melden/{client}/terug"),
    ("POST", "/melden/{client}/details"),
    ("POST", "/melden/{client}/versturen"),
    ("POST", "/melden/{client}/opnieuw"),
}


def test_online_reporting_routes_are_public_and_all_listed() -> None:
    found = {r for r in _all_routes() if r[1].startswith("/melden/")}
    assert found == MELDEN_ROUTES
    assert all(path in PUBLIC_PATHS for _, path in MELDEN_ROUTES)


async def test_online_reporting_answers_anyone_and_only_for_clients_that_offer_it(
    http: httpx.AsyncClient, w: world.World
) -> None:
    w.woonstad.settings = {**w.woonstad.settings, "online_melden": {"adres": "woonstad"}}
    await w.woonstad.save(update_fields=["settings"])
    for method, template in sorted(MELDEN_ROUTES):
        path = template.replace("{client}", "woonstad")
        if method == "GET":
            response = await http.get(path)
            assert response.status_code == 200, path
            continue
        token = csrf((await http.get("/melden/woonstad")).text)
        response = await http.post(path, data={"csrf_token": token})
        # Reached its own checks (a step out of turn is refused by the step, 4xx), never a
        # login or a CSRF refusal.
        assert response.status_code not in (401, 403, 500), (path, response.status_code)
        assert "/login" not in response.headers.get("location", ""), path
    # Lichtveld does not take reports online; its code and a made-up name are unknown.
    for path in ("/melden/lvd", "/melden/lichtveld", "/melden/wst-niet"):
        response = await http.get(path)
        assert response.status_code == 404, path
        assert "Op dit adres kunt u geen melding doen" in response.text


# The chain's VERA API (/api/vera/v4, docs/chain.md) is public to users: an integration's own
# key (X-API-KEY) is its login. No user's session or token opens it, and a key opens only the
# dossiers sent to its integration (tests/chain/test_inbound.py).
VERA_ROUTES = sorted(r for r in _all_routes() if r[1].startswith("/api/vera/"))


def test_every_vera_route_is_known_here() -> None:
    assert VERA_ROUTES == [
        ("DELETE", "/api/vera/v4/{path:path}"),
        ("GET", "/api/vera/v4/fotos/{id}"),
        ("GET", "/api/vera/v4/onderhoudsorders/{id}"),
        ("GET", "/api/vera/v4/ping"),
        ("GET", "/api/vera/v4/{path:path}"),
        ("PATCH", "/api/vera/v4/afspraken/{id}"),
        ("PATCH", "/api/vera/v4/onderhoudsorders/{id}"),
        ("PATCH", "/api/vera/v4/{path:path}"),
        ("POST", "/api/vera/v4/afspraken"),
        ("POST", "/api/vera/v4/{path:path}"),
        ("PUT", "/api/vera/v4/afspraken/{id}"),
        ("PUT", "/api/vera/v4/onderhoudsorders/{id}"),
        ("PUT", "/api/vera/v4/{path:path}"),
    ]
    assert all(p in PUBLIC_PATHS for _, p in VERA_ROUTES)


@pytest.mark.parametrize(
    "username", [None, "admin", "sanne.supervisie", "anna.agent", "wim.woonstad", "piet.monteur"]
)
async def test_vera_routes_refuse_every_user_and_no_key(
    http: httpx.AsyncClient, username: str | None
) -> None:
    s = await scoped.build()
    headers = await token_for(http, username) if username else {}
    if username:
        await login(http, username)
    for method, template in VERA_ROUTES:
        path = template.replace("{id}", s.own.order_number).replace("{path:path}", "onbekend")
        response = await http.request(method, path, headers=headers, json={})
        assert response.status_code == 401, (username, method, path, response.text)
        assert response.json()["code"] == "NIET_GEAUTORISEERD"
