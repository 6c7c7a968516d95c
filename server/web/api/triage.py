"""Triage endpoints: run the questions during a call, and record the outcome on a dossier."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from server.dispatch import suggestions
from server.dossiers import dossiers
from server.protocols import triage
from server.web.api.common import parse
from server.web.api.schemas import DossierTriage, EvaluateBody, dossier_json
from server.web.auth import current_user


async def evaluate(request: Request) -> JSONResponse:
    """
    summary: Next question, or the outcome and the path that led to it
    description: >-
      Evaluates the client's current protocol for a subject with the answers given so far, at
      the moment `at` (default now; conditions such as office hours and the heating season are
      judged then, in Europe/Amsterdam). Subject, question and answer ids of the default
      protocol are in docs/protocol.md. Nothing is stored.
    tags: [triage]
    body: EvaluateBody
    responses:
      200: TriageDecision
      404: Unknown client, or not visible to the caller
      422: 'Unknown subject or answer: {"error": {"message", "field"}}'
    """
    user = current_user(request)
    body = await parse(request, EvaluateBody)
    decision = await triage.evaluate_for(user, body.client, body.to_input(), body.address)
    return JSONResponse(decision.to_dict())


async def dossier_triage(request: Request) -> JSONResponse:
    """
    summary: Triage a dossier (or triage it again)
    description: >-
      Evaluates the client's current protocol and stores the complete outcome on the dossier:
      urgency, order type, trade, labour minutes, deadline, answers, path and the protocol
      version. A second call is a re-triage; the first stays in the timeline. Habitability in
      danger queues a message to the client's on-call contact.
    tags: [triage]
    body: DossierTriage
    responses:
      200: Dossier
      403: Only the desk records triage
      409: The dossier changed meanwhile
      422: Unknown subject or answer, or a question still open (field names it)
    """
    user = current_user(request)
    body = await parse(request, DossierTriage)
    d = await dossiers.get(user, request.path_params["order_number"])
    await triage.apply(user, d, body.to_input())
    await suggestions.auto_assign(user, d)
    d = await dossiers.get(user, d.order_number)
    return JSONResponse(dossier_json(d, await dossiers.timeline(d)))
