"""Ranking technicians with fixed clocks: trade, shift, deadline, distance, load, coverage."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from geo.distance import TravelModel
from geo.point import Point
from server.domain.dispatch import (
    DEFAULT_RULES,
    Candidate,
    CandidateIndex,
    Coverage,
    CoverageRule,
    DispatchRules,
    Job,
    Position,
    Shift,
    Suggestion,
    auto_assign_choice,
    evaluate,
    order_reasons,
    rank,
    rank_nearby,
)

AMS = ZoneInfo("Europe/Amsterdam")
# Tuesday 24 November 2026, 10:00 in Amsterdam (09:00 UTC); no public holiday.
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=AMS)
UTRECHT = Point(52.0907, 5.1214)
LOO = frozenset({"LOO"})


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=AMS)


def day_shift(day: int = 24) -> Shift:
    return Shift(at(day, 8), at(day, 17))


def north_of(point: Point, km: float) -> Point:
    return Point(point.lat + km / 111.2, point.lon)


def tech(
    id: int,
    km: float,
    *,
    trades: frozenset[str] = LOO,
    shifts: tuple[Shift, ...] = (),
    **kw: object,
) -> Candidate:
    return Candidate(
        id=id,
        name=f"Monteur {id}",
        trades=trades,
        shifts=shifts or (day_shift(), day_shift(25)),
        home=north_of(UTRECHT, km),
        **kw,  # type: ignore[arg-type]
    )


URGENT = Job(
    trade="LOO", urgency="urgent", location=UTRECHT, labour_minutes=60, deadline=at(25, 10)
)
ACUUT = Job(trade="LOO", urgency="acuut", location=UTRECHT, labour_minutes=60)

NEAR = tech(1, 5)
FAR = tech(2, 30)
ELECTRICIAN = tech(3, 1, trades=frozenset({"ELE"}))
TOMORROW = tech(4, 2, shifts=(day_shift(25),))
BUSY = tech(5, 2, open_jobs=3)
ON_CALL = tech(6, 3, shifts=(Shift(at(24, 0), at(25, 8), on_call=True),))
GONE = tech(7, 1, shifts=(Shift(at(24, 6), at(24, 9)), day_shift(26)))
VERY_FAR = tech(8, 150)
EVERYONE = [NEAR, FAR, ELECTRICIAN, TOMORROW, BUSY, ON_CALL, GONE, VERY_FAR]


def ids(suggestions: list[Suggestion]) -> list[int]:
    return [s.technician_id for s in suggestions]


def test_urgent_job_ranks_by_arrival_and_load_among_the_suitable() -> None:
    ranked = rank(URGENT, EVERYONE, NOW)
    # Electrician: wrong trade. On-call: only for acuut. Gone: next shift after the deadline.
    # Busy (2 km, 3 open jobs) counts 90 minutes of load and falls behind far (30 km, 58 min).
    assert ids(ranked) == [1, 2, 5, 8, 4]
    assert all(s.makes_deadline for s in ranked)
    assert [s.score for s in ranked][:3] == [10, 59, 94]


def test_reasons_in_dutch() -> None:
    best = rank(URGENT, EVERYONE, NOW)[0]
    assert best.reasons == (
        "vakdiscipline: Loodgieter",
        "in dienst tot 17:00",
        "afstand: 5,0 km vanaf thuisbasis",
        "aanrijtijd: ca. 10 min (geschat), aankomst 10:10",
        "open opdrachten: 0",
        "haalt de termijn: klaar ca. 11:10, uiterlijk wo 25 nov 10:00",
    )
    assert (best.arrival, best.finish) == (at(24, 10, 10), at(24, 11, 10))
    assert best.arrival.tzinfo == AMS and best.origin == "thuisbasis"


def test_technician_on_duty_later_is_suggested_from_his_shift_start() -> None:
    later = evaluate(URGENT, TOMORROW, NOW)
    assert later is not None
    assert later.available_from == at(25, 8)
    assert later.reasons[1] == "in dienst vanaf wo 25 nov 08:00 tot wo 25 nov 17:00"
    assert later.makes_deadline


def test_acuut_uses_on_call_and_ranks_missed_deadlines_last() -> None:
    ranked = rank(ACUUT, EVERYONE, NOW)
    # Acuut without a deadline must be on site within four hours (14:00): 150 km (4.9 h) misses
    # it; tomorrow's shift starts after it. The on-call technician is called out.
    assert ids(ranked) == [6, 1, 2, 5, 8]
    on_call = next(s for s in ranked if s.technician_id == 6)
    assert on_call.on_call and on_call.reasons[1] == "piketdienst tot wo 25 nov 08:00"
    assert ranked[-1].technician_id == 8 and not ranked[-1].makes_deadline
    assert ranked[-1].reasons[-1] == "haalt de termijn niet: ter plaatse ca. 14:53, uiterlijk 14:00"
    assert 4 not in ids(ranked)


def test_deadline_decides_before_arrival() -> None:
    tight = replace(URGENT, deadline=at(24, 11, 30))
    # Far scores better than busy (59 against 94) but finishes at 11:59; busy at 11:04.
    ranked = rank(tight, [FAR, BUSY, NEAR, VERY_FAR], NOW)
    assert ids(ranked) == [1, 5, 2, 8]
    assert [s.makes_deadline for s in ranked] == [True, True, False, False]
    much_tighter = replace(URGENT, deadline=at(24, 10, 30))
    assert [s.makes_deadline for s in rank(much_tighter, [NEAR, FAR], NOW)] == [False, False]


def test_shift_ending_before_arrival_moves_to_the_next_shift() -> None:
    ends_soon = tech(9, 30, shifts=(Shift(at(24, 8), at(24, 10, 30)), day_shift(25)))
    suggestion = evaluate(URGENT, ends_soon, NOW)
    assert suggestion is not None and suggestion.available_from == at(25, 8)


def test_recent_consented_position_is_used_only_while_on_duty() -> None:
    position = Position(north_of(UTRECHT, 1), at(24, 9, 50))
    with_consent = tech(10, 40, position=position, position_consent=True)
    suggestion = evaluate(URGENT, with_consent, NOW)
    assert suggestion is not None and suggestion.origin == "positie"
    assert suggestion.reasons[2] == "afstand: 1,0 km vanaf laatste positie (09:50)"

    no_consent = evaluate(URGENT, replace(with_consent, position_consent=False), NOW)
    stale = evaluate(
        URGENT, replace(with_consent, position=Position(position.point, at(24, 8))), NOW
    )
    off_duty = evaluate(URGENT, replace(with_consent, shifts=(day_shift(25),)), NOW)
    for other in (no_consent, stale, off_duty):
        assert other is not None and other.origin == "thuisbasis"
        assert other.distance_km == pytest.approx(40, abs=0.2)


def test_technician_without_location_is_not_suggested() -> None:
    assert evaluate(URGENT, replace(NEAR, home=None), NOW) is None


def test_coverage_by_postcode_range_client_and_trade() -> None:
    coverage = Coverage(
        [
            CoverageRule(contractor_id=1, client_id=7, postcode_from=3500, postcode_to=3599),
            CoverageRule(contractor_id=2, client_id=7, postcode_from=1000, postcode_to=1099),
            CoverageRule(3, client_id=7, postcode_from=3500, postcode_to=3599, trade="ELE"),
            CoverageRule(4, client_id=8, postcode_from=3500, postcode_to=3599),
        ]
    )
    job = replace(URGENT, client_id=7, postcode="3511AB")
    assert coverage.contractors(7, "LOO", "3511AB") == {1}
    assert coverage.contractors(7, "ELE", "3511AB") == {1, 3}
    assert coverage.contractors(7, "LOO", "") == set()
    staff = [
        replace(NEAR, id=21, contractor_id=1),
        replace(NEAR, id=22, contractor_id=2),
        replace(NEAR, id=23, contractor_id=4),
        replace(NEAR, id=24, contractor_id=None),
    ]
    assert ids(rank(job, staff, NOW, coverage=coverage)) == [21, 24]
    assert ids(rank(job, staff, NOW)) == [21, 22, 23, 24]


def test_ranking_is_deterministic() -> None:
    twins = [replace(NEAR, id=n) for n in (31, 30, 32)]
    shuffled = EVERYONE + twins
    random.Random(4).shuffle(shuffled)
    assert rank(URGENT, shuffled, NOW) == rank(URGENT, EVERYONE + twins, NOW)
    assert ids(rank(URGENT, shuffled, NOW))[:4] == [1, 30, 31, 32]


def test_times_compare_in_utc_whatever_zone_they_come_in() -> None:
    in_utc = rank(URGENT, EVERYONE, NOW.astimezone(UTC))
    assert in_utc == rank(URGENT, EVERYONE, NOW)


def test_auto_assign_only_when_the_best_makes_the_deadline() -> None:
    ranked = rank(ACUUT, [NEAR, VERY_FAR], NOW)
    assert auto_assign_choice(ranked) == ranked[0]
    assert auto_assign_choice(rank(ACUUT, [VERY_FAR], NOW)) is None
    assert auto_assign_choice([]) is None


def test_rank_nearby_equals_rank_over_everyone() -> None:
    rng = random.Random(11)
    trades = ["LOO", "ELE", "CVI"]
    crowd = [
        Candidate(
            id=n,
            name=f"Monteur {n}",
            trades=frozenset(rng.sample(trades, 2)),
            shifts=(day_shift(),) if rng.random() < 0.7 else (day_shift(25),),
            home=Point(rng.uniform(51.5, 52.6), rng.uniform(4.2, 6.0)),
            open_jobs=rng.randrange(4),
            contractor_id=rng.choice((None, 1, 2, 3, 4)),
        )
        for n in range(600)
    ]
    index = CandidateIndex(crowd, NOW)
    coverage = Coverage(
        [CoverageRule(1, 7, 3000, 3999), CoverageRule(2, 7, 3500, 3599, trade="LOO")]
    )
    jobs = (URGENT, ACUUT, replace(URGENT, trade="CVI", location=Point(51.6, 5.9)))
    for job in (replace(j, client_id=7, postcode="3511AB") for j in jobs):
        for limit in (1, 5, 20):
            expected = rank(job, crowd, NOW, limit=limit)
            assert rank_nearby(job, index, NOW, limit=limit, radius_km=5) == expected
            geodesic = DispatchRules(travel=TravelModel(method="geodesic"))
            assert rank_nearby(job, index, NOW, rules=geodesic, limit=limit, radius_km=5) == rank(
                job, crowd, NOW, rules=geodesic, limit=limit
            )
            covered = rank(job, crowd, NOW, limit=limit, coverage=coverage)
            for pool in (0, 1000):  # through the index, and ranking the small pool directly
                assert (
                    rank_nearby(job, index, NOW, limit=limit, coverage=coverage, small_pool=pool)
                    == covered
                )


def test_the_order_says_why_a_farther_one_stands_above_a_nearer_one() -> None:
    """The board's complaint: 8,8 km above 2,4 km without a word. Now each place is explained."""
    far_and_free = tech(1, 8.8)
    near_and_busy = tech(2, 2.4, open_jobs=2)
    near_but_later = tech(3, 2.0, shifts=(Shift(at(24, 13), at(24, 17)),))
    ranked = rank(URGENT, [near_and_busy, far_and_free, near_but_later], NOW)
    assert ids(ranked) == [1, 2, 3]
    assert order_reasons(ranked, NOW) == [
        "Eerste keus: haalt de termijn; ter plaatse over 18 min.",
        "Onder Monteur 1: dichterbij (2,4 tegen 8,8 km), maar 2 open opdrachten meer; ter "
        "plaatse over 5 min, plus 2 open opdrachten × 30 min: telt 1 u 5 min (tegen 18 min).",
        "Onder Monteur 2: dichterbij (2,0 tegen 2,4 km), maar pas in dienst vanaf 13:00; ter "
        "plaatse over 3 u 4 min (tegen 1 u 5 min).",
    ]


