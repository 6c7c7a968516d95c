"""Who to send: the suitable technicians for a job, ranked by arrival, load and deadline.

Plain data in, plain data out. The server maps its models onto `Candidate`, `Job` and
`CoverageRule`, and shows each `Suggestion` with its Dutch `reasons`. Every time is compared in
UTC (aware datetimes that share a tzinfo compare by wall clock, wrong across a DST change) and
shown in Europe/Amsterdam. Nothing reads the clock: `now` is an argument, so ranking is
deterministic. When a technician is on duty comes from server.domain.duty.
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from geo.distance import EARTH_RADIUS_KM, ESTIMATE, ROUTING, Travel, TravelModel
from geo.index import SPHERE_MARGIN, PointIndex, unit_vectors
from geo.point import Point
from server.domain import dutch
from server.domain.codes import TRADE_LABELS, Urgency
from server.domain.deadlines import by_arrival, duration
from server.domain.duty import Shift, duty_windows, on_call_at

ZONE = ZoneInfo("Europe/Amsterdam")
# Positions a kept index takes in place (CandidateIndex.move) before it is built again.
MOVES_KEPT = 500


# --- who and what ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """The last position the technician's app reported."""

    point: Point
    at: datetime


@dataclass(frozen=True)
class Candidate:
    """A technician as dispatch sees him. `position` is used only with `position_consent`,
    while he is on duty and when it is recent; otherwise his `home` base counts."""

    id: int
    name: str
    trades: frozenset[str]
    contractor_id: int | None = None
    shifts: tuple[Shift, ...] = ()
    home: Point | None = None
    position: Position | None = None
    position_consent: bool = False
    open_jobs: int = 0


@dataclass(frozen=True)
class Job:
    """What needs doing where. `deadline` is when the work must be done (triage's deadline);
    an acuut job without one gets `DispatchRules.acute_window`."""

    trade: str
    urgency: str
    location: Point
    labour_minutes: int = 60
    deadline: datetime | None = None
    client_id: int | None = None
    postcode: str = ""


@dataclass(frozen=True)
class CoverageRule:
    """A contractor covers a client's addresses in PC4 range [postcode_from, postcode_to] for
    one trade, or every trade when `trade` is None."""

    contractor_id: int
    client_id: int
    postcode_from: int
    postcode_to: int
    trade: str | None = None


class Coverage:
    def __init__(self, rules: Iterable[CoverageRule]) -> None:
        self.rules = tuple(rules)
        # Each query concerns one client: only its rules are looked at.
        self._by_client: dict[int | None, list[CoverageRule]] = {}
        for rule in self.rules:
            self._by_client.setdefault(rule.client_id, []).append(rule)

    def contractors(self, client_id: int | None, trade: str, postcode: str) -> frozenset[int]:
        """The contractors covering this client's address for this trade."""
        pc4 = _pc4(postcode)
        if pc4 is None:
            return frozenset()
        return frozenset(
            rule.contractor_id
            for rule in self._by_client.get(client_id, ())
            if rule.trade in (None, trade) and rule.postcode_from <= pc4 <= rule.postcode_to
        )


def _pc4(postcode: str) -> int | None:
    digits = postcode.strip()[:4]
    return int(digits) if len(digits) == 4 and digits.isdigit() else None


@dataclass(frozen=True)
class DispatchRules:
    """The knobs of ranking; defaults suit a Dutch meldkamer, the server may make them settings.

    `load_minutes`: each open job counts as this much later arrival when ranking.
    `acute_window`: the deadline of an acuut job that has none.
    `horizon`: how far ahead to look for a shift when the job has no deadline.
    """

    travel: TravelModel = TravelModel()
    load_minutes: float = 30.0
    position_max_age: timedelta = timedelta(minutes=30)
    acute_window: timedelta = timedelta(hours=4)
    horizon: timedelta = timedelta(days=7)
    on_call_urgencies: frozenset[str] = frozenset({Urgency.ACUUT})


DEFAULT_RULES = DispatchRules()


