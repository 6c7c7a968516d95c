"""Online reporting for tenants, `/melden/<client>`: no login; the draft in the tenant's cookie
is the key (server/selfservice). Every step posts a form and is redirected back to the page,
which shows the step the draft is at; a refused step shows the same page with the error and
what was typed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_time
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n, settings
from server.communication import links
from server.domain import normalise, tenant_view
from server.domain.codes import TriageAction, Urgency
from server.domain.errors import AppError
from server.housing import housing
from server.i18n import gettext as _
from server.models import Address, Client, ReportDraft
from server.protocols import protocols
from server.protocols.triage import Decision
from server.selfservice import booking, clients, codes, drafts, reporting
from server.web import tenant_language
from server.web.errors import error_headers
from server.web.templating import templates

TZ = ZoneInfo(settings.TIMEZONE)
# What a photo field may hold before media/ reads it; media/ checks the rest.
MAX_PHOTO_BYTES = 25_000_000


def now() -> datetime:
    return datetime.now(UTC)


def _remote(request: Request) -> str:
    return request.client.host if request.client else ""


async def _open(request: Request) -> tuple[Client, ReportDraft | None]:
    client = await clients.by_slug(request.path_params["client"])
    draft = await drafts.find(client, request.cookies.get(drafts.COOKIE), now())
    return client, draft


def _step(draft: ReportDraft | None, decision: Decision | None) -> str:
    if draft is None:
        return "adres"
    if draft.dossier_id is not None:
        return "klaar"
    if draft.verified_at is None:
        return "code" if draft.code_hash else "adres"
    if draft.address_id is None:
        return "woning"
    if decision is None or not draft.data.get("name"):
        return "onderwerp"
    evaluation = decision.evaluation
    if evaluation.next_question is not None:
        return "vraag"
    assert evaluation.outcome is not None
    if evaluation.outcome.urgency is Urgency.ACUUT:
        return "versturen"
    if draft.data.get("details") is None:
        return "details"
    return "afspraak" if booking.bookable(decision) else "versturen"


def _moment(at: datetime) -> str:
    return format_datetime(at.astimezone(TZ), "EEEE d MMMM HH:mm", locale=i18n.current())


def _time(at: datetime) -> str:
    return format_time(at.astimezone(TZ), "HH:mm", locale=i18n.current())


async def _outcome(client: Client, draft: ReportDraft, decision: Decision) -> dict[str, Any]:
    """What the tenant is told about the outcome, in the page's language where we can."""
    outcome = decision.evaluation.outcome
    assert outcome is not None
    action = outcome.action.value if outcome.action else None
    party = None
    if outcome.action is TriageAction.DOORVERWIJZEN and draft.address_id is not None:
        address = await Address.get(id=draft.address_id)
        party = next(
            (p for p in await housing.parties_for(address) if p.kind == outcome.refer_to), None
        )
    dutch = i18n.current() == i18n.SOURCE
    return {
        "urgency": outcome.urgency.value if outcome.urgency else None,
        "action": action,
        "acuut": outcome.urgency is Urgency.ACUUT,
        # The desk's read-back is written for the tenant, in Dutch.
        "text": decision.read_back
        if dutch and decision.read_back
        else tenant_view.next_step(action, client.name),
        "knowledge": outcome.knowledge
        if outcome.action is TriageAction.OP_AFSTAND_OPLOSSEN
        else None,
        "party": {
            "name": party.name,
            "phone": party.phone,
            "shown": normalise.display_phone(party.phone),
        }
        if party
        else None,
        "bookable": booking.bookable(decision),
    }


async def page(
    request: Request, error: AppError | None = None, values: dict[str, str] | None = None
) -> Response:
    client, draft = await _open(request)
    language = tenant_language.activate(request, draft.language if draft else None)
    if draft is not None and tenant_language.asked(request) and draft.language != language:
        draft.language = language
        await drafts.save(draft, now(), "language")
    decision = await reporting.decide(client, draft, now()) if draft is not None else None
    step = _step(draft, decision)
    emergency = await clients.emergency_number(client)
    context: dict[str, Any] = {
        "client": client,
        "slug": clients.slug(client),
        "step": step,
        "draft": draft,
        "error": error,
        "values": values or {},
        "emergency": emergency,
        "emergency_shown": normalise.display_phone(emergency) if emergency else "",
        "tenant_languages": True,
        "max_photos": reporting.MAX_PHOTOS,
        "code_minutes": codes.CODE_MINUTES,
    }
    if draft is not None:
        context.update(await _details(client, draft, decision, step))
    status = error.status if error else 200
    response = templates.TemplateResponse(
        request,
        f"melden/{step}.html",
        context,
        status_code=status,
        headers=error_headers(error) if error else None,
    )
    return tenant_language.remember(request, response)