def test_the_order_of_one_who_misses_the_deadline_and_of_a_tie() -> None:
    job = replace(URGENT, deadline=at(24, 11, 30))  # done by 11:30: an hour's work first
    twin = tech(3, 5.05)  # as quick as NEAR to the minute, a little farther
    ranked = rank(job, [FAR, NEAR, twin], NOW)
    assert ids(ranked) == [1, 3, 2]
    assert order_reasons(ranked, NOW) == [
        "Eerste keus: haalt de termijn; ter plaatse over 10 min.",
        "Onder Monteur 1: even vroeg, maar verder weg; ter plaatse over 10 min.",
        "Onder Monteur 3: haalt de termijn niet; ter plaatse over 59 min.",
    ]


def _crowd(rng: random.Random, size: int) -> list[Candidate]:
    """Technicians of ten contractors (and the meldkamer's own) around the Randstad: rosters
    shared by many and some of their own, recent positions with and without consent, on-call
    evenings, no home at all now and then."""
    rosters = [
        (day_shift(), day_shift(25)),
        (Shift(at(24, 12), at(24, 21)), Shift(at(25, 12), at(25, 21))),
        (day_shift(), Shift(at(24, 17), at(25, 8), on_call=True), day_shift(25)),
        (Shift(at(24, 0), at(26, 0), on_call=True),),
    ]
    crowd = []
    for n in range(size):
        home = Point(rng.uniform(51.6, 52.5), rng.uniform(4.2, 5.8))
        seen = NOW - timedelta(minutes=rng.uniform(-5, 50))
        position = Position(north_of(home, rng.uniform(-20, 20)), seen)
        shifts = rng.choice(rosters) if rng.random() < 0.8 else (day_shift(rng.choice((24, 25))),)
        crowd.append(
            Candidate(
                id=n,
                name=f"Monteur {n}",
                trades=frozenset(rng.sample(["LOO", "ELE", "CVI", "DAK"], rng.choice((1, 2)))),
                contractor_id=rng.choice((None, *range(10))),
                shifts=shifts,
                home=home if rng.random() < 0.95 else None,
                position=position if rng.random() < 0.5 else None,
                position_consent=rng.random() < 0.7,
                open_jobs=rng.randrange(5),
            )
        )
    return crowd


