"""Appointment slots around existing appointments, inside shifts and deadlines."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from geo.point import Point
from server.domain.dispatch import Candidate, Job
from server.domain.duty import Shift
from server.domain.slots import Appointment, Slot, SlotRules, find_slots

AMS = ZoneInfo("Europe/Amsterdam")
UTRECHT = Point(52.0907, 5.1214)
# Tuesday 24 November 2026, 10:00 in Amsterdam.
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=AMS)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=AMS)


def north(km: float) -> Point:
    return Point(UTRECHT.lat + km / 111.2, UTRECHT.lon)


def technician(id: int, home_km: float = 0.0, trades: str = "LOO", **kw: object) -> Candidate:
    shifts = (Shift(at(24, 8), at(24, 17)), Shift(at(25, 8), at(25, 17)))
    return Candidate(
        id=id,
        name=f"Monteur {id}",
        trades=frozenset(trades.split()),
        shifts=kw.pop("shifts", shifts),  # type: ignore[arg-type]
        home=north(home_km),
    )


JOB = Job(trade="LOO", urgency="urgent", location=UTRECHT, labour_minutes=60, deadline=at(25, 17))
# 4 km each way is 7.8 minutes at 1.3 and 40 km/h.
BUSY_DAY = [
    Appointment(at(24, 10), at(24, 11), north(4)),
    Appointment(at(24, 12, 30), at(24, 14), north(4)),
]


def times(slots: list[Slot]) -> list[tuple[int, str, str]]:
    return [(s.technician_id, f"{s.start:%a %H:%M}", f"{s.end:%H:%M}") for s in slots]


def test_slot_fits_between_appointments_with_travel_both_ways() -> None:
    slots = find_slots(JOB, [technician(1)], {1: BUSY_DAY}, NOW)
    # 11:00 + 7.8 min travel, rounded to the quarter: 11:15-12:15; 7.8 min on leaves 12:23.
    assert times(slots)[:2] == [(1, "Tue 11:15", "12:15"), (1, "Tue 14:15", "15:15")]
    assert slots[0].start.tzinfo == AMS
    assert round(slots[0].travel_minutes, 1) == 7.8


def test_longer_job_skips_a_gap_too_short_for_work_plus_travel_on() -> None:
    longer = replace(JOB, labour_minutes=75)  # 11:15-12:30, then 7.8 min to the 12:30 visit
    assert times(find_slots(longer, [technician(1)], {1: BUSY_DAY}, NOW))[0] == (
        1,
        "Tue 14:15",
        "15:30",
    )


def test_slot_stays_inside_the_shift() -> None:
    long_job = replace(JOB, labour_minutes=200)  # 14:15 + 3h20 runs past 17:00
    slots = find_slots(long_job, [technician(1)], {1: BUSY_DAY}, NOW)
    assert times(slots) == [(1, "Wed 08:00", "11:20")]


def test_travel_from_home_at_the_start_of_a_shift() -> None:
    far_home = technician(2, home_km=20)  # 39 minutes from home
    slots = find_slots(JOB, [far_home], {}, at(24, 7))
    assert times(slots)[0] == (2, "Tue 08:45", "09:45")


def test_nothing_after_the_deadline() -> None:
    tight = replace(JOB, deadline=at(24, 12))
    assert find_slots(tight, [technician(1)], {1: BUSY_DAY}, NOW) == []
    fits = replace(JOB, deadline=at(24, 12, 15))
    assert times(find_slots(fits, [technician(1)], {1: BUSY_DAY}, NOW)) == [
        (1, "Tue 11:15", "12:15")
    ]


def test_every_technician_of_a_trade_earliest_first() -> None:
    team = [technician(3), technician(1), technician(4, trades="ELE"), technician(5, home_km=20)]
    agendas = {1: BUSY_DAY, 3: [Appointment(at(24, 9), at(24, 16), north(1))]}
    slots = find_slots(JOB, team, agendas, NOW, slot_rules=SlotRules(per_technician=2), limit=5)
    assert times(slots) == [
        (5, "Tue 10:45", "11:45"),
        (1, "Tue 11:15", "12:15"),
        (1, "Tue 14:15", "15:15"),
        # 16:00 + 2 min from his last visit rounds to 16:15, and 17:15 is past his shift.
        (3, "Wed 08:00", "09:00"),
        (5, "Wed 08:45", "09:45"),
    ]
    assert all(s.technician_id != 4 for s in find_slots(JOB, team, agendas, NOW, limit=50))
    chosen = find_slots(JOB, [team[2]], agendas, NOW, require_trade=False)
    assert times(chosen)[0] == (4, "Tue 10:00", "11:00")


def test_overlapping_and_unlocated_appointments() -> None:
    agenda = [
        Appointment(at(24, 10), at(24, 12)),
        Appointment(at(24, 11), at(24, 13, 30), north(4)),
        Appointment(at(24, 15), at(24, 16)),  # unknown place: his home is assumed
    ]
    slots = find_slots(JOB, [technician(1)], {1: agenda}, NOW)
    assert times(slots) == [
        (1, "Tue 13:45", "14:45"),
        (1, "Tue 16:00", "17:00"),
        (1, "Wed 08:00", "09:00"),
    ]


def test_on_call_shift_only_for_acuut() -> None:
    on_call = technician(6, shifts=(Shift(at(24, 17), at(25, 8), on_call=True),))
    evening = at(24, 20)
    acuut = replace(JOB, urgency="acuut", deadline=None)
    assert times(find_slots(acuut, [on_call], {}, evening)) == [(6, "Tue 20:00", "21:00")]
    assert find_slots(JOB, [on_call], {}, evening) == []


def test_unknown_home_assumes_default_travel() -> None:
    homeless = replace(technician(7), home=None)
    slots = find_slots(JOB, [homeless], {}, at(24, 7))
    assert times(slots)[0] == (7, "Tue 08:30", "09:30")
    assert slots[0].travel_minutes == 30.0


def test_search_over_a_team_equals_the_merge_of_single_searches() -> None:
    # find_slots stops looking at a technician once he cannot beat the earliest found so far;
    # that must not change the answer.
    rng = random.Random(8)
    team, agendas = [], {}
    for number in range(40):
        team.append(replace(technician(number), home=north(rng.uniform(-15, 15))))
        agendas[number] = []
        for day in (24, 25):
            moment = at(day, 8) + timedelta(minutes=rng.choice((0, 30, 60)))
            for _ in range(rng.randint(2, 6)):
                length = timedelta(minutes=rng.choice((30, 60, 90)))
                agendas[number].append(
                    Appointment(moment, moment + length, north(rng.uniform(-15, 15)))
                )
                moment += length + timedelta(minutes=rng.choice((15, 45, 75)))
    for limit in (1, 3, 10, 25):
        for now in (at(24, 7), at(24, 12, 10), at(24, 16, 50)):
            singles = [s for t in team for s in find_slots(JOB, [t], agendas, now, limit=99)]
            singles.sort(key=lambda s: (s.start, s.end, s.technician_id))
            assert find_slots(JOB, team, agendas, now, limit=limit) == singles[:limit]
