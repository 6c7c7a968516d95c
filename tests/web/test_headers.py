"""Security headers on every response: a CSP with no third-party origin on every HTML page
(error pages and refusals too), nosniff on everything, files with their type and disposition,
the service worker's scope, and cookies that are HttpOnly, SameSite and (on https) Secure."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from server import app as app_module
from server import settings
from server.communication import links
from server.web import routes as web_routes
from tests.support import scoped
from tests.support.pages import csrf, login
from tests.support.world import PASSWORD, token_for
from tests.web.test_access import ACCESS

# The only sources a page may name: this origin, inline data and blobs it made itself.
OWN_SOURCES = {"'self'", "'none'", "data:", "blob:"}


def assert_own_csp(response: httpx.Response, what: str) -> None:
    policy = response.headers.get("content-security-policy", "")
    assert policy, f"{what}: no Content-Security-Policy"
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == ["'self'"], what
    assert directives["frame-ancestors"] == ["'none'"], what
    for name, sources in directives.items():
        assert set(sources) <= OWN_SOURCES, f"{what}: {name} allows {sources}"
    assert response.headers.get("x-content-type-options") == "nosniff", what


@pytest.mark.parametrize("role", ["admin", "client"])
async def test_every_page_has_a_csp_of_this_origin_only(http: httpx.AsyncClient, role: str) -> None:
    s = await scoped.build()
    await login(http, scoped.USERS[role])
    pages = [
        scoped.concrete(path, s)
        for method, path in ACCESS
        if method == "GET" and not path.startswith("/api/") and not path.endswith("/live")
    ]
    html = 0
    for path in pages:
        response = await http.get(path)
        assert response.headers.get("x-content-type-options") == "nosniff", path
        if response.headers.get("content-type", "").startswith("text/html"):
            assert_own_csp(response, f"{role} {path} ({response.status_code})")
            html += 1
    assert html >= 15  # refusals (403) are pages too


async def test_public_and_error_pages_have_the_csp(http: httpx.AsyncClient) -> None:
    s = await scoped.build()
    # Before any cookie: with one, a PUT would be a form without its CSRF token (tested below).
    wrong_method = await http.put("/monteur/")
    pages = {
        "wrong method": wrong_method,
        "login": await http.get("/login"),
        "app shell": await http.get("/monteur/"),
        "tracking": await http.get(f"/volg/{links.token(s.own.id, links.TRACKING)}"),
        "tampered link": await http.get("/volg/nep.token"),
        "survey": await http.get(f"/enquete/{links.token(s.own.id, links.SURVEY)}"),
        "unknown page": await http.get("/bestaat-niet"),
    }
    await http.get("/login")
    wrong_password = await http.post(
        "/login",
        data={"csrf_token": http.cookies["meldkamer_csrf"], "username": "x", "password": "y"},
    )
    pages["wrong password"] = wrong_password
    for name, response in pages.items():
        assert response.headers["content-type"].startswith("text/html"), name
        assert_own_csp(response, name)
    assert (pages["unknown page"].status_code, wrong_method.status_code) == (404, 405)


async def test_a_refused_form_and_a_server_error_carry_the_headers_too(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, db_clean: None
) -> None:
    # A form without its CSRF token is refused before the app (and its middleware) sees it.
    await http.get("/login")
    forged = await http.post("/login", data={"username": "anna.agent", "password": PASSWORD})
    assert forged.status_code == 403
    assert_own_csp(forged, "CSRF refusal")

    async def boom(request: Request) -> Response:
        raise RuntimeError("test: an unexpected failure")

    monkeypatch.setattr(app_module, "routes", [Route("/boom", boom), *web_routes.routes])
    failing = app_module.create_app(manage_db=False)
    async with (
        LifespanManager(failing) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app, raise_app_exceptions=False),
            base_url="http://testserver",
        ) as client,
    ):
        page = await client.get("/boom")
        assert page.status_code == 500
        assert "Er ging iets mis aan onze kant" in page.text
        assert_own_csp(page, "server error page")
        api = await client.get("/boom", headers={"accept": "application/json"})
        assert api.status_code == 500
        assert api.headers["x-content-type-options"] == "nosniff"


async def test_files_say_what_they_are(http: httpx.AsyncClient, app: ASGIApp) -> None:
    s = await scoped.build()
    wim = await token_for(http, "wim.woonstad")
    photo = await http.get(f"/api/v1/photos/{s.own_photo}/screen", headers=wim)
    assert photo.status_code == 200
    assert photo.headers["content-type"] == "image/jpeg"
    assert photo.headers["x-content-type-options"] == "nosniff"
    assert (
        photo.headers["content-disposition"]
        == f'inline; filename="foto-{s.own_photo[:12]}-screen.jpg"'
    )
    assert photo.headers["cache-control"].startswith("private")
    # Keys and variants that try to leave the media folder are not found.
    for key, variant in [
        ("..%2F..%2Fsettings.py", "original"),
        (s.own_photo, "..%2F..%2F..%2Fetc%2Fpasswd"),
        (s.own_photo.upper(), "original"),
        (s.own_photo + "%00", "original"),
    ]:
        response = await http.get(f"/api/v1/photos/{key}/{variant}", headers=wim)
        assert response.status_code == 404, (key, variant)
    await login(http, "anna.agent")
    token = csrf((await http.get("/archief")).text)
    sheet = await http.post("/archief/export", data={"csrf_token": token, "kolom": ["ordernummer"]})
    assert sheet.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert sheet.headers["content-disposition"] == 'attachment; filename="dossiers.xlsx"'
    assert sheet.headers["x-content-type-options"] == "nosniff"
    script = await http.get("/static/monteur/app.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.headers["x-content-type-options"] == "nosniff"
    for outside in ["/static/../server/settings.py", "/static/%2e%2e/server/settings.py"]:
        assert (await http.get(outside)).status_code == 404, outside


async def test_service_workers_stay_in_their_scope(http: httpx.AsyncClient, db_clean: None) -> None:
    worker = await http.get("/monteur/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["service-worker-allowed"] == "/monteur/"
    assert worker.headers["cache-control"] == "no-cache"
    manifest = (await http.get("/monteur/manifest.webmanifest")).json()
    assert (manifest["scope"], manifest["start_url"]) == ("/monteur/", "/monteur/")
    # The tracking page's push worker has no say over any page: it handles push, not fetch.
    push_worker = await http.get("/static/js/push-sw.js")
    assert push_worker.status_code == 200
    assert "service-worker-allowed" not in push_worker.headers
    assert 'addEventListener("fetch"' not in push_worker.text


@pytest.fixture
async def https_http(
    monkeypatch: pytest.MonkeyPatch, db_clean: None
) -> AsyncIterator[httpx.AsyncClient]:
    """The app as it runs behind https (BASE_URL https://…): cookies only over https."""
    monkeypatch.setattr(settings, "HTTPS", True)
    application = app_module.create_app(manage_db=False)
    async with (
        LifespanManager(application) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="https://testserver"
        ) as client,
    ):
        yield client


