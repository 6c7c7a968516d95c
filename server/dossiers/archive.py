"""Moving closed dossiers to the archive once their closing is old enough."""

from __future__ import annotations

from datetime import datetime, timedelta

from server.domain.lifecycle import CLOSED_PHASES, Actor, Phase, plan_transition
from server.domain.roles import Role
from server.dossiers.dossiers import _save, now, state_of
from server.models import Dossier

SYSTEM = Actor(user_id=None, role=Role.ADMIN, name="systeem")


async def archive_closed(after_days: int, at: datetime | None = None) -> int:
    """Archive every dossier closed more than `after_days` ago; returns how many."""
    at = at or now()
    cutoff = at - timedelta(days=after_days)
    due = await Dossier.filter(
        phase__in=[p.value for p in CLOSED_PHASES], closed_at__lte=cutoff
    ).order_by("id")
    for dossier in due:
        plan = plan_transition(state_of(dossier), Phase.GEARCHIVEERD, SYSTEM, {}, at)
        source = dossier.phase
        await _save(
            dossier,
            plan.changes,
            None,
            at,
            "transition",
            {"from": source, "to": Phase.GEARCHIVEERD.value, "reason": "automatisch"},
        )
    return len(due)
