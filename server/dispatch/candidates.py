"""Technicians as dispatch sees them: rows from the database mapped onto the plain data of
server.domain.dispatch (Candidate, Job, CoverageRule) with their rosters expanded."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from tortoise.functions import Count

from geo.distance import TravelModel
from geo.point import Point
from server import settings
from server.domain.absences import Absence, RotaMember, without_absences
from server.domain.dispatch import (
    ZONE,
    Candidate,
    Coverage,
    CoverageRule,
    DispatchRules,
    Job,
    Position,
)
from server.domain.duty import Roster, Shift, expand_roster
from server.domain.errors import Unprocessable
from server.domain.lifecycle import Phase
from server.housing.geocoding import point_of
from server.models import Absence as AbsenceRow
from server.models import ContractorCoverage, Dossier, RosterEntry, Technician, TechnicianPosition

# Phases in which a dossier is on a technician's plate: his load.
ASSIGNED_PHASES = (Phase.DOORGEZET, Phase.AFSPRAAK, Phase.IN_UITVOERING)
DEFAULT_LABOUR_MINUTES = 60


def rules() -> DispatchRules:
    travel = TravelModel(road_factor=settings.ROAD_FACTOR, speed_kmh=settings.TRAVEL_SPEED_KMH)
    return DispatchRules(
        travel=travel, position_max_age=timedelta(minutes=settings.POSITION_MAX_AGE_MINUTES)
    )


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
    `now + horizon` (absent days taken out), last position and number of open jobs. Five
    queries whatever their number."""
    crew = await _crew(now, trade=trade, ids=ids, horizon=horizon)
    if not crew.technicians:
        return []
    positions = {
        p.technician_id: p  # type: ignore[attr-defined]
        for p in await TechnicianPosition.filter(technician_id__in=crew.ids)
    }
    loads = await open_jobs(crew.ids)
    return [
        Candidate(
            id=t.id,
            name=t.name,
            trades=frozenset(t.trades or []),
            contractor_id=t.contractor_id,  # type: ignore[attr-defined]
            shifts=crew.actual(t),
            home=_home(t),
            position=_position(positions.get(t.id)),
            position_consent=t.position_consent,
            open_jobs=loads.get(t.id, 0),
        )
        for t in crew.technicians
    ]


async def rota(now: datetime, *, trade: str | None = None, horizon: timedelta) -> list[RotaMember]:
    """Every active technician's shifts as rostered and after his absences, for finding the
    holes absences leave (server.domain.absences.rota_holes)."""
    crew = await _crew(now, trade=trade, horizon=horizon)
    return [
        RotaMember(t.name, frozenset(t.trades or []), crew.planned(t), crew.actual(t))
        for t in crew.technicians
    ]


@dataclass
class _Crew:
    technicians: list[Technician]
    roster: dict[int, list[tuple[int, int, int]]]
    absences: dict[int, list[Absence]]
    start: datetime
    end: datetime
    # Most technicians share a handful of weekly patterns: each is expanded once.
    expanded: dict[tuple[object, ...], tuple[Shift, ...]] = field(default_factory=dict)

    @property
    def ids(self) -> list[int]:
        return [t.id for t in self.technicians]

    def planned(self, t: Technician) -> tuple[Shift, ...]:
        entries = tuple(sorted(self.roster.get(t.id, [])))
        key = (entries, t.on_call_evenings, t.on_call_weekends, t.on_call_holidays)
        if key not in self.expanded:
            self.expanded[key] = tuple(shifts_of(t, entries, self.start, self.end))
        return self.expanded[key]

    def actual(self, t: Technician) -> tuple[Shift, ...]:
        shifts = self.planned(t)
        away = self.absences.get(t.id)
        return tuple(without_absences(shifts, away)) if away else shifts


async def _crew(
    now: datetime,
    *,
    trade: str | None = None,
    ids: Iterable[int] | None = None,
    horizon: timedelta,
) -> _Crew:
    qs = Technician.filter(active=True)
    if ids is not None:
        qs = qs.filter(id__in=list(ids))
    technicians = [t for t in await qs if trade is None or trade in (t.trades or [])]
    start, end = now - timedelta(days=1), now + horizon
    crew = _Crew(technicians, defaultdict(list), defaultdict(list), start, end)
    if not technicians:
        return crew
    rows = await RosterEntry.filter(technician_id__in=crew.ids).values_list(
        "technician_id", "weekday", "start_minute", "end_minute"
    )
    for technician_id, weekday, first, last in rows:
        crew.roster[technician_id].append((weekday, first, last))
    away = await AbsenceRow.filter(
        technician_id__in=crew.ids,
        starts_on__lte=(end.astimezone(ZONE) + timedelta(days=1)).date(),
        ends_on__gte=(start.astimezone(ZONE) - timedelta(days=1)).date(),
    ).values_list("technician_id", "starts_on", "ends_on", "kind")
    for technician_id, starts_on, ends_on, kind in away:
        crew.absences[technician_id].append(Absence(starts_on, ends_on, kind))
    return crew


async def open_jobs(technician_ids: list[int] | None) -> dict[int, int]:
    """Open jobs by technician, of these or (None) of everyone."""
    qs = Dossier.filter(phase__in=list(ASSIGNED_PHASES))
    if technician_ids is None:
        qs = qs.filter(technician_id__isnull=False)
    else:
        qs = qs.filter(technician_id__in=technician_ids)
    rows = await qs.annotate(n=Count("id")).group_by("technician_id").values("technician_id", "n")
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