async def test_cookies_are_secure_httponly_and_samesite_on_https(
    https_http: httpx.AsyncClient,
) -> None:
    await scoped.build()
    page = await https_http.get("/login")
    csrf_cookie = page.headers["set-cookie"]
    assert "meldkamer_csrf=" in csrf_cookie
    assert "secure" in csrf_cookie.lower() and "samesite=lax" in csrf_cookie.lower()
    response = await https_http.post(
        "/login",
        data={"csrf_token": csrf(page.text), "username": "anna.agent", "password": PASSWORD},
    )
    assert response.status_code == 303
    session = next(
        v
        for k, v in response.headers.multi_items()
        if k == "set-cookie" and "meldkamer_session" in v
    ).lower()
    assert "secure" in session and "httponly" in session and "samesite=lax" in session


async def test_hsts_when_the_site_is_https(https_http: httpx.AsyncClient) -> None:
    # Behind https every answer tells the browser to stay on https, refusals included.
    for response in [
        await https_http.get("/login"),
        await https_http.get("/bestaat-niet"),
        await https_http.get("/api/v1/dossiers"),
    ]:
        assert response.headers["strict-transport-security"] == "max-age=31536000"


async def test_no_hsts_on_plain_http(http: httpx.AsyncClient, db_clean: None) -> None:
    # On a developer's http://localhost it would keep the browser off the site.
    assert "strict-transport-security" not in (await http.get("/login")).headers
