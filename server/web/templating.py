"""Jinja2 templates under pwa/templates, with Dutch formatting of times and codes."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.templating import Jinja2Templates

from server import settings
from server.domain import codes, lifecycle, normalise, roles
from server.messaging import kinds
from server.web.static import static_url

TZ = ZoneInfo(settings.TIMEZONE)
_DAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]


def local(value: datetime | None, fmt: str = "%d-%m-%Y %H:%M") -> str:
    if value is None:
        return ""
    return value.astimezone(TZ).strftime(fmt)


def local_day(value: datetime | None) -> str:
    if value is None:
        return ""
    at = value.astimezone(TZ)
    return f"{_DAYS[at.weekday()]} {at:%d-%m-%Y %H:%M}"


FIELD_LABELS = {
    "contact_name": "Naam melder",
    "contact_phone": "Telefoon",
    "contact_email": "E-mail",
    "category": "Categorie",
    "description": "Omschrijving",
}


def iso_local(value: str | None) -> str:
    """An ISO timestamp stored in event data, shown as Amsterdam time."""
    return local_day(datetime.fromisoformat(value)) if value else ""


def number(value: float | int | None) -> str:
    """A quantity the Dutch way: 2,5 and 1 (not 2.5 and 1.0)."""
    if value is None:
        return ""
    text = f"{value:.3f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return text.replace(".", ",")


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
templates.env.filters["iso_local"] = iso_local
templates.env.filters["number"] = number
templates.env.filters["phone"] = normalise.display_phone
# Static files by their content-hashed names, cached for a year (server/web/static.py).
templates.env.globals["static"] = static_url
