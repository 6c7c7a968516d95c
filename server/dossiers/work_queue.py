"""The desk's work queue: dossiers by time left to their urgency deadline, how each stands
against it, and "mijn dossiers".

Order ("termijn"): first the dossiers with a deadline still to meet, the one due first (or the
longest overdue) on top; then those without one (no triage yet, niet urgent), oldest first;
last the acuut dossiers someone is on site for, whose deadline is settled.

"Mijn dossiers" are the ones an agent has had in his hands: he took the report in, or he wrote
anything on its timeline (triage, a phase move, an assignment or appointment, a note, contact
with the tenant, a correction). The meldkamer has no owner per dossier, so this is what an
agent means by "mine": what he worked on and may be called back about.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Case, Q, Subquery, When
from tortoise.queryset import QuerySet

from server.domain.codes import Urgency
from server.domain.deadlines import Standing, appointment_moment, standing
from server.domain.lifecycle import Phase
from server.models import Dossier, DossierEvent, User

ORDERS = {"termijn": "Tijd tot uiterlijk", "nieuw": "Nieuwste eerst"}


def mine(qs: QuerySet[Dossier], user: User) -> QuerySet[Dossier]:
    touched = DossierEvent.filter(actor_id=user.id).values("dossier_id")
    return qs.filter(Q(created_by_id=user.id) | Q(id__in=Subquery(touched)))


def ordered(qs: QuerySet[Dossier], order: str) -> QuerySet[Dossier]:
    """`order` is a key of ORDERS; ties keep a stable order by id."""
    if order != "termijn":
        return qs.order_by("-created_at", "-id")
    settled = Q(phase=Phase.IN_UITVOERING.value, urgency=Urgency.ACUUT.value)
    group = Case(
        When(Q(deadline_at__isnull=True), then="1"),
        When(settled, then="2"),
        default="0",
    )
    return qs.annotate(queue_group=group).order_by("queue_group", "deadline_at", "created_at", "id")


async def arrivals(on_site: list[Dossier]) -> dict[int, datetime]:
    """When someone first went on site (the move to in_uitvoering, as the timeline has it),
    by dossier id. One query."""
    if not on_site:
        return {}
    moves = await DossierEvent.filter(
        dossier_id__in=[d.id for d in on_site], kind="transition"
    ).values_list("dossier_id", "at", "data")
    found: dict[int, datetime] = {}
    for dossier_id, at, data in moves:
        if data.get("to") == Phase.IN_UITVOERING and (
            dossier_id not in found or at < found[dossier_id]
        ):
            found[dossier_id] = at
    return found


async def standings(rows: list[Dossier], now: datetime) -> dict[int, Standing]:
    """How each dossier stands against its deadline at `now`, by id (one query for when
    someone arrived on the acuut ones with someone on site)."""
    arrived = await arrivals([d for d in rows if d.phase == Phase.IN_UITVOERING])
    return {
        d.id: standing(
            d.urgency,
            d.deadline_at,
            now,
            on_site=d.phase == Phase.IN_UITVOERING,
            arrived_at=arrived.get(d.id),
            appointment=appointment_moment(d.urgency, d.appointment_start, d.appointment_end),
        )
        for d in rows
    }
