"""Technicians as dispatch sees them: rows from the database mapped onto the plain data of
server.domain.dispatch (Candidate, Job, CoverageRule) with their rosters expanded."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from tortoise.functions import Count

from geo.distance import TravelModel
from geo.point import Point
from server import settings
from server.domain.dispatch import (
    ZONE,
    Candidate,
    Coverage,
    CoverageRule,
    DispatchRules,
    Job,
    Position,
    Roster,
    Shift,
    expand_roster,
)
from server.domain.errors import Unprocessable
from server.domain.lifecycle import Phase
from server.models import ContractorCoverage, Dossier, RosterEntry, Technician, TechnicianPosition
from server.services.geocoding import point_of

# Phases in which a dossier is on a technician's plate: his load.
ASSIGNED_PHASES = (Phase.DOORGEZET, Phase.AFSPRAAK, Phase.IN_UITVOERING)
DEFAULT_LABOUR_MINUTES = 60


def rules() -> DispatchRules:
    travel = TravelModel(road_factor=settings.ROAD_FACTOR, speed_kmh=settings.TRAVEL_SPEED_KMH)
    return DispatchRules(travel=travel)


def job_for(dossier: Dossier, trade: str | None = None) -> Job:
    """The dossier as a dispatch job; `trade` overrides (or stands in for) triage's trade."""
    trade = trade or dossier.trade
    if not trade:
        raise Unprocessable(
            f"Dossier {dossier.order_number} heeft nog geen vakdiscipline; leg eerst de triage "
            "vast of kies een vakdiscipline.",
            "trade",
        )
    location = point_of(dossier)
    if location is None:
        raise Unprocessable(
            f"De locatie van dossier {dossier.order_number} is onbekend (postcode "
            f"'{dossier.postcode}'); er valt geen afstand te bepalen.",
            "location",
        )
    return Job(
        trade=trade,
        urgency=dossier.urgency or "niet_urgent",
        location=location,
        labour_minutes=dossier.labour_minutes or DEFAULT_LABOUR_MINUTES,
        deadline=dossier.deadline_at,
        client_id=dossier.client_id,  # type: ignore[attr-defined]
        postcode=dossier.postcode,
    )


async def coverage(client_id: int) -> Coverage | None:
    """The client's coverage rules; None when it has none, and then every contractor's
    technicians may go to its addresses."""
    rows = await ContractorCoverage.filter(client_id=client_id)
    if not rows:
        return None
    return Coverage(
        CoverageRule(
            contractor_id=r.contractor_id,  # type: ignore[attr-defined]
            client_id=r.client_id,  # type: ignore[attr-defined]
            postcode_from=r.postcode_from,
            postcode_to=r.postcode_to,
            trade=r.trade or None,
        )
        for r in rows
    )


async def load(
    now: datetime,
    *,
    trade: str | None = None,
    ids: Iterable[int] | None = None,
    horizon: timedelta = timedelta(days=8),
) -> list[Candidate]:
    """Active technicians (of `trade`, or with these `ids`) with their shifts from `now` to
    `now + horizon`, last position and number of open jobs. Four queries whatever their
    number."""
    qs = Technician.filter(active=True)
    if ids is not None:
        qs = qs.filter(id__in=list(ids))
    technicians = [t for t in await qs if trade is None or trade in (t.trades or [])]
    found = [t.id for t in technicians]
    if not found:
        return []
    roster: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    rows = await RosterEntry.filter(technician_id__in=found).values_list(
        "technician_id", "weekday", "start_minute", "end_minute"
    )
    for technician_id, weekday, first, last in rows:
        roster[technician_id].append((weekday, first, last))
    positions = {
        p.technician_id: p  # type: ignore[attr-defined]
        for p in await TechnicianPosition.filter(technician_id__in=found)
    }
    loads = await open_jobs(found)
    start, end = now - timedelta(days=1), now + horizon
    # Most technicians share a handful of weekly patterns: expand each pattern once.
    expanded: dict[tuple[object, ...], tuple[Shift, ...]] = {}

    def shifts(t: Technician) -> tuple[Shift, ...]:
        entries = tuple(sorted(roster.get(t.id, [])))
        key = (entries, t.on_call_evenings, t.on_call_weekends, t.on_call_holidays)
        if key not in expanded:
            expanded[key] = tuple(shifts_of(t, entries, start, end))
        return expanded[key]

    return [
        Candidate(
            id=t.id,
            name=t.name,
            trades=frozenset(t.trades or []),
            contractor_id=t.contractor_id,  # type: ignore[attr-defined]
            shifts=shifts(t),
            home=_home(t),
            position=_position(positions.get(t.id)),
            position_consent=t.position_consent,
            open_jobs=loads.get(t.id, 0),
        )
        for t in technicians
    ]


async def open_jobs(technician_ids: list[int]) -> dict[int, int]:
    rows = (
        await Dossier.filter(technician_id__in=technician_ids, phase__in=list(ASSIGNED_PHASES))
        .annotate(n=Count("id"))
        .group_by("technician_id")
        .values("technician_id", "n")
    )
    return {int(r["technician_id"]): int(r["n"]) for r in rows}


def roster_of(technician: Technician, entries: Iterable[tuple[int, int, int]]) -> Roster:
    """`entries`: (weekday, start minute, end minute) as in RosterEntry."""
    hours: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for weekday, first, last in entries:
        hours[weekday].append((_clock(first), _clock(last)))
    return Roster(
        working_hours=dict(hours),
        on_call_evenings=technician.on_call_evenings,
        on_call_weekends=technician.on_call_weekends,
        on_call_holidays=technician.on_call_holidays,
    )


def shifts_of(
    technician: Technician,
    entries: Iterable[tuple[int, int, int]],
    start: datetime,
    end: datetime,
) -> list[Shift]:
    shifts = expand_roster(roster_of(technician, entries), start, end)
    # A working day until 24:00 is stored as ending 23:59 (a time has no 24:00); give the
    # minute back so it touches the next day's shift and ranking joins them.
    return [
        Shift(s.start, s.end + timedelta(minutes=1), s.on_call)
        if not s.on_call and s.end.astimezone(ZONE).time() == time(23, 59)
        else s
        for s in shifts
    ]


def _clock(minute: int) -> time:
    minute = min(minute, 1439)
    return time(minute // 60, minute % 60)


def _home(t: Technician) -> Point | None:
    if t.home_latitude is None or t.home_longitude is None:
        return None
    return Point(t.home_latitude, t.home_longitude)


def _position(row: TechnicianPosition | None) -> Position | None:
    if row is None:
        return None
    return Position(Point(row.latitude, row.longitude), row.reported_at)
