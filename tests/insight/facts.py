"""The derived columns checked against their definitions (server/domain/kpis.py)."""

from __future__ import annotations

from itertools import groupby

from server.domain import kpis
from server.models import Dossier, DossierEvent


async def mismatches() -> list[str]:
    """Every stored fact that differs from what the timeline says; [] when all agree."""
    dossiers = {d.id: d for d in await Dossier.all()}
    events = await DossierEvent.all().order_by("dossier_id", "at", "id")
    wrong: list[str] = []
    for dossier_id, group in groupby(events, key=lambda e: e.dossier_id):
        dossier, log = dossiers[dossier_id], list(group)
        entered = None
        for e in log:
            where = f"{dossier.order_number} {e.kind} {e.at:%d-%m %H:%M}"
            if e.client_id != dossier.client_id:  # type: ignore[attr-defined]
                wrong.append(f"{where}: client {e.client_id}")
            step = e.kind == "transition"
            hours = kpis.phase_hours(entered, e.at) if step else None
            if e.from_phase != (e.data.get("from") if step else None) or not _same(
                e.phase_hours, hours
            ):
                wrong.append(f"{where}: {e.from_phase} {e.phase_hours}, expected {hours}")
            if e.kind in kpis.STEP_KINDS:
                entered = e.at
        if dossier.triage_outcome != kpis.triage_outcome(dossier.triage):
            wrong.append(f"{dossier.order_number}: outcome {dossier.triage_outcome}")
        visits = kpis.visits((e.at, e.data.get("to", "")) for e in log if e.kind == "transition")
        stored = kpis.Visits(dossier.visits, dossier.first_visit_at, dossier.remote_solved)
        if stored != visits:
            wrong.append(f"{dossier.order_number}: {stored}, expected {visits}")
    return wrong


def _same(stored: float | None, expected: float | None) -> bool:
    """The backfill computes in SQL (SQLite by Julian day), the hooks in Python: equal to a
    fraction of a second."""
    if stored is None or expected is None:
        return stored is expected
    return abs(stored - expected) < 1e-6
