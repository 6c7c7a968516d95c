"""A contractor's order in the small world: sent by the desk to Installatiebedrijf Noord."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from server.dossiers import dossiers
from server.models import Contractor, Dossier
from tests.support import world
from tests.support.pages import csrf, login


async def order(w: world.World, contractor: Contractor, urgency: str = "") -> Dossier:
    d = await dossiers.create(w.agent, world.intake("WST", category="elektra"))
    if urgency:
        await Dossier.filter(id=d.id).update(urgency=urgency)
        d = await Dossier.get(id=d.id)
    await dossiers.transition(
        w.agent, d, "doorgezet_naar_monteur", {"contractor_id": contractor.id}
    )
    return d


async def session(http: httpx.AsyncClient, username: str = "bas.aannemer") -> str:
    """Logged in; the CSRF token for its forms."""
    await login(http, username)
    return csrf((await http.get("/aannemer")).text)


def day_after_tomorrow() -> str:
    """A date in Amsterdam two days ahead: always in the future, whatever the clock says."""
    return (
        (datetime.now(UTC) + timedelta(days=2))
        .astimezone(ZoneInfo("Europe/Amsterdam"))
        .date()
        .isoformat()
    )
