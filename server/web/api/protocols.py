"""Protocol endpoints: a client's current protocol, its history, checking and publishing."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.domain.numbers import INT_MAX
from server.models import Client, ProtocolVersion
from server.protocols import protocol_files, protocols
from server.protocols.protocols import ProtocolRejected
from server.triage import protocol_to_dict
from server.web.api.common import int_param, parse, path_id
from server.web.api.schemas import ProtocolCheck, ProtocolPublish
from server.web.auth import current_user


def version_json(client: Client, v: ProtocolVersion, full: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "client": client.code,
        "id": v.id,
        "version": v.version,
        "status": v.status,
        "published_at": v.created_at.isoformat(),
        "by": v.created_by_name,
        "reason": v.reason,
        "checksum": v.checksum,
    }
    if full:
        out["text"] = v.text
        out["protocol"] = protocol_to_dict(protocols.protocol(client, v))
    return out


async def current(request: Request) -> JSONResponse:
    """
    summary: A client's current protocol
    description: The newest published version, as text (YAML) and parsed.
    tags: [protocols]
    responses:
      200: ProtocolVersion
      404: Unknown client, or not the caller's own
    """
    user = current_user(request)
    client, version = await protocols.current_for(user, request.path_params["client"])
    return JSONResponse(version_json(client, version))


async def versions(request: Request) -> JSONResponse:
    """
    summary: Every version of a client's protocol, newest first
    tags: [protocols]
    responses:
      200: ProtocolVersions
      404: Unknown client, or not the caller's own
    """
    user = current_user(request)
    client, rows = await protocols.history(user, request.path_params["client"])
    return JSONResponse({"items": [version_json(client, v, full=False) for v in rows]})


async def version(request: Request) -> JSONResponse:
    """
    summary: One version of a client's protocol, with the change that made it
    tags: [protocols]
    responses:
      200: ProtocolVersion
      404: No such version, or not the caller's own
    """
    user = current_user(request)
    p = request.path_params
    client, found = await protocols.version_for(
        user, p["client"], path_id(request, "version", "Versie")
    )
    return JSONResponse({**version_json(client, found), "diff": await protocols.change_of(found)})


async def export(request: Request) -> Response:
    """
    summary: Download a version of a client's protocol as a file
    tags: [protocols]
    parameters:
      - name: version
        in: query
        schema: {type: integer, minimum: 1, maximum: 2147483647}
        description: default the current
      - {name: format, in: query, schema: {type: string, enum: [yaml, json]}}
    responses:
      200:
        description: The protocol file (YAML keeps its comments)
        content:
          application/yaml: {schema: {type: object}}
          application/json: {schema: {type: object}}
    """
    user = current_user(request)
    code = request.path_params["client"]
    number = int_param(request, "version", 0, 1, INT_MAX)
    if number:
        client, found = await protocols.version_for(user, code, number)
    else:
        client, found = await protocols.current_for(user, code)
    file = protocol_files.export(
        found.text, client.code, found.version, request.query_params.get("format", "yaml")
    )
    return Response(
        file.body,
        media_type=f"{file.media_type}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{file.filename}"'},
    )


async def check(request: Request) -> JSONResponse:
    """
    summary: Validate an edited protocol and show its change, without publishing
    description: >-
      For the editor's live validation. Always 200: `problems` lists every reason the text
      cannot be published, each with its path and line.
    tags: [protocols]
    body: ProtocolCheck
    responses:
      200: ProtocolCheckResult
      403: Only supervisors and admins edit protocols
    """
    user = current_user(request)
    body = await parse(request, ProtocolCheck)
    result = await protocols.check(user, request.path_params["client"], body.text)
    return JSONResponse(
        {
            "ok": not result.findings,
            "problems": [finding.to_dict() for finding in result.findings],
            "diff": result.diff,
            "current_version": result.current.version,
        }
    )


async def publish(request: Request) -> JSONResponse:
    """
    summary: Publish a new version of a client's protocol
    description: >-
      Supervisors and admins. The text (YAML or JSON) must have no problems; the new version
      records who and why, and a confirmation e-mail to the client is queued. Pass `based_on`
      (the version you edited) to be refused rather than overwrite someone else's change.
    tags: [protocols]
    body: ProtocolPublish
    responses:
      201: ProtocolVersion
      403: Only supervisors and admins publish
      409: Another version was published since `based_on`
      422: 'Problems: {"error": {"message", "field", "problems": [...]}}'
    """
    user = current_user(request)
    body = await parse(request, ProtocolPublish)
    code = request.path_params["client"]
    try:
        created = await protocols.publish(user, code, body.text, body.reason, body.based_on)
    except ProtocolRejected as rejected:
        problems = [finding.to_dict() for finding in rejected.findings]
        error = {"message": rejected.message, "field": rejected.field, "problems": problems}
        return JSONResponse({"error": error}, status_code=422)
    client, _ = await protocols.current_for(user, code)
    return JSONResponse(version_json(client, created), status_code=201)
