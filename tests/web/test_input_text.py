"""Text no database can store is refused up front, the same on SQLite and PostgreSQL: a NUL
(U+0000) or a lone surrogate in any field of any write route, in a query parameter or in the
path is a 4xx naming the field, never a 500, and nothing is written."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from starlette.types import ASGIApp

from server import settings
from server.models import Dossier, DossierEvent
from tests.support import scoped
from tests.support.pages import csrf, login
from tests.support.world import token_for
from tests.web.test_access import ACCESS, LETTERS

NUL = "\x00"
SURROGATE = "\ud83d"  # the first half of an emoji, without its second half
# The technician app's push is refused op by op by the sync layer (docs/sync.md), never as a
# whole request: a refused batch would block the app's queue.
EXEMPT = {("POST", "/api/v1/sync/push")}


def strings(body: Any, path: str = "") -> Iterator[str]:
    """The dotted paths of every text value in a JSON body ('address.postcode')."""
    if isinstance(body, dict):
        for key, value in body.items():
            yield from strings(value, f"{path}.{key}" if path else key)
    elif isinstance(body, list):
        for index, value in enumerate(body):
            yield from strings(value, f"{path}[{index}]")
    elif isinstance(body, str):
        yield path


def spoiled(body: Any, target: str, bad: str, path: str = "") -> Any:
    """`body` with `bad` inserted in the middle of the text at `target`."""
    if isinstance(body, dict):
        return {k: spoiled(v, target, bad, f"{path}.{k}" if path else k) for k, v in body.items()}
    if isinstance(body, list):
        return [spoiled(v, target, bad, f"{path}[{i}]") for i, v in enumerate(body)]
    if isinstance(body, str) and path == target:
        return body[: len(body) // 2] + bad + body[len(body) // 2 :]
    return body


@pytest.fixture
async def http(app: ASGIApp) -> AsyncIterator[httpx.AsyncClient]:
    """The app as a browser meets it: a server error is a 500 answer, not an exception here."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def first_allowed(method: str, template: str) -> str:
    return scoped.USERS[LETTERS[ACCESS[method, template][0]]]


async def writes() -> tuple[int, int]:
    return await Dossier.all().count(), await DossierEvent.all().count()


async def test_api_refuses_nul_and_lone_surrogates_in_every_text_field(
    http: httpx.AsyncClient, app: ASGIApp
) -> None:
    s = await scoped.build()
    tokens = {u: await token_for(http, u) for u in scoped.USERS.values()}
    before = await writes()
    wrong = []
    tried = 0
    for (method, template), body in scoped.bodies(s).items():
        if not template.startswith("/api/") or (method, template) in EXEMPT:
            continue
        path = scoped.concrete(template, s)
        headers = {**tokens[first_allowed(method, template)], "content-type": "application/json"}
        for field in strings(body):
            for bad in (NUL, SURROGATE):
                # ensure_ascii writes the surrogate as the escape \ud83d, as a client would.
                raw = json.dumps(spoiled(body, field, bad)).encode()
                response = await http.request(method, path, content=raw, headers=headers)
                tried += 1
                got = (response.status_code, response.json().get("error"))
                want = (
                    422,
                    {"message": f"Veld '{field}' bevat een ongeldig teken.", "field": field},
                )
                if got != want:
                    wrong.append(f"{method} {template} {field} {bad!r}: {got}")
    assert tried > 50
    assert not wrong, "\n".join(wrong)
    assert await writes() == before


async def test_forms_refuse_nul_in_every_field(http: httpx.AsyncClient, app: ASGIApp) -> None:
    s = await scoped.build()
    before = await writes()
    wrong = []
    tried = 0
    for user in scoped.USERS.values():
        await login(http, user)
        token = csrf((await http.get("/login")).text)
        for (method, template), body in scoped.bodies(s).items():
            if template.startswith("/api/") or first_allowed(method, template) != user:
                continue
            path = scoped.concrete(template, s)
            for field in body:
                data = {**body, field: spoiled(body, field, NUL)[field], "csrf_token": token}
                response = await http.post(path, data=data)
                tried += 1
                message = f"Veld &#39;{field}&#39; bevat een ongeldig teken."
                if response.status_code != 422 or message not in response.text:
                    wrong.append(f"{user} {template} {field}: {response.status_code}")
        await http.post("/logout", data={"csrf_token": token})
    assert tried > 25
    assert not wrong, "\n".join(wrong)
    assert await writes() == before


async def test_the_login_form_refuses_a_nul_before_looking_up_the_user(
    http: httpx.AsyncClient, app: ASGIApp
) -> None:
    await scoped.build()
    token = csrf((await http.get("/login")).text)
    page = await http.post(
        "/login", data={"csrf_token": token, "username": "anna\x00.agent", "password": "x"}
    )
    assert page.status_code == 422
    assert "Veld &#39;username&#39; bevat een ongeldig teken." in page.text
    http.cookies.clear()  # the app signs in without cookies (and so without a CSRF token)
    api = await http.post("/api/v1/auth/token", json={"username": "anna\x00", "password": "x"})
    assert api.status_code == 422
    assert api.json()["error"]["field"] == "username"


