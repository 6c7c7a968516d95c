"""Webhooks that outside services call: SMS delivery reports from CM.com."""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import JSONResponse

from server import settings
from server.communication import delivery_reports
from server.domain.errors import BadRequest, NotFound
from server.messaging.sms import InvalidDeliveryReport
from server.web.api.common import loads


async def sms_report(request: Request) -> JSONResponse:
    """
    summary: SMS delivery report (CM.com status report, JSON POST or GET with parameters)
    description: >
      Public, but the path carries SMS_WEBHOOK_SECRET (CM does not sign its reports); a wrong
      secret is 404. Reports for references we did not send are acknowledged and ignored.
    tags: [webhooks]
    security: []
    requestBody:
      content:
        application/json:
          schema: {type: object, description: 'The report as CM sends it (POST only)'}
    responses:
      200: SmsReportStatus
      400: Not a delivery report
      404: Wrong secret
    """
    if not secrets.compare_digest(
        request.path_params["secret"].encode(), settings.SMS_WEBHOOK_SECRET.encode()
    ):
        raise NotFound("Deze pagina bestaat niet.")
    if request.method == "GET":
        data: object = dict(request.query_params)
    else:
        data = loads(await request.body())
    if not isinstance(data, dict):
        raise BadRequest("De body moet een JSON-object zijn.")
    try:
        status = await delivery_reports.apply(data)
    except InvalidDeliveryReport as exc:
        raise BadRequest(f"Geen statusrapport: {exc}") from None
    return JSONResponse({"status": status or "onbekend"})
