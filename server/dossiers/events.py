"""Writing the dossier timeline: every change is one append-only event."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from server import db
from server.domain import kpis
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
    "opmerking_huurder": "Opmerking van de huurder",
    "werkbon": "Reparatie vastgelegd",
    "foto": "Foto toegevoegd",
    "veldmelding_geweigerd": "Melding uit de app niet verwerkt",
    "anonymised": "Persoonsgegevens verwijderd",
    "email": "E-mail ontvangen",
    "email_antwoord": "E-mail beantwoord",
    # A tenant reporting online asked to be called (or reported something acuut).
    "terugbellen": "Huurder vraagt om terugbellen",
    "keten": "Ketenbericht (VERA)",
    "keten_in": "Melding uit het systeem van de aannemer",
    "opdracht_geaccepteerd": "Opdracht geaccepteerd door aannemer",
    "aannemer_monteur": "Monteur van de aannemer toegewezen",
}


# The events written in the caller's open transaction (`journal`), in the order written.
_written: ContextVar[list[DossierEvent] | None] = ContextVar("events_written", default=None)


@contextmanager
def journal() -> Iterator[list[DossierEvent]]:
    """Collect the events `record`, `build` and `record_step` make while the block runs (a
    sync push's transaction): a later move of it knows its dossier's timeline without reading
    it again (server/dossiers/steps.py)."""
    written: list[DossierEvent] = []
    token = _written.set(written)
    try:
        yield written
    finally:
        _written.reset(token)


def _journal(event: DossierEvent) -> None:
    written = _written.get()
    if written is not None:
        written.append(event)


async def record(
    dossier: Dossier,
    kind: str,
    actor: User | None,
    at: datetime,
    conn: BaseDBAsyncClient | None = None,
    **data: Any,
) -> DossierEvent:
    """Append one event; open dashboards and portals hear of it (server.insight.changes)."""
    event = await DossierEvent.create(**_fields(dossier, kind, actor, at, data), using_db=conn)
    _journal(event)
    await changes.noticed(dossier, kind)
    return event


async def build(
    dossier: Dossier, kind: str, actor: User | None, at: datetime, **data: Any
) -> DossierEvent:
    """The event `record` would write, not yet saved: for a caller that inserts several at once
    (sync's pending rows). Save hooks will not run, so only kinds they derive nothing from."""
    assert kind not in kpis.STEP_KINDS, kind
    event = db.new(DossierEvent, **_fields(dossier, kind, actor, at, data))
    _journal(event)  # its id comes when the caller inserts it
    await changes.noticed(dossier, kind)
    return event


async def record_step(
    dossier: Dossier,
    actor: User | None,
    at: datetime,
    conn: BaseDBAsyncClient,
    from_phase: str,
    phase_hours: float | None,
    **data: Any,
) -> DossierEvent:
    """A transition whose derived columns the caller worked out (server/dossiers/steps.py):
    inserted without the save hooks, which would read the timeline once more for them."""
    event = db.new(
        DossierEvent,
        **_fields(dossier, "transition", actor, at, data),
        from_phase=from_phase,
        phase_hours=phase_hours,
    )
    if event.client_id is None:  # a dossier read with only some columns
        found = Dossier.filter(id=dossier.id).using_db(conn)
        event.client_id = await found.first().values_list("client_id", flat=True)  # type: ignore[assignment]
    await db.insert_all(conn, [event])
    _journal(event)
    await changes.noticed(dossier, "transition")
    return event


def _fields(
    dossier: Dossier, kind: str, actor: User | None, at: datetime, data: dict[str, Any]
) -> dict[str, Any]:
    return dict(
        dossier=dossier,
        # Known already: spares the save hook reading it back (server/models/derived.py);
        # a dossier loaded with only some columns leaves it to the hook.
        client_id=getattr(dossier, "client_id", None),
        kind=kind,
        actor=actor,
        actor_name=str(actor) if actor else "systeem",
        at=at,
        data=_jsonable(data),
    )


async def record_new(
    dossier: Dossier,
    entries: list[tuple[str, User | None, datetime, dict[str, Any]]],
    conn: BaseDBAsyncClient,
) -> list[DossierEvent]:
    """The first events of a dossier created in this transaction, in one statement.

    A bulk insert skips the save hooks (server/models/derived.py); what they derive does not
    apply here: the client is known, none of these is a transition (no phase hours), and a new
    dossier has no later step whose hours could change.
    """
    made = new_rows(dossier, entries)
    # db.insert_all rather than bulk_create: the same one statement, without the ORM building
    # the query anew for every intake; and each event gets its id.
    await db.insert_all(conn, made)
    await noticed(dossier, made)
    return made


def new_rows(
    dossier: Dossier, entries: list[tuple[str, User | None, datetime, dict[str, Any]]]
) -> list[DossierEvent]:
    """`record_new`'s rows, unsaved: intakes stored together insert theirs in one statement
    (server/dossiers/intake.py) and call `noticed` after."""
    made = [
        db.new(
            DossierEvent,
            dossier=dossier,
            client_id=dossier.client_id,  # type: ignore[attr-defined]
            kind=kind,
            actor=actor,
            actor_name=str(actor) if actor else "systeem",
            at=at,
            data=_jsonable(data),
        )
        for kind, actor, at, data in entries
    ]
    assert all(e.kind != "transition" for e in made)
    return made


async def noticed(dossier: Dossier, made: list[DossierEvent]) -> None:
    """The insight screens hear of the new events (after the caller's batch)."""
    for event in made:
        await changes.noticed(dossier, event.kind)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value
