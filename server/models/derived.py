"""Columns the dashboard reads, derived when their source is written (server/domain/kpis.py).

Every writer of the timeline (the dossier services, the technician app's sync, the archive and
retention jobs, the demo, hand-built test data) saves a DossierEvent, so save hooks are the one
place these cannot be forgotten:
- each event gets its dossier's client;
- a transition gets the phase it leaves and the hours the dossier stood in it; a step written
  after a later one (a move dated back) also corrects the hours of the step that follows it;
- a transition on site (in_uitvoering) counts a visit on the dossier and may be its first;
  one to op_afstand_opgelost marks the dossier solved remotely.
A dossier saved through the ORM gets its triage outcome label from its triage; the triage
service, which writes by queryset update, sets it itself (services/triage.record).
Queryset updates and raw SQL bypass these hooks: events are only ever inserted, and the
benchmark's bulk load computes the same columns itself. So does a phase move made by
`dossiers.transition` (server/dossiers/steps.py): it reads the timeline once and writes the
event's phase and hours in its INSERT and the visits in the dossier's own UPDATE, instead of
the four to six statements these hooks take (tests/insight/test_event_facts.py holds both
ways to the same facts).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F, Q
from tortoise.queryset import QuerySet
from tortoise.signals import post_save, pre_save

from server.domain import kpis
from server.models.dossiers import Dossier, DossierEvent


@pre_save(Dossier)
async def _dossier_saved(
    sender: type[Dossier], dossier: Dossier, db: BaseDBAsyncClient, fields: Any
) -> None:
    dossier.triage_outcome = kpis.triage_outcome(dossier.triage)


@pre_save(DossierEvent)
async def _before_insert(
    sender: type[DossierEvent], event: DossierEvent, db: BaseDBAsyncClient, fields: Any
) -> None:
    if event.id is not None:  # an update of a stored event: its facts stand
        return
    if event.client_id is None:
        dossier = Dossier.filter(id=event.dossier_id).using_db(db)
        event.client_id = cast(int, await dossier.first().values_list("client_id", flat=True))
    if event.kind == "transition":
        previous = _steps(db, event.dossier_id, at__lte=event.at).order_by("-at", "-id")
        entered = cast(datetime | None, await previous.first().values_list("at", flat=True))
        event.from_phase = event.data.get("from")
        event.phase_hours = kpis.phase_hours(entered, event.at)


@post_save(DossierEvent)
async def _after_insert(
    sender: type[DossierEvent],
    event: DossierEvent,
    created: bool,
    db: BaseDBAsyncClient,
    fields: Any,
) -> None:
    if not created or event.kind not in kpis.STEP_KINDS:
        return
    later = (
        await _steps(db, event.dossier_id, at__gt=event.at)
        .order_by("at", "id")
        .first()
        .values_list("id", "kind", "at")
    )
    if later is not None and later[1] == "transition":
        hours = kpis.phase_hours(event.at, later[2])
        await DossierEvent.filter(id=later[0]).using_db(db).update(phase_hours=hours)
    target = event.data.get("to") if event.kind == "transition" else None
    dossier = Dossier.filter(id=event.dossier_id).using_db(db)
    if target == kpis.VISIT:
        await dossier.update(visits=F("visits") + 1)
        first = Q(first_visit_at__isnull=True) | Q(first_visit_at__gt=event.at)
        await dossier.filter(first).update(first_visit_at=event.at)
    elif target == kpis.REMOTE:
        await dossier.update(remote_solved=True)


def _steps(db: BaseDBAsyncClient, dossier_id: int, **when: Any) -> QuerySet[DossierEvent]:
    """The dossier's created/transition events, filtered by time (index dossier_id, at)."""
    return DossierEvent.filter(
        dossier_id=dossier_id, kind__in=sorted(kpis.STEP_KINDS), **when
    ).using_db(db)
