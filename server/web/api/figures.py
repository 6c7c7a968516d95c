"""Figures API: the telephony figures of a client or the whole meldkamer. Docstrings hold each
endpoint's OpenAPI description."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from server.domain import kpis, telephony
from server.domain.errors import Unprocessable
from server.insight import telephony_views
from server.web.api.figure_schemas import TelephonyFigures
from server.web.auth import current_user
from server.web.params import text_param

GRAINS = {"day": kpis.Grain.DAG, "week": kpis.Grain.WEEK, "month": kpis.Grain.MAAND}


async def telephony_figures(request: Request) -> JSONResponse:
    """
    summary: Telephony figures (service level, abandoned calls, calls per hour) of a period
    tags: [figures]
    parameters:
      - name: client
        in: query
        schema: {type: string}
        description: 'Client code; empty: a client user its own, the desk all clients'
      - {name: from, in: query, required: true, schema: {type: string, format: date}}
      - {name: to, in: query, required: true, schema: {type: string, format: date}}
      - name: per
        in: query
        schema: {type: string, enum: [day, week, month]}
        description: 'The series; by the length of the period when empty'
    responses:
      200: TelephonyFigures
      403: Technicians have no figures
      404: No such client (or not the user's own)
    """
    user = current_user(request)
    telephony_views.require_reader(user)
    grain_name = text_param(request, "per", 10)
    if grain_name and grain_name not in GRAINS:
        raise Unprocessable(
            f"per: Onbekende waarde '{grain_name}'; toegestaan: day, week, month.", "per"
        )
    period = telephony.period(text_param(request, "from", 100), text_param(request, "to", 100))
    found, client = await telephony_views.for_user(
        user, text_param(request, "client", 100), period, GRAINS.get(grain_name)
    )
    answer = TelephonyFigures.model_validate(telephony_views.as_json(found, client))
    return JSONResponse(answer.model_dump(by_alias=True))
