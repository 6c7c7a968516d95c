"""OpenAPI description at /api/v1/openapi.json, generated from the routes, the endpoints'
docstrings and the pydantic models the endpoints parse and answer with.

A docstring holds the prose (summary, description, tags) and, by name, the models:

    body: DossierCreate            the request body (a model in _MODELS)
    responses:
      201: Dossier                 a success answered with a model (JSON)
      200: [ClientRow]             or with an array of them
      204: {description: Removed}  or a response as OpenAPI spells it
      409: The dossier changed     an error: its meaning; the body is always the Error model

Path parameters come from PATH_PARAMETERS (the same bounds the endpoints enforce), every
operation gets an operationId (its function's name), and the errors any request can meet are
added: 401 without a login, 404 for a path naming nothing, 422 for a body that does not fit,
400 for a bad query parameter. Unknown model names fail the build, so a test catches them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute
from starlette.schemas import SchemaGenerator

from server.domain.numbers import INT_MAX
from server.web.api import (
    contact_schemas,
    dispatch_schemas,
    field,
    figure_schemas,
    integrations,
    knowledge_schemas,
    materials,
    responses,
    schemas,
)

API_PREFIX = "/api/v1/"

_BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Meldkamer API",
        "version": "1",
        "description": 'Errors are JSON: {"error": {"message", "field"}}, the message in Dutch.',
    },
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "security": [{"bearer": []}],
}

_ID = {"type": "integer", "minimum": 1, "maximum": INT_MAX}

# Every path parameter of the API by name; server/web/params.py and server/scoping.py refuse
# what lies outside these (as not found).
PATH_PARAMETERS: dict[str, dict[str, Any]] = {
    "order_number": {"type": "string", "maxLength": 20, "description": "Like MK-2026-000123"},
    "client": {"type": "string", "maxLength": 20, "description": "Code of the client"},
    "version": {**_ID, "description": "Version number of the protocol"},
    "technician_id": _ID,
    "contact_id": {**_ID, "description": "Number of the contact"},
    "article_id": {**_ID, "description": "Number of the knowledge-base article"},
    "article_version": {**_ID, "description": "Version number of the article"},
    "contractor_id": _ID,
    "absence_id": _ID,
    "integration_id": {**_ID, "description": "Number of the integration"},
    "subscription_id": _ID,
    "secret": {"type": "string", "description": "SMS_WEBHOOK_SECRET"},
    "client_id": {"type": "string", "description": "The id the app gave the photo"},
    "key": {"type": "string", "description": "The photo's key"},
    "variant": {"type": "string", "enum": ["original", "screen", "thumb"]},
}

_ERRORS = {
    400: "Bad query parameter or body (the field names it)",
    401: "Not logged in, or the token is invalid or expired",
    403: "The caller's role may not do this",
    404: "Not found, or not visible to the caller",
    405: "Method not allowed",
    409: "The dossier or protocol changed meanwhile",
    413: "Too large",
    415: "Unsupported media type",
    422: "A field does not fit (the field names it)",
    429: "Too many attempts; try again later",
}

_MODELS: dict[str, type[BaseModel]] = {
    model.__name__: model
    for module in (
        schemas,
        dispatch_schemas,
        field,
        responses,
        contact_schemas,
        materials,
        knowledge_schemas,
        figure_schemas,
        integrations,
    )
    for model in vars(module).values()
    if isinstance(model, type)
    and issubclass(model, BaseModel)
    and model.__module__ == module.__name__
}


class _Generator(SchemaGenerator):
    def operations(self, routes: list[BaseRoute]) -> list[tuple[str, str, Callable[..., Any]]]:
        return [(e.path, e.http_method, e.func) for e in self.get_endpoints(routes)]


def build(routes: list[BaseRoute]) -> dict[str, Any]:
    """The OpenAPI description of the API routes among `routes`."""
    generator = _Generator(_BASE)
    spec: dict[str, Any] = {**_BASE, "paths": {}}
    used: set[str] = {"Error"}
    endpoints = [e for e in generator.operations(routes) if e[0].startswith(API_PREFIX)]
    methods: dict[str, int] = {}
    for _, _, func in endpoints:
        methods[func.__name__] = methods.get(func.__name__, 0) + 1
    for path, method, func in endpoints:
        doc = generator.parse_docstring(func)
        if not doc:
            continue
        name = func.__name__ if methods[func.__name__] == 1 else f"{func.__name__}_{method}"
        spec["paths"].setdefault(path, {})[method] = _operation(path, method, name, doc, used)
    _link_dossiers(spec)
    spec["components"] = {**_BASE["components"], "schemas": _schemas(used)}
    return spec


def _link_dossiers(spec: dict[str, Any]) -> None:
    """OpenAPI links: a dossier in an answer leads to every operation on a dossier by number."""
    dossier = {"$ref": "#/components/schemas/Dossier"}
    targets = [
        op["operationId"]
        for path, item in spec["paths"].items()
        if "{order_number}" in path
        for op in item.values()
    ]
    for item in spec["paths"].values():
        for op in item.values():
            for status, answer in op["responses"].items():
                schema = answer.get("content", {}).get("application/json", {}).get("schema")
                if status.startswith("2") and schema == dossier:
                    answer["links"] = {
                        target: {
                            "operationId": target,
                            "parameters": {"order_number": "$response.body#/order_number"},
                        }
                        for target in targets
                    }


def _operation(
    path: str, method: str, name: str, doc: dict[str, Any], used: set[str]
) -> dict[str, Any]:
    op = {k: v for k, v in doc.items() if k not in ("body", "responses")}
    if method in ("get", "delete"):  # an endpoint serving GET and POST: no body on the GET
        op.pop("requestBody", None)
    op["operationId"] = name
    query = [p for p in op.get("parameters", []) if p.get("in") != "path"]
    path_names = re.findall(r"{([^}:]+)", path)
    params = [_path_parameter(n) for n in path_names] + query
    if params:
        op["parameters"] = params
    if "body" in doc:
        used.add(doc["body"])
        op["requestBody"] = {"required": True, "content": _json(doc["body"])}
    answers: dict[str, Any] = {}
    for status, given in doc.get("responses", {}).items():
        answers[str(status)] = _response(int(status), given, used)
    automatic = []
    if op.get("security") != []:
        automatic.append(401)
    if path_names:
        automatic.append(404)
    if query:
        automatic.append(400)
    if "requestBody" in op:
        automatic += [400, 422]
    for status in automatic:
        answers.setdefault(str(status), _response(status, _ERRORS[status], used))
    op["responses"] = dict(sorted(answers.items()))
    return op


def _path_parameter(name: str) -> dict[str, Any]:
    schema = dict(PATH_PARAMETERS[name])
    description = schema.pop("description", None)
    out = {"name": name, "in": "path", "required": True, "schema": schema}
    return {**out, "description": description} if description else out


def _response(status: int, given: Any, used: set[str]) -> dict[str, Any]:
    if isinstance(given, dict):
        out = dict(given)
        if status >= 400:
            out.setdefault("content", _json("Error"))
        elif status != 204:  # described in words: a JSON object of that description
            out.setdefault("content", {"application/json": {"schema": {"type": "object"}}})
        return out
    if isinstance(given, list):  # [Model]: an array of them
        (item,) = given
        schema = {"type": "array", "items": _json(item)["application/json"]["schema"]}
        used.add(item)
        return {
            "description": f"A list of {item}",
            "content": {"application/json": {"schema": schema}},
        }
    text = str(given)
    if status >= 400:
        return {"description": text, "content": _json("Error")}
    if text not in _MODELS:
        raise LookupError(f"response model {text!r} is not in server/web/api")
    used.add(text)
    described = (_MODELS[text].__doc__ or text).strip().splitlines()[0]
    return {"description": described, "content": _json(text)}


def _json(model: str) -> dict[str, Any]:
    if model not in _MODELS:
        raise LookupError(f"model {model!r} is not in server/web/api")
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}}


def _schemas(used: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in sorted(used):
        schema = _MODELS[name].model_json_schema(ref_template="#/components/schemas/{model}")
        out.update(schema.pop("$defs", {}))
        out[name] = schema
    return out


async def openapi(request: Request) -> JSONResponse:
    """The API description (not itself part of it), of the routes of the app that serves it."""
    return JSONResponse(build(request.app.routes))