@dataclass(frozen=True)
class Suggestion:
    technician_id: int
    name: str
    contractor_id: int | None
    origin: str  # "positie" or "thuisbasis"
    position_at: datetime | None  # when the position he sets off from was reported
    distance_km: float
    travel_minutes: int
    available_from: datetime
    arrival: datetime
    finish: datetime
    on_duty_until: datetime
    on_call: bool
    open_jobs: int
    deadline: datetime | None
    makes_deadline: bool
    score: float
    reasons: tuple[str, ...]
    origin_point: Point | None = None
    # How the travel time was found: ESTIMATE (from distance) or ROUTING (the engine's road
    # trip); `routing_failed` when an engine was asked but gave no answer in time.
    travel_source: str = ESTIMATE
    routing_failed: bool = False


# --- ranking ---------------------------------------------------------------------------------


def effective_deadline(job: Job, now: datetime, rules: DispatchRules) -> datetime | None:
    if job.deadline is not None:
        return job.deadline.astimezone(UTC)
    if job.urgency == Urgency.ACUUT:
        return now.astimezone(UTC) + rules.acute_window
    return None


def _deadline_moment(job: Job, arrival: datetime, finish: datetime) -> datetime:
    return arrival if by_arrival(job.urgency) else finish


def origin_of(
    candidate: Candidate, on_duty_now: bool, now: datetime, rules: DispatchRules
) -> tuple[Point, str] | None:
    """Where he sets off from: his recent position (with consent, on duty now), else home."""
    position = candidate.position
    if (
        on_duty_now
        and candidate.position_consent
        and position is not None
        and timedelta(0) <= now - position.at <= rules.position_max_age
    ):
        return position.point, "positie"
    if candidate.home is not None:
        return candidate.home, "thuisbasis"
    return None


def evaluate(
    job: Job,
    candidate: Candidate,
    now: datetime,
    *,
    rules: DispatchRules = DEFAULT_RULES,
    covering: frozenset[int] | None = None,
) -> Suggestion | None:
    """The suggestion for one technician with its reasons, or None when he is not suitable
    (see `_assess`)."""
    suggestion = _assess(job, candidate, now, rules, covering)
    return None if suggestion is None else _shown(suggestion, candidate, job, now)


def _assess(
    job: Job,
    candidate: Candidate,
    now: datetime,
    rules: DispatchRules,
    covering: frozenset[int] | None,
    routes: Mapping[Point, Travel] | None = None,
    windows: Callable[[Candidate], list[Shift]] | None = None,
) -> Suggestion | None:
    """The suggestion for one technician, or None when he is not suitable: wrong trade, his
    contractor does not cover the address (`covering`: None means no coverage rules apply;
    technicians without a contractor are the meldkamer's own and go everywhere), no shift
    before the deadline, or no known location. `routes` holds road trips to the job by
    origin; an origin without one travels by the estimate. `windows`: his duty windows for
    this job's urgency, when the caller keeps them (CandidateIndex).

    Its times are in UTC and `on_call` is the window's: `_shown` makes them what the desk
    reads, for the few suggestions shown, not for every technician ranked."""
    if job.trade not in candidate.trades:
        return None
    contractor = candidate.contractor_id
    if covering is not None and contractor is not None and contractor not in covering:
        return None
    now = now.astimezone(UTC)
    deadline = effective_deadline(job, now, rules)
    horizon_end = deadline if deadline is not None else now + rules.horizon
    usable = (
        windows(candidate)
        if windows is not None
        else duty_windows(candidate.shifts, job.urgency, rules)
    )
    for window in usable:
        if window.end <= now:
            continue
        if window.start >= horizon_end:
            break
        available = max(now, window.start)
        origin = origin_of(candidate, available == now, now, rules)
        if origin is None:
            return None
        trip = rules.travel.estimate(origin[0], job.location)
        straight_km = trip.distance_km / rules.travel.road_factor
        routed = routes.get(origin[0]) if routes else None
        if routed is not None:
            trip = routed
        # Whole minutes: an estimate has no seconds, and shown times should add up.
        travel_minutes = math.ceil(trip.minutes)
        arrival = available + timedelta(minutes=travel_minutes)
        if arrival >= window.end:
            continue  # his shift is over before he gets there; try his next one
        finish = arrival + timedelta(minutes=job.labour_minutes)
        # Acuut means on site in time (the client's norm); other deadlines mean done.
        makes_deadline = deadline is None or _deadline_moment(job, arrival, finish) <= deadline
        score = (arrival - now).total_seconds() / 60.0 + candidate.open_jobs * rules.load_minutes
        suggestion = Suggestion(
            technician_id=candidate.id,
            name=candidate.name,
            contractor_id=candidate.contractor_id,
            origin=origin[1],
            position_at=_origin_time(candidate, origin[1]),
            distance_km=straight_km,
            travel_minutes=travel_minutes,
            available_from=available,
            arrival=arrival,
            finish=finish,
            on_duty_until=window.end,
            on_call=window.on_call,
            open_jobs=candidate.open_jobs,
            deadline=deadline,
            makes_deadline=makes_deadline,
            score=score,
            reasons=(),
            origin_point=origin[0],
            travel_source=trip.source,
        )
        return suggestion
    return None


