"""Which jobs are on a technician's list in the app, and when a change moves one on or off it.

Plain Python. A job is on his list while it is open and assigned to him (doorgezet, afspraak,
in uitvoering); one he finished stays a day so he sees what he did. Any other move takes it
away from him: cancelled, referred, solved remotely, back to analysing, or given to someone
else. The app's pull (server/fieldwork/technician_jobs.py) and his push alerts
(server/fieldwork/technician_push.py) both follow this one rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from server.domain.lifecycle import Phase

ON_LIST = frozenset({Phase.DOORGEZET, Phase.AFSPRAAK, Phase.IN_UITVOERING})
# Closed by the work itself: not taken from him, and shown a while after closing.
FINISHED = frozenset({Phase.AFGEROND})
FINISHED_VISIBLE = timedelta(hours=24)


@dataclass(frozen=True)
class Holding:
    """The two facts of a dossier that decide whose list it is on."""

    phase: str
    technician_id: int | None


def holder(job: Holding) -> int | None:
    """The technician whose list the open job is on, if any."""
    return job.technician_id if job.phase in ON_LIST else None


def handover(before: Holding, after: Holding) -> tuple[int | None, int | None] | None:
    """(previous, current) holder when a change takes the job off one technician's list or
    puts it on another's; None when it stays with whoever had it (finishing it keeps it his)."""
    previous, current = holder(before), holder(after)
    if current is None and after.phase in FINISHED:
        current = after.technician_id
    return None if previous == current else (previous, current)
