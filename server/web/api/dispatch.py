"""Dispatch API: suggestions, slots, assigning and booking, the board, and the technician's
own jobs and position. Docstrings hold each endpoint's OpenAPI description."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from server.dispatch import appointment_slots, assignments, board, duty, suggestions
from server.domain.slots import Slot
from server.dossiers import dossiers
from server.web.api.common import int_param, parse, path_id, text_param
from server.web.api.dispatch_schemas import (
    AppointmentBody,
    AssignBody,
    CancelBody,
    DutyBody,
    PositionBody,
)
from server.web.api.schemas import dossier_json
from server.web.auth import current_user


async def dossier_suggestions(request: Request) -> JSONResponse:
    """
    summary: Suitable technicians for a dossier, best first, with Dutch reasons
    tags: [dispatch]
    parameters:
      - {name: trade, in: query, schema: {type: string}, description: 'instead of the triage trade'}
      - {name: limit, in: query, schema: {type: integer, default: 10, minimum: 1, maximum: 50}}
    responses:
      200: Suggestions
      403: Desk roles only
      422: No trade or no location yet
    """
    user = current_user(request)
    suggestions.require_desk(user)
    d = await dossiers.get(user, request.path_params["order_number"])
    found = await suggestions.suggest(
        user,
        d,
        trade=request.query_params.get("trade") or None,
        limit=int_param(request, "limit", 10, 1, 50),
    )
    job = found.job
    return JSONResponse(
        {
            "order_number": d.order_number,
            "job": {
                "trade": job.trade,
                "urgency": job.urgency,
                "labour_minutes": job.labour_minutes,
                "deadline": job.deadline.isoformat() if job.deadline else None,
                "latitude": job.location.lat,
                "longitude": job.location.lon,
                "precision": d.geo_precision if d.geo_source else None,
            },
            "suggestions": [suggestions.suggestion_json(s, why) for s, why in found.with_order()],
        }
    )


def _slot_json(s: Slot) -> dict[str, object]:
    return {
        "technician_id": s.technician_id,
        "technician": s.technician_name,
        "start": s.start.isoformat(),
        "end": s.end.isoformat(),
        "travel_minutes": round(s.travel_minutes),
    }


async def dossier_slots(request: Request) -> JSONResponse:
    """
    summary: Earliest appointment slots for a technician or a trade
    tags: [dispatch]
    parameters:
      - {name: technician, in: query, schema: {type: integer, minimum: 0, maximum: 2147483647}}
      - {name: trade, in: query, schema: {type: string}}
    responses:
      200: Slots
      403: Desk roles only
    """
    user = current_user(request)
    suggestions.require_desk(user)
    d = await dossiers.get(user, request.path_params["order_number"])
    technician = int_param(request, "technician", 0, 0, 2**31 - 1) or None
    found = await appointment_slots.slots_for(
        user, d, technician_id=technician, trade=request.query_params.get("trade") or None
    )
    return JSONResponse({"order_number": d.order_number, "slots": [_slot_json(s) for s in found]})


async def _dossier_response(request: Request, order_number: str) -> JSONResponse:
    user = current_user(request)
    d = await dossiers.get(user, order_number)
    return JSONResponse(dossier_json(d, await dossiers.timeline(d)))


async def dossier_assign(request: Request) -> JSONResponse:
    """
    summary: Send a dossier to a technician
    tags: [dispatch]
    body: AssignBody
    responses:
      200: Dossier
      403: Desk roles only
    """
    user = current_user(request)
    suggestions.require_desk(user)
    body = await parse(request, AssignBody)
    d = await dossiers.get(user, request.path_params["order_number"])
    await assignments.assign(user, d, body.technician_id)
    return await _dossier_response(request, d.order_number)


async def dossier_appointment(request: Request) -> JSONResponse:
    """
    summary: Book an appointment (or move the booked one)
    tags: [dispatch]
    body: AppointmentBody
    responses:
      200: Dossier
      403: Desk roles only
      409: The dossier changed meanwhile
    """
    user = current_user(request)
    suggestions.require_desk(user)
    body = await parse(request, AppointmentBody)
    d = await dossiers.get(user, request.path_params["order_number"])
    await assignments.book(user, d, body.technician_id, body.start, body.end, reason=body.reason)
    return await _dossier_response(request, d.order_number)


async def dossier_appointment_cancel(request: Request) -> JSONResponse:
    """
    summary: Cancel the booked appointment (the dossier stays with the technician)
    tags: [dispatch]
    body: CancelBody
    responses:
      200: Dossier
    """
    user = current_user(request)
    suggestions.require_desk(user)
    body = await parse(request, CancelBody)
    d = await dossiers.get(user, request.path_params["order_number"])
    await assignments.cancel(user, d, body.reason)
    return await _dossier_response(request, d.order_number)


async def board_data(request: Request) -> JSONResponse:
    """
    summary: The dispatch board - open dossiers by urgency and technicians on duty
    tags: [dispatch]
    parameters:
      - {name: client, in: query, schema: {type: string, maxLength: 20}}
      - {name: trade, in: query, schema: {type: string, maxLength: 3}}
      - {name: region, in: query, schema: {type: string}, description: 'PC4 prefix or city'}
    responses:
      200: Board
      403: Desk roles only
    """
    user = current_user(request)
    p = request.query_params
    filters = board.Filters(
        text_param(request, "client", 20), text_param(request, "trade", 3), p.get("region", "")
    )
    now = board.now()
    return JSONResponse(
        {
            "now": now.isoformat(),
            "dossiers": await board.open_dossiers(user, filters, now),
            "technicians": await board.on_duty(user, now, filters.trade),
            "rota_holes": await board.holes(user, now, filters.trade),
        }
    )


async def technician_jobs(request: Request) -> JSONResponse:
    """
    summary: The calling technician's open jobs (for the technician app)
    tags: [technician]
    responses:
      200: TechnicianJobs
      403: Technicians only
    """
    user = current_user(request)
    found = await duty.jobs(user)
    return JSONResponse({"items": [duty.job_json(d) for d in found]})


async def technician_position(request: Request) -> JSONResponse:
    """
    summary: Report the technician's position (kept only with consent, while on duty)
    tags: [technician]
    body: PositionBody
    responses:
      200: PositionKept
      403: Not a technician, or no consent
    """
    user = current_user(request)
    body = await parse(request, PositionBody)
    kept = await duty.report_position(user, body.latitude, body.longitude, body.accuracy_m)
    return JSONResponse({"kept": kept})


async def technician_duty(request: Request) -> JSONResponse:
    """
    summary: Set a technician's weekly roster, on-call duty and home base
    tags: [dispatch]
    body: DutyBody
    responses:
      200: Duty
      403: Supervisor and admin only
    """
    user = current_user(request)
    body = await parse(request, DutyBody)
    tech = await duty.set_duty(
        user,
        str(path_id(request, "technician_id", "Monteur")),
        duty.DutyInput(
            roster=[(r.weekday, r.start, r.end) for r in body.roster],
            on_call_evenings=body.on_call_evenings,
            on_call_weekends=body.on_call_weekends,
            on_call_holidays=body.on_call_holidays,
            position_consent=body.position_consent,
            home_latitude=body.home_latitude,
            home_longitude=body.home_longitude,
        ),
    )
    return JSONResponse(
        {
            "id": tech.id,
            "roster": [r.model_dump() for r in body.roster],
            "on_call_evenings": tech.on_call_evenings,
            "on_call_weekends": tech.on_call_weekends,
            "on_call_holidays": tech.on_call_holidays,
            "position_consent": tech.position_consent,
        }
    )
