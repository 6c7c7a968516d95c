"""Which technicians hear about a change to a job on their phone (Web Push), and what it says.

Plain Python. A technician is told once that a job is his ("Nieuwe opdracht"), then of each
change to its appointment, and once that it was taken away. What he was last told decides:
being sent the same job twice by two steps of one dispatcher action is one new job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

NEW = "opdracht_nieuw"
CHANGED = "opdracht_gewijzigd"
WITHDRAWN = "opdracht_ingetrokken"
KINDS = (NEW, CHANGED, WITHDRAWN)
# The events server.dispatch.assignments.publish announces; a phase change that hands a job
# over (server.domain.worklist) is announced as "transition".
APPOINTMENT_EVENTS = frozenset({"appointment", "appointment_cancelled"})


@dataclass(frozen=True)
class Alert:
    technician_id: int
    kind: str


def alerts(
    event: str, current: int | None, previous: int | None, told: Mapping[int, str | None]
) -> list[Alert]:
    """`told` holds, per technician, the kind of the last alert about this job (or None)."""
    found: list[Alert] = []
    if current is not None:
        if told.get(current) in (None, WITHDRAWN):
            found.append(Alert(current, NEW))
        elif current == previous and event in APPOINTMENT_EVENTS:
            found.append(Alert(current, CHANGED))
    if previous is not None and previous != current and told.get(previous) != WITHDRAWN:
        found.append(Alert(previous, WITHDRAWN))
    return found


@dataclass(frozen=True)
class JobFacts:
    order_number: str
    address: str  # "Kerkstraat 1, Utrecht"
    what: str  # "Acuut · Lekkage aan woning": urgency and category
    appointment: str  # "di 25 nov 10:00", or "" without an appointment
    cancelled: bool = False  # the appointment was cancelled
    job_cancelled: bool = False  # the whole dossier was cancelled (phase geannuleerd)


def text(kind: str, job: JobFacts) -> tuple[str, str]:
    """Title and body of the notification, in Dutch."""
    where = f"{job.order_number} — {job.address}"
    if kind == NEW:
        # No appointment here: booking assigns first and plans a moment later, and the app
        # shows the appointment anyway.
        return f"Nieuwe opdracht {where}", job.what
    if kind == CHANGED:
        if job.cancelled or not job.appointment:
            return "Afspraak gewijzigd", f"{where}: de afspraak is geannuleerd."
        return "Afspraak gewijzigd", f"{where}: nu {job.appointment}."
    if job.job_cancelled:
        return "Opdracht geannuleerd", f"{where} is geannuleerd."
    return "Opdracht ingetrokken", f"{where} is niet meer voor u."
