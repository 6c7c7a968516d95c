"""Who may see which telephony figures, and the API's answer."""

from __future__ import annotations

from typing import Any

from server.domain import kpis
from server.domain.errors import Forbidden
from server.domain.kpis import Grain, Period
from server.domain.roles import DESK_ROLES, Role
from server.domain.telephony import DEFAULT_NORM, Counts, norm_of
from server.insight import telephony
from server.insight.dashboard import scope_for
from server.insight.telephony import Telephony
from server.models import Client, User


def require_reader(user: User) -> None:
    """The desk and clients' users; technicians have no figures."""
    if user.role not in DESK_ROLES and user.role != Role.CLIENT:
        raise Forbidden("Uw rol heeft geen toegang tot de telefoniecijfers.")


async def for_user(
    user: User, client_code: str, period: Period, grain: Grain | None = None
) -> tuple[Telephony, Client | None]:
    """A client's figures (a client user: only its own), or the meldkamer's as a whole."""
    require_reader(user)
    scope, client = await scope_for(user, client_code)
    norm = norm_of(client.settings) if client else DEFAULT_NORM
    grain = grain or kpis.grain_for(period)
    found = await telephony.figures(scope, period, grain, norm, telephony.labels_of(client))
    return found, client


def as_json(t: Telephony, client: Client | None) -> dict[str, Any]:
    """The API's answer (server/web/api/figure_schemas.TelephonyFigures)."""
    c = t.calls.total
    return {
        "client": client.code if client else None,
        "from": t.period.first.isoformat(),
        "to": t.period.last.isoformat(),
        "norm": t.norm,
        **_counts(c),
        "per_hour": [
            {"hour": h, "offered": o, "answered": a} for h, o, a in t.calls.grid.per_hour()
        ],
        "heatmap": {"offered": t.calls.grid.offered, "answered": t.calls.grid.answered},
        "series": {
            "grain": t.calls.grain.value,
            "items": [
                {"start": start.isoformat(), **_counts(n)} for start, n in t.calls.series.items()
            ],
        },
        "channels": [{"channel": k, "contacts": n} for k, n in t.channels],
        "results": [{"code": k, "label": label, "contacts": n} for k, label, n in t.results],
        "order_share": t.order_share,
    }


def _counts(c: Counts) -> dict[str, Any]:
    return {
        "offered": c.offered,
        "answered": c.answered,
        "answered_within_30s": c.within,
        "service_level": c.service_level,
        "abandoned": c.abandoned,
        "transferred": c.transferred,
        "average_wait_seconds": c.average_wait,
        "average_talk_seconds": c.average_talk,
        "average_handling_seconds": c.average_handling,
    }