def _shown(s: Suggestion, candidate: Candidate, job: Job, now: datetime) -> Suggestion:
    """A suggestion as shown: its times in Amsterdam, whether he is on call then, the reasons."""
    window = Shift(s.available_from, s.on_duty_until, s.on_call)
    local = replace(
        s,
        available_from=s.available_from.astimezone(ZONE),
        arrival=s.arrival.astimezone(ZONE),
        finish=s.finish.astimezone(ZONE),
        on_duty_until=s.on_duty_until.astimezone(ZONE),
        on_call=on_call_at(candidate.shifts, s.available_from, window),
        deadline=s.deadline.astimezone(ZONE) if s.deadline is not None else None,
    )
    return _with_reasons(local, job, now)


def _origin_time(candidate: Candidate, origin: str) -> datetime | None:
    return candidate.position.at if origin == "positie" and candidate.position else None


def rank(
    job: Job,
    candidates: Iterable[Candidate],
    now: datetime,
    *,
    rules: DispatchRules = DEFAULT_RULES,
    coverage: Coverage | None = None,
    limit: int | None = 10,
) -> list[Suggestion]:
    """Suitable technicians, best first: those who make the deadline, then by arrival plus
    load (`score`), then distance, then id so equal cases keep a stable order."""
    return _ranked(job, candidates, now, rules, _covering(job, coverage), limit)


def _ranked(
    job: Job,
    candidates: Iterable[Candidate],
    now: datetime,
    rules: DispatchRules,
    covering: frozenset[int] | None,
    limit: int | None,
    windows: Callable[[Candidate], list[Shift]] | None = None,
) -> list[Suggestion]:
    found = [
        (suggestion, candidate)
        for candidate in candidates
        if (suggestion := _assess(job, candidate, now, rules, covering, None, windows)) is not None
    ]
    found.sort(key=_first)
    # Shown as the desk reads them, with reasons, only what is shown: wording them is a third
    # of the cost of a suggestion.
    return [_shown(s, c, job, now) for s, c in (found if limit is None else found[:limit])]


def _first(pair: tuple[Suggestion, Candidate]) -> tuple[bool, float, float, int]:
    return _order(pair[0])


def auto_assign_choice(suggestions: Sequence[Suggestion]) -> Suggestion | None:
    """For clients that auto-assign acuut reports: the best suggestion if it makes the
    deadline, else None (then a person decides)."""
    best = suggestions[0] if suggestions else None
    return best if best is not None and best.makes_deadline else None


def refine(
    job: Job,
    candidates: Iterable[Candidate],
    now: datetime,
    routes: Mapping[Point, Travel],
    *,
    rules: DispatchRules = DEFAULT_RULES,
    routing_failed: bool = False,
    limit: int | None = 10,
) -> list[Suggestion]:
    """Rank `candidates` (the best few of a fast ranking) again with road trips from a routing
    engine (`routes`, by origin). Suitability is not rechecked for coverage: they came from a
    ranking that did. `routing_failed`: the engine was asked and did not answer, so the
    reasons say the estimate stands in for it."""
    found = [
        (replace(s, routing_failed=routing_failed and s.travel_source == ESTIMATE), candidate)
        for candidate in candidates
        if (s := _assess(job, candidate, now, rules, None, routes)) is not None
    ]
    found.sort(key=_first)
    return [_shown(s, c, job, now) for s, c in (found if limit is None else found[:limit])]


