"""Jinja2 templates under pwa/templates, with Dutch formatting (server.domain.dutch) of
numbers, dates and times, and the Dutch labels of codes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.templating import Jinja2Templates

from server import i18n, settings
from server.domain import codes, dutch, lifecycle, normalise, roles
from server.messaging import kinds
from server.web.static import static_url


def local(value: datetime | None, fmt: str = "") -> str:
    """dd-mm-jjjj uu:mm in Amsterdam time; `fmt` (strftime) only for machine values such as a
    datetime-local field's 2026-12-06T15:30."""
    if value is None:
        return ""
    if fmt:
        return value.astimezone(dutch.ZONE).strftime(fmt)
    return dutch.moment(value)


def local_day(value: datetime | None) -> str:
    """wo 02-12-2026 15:39 in Amsterdam time."""
    return dutch.day_moment(value)


FIELD_LABELS = {
    "contact_name": "Naam melder",
    "contact_phone": "Telefoon",
    "contact_email": "E-mail",
    "category": "Categorie",
    "description": "Omschrijving",
}


def iso_local(value: str | None) -> str:
    """An ISO timestamp stored in event data, shown as Amsterdam time."""
    return dutch.day_moment(datetime.fromisoformat(value)) if value else ""


def _context(request: Request) -> dict[str, Any]:
    csrf = request.scope.get("csrftoken")
    principal = request.scope.get("user")
    return {
        "csrf_token": csrf() if callable(csrf) else "",
        "me": getattr(principal, "model", None),
        "field_labels": FIELD_LABELS,
        "labels": {
            "phase": lifecycle.PHASE_LABELS,
            "channel": codes.CHANNEL_LABELS,
            "category": codes.CATEGORY_LABELS,
            "urgency": codes.URGENCY_LABELS,
            "result": codes.RESULT_LABELS,
            "trade": codes.TRADE_LABELS,
            "order_type": codes.ORDER_TYPE_LABELS,
            "role": roles.ROLE_LABELS,
            "message_channel": kinds.CHANNEL_LABELS,
            "message_status": kinds.STATUS_LABELS,
        },
    }


templates = Jinja2Templates(
    directory=str(settings.ROOT / "pwa" / "templates"), context_processors=[_context]
)
templates.env.filters["local"] = local
templates.env.filters["local_day"] = local_day
templates.env.filters["time"] = dutch.clock
templates.env.filters["date"] = dutch.day
templates.env.filters["iso_local"] = iso_local
templates.env.filters["number"] = dutch.number
templates.env.filters["percent"] = dutch.percent
templates.env.filters["hours"] = dutch.hours
templates.env.filters["signed"] = dutch.signed
templates.env.filters["sentence"] = dutch.sentence
templates.env.filters["by_unit"] = dutch.by_unit
templates.env.filters["phone"] = normalise.display_phone
# Static files by their content-hashed names, cached for a year (server/web/static.py).
templates.env.globals["static"] = static_url
# Tenants' pages in their language (server/i18n): `{{ _("…") }}` and `{% trans %}` translate
# into the language the page set before rendering; staff screens stay Dutch.
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True
)
templates.env.globals["current_language"] = i18n.current
templates.env.globals["languages"] = i18n.LANGUAGES
