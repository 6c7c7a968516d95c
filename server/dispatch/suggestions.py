"""Who to send to a dossier: suitable technicians ranked by the dispatch rules, and automatic
assignment of acuut reports for clients that want it (client.settings["auto_assign_acuut"])."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from geo.distance import ROUTING
from server import scoping
from server.dispatch import assignments, candidates, kept, routing
from server.domain import dutch
from server.domain.codes import TRADE_LABELS, Urgency
from server.domain.dispatch import (
    Candidate,
    CandidateIndex,
    Job,
    Suggestion,
    auto_assign_choice,
    order_reasons,
    rank,
    rank_nearby,
    when_text,
)
from server.domain.errors import Forbidden, NotFound
from server.domain.lifecycle import Phase
from server.domain.roles import DESK_ROLES, Role
from server.dossiers import events
from server.models import Client, Dossier, Technician, User

log = logging.getLogger("meldkamer.dispatch")
# Below this many technicians of the trade a straight scan is as fast as building an index.
SCAN_UP_TO = 300
AUTO_ASSIGN_SETTING = "auto_assign_acuut"
UNASSIGNED_PHASES = (Phase.NIEUW, Phase.ANALYSEREN, Phase.CONTACT_OPNEMEN)


@dataclass(frozen=True)
class Suggestions:
    job: Job
    items: list[Suggestion]
    # Why each item stands where it does, in the same order (domain.dispatch.order_reasons).
    order: list[str] = field(default_factory=list)

    def with_order(self) -> list[tuple[Suggestion, str]]:
        return list(zip(self.items, self.order, strict=True))


def require_desk(user: User) -> None:
    if user.role not in DESK_ROLES:
        raise Forbidden("Alleen de meldkamer ziet suggesties en plant monteurs in.")


async def suggest(
    user: User,
    dossier: Dossier,
    *,
    trade: str | None = None,
    now: datetime | None = None,
    limit: int = 10,
) -> Suggestions:
    require_desk(user)
    return await ranked(dossier, trade=trade, now=now, limit=limit)


async def ranked(
    dossier: Dossier, *, trade: str | None = None, now: datetime | None = None, limit: int = 10
) -> Suggestions:
    return await for_job(candidates.job_for(dossier, trade), now or datetime.now(UTC), limit=limit)


async def for_job(job: Job, now: datetime, *, limit: int = 10, keep: bool = True) -> Suggestions:
    """`ranked` for a job; `keep=False` loads and indexes the technicians for this one
    suggestion instead of using the index kept across suggestions (the bench's baseline)."""
    rules = candidates.rules()
    # Shifts are needed only up to the deadline (or the search horizon), plus a day's margin.
    until = job.deadline if job.deadline is not None else now + rules.horizon
    horizon = max(until - now, timedelta(0)) + timedelta(days=1)
    engine = routing.client()
    first = limit if engine is None else routing.pool_size(limit)
    ready = await kept.index(now, horizon, rules) if keep else None
    if ready is not None:
        # The index kept across suggestions (server/dispatch/kept.py), current as of now.
        pool: Sequence[Candidate] = ready.index.candidates
        coverage = await kept.coverage(ready, job.client_id or 0)
        items = rank_nearby(job, ready.index, now, rules=rules, coverage=coverage, limit=first)
    else:
        pool = await candidates.load(now, trade=job.trade, horizon=horizon)
        coverage = await candidates.coverage(job.client_id or 0)
        if len(pool) <= SCAN_UP_TO:
            items = rank(job, pool, now, rules=rules, coverage=coverage, limit=first)
        else:
            index = CandidateIndex(pool, now, rules)
            items = rank_nearby(job, index, now, rules=rules, coverage=coverage, limit=first)
    if engine is not None and items:
        items = await routing.refine_by_route(engine, job, pool, items, now, rules, limit)
    return Suggestions(job, items, order_reasons(items, now, rules))


async def auto_assign(
    user: User | None, dossier: Dossier, now: datetime | None = None
) -> Suggestion | None:
    """After triage: an acuut, unassigned dossier of a client that auto-assigns goes to the
    best suggestion if he makes the deadline. Never raises: a person decides otherwise."""
    if dossier.urgency != Urgency.ACUUT or dossier.technician_id is not None:  # type: ignore[attr-defined]
        return None
    if dossier.phase not in UNASSIGNED_PHASES:
        return None
    client = await Client.get(id=dossier.client_id)  # type: ignore[attr-defined]
    if not auto_assigns(client):
        return None
    try:
        found = await ranked(dossier, now=now, limit=3)
        choice = auto_assign_choice(found.items)
        if choice is None:
            return None
        await assignments.assign(user, dossier, choice.technician_id, check_role=False)
        await events.record(
            dossier,
            "auto_assigned",
            None,
            datetime.now(UTC),
            technician=choice.name,
            technician_id=choice.technician_id,
            why=f"acuut, en {client.name} laat acute meldingen automatisch toewijzen; "
            "de beste suggestie haalt de termijn",
            reasons=list(choice.reasons),
        )
        return choice
    except Exception:
        log.exception("automatic assignment of %s failed", dossier.order_number)
        return None


async def set_auto_assign(user: User, client_code: str, enabled: bool) -> Client:
    """Turn automatic assignment of acuut reports on or off for a client (supervisor, admin)."""
    if user.role not in (Role.ADMIN, Role.SUPERVISOR):
        raise Forbidden("Alleen supervisie en beheer stellen automatisch toewijzen in.")
    code = scoping.key(client_code, scoping.CLIENT_CODE_MAX)
    client = None if code is None else await scoping.clients(user).filter(code=code).first()
    if client is None:
        raise NotFound(f"Opdrachtgever '{client_code}' niet gevonden.", "client")
    client.settings = {**(client.settings or {}), AUTO_ASSIGN_SETTING: enabled}
    await client.save(update_fields=["settings"])
    return client


def auto_assigns(client: Client) -> bool:
    return bool((client.settings or {}).get(AUTO_ASSIGN_SETTING))


@dataclass(frozen=True)
class Choice:
    """One technician in the dossier page's dropdown: the option text says why (or why not)."""

    technician_id: int
    label: str


def choice_groups(
    technicians: Sequence[Technician], trade: str | None, found: Suggestions | None, now: datetime
) -> list[tuple[str, list[Choice]]]:
    """The desk's technician dropdown in groups, suitable first: the suggestions in their
    ranked order with the reason in short; then the others of the dossier's trade, not
    suggested; then everyone else, by name with his trades in words (not VERA codes)."""

    def trades(t: Technician) -> str:
        return ", ".join(TRADE_LABELS.get(code, code) for code in t.trades)

    suggested = found.items if found is not None else []
    chosen = {s.technician_id for s in suggested}
    groups: list[tuple[str, list[Choice]]] = []
    if suggested:
        groups.append(
            (
                f"Voorgesteld ({TRADE_LABELS.get(str(trade), trade)}), beste eerst",
                [
                    Choice(s.technician_id, _short_reason(i, s, now))
                    for i, s in enumerate(suggested)
                ],
            )
        )
    rest = sorted((t for t in technicians if t.id not in chosen), key=lambda t: t.name)
    same = [t for t in rest if trade and trade in t.trades]
    if same:
        why = "geen dienst op tijd, afwezig of buiten het werkgebied"
        groups.append(
            (
                f"{TRADE_LABELS.get(str(trade), trade)}, niet voorgesteld",
                [Choice(t.id, f"{t.name} — niet voorgesteld: {why}") for t in same],
            )
        )
    others = [t for t in rest if t not in same]
    if others:
        title = "Andere vakdiscipline" if trade else "Alle monteurs (nog geen vakdiscipline)"
        groups.append((title, [Choice(t.id, f"{t.name} — {trades(t)}") for t in others]))
    return groups


def _short_reason(i: int, s: Suggestion, now: datetime) -> str:
    """ "Piet Jansen — 1e keus: ter plaatse ca. 10:18, 8,8 km, 0 open opdrachten"."""
    arrival = when_text(s.arrival, now)
    late = "" if s.makes_deadline else ", haalt de termijn niet"
    return (
        f"{s.name} — {i + 1}e keus: ter plaatse ca. {arrival}, "
        f"{dutch.number(s.distance_km, 1, fixed=True)} km, {s.open_jobs} open{late}"
    )


def suggestion_json(s: Suggestion, order_reason: str = "") -> dict[str, object]:
    return {
        "technician_id": s.technician_id,
        "name": s.name,
        "contractor_id": s.contractor_id,
        "origin": s.origin,
        "distance_km": round(s.distance_km, 1),
        "travel_minutes": s.travel_minutes,
        "travel_source": "route" if s.travel_source == ROUTING else "geschat",
        "available_from": s.available_from.isoformat(),
        "arrival": s.arrival.isoformat(),
        "finish": s.finish.isoformat(),
        "on_duty_until": s.on_duty_until.isoformat(),
        "on_call": s.on_call,
        "open_jobs": s.open_jobs,
        "deadline": s.deadline.isoformat() if s.deadline else None,
        "makes_deadline": s.makes_deadline,
        "score": round(s.score, 1),
        "reasons": list(s.reasons),
        "order_reason": order_reason,
    }
