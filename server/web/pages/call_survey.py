"""The survey `/enquete-gesprek/{token}` after a call or e-mail: public, answered once.

The same page as the survey after a job (volg/enquete.html), with the questions about the
contact; a broken, expired or unknown link gets the same page of its own.
"""

from __future__ import annotations

from babel.dates import format_date
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.communication import call_surveys
from server.domain import call_survey
from server.domain.errors import AppError
from server.i18n import N_, gettext
from server.models import CallSurvey, Contact
from server.web import tenant_language
from server.web.pages.tracking import link_error
from server.web.templating import templates

# What a contact is called that is neither a call nor an e-mail.
CONTACT = N_("contact")


async def form(request: Request) -> Response:
    tenant_language.activate(request)
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
    word = gettext(call_survey.CONTACT_WORDS.get(contact.channel, CONTACT))
    day = (contact.closed_at or contact.offered_at).astimezone(call_survey.TZ).date()
    when = format_date(day, "EEEE d MMMM", locale=i18n.current())
    context = {
        "title": gettext("Enquête over uw contact"),
        "heading": gettext("Hoe bent u geholpen?"),
        "intro": gettext("Over uw %(what)s van %(day)s.") % {"what": word, "day": when},
        "done_text": gettext(call_surveys.ALREADY),
        "client_name": survey.client.name,
        "questions": call_surveys.QUESTIONS,
        "done": survey.submitted_at is not None,
        "thanks": request.query_params.get("bedankt") == "1",
        "error": error,
        "values": values or {},
        "tenant_languages": True,
    }
    status = error.status if error else 200
    response = templates.TemplateResponse(request, "volg/enquete.html", context, status_code=status)
    return tenant_language.remember(request, response)


async def submit(request: Request) -> Response:
    tenant_language.activate(request)
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
