"""OpenAPI description at /api/v1/openapi.json, from endpoint docstrings and pydantic models."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute
from starlette.schemas import SchemaGenerator

from server.web.api import dispatch_schemas, field, materials, schemas

_generator = SchemaGenerator(
    {
        "openapi": "3.1.0",
        "info": {"title": "Meldkamer API", "version": "1"},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }
)

_BODIES = (
    schemas.TokenRequest,
    schemas.DossierCreate,
    schemas.TransitionBody,
    schemas.DossierUpdate,
    schemas.NoteBody,
    schemas.EvaluateBody,
    schemas.DossierTriage,
    schemas.ProtocolCheck,
    schemas.ProtocolPublish,
    dispatch_schemas.AssignBody,
    dispatch_schemas.AppointmentBody,
    dispatch_schemas.CancelBody,
    dispatch_schemas.PositionBody,
    dispatch_schemas.DutyBody,
    dispatch_schemas.AbsenceBody,
    field.PushBody,
    field.MessageBody,
    materials.MaterialsBody,
)


def build(routes: list[BaseRoute]) -> dict[str, Any]:
    spec = _generator.get_schema(routes)
    components = spec.setdefault("components", {}).setdefault("schemas", {})
    for model in _BODIES:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(schema.pop("$defs", {}))
        components[model.__name__] = schema
    return spec


async def openapi(request: Request) -> JSONResponse:
    """
    summary: This description
    tags: [meta]
    security: []
    """
    return JSONResponse(build(request.app.routes))