def test_the_nearest_first_ranking_gives_what_ranking_everyone_gives() -> None:
    """Generated crowds, coverage rules and jobs: the index (coverage pools ranked nearest
    first, the radius search without rules, kept duty windows) answers exactly what `rank` over
    everyone answers, for the index's moment and for another."""
    for seed in range(3):
        rng = random.Random(seed)
        crowd = _crowd(rng, 1500)
        coverage = Coverage(
            CoverageRule(
                contractor,
                client,
                low,
                low + rng.randrange(100, 1500),
                trade=rng.choice((None, None, "LOO", "ELE")),
            )
            for contractor in range(10)
            for client in range(3)
            for low in [rng.randrange(1000, 9000)]
        )
        geodesic = DispatchRules(travel=TravelModel(method="geodesic"), load_minutes=45)
        indexes = {r: CandidateIndex(crowd, NOW, r) for r in (DEFAULT_RULES, geodesic)}
        for _ in range(25):
            job = Job(
                trade=rng.choice(["LOO", "ELE", "CVI", "DAK"]),
                urgency=rng.choice(["acuut", "urgent", "niet_urgent"]),
                location=Point(rng.uniform(51.6, 52.5), rng.uniform(4.2, 5.8)),
                labour_minutes=rng.choice((30, 60, 120)),
                deadline=rng.choice((None, at(24, 13), at(25, 10), at(26, 17))),
                client_id=rng.randrange(3),
                postcode=f"{rng.randrange(1000, 9999)}AB",
            )
            limit = rng.choice((1, 3, 10))
            cases = ((DEFAULT_RULES, coverage), (geodesic, coverage), (DEFAULT_RULES, None))
            for rules, cover in cases:
                for moment in (NOW, NOW + timedelta(minutes=40)):
                    assert rank_nearby(
                        job, indexes[rules], moment, rules=rules, coverage=cover, limit=limit
                    ) == rank(job, crowd, moment, rules=rules, coverage=cover, limit=limit), job


