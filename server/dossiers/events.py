"""Writing the dossier timeline: every change is one append-only event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from server.insight import changes
from server.models import Dossier, DossierEvent, User

EVENT_LABELS: dict[str, str] = {
    "created": "Dossier aangemaakt",
    "transition": "Fase gewijzigd",
    "updated": "Gegevens gewijzigd",
    "note": "Notitie",
    "contact": "Contact met huurder",
    "repeat": "Herhaalmelding aangemaakt",
    "triage": "Triage vastgelegd",
    "geocoded": "Locatie bepaald",
    "auto_assigned": "Automatisch toegewezen",
    "appointment_moved": "Afspraak verzet",
    "appointment_cancelled": "Afspraak geannuleerd",
    "bericht": "Bericht aan huurder of opdrachtgever",
    "monteur_onderweg": "Monteur onderweg",
    "niet_thuis": "Huurder niet thuis bij afspraak",
    "werkbon": "Reparatie vastgelegd",
    "foto": "Foto toegevoegd",
    "veldmelding_geweigerd": "Melding uit de app niet verwerkt",
    "anonymised": "Persoonsgegevens verwijderd",
    "email": "E-mail ontvangen",
    "email_antwoord": "E-mail beantwoord",
}


async def record(
    dossier: Dossier,
    kind: str,
    actor: User | None,
    at: datetime,
    conn: BaseDBAsyncClient | None = None,
    **data: Any,
) -> DossierEvent:
    """Append one event; open dashboards and portals hear of it (server.insight.changes)."""
    event = await DossierEvent.create(
        dossier=dossier,
        kind=kind,
        actor=actor,
        actor_name=str(actor) if actor else "systeem",
        at=at,
        data=_jsonable(data),
        using_db=conn,
    )
    await changes.noticed(dossier, kind)
    return event


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value