class CandidateIndex:
    """A spatial prefilter for ranking many technicians: one index per trade, each technician
    in it at his home base and, when usable now, at his last position; `near` returns those of
    a trade within a radius of either point. Rebuild it when positions change (10,000
    technicians take about 10 ms).

    With `now` None it serves any moment (an index kept across requests): every consented
    position is indexed whatever its age. A position too old or too new to use then is one
    more point to look from, never a missing one, so the search stays exact."""

    def __init__(
        self,
        candidates: Iterable[Candidate],
        now: datetime | None,
        rules: DispatchRules = DEFAULT_RULES,
    ) -> None:
        self.candidates = list(candidates)
        self.now = now.astimezone(UTC) if now is not None else None
        by_trade: dict[str, list[tuple[int, Point]]] = {}
        self._crews: dict[tuple[str, int | None], list[int]] = {}
        # Every indexed point as a unit vector, and whose it is: for the least travel time
        # from any of a crew's points (`bounds`).
        owners: list[int] = []
        places: list[Point] = []
        for number, candidate in enumerate(self.candidates):
            for trade in candidate.trades:
                self._crews.setdefault((trade, candidate.contractor_id), []).append(number)
            points = [candidate.home] if candidate.home is not None else []
            position = candidate.position
            if (
                candidate.position_consent
                and position is not None
                and (now is None or timedelta(0) <= now - position.at <= rules.position_max_age)
            ):
                points.append(position.point)
            for trade in candidate.trades:
                by_trade.setdefault(trade, []).extend((number, point) for point in points)
            owners.extend(number for _ in points)
            places.extend(points)
        self._indexes = {trade: PointIndex(items) for trade, items in by_trade.items()}
        self._xyz = unit_vectors([p.lat for p in places], [p.lon for p in places])
        rows: dict[int, list[int]] = {}
        for row, number in enumerate(owners):
            rows.setdefault(number, []).append(row)
        self._rows = rows
        self.rules = rules
        # Points added by `move`, by trade, beside the trees built here.
        self._moved: dict[str, list[tuple[int, Point]]] = {}
        self._moved_indexes: dict[str, PointIndex[int]] = {}
        self._added = 0
        # Duty windows by shift list and whether on-call shifts count, worked out the first
        # time a query needs them (most of the time of ranking went there). Keyed by
        # identity: the index holds every candidate and so every shift, so no id is reused
        # meanwhile; technicians on the same roster (the same shifts) share its windows.
        self._windows: dict[tuple[int, bool], list[Shift]] = {}
        self._rosters: dict[tuple[tuple[int, ...], bool], list[Shift]] = {}

    def serves(self, now: datetime, rules: DispatchRules) -> bool:
        """Whether ranking at `now` with `rules` can use its points and kept duty windows."""
        return rules == self.rules and (self.now is None or now.astimezone(UTC) == self.now)

    def with_loads(self, candidates: Sequence[Candidate]) -> CandidateIndex:
        """The same index over the same technicians in the same order, where only their open
        jobs differ: nothing spatial is rebuilt and the duty windows are shared."""
        assert [c.id for c in candidates] == [c.id for c in self.candidates]
        other = copy.copy(self)
        other.candidates = list(candidates)
        other._rows, other._moved = dict(self._rows), dict(self._moved)
        other._moved_indexes = dict(self._moved_indexes)
        return other

    def move(self, number: int, candidate: Candidate) -> bool:
        """Put `candidate`, the technician at `number` with a new position (or none), in place
        without rebuilding, in an index for any moment: his new point is added beside his
        old ones, which stay as points to look from (a superset, so the search stays exact).
        False once MOVES_KEPT points were added so: then a new index pays."""
        assert self.now is None and self.candidates[number].id == candidate.id
        self.candidates[number] = candidate
        position = candidate.position
        if candidate.position_consent and position is not None:
            point = position.point
            self._xyz = np.vstack([self._xyz, unit_vectors([point.lat], [point.lon])])
            self._rows[number] = [*self._rows.get(number, ()), len(self._xyz) - 1]
            for trade in candidate.trades:
                self._moved[trade] = [*self._moved.get(trade, ()), (number, point)]
                self._moved_indexes[trade] = PointIndex(self._moved[trade])
            self._added += 1
        return self._added < MOVES_KEPT

    def keep_windows(self, earlier: CandidateIndex) -> None:
        """Take over the duty windows `earlier` worked out: its technicians share their shift
        lists with this one's (a new index for moved positions)."""
        self._windows, self._rosters = earlier._windows, earlier._rosters

    def windows(self, urgency: str) -> Callable[[Candidate], list[Shift]]:
        """His duty windows for jobs of `urgency` (duty.duty_windows), kept."""
        on_call = urgency in self.rules.on_call_urgencies
        cache, rosters = self._windows, self._rosters

        def of(candidate: Candidate) -> list[Shift]:
            key = (id(candidate.shifts), on_call)
            found = cache.get(key)
            if found is None:
                roster = (tuple(map(id, candidate.shifts)), on_call)
                found = rosters.get(roster)
                if found is None:
                    found = rosters[roster] = duty_windows(candidate.shifts, urgency, self.rules)
                cache[key] = found
            return found

        return of

    def near(self, trade: str, point: Point, radius_km: float) -> dict[int, Candidate]:
        """Technicians of `trade` near `point`, by their position in `candidates`."""
        return {
            neighbour.key: self.candidates[neighbour.key]
            for index in (self._indexes.get(trade), self._moved_indexes.get(trade))
            if index is not None
            for neighbour in index.within(point, radius_km, exact=False)
        }

    def crews(self, trade: str, contractors: Iterable[int | None]) -> list[Candidate]:
        """Technicians of `trade` working for any of `contractors` (None: the meldkamer's own)."""
        return [self.candidates[number] for number in self.crew_numbers(trade, contractors)]

    def crew_numbers(self, trade: str, contractors: Iterable[int | None]) -> list[int]:
        return [
            number
            for contractor in contractors
            for number in self._crews.get((trade, contractor), ())
        ]

    def bounds(
        self, numbers: Sequence[int], point: Point, rules: DispatchRules
    ) -> npt.NDArray[np.float64]:
        """For each of these technicians the least score he can have for a job at `point`:
        the estimated travel from the nearest of his indexed points (home, usable position),
        a hair under it for rounding, plus his load. Infinite for one with no point: he has
        no origin, so he is not suitable."""
        rows = [row for number in numbers for row in self._rows.get(number, ())]
        group = [i for i, number in enumerate(numbers) for _ in self._rows.get(number, ())]
        least = np.full(len(numbers), np.inf)
        if rows:
            centre = unit_vectors([point.lat], [point.lon])[0]
            chords = np.linalg.norm(self._xyz[rows] - centre, axis=1)
            km = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(chords / 2.0, 0.0, 1.0))
            if rules.travel.method != "great_circle":
                km = km / SPHERE_MARGIN  # the geodesic is at most this much shorter
            minutes = km * rules.travel.road_factor / rules.travel.speed_kmh * 60.0
            np.minimum.at(least, np.asarray(group, dtype=np.intp), minutes * (1 - 1e-9) - 1e-6)
        loads = np.fromiter(
            (self.candidates[n].open_jobs for n in numbers), dtype=np.float64, count=len(numbers)
        )
        result: npt.NDArray[np.float64] = least + loads * rules.load_minutes
        return result