def test_an_index_kept_across_moments_gives_what_ranking_everyone_gives() -> None:
    """The index a server process keeps (built for any moment, then given new loads, and new
    positions either rebuilt keeping its duty windows or moved in place) answers exactly what
    `rank` answers, at moments before, at and long after the positions were reported."""
    for seed in range(2):
        rng = random.Random(100 + seed)
        crowd = _crowd(rng, 1200)
        coverage = Coverage(
            CoverageRule(contractor, 0, low, low + rng.randrange(100, 1500))
            for contractor in range(10)
            for low in [rng.randrange(1000, 9000)]
        )
        kept = CandidateIndex(crowd, None)
        loaded = [replace(c, open_jobs=rng.randrange(5)) for c in crowd]
        moved = [
            replace(c, position=Position(north_of(c.home, rng.uniform(-30, 30)), NOW))
            if c.home is not None and rng.random() < 0.3
            else c
            for c in loaded
        ]
        after_loads = kept.with_loads(loaded)
        rebuilt = CandidateIndex(moved, None)
        rebuilt.keep_windows(after_loads)
        in_place = after_loads.with_loads(loaded)
        for number, candidate in enumerate(moved):
            if candidate is not loaded[number]:
                assert in_place.move(number, candidate)
        cases = ((kept, crowd), (after_loads, loaded), (rebuilt, moved), (in_place, moved))
        for index, everyone in cases:
            for _ in range(8):
                job = Job(
                    trade=rng.choice(["LOO", "ELE", "CVI", "DAK"]),
                    urgency=rng.choice(["acuut", "urgent", "niet_urgent"]),
                    location=Point(rng.uniform(51.6, 52.5), rng.uniform(4.2, 5.8)),
                    deadline=rng.choice((None, at(24, 13), at(25, 10))),
                    client_id=0,
                    postcode=f"{rng.randrange(1000, 9999)}AB",
                )
                for cover in (coverage, None):
                    for moment in (NOW - timedelta(hours=1), NOW, NOW + timedelta(hours=3)):
                        assert rank_nearby(job, index, moment, coverage=cover) == rank(
                            job, everyone, moment, coverage=cover
                        ), job