@pytest.mark.parametrize(
    "path",
    [
        "/dossiers?q=",
        "/api/v1/dossiers?q=",
        "/archief?q=",
        "/api/v1/addresses?client=WST&postcode=",
        "/api/v1/sync/pull?device_id=",
        "/portaal?klant=",
    ],
)
async def test_query_parameters_refuse_nul(
    http: httpx.AsyncClient, app: ASGIApp, path: str
) -> None:
    await scoped.build()
    name = path.rsplit("?", 1)[1].rsplit("&", 1)[-1].rstrip("=")
    user = "piet.monteur" if "sync" in path else "anna.agent"
    if path.startswith("/api/"):
        headers = await token_for(http, user)
        response = await http.get(path + quote("12\x00"), headers=headers)
        assert response.status_code == 422, response.text
        assert response.json()["error"] == {
            "message": f"Veld '{name}' bevat een ongeldig teken.",
            "field": name,
        }
    else:
        await login(http, "wim.woonstad" if "portaal" in path else user)
        response = await http.get(path + quote("12\x00"))
        assert response.status_code == 422, response.text
        assert f"Veld &#39;{name}&#39; bevat een ongeldig teken." in response.text


async def test_a_nul_in_the_path_is_not_found(http: httpx.AsyncClient, app: ASGIApp) -> None:
    s = await scoped.build()
    headers = await token_for(http, "anna.agent")
    api = await http.get(f"/api/v1/dossiers/{s.own.order_number}%00", headers=headers)
    assert api.status_code == 404
    assert api.json()["error"]["message"] == "Deze pagina bestaat niet."
    await login(http, "anna.agent")
    page = await http.get(f"/dossiers/{s.own.order_number}%00")
    assert page.status_code == 404
    assert "Deze pagina bestaat niet." in page.text


async def test_broken_utf8_in_forms_and_queries_is_read_as_replacement_characters(
    http: httpx.AsyncClient, app: ASGIApp
) -> None:
    # A lone surrogate cannot be sent as UTF-8: its bytes decode to U+FFFD, which is stored.
    s = await scoped.build()
    await login(http, "anna.agent")
    token = csrf((await http.get("/login")).text)
    path = f"/dossiers/{s.own.order_number}/notitie"
    response = await http.post(
        path,
        content=f"csrf_token={token}&text=Gebeld%ED%A0%BD".encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 303
    event = await DossierEvent.filter(kind="note").get()
    assert event.data["text"].startswith("Gebeld\ufffd")
    listing = await http.get("/dossiers?q=%ED%A0%BD")
    assert listing.status_code == 200


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


async def test_deep_json_is_refused(http: httpx.AsyncClient, app: ASGIApp) -> None:
    s = await scoped.build()
    agent = {**await token_for(http, "anna.agent"), "content-type": "application/json"}
    too_deep = {"message": "De JSON is te diep genest (hoogstens 32 niveaus).", "field": None}
    # Deep enough to exhaust the parser (a RecursionError and a 500 before), and just too deep.
    for body in [nested(100_000), '{"description": ' + nested(40) + "}"]:
        response = await http.post("/api/v1/dossiers", content=body, headers=agent)
        assert (response.status_code, response.json()["error"]) == (400, too_deep)
    webhook = await http.post(
        f"/api/v1/webhooks/sms/{settings.SMS_WEBHOOK_SECRET}", content=nested(100_000)
    )
    assert webhook.status_code == 400
    # The sync push skips the text check (op by op in the sync layer), not the depth.
    piet = {**await token_for(http, "piet.monteur"), "content-type": "application/json"}
    push = await http.post(
        "/api/v1/sync/push",
        content='{"device_id": "device-diep", "ops": ' + nested(100_000) + "}",
        headers=piet,
    )
    assert (push.status_code, push.json()["error"]) == (400, too_deep)
    # A protocol file is YAML (JSON is YAML): too deep for the parser is a problem in the text.
    supervisor = await token_for(http, "sanne.supervisie")
    checked = await http.post(
        "/api/v1/protocols/WST/check", json={"text": nested(100_000)}, headers=supervisor
    )
    assert checked.status_code == 200, checked.text
    assert "te diep genest" in checked.text
    # The triage answers a page carries as JSON in a form field.
    await login(http, "anna.agent")
    token = csrf((await http.get("/login")).text)
    page = await http.post(
        f"/dossiers/{s.own.order_number}/triage",
        data={"csrf_token": token, "triage_subject": "elektra", "triage_answers": nested(100_000)},
    )
    assert page.status_code == 422
    assert "De antwoorden van de triage zijn onleesbaar; begin opnieuw." in page.text
