"""The clients' reports on screen: the portal's list and downloads (a client its own, the
meldkamer's admins and supervisors every client's), and on the admin client screen the
settings, a report built for a chosen period, and 'nu opnieuw versturen'."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import scoping
from server.admin import client_reports as settings_form
from server.domain.errors import AppError, NotFound, Unprocessable
from server.domain.kpis import TZ
from server.domain.roles import Role
from server.insight import client_report as reports
from server.models import Client, ClientReport, User
from server.web.auth import require_role
from server.web.pages import admin_clients
from server.web.pages.admin import STAFF, page
from server.web.templating import templates

# Who reads reports: the client's own users, and the meldkamer's admins and supervisors.
READERS = (Role.CLIENT, Role.ADMIN, Role.SUPERVISOR)
KEEP_LISTED = 200


async def _client(request: Request) -> tuple[User, Client]:
    user = require_role(request, *READERS)
    if user.role == Role.CLIENT:
        client = await scoping.clients(user).first()
        if client is None:
            raise NotFound("Geen opdrachtgever bij dit account.")
        return user, client
    return user, await scoping.client(user, request.query_params.get("klant", ""))


async def portal_list(request: Request) -> Response:
    user, client = await _client(request)
    found = await reports.listed(client, KEEP_LISTED)
    context = {
        "client": client,
        "reports": found,
        "statuses": reports.STATUS_LABELS,
        "name": reports.name_of,
        "klant": client.code if user.role != Role.CLIENT else "",
    }
    return templates.TemplateResponse(request, "insight/reports.html", context)


async def _report(request: Request) -> tuple[Client, ClientReport]:
    """The report named in the path, if the caller may read it; else 404 (a client never
    learns whether another client's report exists)."""
    user = require_role(request, *READERS)
    raw = request.path_params["report_id"]
    report_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0
    report = await ClientReport.get_or_none(id=report_id).prefetch_related("client")
    if report is None or not await scoping.sees_client(user, report.client_id):  # type: ignore[attr-defined]
        raise NotFound("Rapportage niet gevonden.", "report")
    return report.client, report


async def _download(request: Request, ext: str) -> Response:
    client, report = await _report(request)
    data = report.pdf if ext == "pdf" else report.xlsx
    if not data:
        raise NotFound("Deze rapportage heeft geen PDF (maken mislukt).", "report")
    name = reports.filename(client, report.kind, reports.period_of_report(report), ext)
    media = reports.PDF if ext == "pdf" else reports.XLSX
    return Response(
        bytes(data),
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )


async def download_pdf(request: Request) -> Response:
    return await _download(request, "pdf")


async def download_xlsx(request: Request) -> Response:
    return await _download(request, "xlsx")


# -- the admin client screen ---------------------------------------------------------------


def _back(client: Client, note: str = "opgeslagen=1") -> RedirectResponse:
    return RedirectResponse(
        f"/beheer/opdrachtgevers/{client.code}?{note}#rapportages", status_code=303
    )


async def _failed(request: Request, client: Client, exc: AppError) -> Response:
    context = await admin_clients.context_of(client)
    return page(request, "client", context, error=exc)


async def save_settings(request: Request) -> Response:
    user = require_role(request, *STAFF)
    client = await scoping.client(user, request.path_params["client"])
    form = await request.form()
    recipients = str(form.get("report_recipients", ""))[:5000]
    try:
        await settings_form.save(
            user,
            client,
            form.get("report_weekly") == "ja",
            form.get("report_monthly") == "ja",
            recipients,
        )
    except AppError as exc:
        context = await admin_clients.context_of(client)
        context["report_recipients"] = recipients
        return page(request, "client", context, error=exc)
    return _back(client)


async def build_now(request: Request) -> Response:
    """A report for a chosen week or month, built again with today's data and sent."""
    user = require_role(request, *STAFF)
    client = await scoping.client(user, request.path_params["client"])
    form = await request.form()
    kind = str(form.get("kind", ""))
    try:
        if kind not in reports.KIND_LABELS:
            raise Unprocessable("Kies week of maand.", "kind")
        period = reports.period_of(kind, str(form.get("period", ""))[:20])
        if period.first > datetime.now(UTC).astimezone(TZ).date():
            raise Unprocessable("Die periode is nog niet begonnen.", "period")
        report = await reports.build_and_send(client, kind, period, datetime.now(UTC), again=True)
    except AppError as exc:
        return await _failed(request, client, exc)
    return _back(client, f"rapportage={report.id}")


async def send_again(request: Request) -> Response:
    """'Nu opnieuw versturen': the kept report to today's recipients, as a new attempt."""
    user = require_role(request, *STAFF)
    client = await scoping.client(user, request.path_params["client"])
    _, report = await _report(request)
    if report.client_id != client.id:  # type: ignore[attr-defined]
        raise NotFound("Rapportage niet gevonden.", "report")
    try:
        if report.pdf is None:
            report = await reports.build(
                client, report.kind, reports.period_of_report(report), datetime.now(UTC), again=True
            )
        if not reports.recipients_of(client):
            raise Unprocessable(
                "Stel eerst rapportageontvangers in; dan kan de rapportage worden verstuurd.",
                "report_recipients",
            )
        await reports.send(report, datetime.now(UTC), again=True)
    except AppError as exc:
        return await _failed(request, client, exc)
    return _back(client, f"rapportage={report.id}")
