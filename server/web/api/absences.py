"""Absence API: technicians' verlof, ziek and cursus days. Docstrings hold each endpoint's
OpenAPI description."""

from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.dispatch import absence_clashes, absences
from server.domain.errors import BadRequest
from server.web.api.common import int_param, parse, path_id
from server.web.api.dispatch_schemas import AbsenceBody
from server.web.auth import current_user


async def absence_list(request: Request) -> JSONResponse:
    """
    summary: Technicians' absences that end on or after a day
    tags: [dispatch]
    parameters:
      - {name: since, in: query, schema: {type: string, format: date}, description: 'default today'}
      - {name: technician, in: query, schema: {type: integer, minimum: 0, maximum: 2147483647}}
    responses:
      200: Absences
      403: Desk roles only
    """
    user = current_user(request)
    raw = request.query_params.get("since", "")
    try:
        since = date.fromisoformat(raw) if raw else absences.today()
    except ValueError:
        raise BadRequest(f"'{raw}' is geen datum (JJJJ-MM-DD).", "since") from None
    technician = int_param(request, "technician", 0, 0, 2**31 - 1) or None
    found = await absences.listing(user, since=since, technician_id=technician)
    return JSONResponse({"items": [absences.absence_json(a) for a in found]})


async def absence_create(request: Request) -> JSONResponse:
    """
    summary: Record that a technician is away (off duty, on-call included)
    tags: [dispatch]
    body: AbsenceBody
    responses:
      201: AbsenceEntered
      403: Supervisor and admin only
      422: Bad date or kind, or it overlaps one already recorded
    """
    user = current_user(request)
    absences.require_planner(user)
    body = await parse(request, AbsenceBody)
    row = await absences.add(
        user,
        path_id(request, "technician_id", "Monteur"),
        absences.AbsenceInput(body.starts_on, body.ends_on, body.kind, body.note),
    )
    return JSONResponse(await absence_clashes.entered_json(row), status_code=201)


async def absence_delete(request: Request) -> Response:
    """
    summary: Remove a recorded absence
    tags: [dispatch]
    responses:
      204: {description: Removed}
      403: Supervisor and admin only
      404: No such absence
    """
    user = current_user(request)
    await absences.remove(user, path_id(request, "absence_id", "Afwezigheid"))
    return Response(status_code=204)