def _order(s: Suggestion) -> tuple[bool, float, float, int]:
    return (not s.makes_deadline, s.score, s.distance_km, s.technician_id)


def rank_nearby(
    job: Job,
    index: CandidateIndex,
    now: datetime,
    *,
    rules: DispatchRules = DEFAULT_RULES,
    coverage: Coverage | None = None,
    limit: int = 10,
    radius_km: float = 25.0,
    max_radius_km: float = 400.0,
    small_pool: int = 200,
) -> list[Suggestion]:
    """The same result as `rank` over all of the index's technicians, looking only as far as
    needed: the radius doubles until the best `limit` found all make the deadline and none
    scores worse than the travel time from the radius's edge, which is the least any
    technician farther away can score (his origin is one of his indexed points). Each
    technician is evaluated once. The `max_radius_km` default spans the Netherlands.

    With coverage rules only the contractors covering the address and the meldkamer's own can
    go: those are ranked nearest first (`_nearest_first`), without the radius search. For an
    index built at another moment or with other rules (their positions may not be usable now),
    a pool of `small_pool` or fewer is ranked directly."""
    covering = _covering(job, coverage)
    same = index.serves(now, rules)
    windows = index.windows(job.urgency) if same else None
    if covering is not None:
        numbers = index.crew_numbers(job.trade, [*sorted(covering), None])
        if same:
            return _nearest_first(job, index, numbers, now, rules, limit, windows)
        if len(numbers) <= small_pool:
            pool = [index.candidates[n] for n in numbers]
            return _ranked(job, pool, now, rules, None, limit, windows)
    evaluated: set[int] = set()
    found: list[tuple[Suggestion, Candidate]] = []
    radius = radius_km
    while True:
        for number, candidate in index.near(job.trade, job.location, radius).items():
            if number in evaluated:
                continue
            evaluated.add(number)
            suggestion = _assess(job, candidate, now, rules, covering, None, windows)
            if suggestion is not None:
                found.append((suggestion, candidate))
        found.sort(key=_first)
        best = [s for s, _ in found[:limit]]
        # The index measures on the sphere; a geodesic travel model can be up to 1 % shorter.
        edge_km = radius if rules.travel.method == "great_circle" else radius / SPHERE_MARGIN
        edge_minutes = rules.travel.estimate_km(edge_km).minutes
        settled = len(best) >= limit and all(
            s.makes_deadline and s.score <= edge_minutes for s in best
        )
        if settled or radius >= max_radius_km:
            return [_shown(s, c, job, now) for s, c in found[:limit]]
        radius = min(radius * 2, max_radius_km)


