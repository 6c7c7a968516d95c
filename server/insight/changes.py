"""Tell open dashboards and client portals that a dossier changed (after the commit)."""

from __future__ import annotations

from server import live
from server.models import Client, Dossier


async def dossier_changed(dossier: Dossier) -> None:
    """A light 'changed' event; pages re-read their figures (debounced in the browser)."""
    code = await Client.filter(id=dossier.client_id).values_list("code", flat=True)  # type: ignore[attr-defined]
    data = {"order_number": dossier.order_number, "phase": dossier.phase}
    for channel in ("dashboard:*", *(f"dashboard:{c}" for c in code)):
        await live.publish(channel, "changed", data)
    for c in code:
        await live.publish(f"client:{c}", "dossier", data)
