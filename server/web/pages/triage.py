"""The triage step of a dossier: one question per page without JavaScript, guided with it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData, QueryParams
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.dispatch import suggestions
from server.domain.errors import AppError, Forbidden, Unprocessable
from server.domain.roles import DESK_ROLES
from server.dossiers import dossiers
from server.knowledge import subjects
from server.models import Dossier
from server.protocols import protocols, triage
from server.protocols.triage import TriageInput
from server.web.api.common import loads
from server.web.auth import current_user
from server.web.params import text_param
from server.web.templating import templates

Steps = list[tuple[str, str]]


def triage_from_form(form: FormData) -> TriageInput | None:
    """The finished triage an intake or triage form carries in its hidden fields, if any."""
    subject = str(form.get("triage_subject", "")).strip()
    if not subject:
        return None
    try:
        answers = loads(str(form.get("triage_answers", "")) or "{}")
    except AppError:  # malformed, too deep, or text no database can store
        answers = None
    if not isinstance(answers, dict) or not all(isinstance(v, str) for v in answers.values()):
        raise Unprocessable(
            "De antwoorden van de triage zijn onleesbaar; begin opnieuw.", "answers"
        )
    return TriageInput(subject, answers, _moment(str(form.get("triage_at", "")).strip()))


def _posted(form: FormData) -> Steps:
    try:
        answers = loads(str(form.get("triage_answers", "")) or "{}")
    except AppError:
        return []
    return [(str(q), str(v)) for q, v in answers.items()] if isinstance(answers, dict) else []


def _moment(raw: str) -> datetime | None:
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise Unprocessable(f"'{raw}' is geen geldig tijdstip.", "at") from None


def _steps(params: QueryParams, dossier: Dossier) -> tuple[str, Steps]:
    """Subject and answers from the address; else the dossier's own triage or category."""
    if "onderwerp" in params:
        pairs = [raw.partition(":") for raw in params.getlist("antwoord")]
        return params["onderwerp"], [(q, v) for q, _, v in pairs if q]
    stored = dossier.triage or {}
    if stored.get("subject"):
        return stored["subject"]["id"], list(stored.get("answers", {}).items())
    # The category chosen at intake, when the protocol has it as a subject (see _page).
    return dossier.category, []


def _linker(order_number: str) -> Callable[[str, Steps], str]:
    def link(subject: str, steps: Steps) -> str:
        query = [("onderwerp", subject)] + [("antwoord", f"{q}:{v}") for q, v in steps]
        return f"/dossiers/{order_number}/triage?{urlencode(query)}"

    return link


async def _page(
    request: Request,
    subject: str,
    steps: Steps,
    error: AppError | None = None,
    guessed: bool = False,
) -> Response:
    user = current_user(request)
    if user.role not in DESK_ROLES:
        raise Forbidden("Alleen de meldkamer legt de triage van een dossier vast.")
    dossier = await dossiers.get(user, request.path_params["order_number"])
    version = await protocols.current(dossier.client)
    protocol = protocols.protocol(dossier.client, version)
    if guessed and protocol.subject(subject) is None:
        subject = ""
    result: dict[str, Any] | None = None
    if subject:
        try:
            data = TriageInput(subject, dict(steps))
            address = dossier.address_id  # type: ignore[attr-defined]
            decision = await triage.evaluate_for(user, dossier.client.code, data, address)
            result = decision.to_dict()
        except Unprocessable as exc:
            error = error or exc
            subject, steps = ("", []) if exc.field == "subject" else (subject, [])
    if result is not None:
        steps = [
            (s["question_id"], s["answer_value"]) for s in result["path"] if s["kind"] == "answer"
        ]
    context = {
        "d": dossier,
        "version": version,
        # Found by the tenant's words when a search was given (server/knowledge/subjects.py).
        "subjects": [
            {"id": m.id, "label": m.label}
            for m in subjects.find(protocol, text_param(request, "zoek", 500))
        ],
        "zoek": request.query_params.get("zoek", ""),
        "subject": subject,
        "steps": steps,
        "answers": dict(steps),
        "result": result,
        "link": _linker(dossier.order_number),
        "error": error,
    }
    status = error.status if error else 200
    return templates.TemplateResponse(request, "triage/step.html", context, status_code=status)


async def step(request: Request) -> Response:
    user = current_user(request)
    dossier = await dossiers.get(user, request.path_params["order_number"])
    subject, steps = _steps(request.query_params, dossier)
    if "zoek" in request.query_params:  # searching for a subject: none chosen yet
        subject, steps = "", []
    guessed = "onderwerp" not in request.query_params and not dossier.triage
    return await _page(request, subject, steps, guessed=guessed)


async def record(request: Request) -> Response:
    user = current_user(request)
    dossier = await dossiers.get(user, request.path_params["order_number"])
    form = await request.form()
    try:
        data = triage_from_form(form)
        if data is None:
            raise Unprocessable("Maak de triage eerst af.", "subject")
        await triage.apply(user, dossier, data)
        await suggestions.auto_assign(user, dossier)
    except AppError as exc:
        return await _page(request, str(form.get("triage_subject", "")), _posted(form), exc)
    return RedirectResponse(f"/dossiers/{dossier.order_number}#triage", status_code=303)