def _nearest_first(
    job: Job,
    index: CandidateIndex,
    numbers: list[int],
    now: datetime,
    rules: DispatchRules,
    limit: int,
    windows: Callable[[Candidate], list[Shift]] | None,
    step: int = 12,
) -> list[Suggestion]:
    """`rank` over these technicians of the index, evaluating them by their least possible
    score (`CandidateIndex.bounds`), lowest first, and stopping once the best `limit` all make
    the deadline and score below anyone not yet evaluated: no one left can come before them.
    The same answer as ranking them all, usually from a few dozen of two hundred."""
    bounds = index.bounds(numbers, job.location, rules)
    order = np.argsort(bounds, kind="stable").tolist()
    found: list[tuple[Suggestion, Candidate]] = []
    for start in range(0, len(order), step):
        for k in order[start : start + step]:
            candidate = index.candidates[numbers[k]]
            suggestion = _assess(job, candidate, now, rules, None, None, windows)
            if suggestion is not None:
                found.append((suggestion, candidate))
        found.sort(key=_first)
        best = [s for s, _ in found[:limit]]
        rest = order[start + step : start + step + 1]
        if not rest:
            break
        if (
            len(best) >= limit
            and all(s.makes_deadline for s in best)
            and best[-1].score < bounds[rest[0]]
        ):
            break
    return [_shown(s, c, job, now) for s, c in found[:limit]]


def _covering(job: Job, coverage: Coverage | None) -> frozenset[int] | None:
    if coverage is None:
        return None
    return coverage.contractors(job.client_id, job.trade, job.postcode)


# --- reasons, in Dutch -----------------------------------------------------------------------


def when_text(at: datetime, now: datetime) -> str:
    """A moment as the desk reads it: "10:10" today, else "wo 25 nov 10:00"."""
    return _moment_text(at, now.astimezone(ZONE).date())


# Kept: wording the shown suggestions with Babel was most of a suggestion's CPU once the
# index is kept, and shift ends, deadlines and distances recur from one to the next.
@functools.lru_cache(maxsize=4096)
def _moment_text(at: datetime, today: date) -> str:
    return dutch.short_moment(at, today)


@functools.lru_cache(maxsize=4096)
def _km(value: float) -> str:
    return dutch.number(value, 1, fixed=True)


