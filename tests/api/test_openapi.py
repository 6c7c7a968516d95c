"""The API description is part of the product: valid OpenAPI, complete, and true to the app."""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema
import pytest
from openapi_spec_validator import validate

from tests.support import world
from tests.support.world import token_for

METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _spec(http: httpx.AsyncClient) -> dict[str, Any]:
    response = await http.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec: dict[str, Any] = response.json()
    return spec


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


async def test_the_description_is_valid_openapi(http: httpx.AsyncClient, w: world.World) -> None:
    spec = await _spec(http)
    validate(spec)  # raises with the first error
    assert spec["openapi"].startswith("3.1")
    assert all(path.startswith("/api/v1/") for path in spec["paths"]), "pages are not the API"


async def test_every_operation_has_an_id_bodies_responses_and_errors(
    http: httpx.AsyncClient, w: world.World
) -> None:
    spec = await _spec(http)
    ids = [op["operationId"] for _, _, op in _operations(spec)]
    assert len(ids) == len(set(ids)) >= 40
    error = {"$ref": "#/components/schemas/Error"}
    for path, method, op in _operations(spec):
        where = f"{method.upper()} {path}"
        answers = op["responses"]
        successes = [s for s in answers if s.startswith("2")]
        assert successes, where
        for status in successes:
            if status != "204":
                assert answers[status]["content"], where
        for status, answer in answers.items():
            if status >= "400":
                assert answer["content"]["application/json"]["schema"] == error, where
        if op.get("security") != []:
            assert "401" in answers, where
        if "{" in path:
            assert "404" in answers, where
        if method in ("post", "put", "patch") and "requestBody" in op:
            assert "422" in answers, where
    create = spec["paths"]["/api/v1/dossiers"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/DossierCreate"
    }
    assert create["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Dossier"
    }
    assert spec["components"]["schemas"]["DossierCreate"]["properties"]["client"]["maxLength"] == 20


async def test_path_parameters_are_declared_with_their_bounds(
    http: httpx.AsyncClient, w: world.World
) -> None:
    spec = await _spec(http)
    webhook = spec["paths"]["/api/v1/webhooks/sms/{secret}"]["post"]
    assert [p["name"] for p in webhook["parameters"]] == ["secret"]
    duty = spec["paths"]["/api/v1/technicians/{technician_id}/duty"]["put"]
    assert duty["parameters"][0]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 2**31 - 1,
    }


async def test_errors_the_app_answers_match_the_one_error_schema(
    http: httpx.AsyncClient, w: world.World
) -> None:
    spec = await _spec(http)
    schema = _resolvable(spec["components"]["schemas"]["Error"], spec)
    agent = await token_for(http, "anna.agent")
    answers = [
        await http.get("/api/v1/dossiers"),  # 401
        await http.get("/api/v1/dossiers/MK-0000-000000", headers=agent),  # 404
        await http.post("/api/v1/dossiers", json={"client": "WST"}, headers=agent),  # 422
        await http.get("/api/v1/dossiers?limit=x", headers=agent),  # 400
        await http.delete("/api/v1/dossiers", headers=agent),  # 405
        await http.get("/api/v1/board", headers=await token_for(http, "wim.woonstad")),  # 403
    ]
    assert [a.status_code for a in answers] == [401, 404, 422, 400, 405, 403]
    for answer in answers:
        jsonschema.validate(answer.json(), schema)
        assert answer.json()["error"]["message"]


def _resolvable(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """The schema with the components it refers to, for a plain JSON Schema validator."""
    return {**schema, "components": spec["components"]}
