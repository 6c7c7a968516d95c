"""An intake posted by a program with a bearer token is answered in front of the middleware
stack (server/web/direct.py): the same answer, the same refusals, as through the stack."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from starlette.types import ASGIApp

from server.models import ApiToken, Dossier, User
from tests.dossiers.test_intake_statements import LEAK
from tests.support import scoped, world
from tests.web.test_access import ACCESS, LETTERS

PATH = "/api/v1/dossiers"
INTAKE = {**LEAK, "contact": {**LEAK["contact"], "email": ""}}  # type: ignore[dict-item]


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


def _client(app: ASGIApp) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def _comparable(answer: dict[str, object]) -> dict[str, object]:
    """An intake's answer without what differs between two intakes of the same report: its
    number, its moments (the triage records when it was decided) and its messages' ids."""
    moments = ("order_number", "created_at", "deadline_at", "triage", "events")
    same = {k: v for k, v in answer.items() if k not in moments}
    triage: dict[str, object] = answer["triage"]  # type: ignore[assignment]
    same["triage"] = {k: triage[k] for k in ("subject", "answers")}
    same["events"] = [
        (e["kind"], e["actor"])
        for e in answer["events"]  # type: ignore[attr-defined]
    ]
    return same


async def test_a_program_and_a_browser_get_the_same_intake(
    w: world.World, http: httpx.AsyncClient
) -> None:
    headers = await world.token_for(http, "anna.agent")
    assert not http.cookies  # so the first intake is a program's: no cookie, a token
    direct = await http.post(PATH, json=INTAKE, headers=headers)
    assert direct.status_code == 201, direct.text
    # With a cookie the request takes the stack, as a browser's does.
    stacked = await http.post(PATH, json=INTAKE, headers={**headers, "Cookie": "taal=nl"})
    assert stacked.status_code == 201, stacked.text
    assert _comparable(direct.json()) == _comparable(stacked.json())
    assert direct.json()["urgency"] and direct.json()["trade"] == "LOO"
    # Both stored, numbered one after the other, each with its triage.
    numbers = [direct.json()["order_number"], stacked.json()["order_number"]]
    stored = await Dossier.filter(order_number__in=numbers).values_list("trade", flat=True)
    assert sorted(stored) == ["LOO", "LOO"]
    for response in (direct, stacked):
        assert response.headers["content-type"].startswith("application/json")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-request-id"]


@pytest.mark.parametrize("role", list(scoped.USERS))
async def test_each_role_with_only_a_token_is_let_in_or_refused_as_the_table_says(
    app: ASGIApp, role: str
) -> None:
    await scoped.build()
    allowed = {LETTERS[c] for c in ACCESS["POST", PATH]}
    async with _client(app) as program:
        headers = await world.token_for(program, scoped.USERS[role])
        # Without triage, which is for the desk only: a client's user may report too.
        response = await program.post(PATH, json=world.dossier_body(), headers=headers)
    if role in allowed:
        assert response.status_code == 201, response.text
    else:
        assert response.status_code == 403, response.text
        assert response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, None),  # no Authorization header: the stack answers, as to anyone anonymous
        ({"Authorization": "Bearer mk_nope"}, "Token ongeldig of verlopen; log opnieuw in."),
        ({"Authorization": "Basic YWJjOmRlZg=="}, "Gebruik 'Authorization: Bearer <token>'."),
        ({"Authorization": "Bearer"}, "Gebruik 'Authorization: Bearer <token>'."),
    ],
)
async def test_without_a_good_token_it_is_401_in_dutch(
    w: world.World, http: httpx.AsyncClient, headers: dict[str, str], message: str | None
) -> None:
    before = await Dossier.all().count()
    response = await http.post(PATH, json=INTAKE, headers=headers)
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == "Bearer"
    if message is not None:
        assert response.json() == {"error": {"message": message, "field": None}}
    assert await Dossier.all().count() == before


@pytest.mark.parametrize(
    ("raw", "query", "status", "field"),
    [
        (b"{not json", "", 400, None),
        (b"[1, 2]", "", 400, None),
        (b'{"client": "WST"}', "", 422, "address"),
        (b'{"client": "WST", "extra": 1}', "", 422, None),
        (None, "", 422, "description"),  # a lone surrogate in the description
        (None, "x=%00", 422, "x"),
        (b'{"client": "' + b"W" * 30 + b'"}', "", 422, "client"),
    ],
)
async def test_bad_input_is_refused_with_a_dutch_message_and_nothing_stored(
    w: world.World,
    http: httpx.AsyncClient,
    raw: bytes | None,
    query: str,
    status: int,
    field: str | None,
) -> None:
    headers = await world.token_for(http, "anna.agent")
    if raw is None:
        description = "Lekt \\ud83d" if not query else "Lekt"
        raw = httpx.Request(
            "POST", "/", json={**INTAKE, "description": "PLACEHOLDER"}
        ).content.replace(b"PLACEHOLDER", description.encode())
    before = await Dossier.all().count()
    response = await http.post(
        f"{PATH}?{query}" if query else PATH,
        content=raw,
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["message"] and not error["message"].startswith("Er ging iets mis")
    if field is not None:
        assert error["field"] == field
    assert await Dossier.all().count() == before


async def test_a_body_over_the_limit_is_413_before_anything_is_read(
    w: world.World, http: httpx.AsyncClient
) -> None:
    from server import settings

    headers = await world.token_for(http, "anna.agent")
    huge = b'{"description": "' + b"x" * (settings.MAX_BODY_BYTES + 10) + b'"}'
    response = await http.post(
        PATH, content=huge, headers={**headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert "kB" in response.json()["error"]["message"]


async def test_the_token_read_with_the_intake_is_judged_as_its_own_read(
    w: world.World, http: httpx.AsyncClient
) -> None:
    """A program's intake reads its token in the same statement as client, address and
    protocol (server/dossiers/desk_read.py). The token is still judged first and the same
    way: a bad token is 401 whatever the body; an expired token or a deactivated user is
    refused; an unknown client with a good token is the client's 404."""
    headers = await world.token_for(http, "anna.agent")
    before = await Dossier.all().count()

    bad = {"Authorization": "Bearer mk_nope", "Content-Type": "application/json"}
    for body in (
        b"{not json",
        b'{"client": "WST"}',
        httpx.Request("POST", "/", json=INTAKE).content,
    ):
        refused = await http.post(PATH, content=body, headers=bad)
        assert refused.status_code == 401, refused.text

    unknown = await http.post(PATH, json={**INTAKE, "client": "XYZ"}, headers=headers)
    assert unknown.status_code == 404 and unknown.json()["error"]["field"] == "client"

    await User.filter(username="anna.agent").update(active=False)
    assert (await http.post(PATH, json=INTAKE, headers=headers)).status_code == 401
    await User.filter(username="anna.agent").update(active=True)
    assert (await http.post(PATH, json=INTAKE, headers=headers)).status_code == 201

    await ApiToken.all().update(expires_at=datetime(2000, 1, 1, tzinfo=UTC))
    assert (await http.post(PATH, json=INTAKE, headers=headers)).status_code == 401
    assert await Dossier.all().count() == before + 1