def _with_reasons(s: Suggestion, job: Job, now: datetime) -> Suggestion:
    duty = "piketdienst" if s.on_call else "in dienst"
    if s.available_from <= now:
        shift = f"{duty} tot {when_text(s.on_duty_until, now)}"
    else:
        shift = (
            f"{duty} vanaf {when_text(s.available_from, now)} tot {when_text(s.on_duty_until, now)}"
        )
    origin = (
        "thuisbasis"
        if s.position_at is None
        else f"laatste positie ({when_text(s.position_at, now)})"
    )
    if s.deadline is None:
        deadline = "geen termijn"
    else:
        verdict = "haalt de termijn" if s.makes_deadline else "haalt de termijn niet"
        measured = "ter plaatse" if by_arrival(job.urgency) else "klaar"
        moment = _deadline_moment(job, s.arrival, s.finish)
        deadline = (
            f"{verdict}: {measured} ca. {when_text(moment, now)}, "
            f"uiterlijk {when_text(s.deadline, now)}"
        )
    reasons = (
        f"vakdiscipline: {TRADE_LABELS.get(job.trade, job.trade)}",
        shift,
        f"afstand: {_km(s.distance_km)} km vanaf {origin}",
        f"aanrijtijd: ca. {s.travel_minutes} min ({_basis(s)}), "
        f"aankomst {when_text(s.arrival, now)}",
        f"open opdrachten: {s.open_jobs}",
        deadline,
    )
    return replace(s, reasons=reasons)


def order_reasons(
    items: Sequence[Suggestion], now: datetime, rules: DispatchRules = DEFAULT_RULES
) -> list[str]:
    """Why each suggestion stands where it does (`_order`): making the deadline first, then the
    minutes until he is there plus his load, then distance. Where one stands below a farther
    one, it says what outweighs the distance, so 8,8 km above 2,4 km reads as a reason."""
    reasons = []
    for i, s in enumerate(items):
        tally = _tally(s, now, rules)
        if i == 0:
            first = "haalt de termijn" if s.makes_deadline else "niemand haalt de termijn"
            reasons.append(f"Eerste keus: {first}; {tally}.")
            continue
        above = items[i - 1]
        if above.makes_deadline and not s.makes_deadline:
            reasons.append(f"Onder {above.name}: haalt de termijn niet; {tally}.")
        elif round(s.score) > round(above.score):
            nearer = (
                f"dichterbij ({_km(s.distance_km)} tegen {_km(above.distance_km)} km), maar "
                if s.distance_km < above.distance_km
                else ""
            )
            reasons.append(
                f"Onder {above.name}: {nearer}{_outweighs(s, above, now, rules)}; {tally} "
                f"(tegen {duration(round(above.score))})."
            )
        else:
            reasons.append(f"Onder {above.name}: even vroeg, maar verder weg; {tally}.")
    return reasons


def _tally(s: Suggestion, now: datetime, rules: DispatchRules) -> str:
    """ "ter plaatse over 18 min, plus 1 open opdracht × 30 min: telt 48 min" (the score)."""
    arrive = round((s.arrival - now).total_seconds() / 60)
    text = f"ter plaatse over {duration(arrive)}"
    if s.open_jobs:
        jobs = "open opdracht" if s.open_jobs == 1 else "open opdrachten"
        text += f", plus {s.open_jobs} {jobs} × {round(rules.load_minutes)} min"
        text += f": telt {duration(round(s.score))}"
    return text


def _outweighs(s: Suggestion, above: Suggestion, now: datetime, rules: DispatchRules) -> str:
    """The biggest of the differences that put `s` below `above`: later on duty, more work,
    a longer drive."""
    waits = [max(0.0, (x.available_from - now).total_seconds() / 60) for x in (s, above)]
    gaps = {
        "wait": waits[0] - waits[1],
        "load": (s.open_jobs - above.open_jobs) * rules.load_minutes,
        "travel": float(s.travel_minutes - above.travel_minutes),
    }
    biggest = max(gaps, key=lambda k: gaps[k])
    if biggest == "wait":
        return f"pas in dienst vanaf {when_text(s.available_from, now)}"
    if biggest == "load":
        more = s.open_jobs - above.open_jobs
        return f"{more} open opdracht{'' if more == 1 else 'en'} meer"
    return f"langer onderweg ({s.travel_minutes} tegen {above.travel_minutes} min)"


def _basis(s: Suggestion) -> str:
    if s.travel_source == ROUTING:
        return "route"
    return "geschat, routeplanner gaf geen antwoord" if s.routing_failed else "geschat"
