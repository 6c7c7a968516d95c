"""Admin screens for clients (admin and supervisie): calendar, numbers, glass fund, logo and
colour, the housing stock import, and every change; and the logo as tenants' pages fetch it."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import scoping
from server.admin import changes, clients, stock
from server.domain import brand
from server.domain.errors import AppError, NotFound, Unprocessable
from server.insight import client_report as report_rules
from server.models import Client
from server.triage.client_calendar import WEEKDAY_KEYS
from server.web.auth import require_role
from server.web.csrf import checked_form
from server.web.pages.admin import ADMIN, STAFF, page

LOGO_MAX_BYTES = clients.LOGO_LIMITS.max_bytes


async def client_list(request: Request) -> Response:
    require_role(request, *STAFF)
    return page(request, "clients", {"clients": await Client.all().order_by("name")})


# A new client is a contract: the admin's, not the daily work of supervisie.
async def new_form(request: Request) -> Response:
    require_role(request, *ADMIN)
    return page(request, "client_new", {"values": {}})


async def create(request: Request) -> Response:
    user = require_role(request, *ADMIN)
    form = await request.form()
    values = {k: str(form.get(k, ""))[:300] for k in ("code", "name")}
    try:
        client = await clients.create(user, values["code"], values["name"])
    except AppError as exc:
        return page(request, "client_new", {"values": values}, error=exc)
    return RedirectResponse(f"/beheer/opdrachtgevers/{client.code}?nieuw=1", status_code=303)


async def context_of(client: Client) -> dict[str, Any]:
    """The screen's context with the stored form (pages that post one of its other forms)."""
    return await _context(client, clients.form_of(client))


async def _context(client: Client, form: clients.ClientForm) -> dict[str, Any]:
    return {
        "client": client,
        "form": form,
        "days": clients.DAY_LABELS,
        "has_logo": clients.logo_of(client) is not None,
        "brand": clients.brand_of(client),
        "imports": await stock.recent(client),
        "changes": await changes.of("client", client.id),
        **await _reports(client),
    }


async def _reports(client: Client) -> dict[str, Any]:
    """The report settings and the latest reports (server/insight/client_report.py)."""
    shown = await report_rules.listed(client, 20)
    return {
        "report_deliveries": await report_rules.deliveries(client, shown),
        "report_weekly": report_rules.enabled(client, report_rules.WEEK),
        "report_monthly": report_rules.enabled(client, report_rules.MONTH),
        "report_recipients": ", ".join(report_rules.recipients_of(client)),
        "reports": shown,
        "report_statuses": report_rules.STATUS_LABELS,
        "report_name": report_rules.name_of,
    }


async def client_detail(request: Request) -> Response:
    user = require_role(request, *STAFF)
    client = await scoping.client(user, request.path_params["client"])
    context = await _context(client, clients.form_of(client))
    context["saved"] = request.query_params.get("opgeslagen") == "1"
    context["created"] = request.query_params.get("nieuw") == "1"
    return page(request, "client", context)


def _form(raw: Any) -> clients.ClientForm:
    def text(name: str, limit: int = 300) -> str:
        return str(raw.get(name, ""))[:limit]

    return clients.ClientForm(
        hours={k: text(f"hours_{k}", 100) for k in WEEKDAY_KEYS},
        closure_days=text("closure_days", 20_000),
        heating_start=text("heating_start", 20),
        heating_end=text("heating_end", 20),
        acuut_norm=text("acuut_norm", 20),
        oncall_name=text("oncall_name"),
        oncall_phone=text("oncall_phone"),
        oncall_email=text("oncall_email"),
        glass_fund=raw.get("glass_fund") == "ja",
        colour=text("colour", 20),
    )


async def client_save(request: Request) -> Response:
    user = require_role(request, *STAFF)
    client = await scoping.client(user, request.path_params["client"])
    form = _form(await request.form())
    try:
        await clients.save(user, client, form)
    except AppError as exc:
        await client.refresh_from_db()
        return page(request, "client", await _context(client, form), error=exc)
    return RedirectResponse(f"/beheer/opdrachtgevers/{client.code}?opgeslagen=1", status_code=303)


async def logo_save(request: Request) -> Response:
    user = require_role(request, *STAFF)
    client = await scoping.client(user, request.path_params["client"])
    form = await checked_form(request)
    try:
        if form.get("remove") == "ja":
            await clients.set_logo(user, client, None)
        else:
            item = form.get("logo")
            if item is None or isinstance(item, str) or not item.filename:
                raise Unprocessable("Kies een afbeelding (PNG, JPEG of WebP).", "logo")
            await clients.set_logo(user, client, await item.read())
    except AppError as exc:
        return page(request, "client", await _context(client, clients.form_of(client)), error=exc)
    finally:
        await form.close()
    return RedirectResponse(
        f"/beheer/opdrachtgevers/{client.code}?opgeslagen=1#logo", status_code=303
    )


async def logo(request: Request) -> Response:
    """Public: tenants' e-mails and tracking pages show it; a logo is no secret."""
    code = request.path_params["client"][:20].upper()
    client = await Client.get_or_none(code=code)
    data = clients.logo_of(client) if client is not None else None
    if data is None:
        raise NotFound("Geen logo.", "client")
    return Response(data, media_type="image/png", headers={"Cache-Control": "public, max-age=3600"})


async def house_style(request: Request) -> Response:
    """Public: the colour band of the tenant's tracking page (the CSP allows no inline style)."""
    code = request.path_params["client"][:20].upper()
    client = await Client.get_or_none(code=code)
    if client is None:
        raise NotFound("Onbekende opdrachtgever.", "client")
    colour = brand.brand(client.settings, client.code, "")["huisstijl_kleur"]
    css = f".brand-band{{background:{colour};color:{brand.text_colour(colour)}}}\n"
    return Response(css, media_type="text/css", headers={"Cache-Control": "public, max-age=300"})


# -- housing stock import ------------------------------------------------------------------


async def import_start(request: Request) -> Response:
    user = require_role(request, *STAFF)
    client = await scoping.client(user, request.path_params["client"])
    form = await checked_form(request)
    try:
        item = form.get("file")
        if item is None or isinstance(item, str) or not item.filename:
            raise Unprocessable("Kies een .csv- of .xlsx-bestand.", "file")
        dry_run = form.get("mode") != "echt"
        row = await stock.start(user, client, item.filename, await item.read(), dry_run)
    except AppError as exc:
        return page(request, "client", await _context(client, clients.form_of(client)), error=exc)
    finally:
        await form.close()
    return RedirectResponse(
        f"/beheer/opdrachtgevers/{client.code}/woningbestand/{row.id}", status_code=303
    )


async def import_detail(request: Request) -> Response:
    user = require_role(request, *STAFF)
    client = await scoping.client(user, request.path_params["client"])
    row = await stock.get(client, request.path_params["import_id"])
    context = {"client": client, "run": row, "can_confirm": stock.can_confirm(row)}
    return page(request, "import", context)


async def import_confirm(request: Request) -> Response:
    """The real import of the file a clean dry run checked."""
    user = require_role(request, *STAFF)
    client = await scoping.client(user, request.path_params["client"])
    try:
        row = await stock.confirm(user, client, request.path_params["import_id"])
    except AppError as exc:
        dry = await stock.get(client, request.path_params["import_id"])
        context = {"client": client, "run": dry, "can_confirm": False}
        return page(request, "import", context, error=exc)
    return RedirectResponse(
        f"/beheer/opdrachtgevers/{client.code}/woningbestand/{row.id}", status_code=303
    )
