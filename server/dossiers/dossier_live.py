"""Telling open dossier pages that their dossier changed (channel `dossier:{n}`, event
`changed`), after the change is committed; the page re-reads what it shows (dossier.js)."""

from __future__ import annotations

from server import live
from server.models import Dossier


async def changed(dossier: Dossier, what: str) -> None:
    """`what`: the timeline event's kind (note, contact, updated, werkbon, foto, …)."""
    data = {"order_number": dossier.order_number, "phase": dossier.phase, "what": what}
    await live.publish(f"dossier:{dossier.order_number}", "changed", data)