async def _details(
    client: Client, draft: ReportDraft, decision: Decision | None, step: str
) -> dict[str, Any]:
    found: dict[str, Any] = {"home": reporting.home_of(draft)}
    if draft.address_id is not None and draft.verified_at is not None:
        found["address"] = await Address.get(id=draft.address_id)
    if step == "onderwerp":
        protocol = protocols.protocol(client, await protocols.current(client))
        found["subjects"] = [(s.id, s.label) for s in protocol.subjects]
    if decision is not None:
        evaluation = decision.evaluation
        found["question"] = evaluation.next_question
        found["answered"] = [(s.question_id, s.answer_label) for s in evaluation.answers]
        found["subject_label"] = evaluation.subject_label
        if evaluation.outcome is not None:
            found["outcome"] = await _outcome(client, draft, decision)
    if step == "afspraak" and decision is not None:
        offered = await reporting.slots(client, draft, decision, now())
        found["offers"] = [
            {"value": o.value, "start": _moment(o.start), "end": _time(o.end)} for o in offered
        ]
    if step == "klaar" and draft.dossier_id is not None:
        from server.models import Dossier

        dossier = await Dossier.get(id=draft.dossier_id)
        found["dossier"] = dossier
        found["tracking_url"] = links.url(dossier.id, links.TRACKING)
        found["appointment"] = (
            {"start": _moment(dossier.appointment_start), "end": _time(dossier.appointment_end)}
            if dossier.appointment_start and dossier.appointment_end
            else None
        )
        found["called_back"] = dossier.call_back_at is not None
        found["acuut"] = dossier.urgency == Urgency.ACUUT
    return found


def _form_values(form: Any) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


async def _step_post(
    request: Request,
    work: Callable[[Client, ReportDraft | None, dict[str, str]], Awaitable[str | None]],
) -> Response:
    """Run one step; redirect to the page (setting the draft's cookie when a new one began), or
    show the page with the error and the values typed."""
    form = await request.form()
    values = _form_values(form)
    client, draft = await _open(request)
    tenant_language.activate(request, draft.language if draft else None)
    try:
        cookie = await work(client, draft, values)
    except AppError as exc:
        return await page(request, exc, values)
    response = RedirectResponse(f"/melden/{clients.slug(client)}", status_code=303)
    if cookie:
        response.set_cookie(
            drafts.COOKIE,
            cookie,
            max_age=int(drafts.LIFETIME.total_seconds()),
            path=f"/melden/{clients.slug(client)}",
            httponly=True,
            samesite="lax",
            secure=settings.BASE_URL.startswith("https://"),
        )
    return response


def _draft(draft: ReportDraft | None) -> ReportDraft:
    if draft is None:
        raise AppError(_("Uw melding is verlopen of niet gevonden. Begin opnieuw."), "melding")
    return draft


async def start(request: Request) -> Response:
    language = tenant_language.activate(request)

    async def work(client: Client, draft: ReportDraft | None, values: dict[str, str]) -> str | None:
        _, cookie = await reporting.start(client, draft, values, _remote(request), language, now())
        return cookie

    return await _step_post(request, work)


async def code(request: Request) -> Response:
    async def work(client: Client, draft: ReportDraft | None, values: dict[str, str]) -> None:
        await reporting.confirm(
            client, _draft(draft), values.get("code", ""), _remote(request), now()
        )

    return await _step_post(request, work)


async def new_code(request: Request) -> Response:
    async def work(client: Client, draft: ReportDraft | None, values: dict[str, str]) -> None:
        await reporting.resend(client, _draft(draft), _remote(request), now())

    return await _step_post(request, work)


async def home(request: Request) -> Response:
    async def work(client: Client, draft: ReportDraft | None, values: dict[str, str]) -> None:
        await reporting.correct_home(client, _draft(draft), values, now())

    return await _step_post(request, work)


async def subject(request: Request) -> Response:
    async def work(client: Client, draft: ReportDraft | None, values: dict[str, str]) -> None:
        await reporting.choose(client, _draft(draft), values, now())

    return await _step_post(request, work)


async def answer(request: Request) -> Response:
    async def work(client: Client, draft: ReportDraft | None, values: dict[str, str]) -> None:
        draft = _draft(draft)
        decision = await reporting.answer(
            client, draft, values.get("vraag", ""), values.get("antwoord", ""), now()
        )
        outcome = decision.evaluation.outcome
        if outcome is not None and outcome.urgency is Urgency.ACUUT:
            # Acuut never waits online: the meldkamer has it now, the page says to call.
            await reporting.finish(client, draft, now())

    return await _step_post(request, work)


async def back(request: Request) -> Response:
    async def work(client: Client, draft: ReportDraft | None, values: dict[str, str]) -> None:
        await reporting.back(_draft(draft), now())

    return await _step_post(request, work)


async def details(request: Request) -> Response:
    form = await request.form()
    photos: list[bytes] = []
    for item in form.getlist("fotos"):
        if isinstance(item, UploadFile) and item.filename:
            photos.append(await item.read(MAX_PHOTO_BYTES + 1))
    await form.close()  # the uploads' temporary files; the text fields stay readable

    async def work(client: Client, draft: ReportDraft | None, values: dict[str, str]) -> None:
        await reporting.details(
            client, _draft(draft), values.get("omschrijving", ""), photos, now()
        )

    return await _step_post(request, work)


async def send(request: Request) -> Response:
    async def work(client: Client, draft: ReportDraft | None, values: dict[str, str]) -> None:
        await reporting.finish(
            client,
            _draft(draft),
            now(),
            slot=values.get("tijd", ""),
            call_back=values.get("bellen") == "ja",
        )

    return await _step_post(request, work)


async def restart(request: Request) -> Response:
    """Begin a new report: this browser forgets the draft (it expires on the server)."""
    client = await clients.by_slug(request.path_params["client"])
    response = RedirectResponse(f"/melden/{clients.slug(client)}", status_code=303)
    response.delete_cookie(drafts.COOKIE, path=f"/melden/{clients.slug(client)}")
    return response
