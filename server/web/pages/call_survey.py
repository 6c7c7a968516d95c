"""The survey `/enquete-gesprek/{token}` after a call or e-mail: public, answered once.

The same page as the survey after a job (volg/enquete.html), with the questions about the
contact; a broken, expired or unknown link gets the same page of its own.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.communication import call_surveys
from server.domain import call_survey
from server.domain.errors import AppError
from server.models import CallSurvey, Contact
from server.triage import dutch
from server.web.pages.tracking import link_error
from server.web.templating import templates


async def form(request: Request) -> Response:
    try:
        survey = await call_surveys.for_link(request.path_params["token"])
    except AppError as exc:
        return link_error(request, exc)
    return await _show(request, survey)


async def _show(
    request: Request,
    survey: CallSurvey,
    error: AppError | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    contact = await Contact.get(id=survey.contact_id)  # type: ignore[attr-defined]
    word = call_survey.CONTACT_WORDS.get(contact.channel, "contact")
    day = (contact.closed_at or contact.offered_at).astimezone(call_survey.TZ).date()
    context = {
        "title": "Enquête over uw contact",
        "heading": "Hoe bent u geholpen?",
        "intro": f"Over uw {word} van {dutch.weekday_date(day)}.",
        "done_text": call_surveys.ALREADY,
        "client_name": survey.client.name,
        "questions": call_surveys.QUESTIONS,
        "done": survey.submitted_at is not None,
        "thanks": request.query_params.get("bedankt") == "1",
        "error": error,
        "values": values or {},
    }
    status = error.status if error else 200
    return templates.TemplateResponse(request, "volg/enquete.html", context, status_code=status)


async def submit(request: Request) -> Response:
    try:
        survey = await call_surveys.for_link(request.path_params["token"])
    except AppError as exc:
        return link_error(request, exc)
    values = {k: str(v) for k, v in (await request.form()).items()}
    try:
        await call_surveys.submit(survey, values)
    except AppError as exc:
        return await _show(request, survey, exc, values)
    return RedirectResponse(f"{request.url.path}?bedankt=1", status_code=303)
