"""The arrival a tenant is told: travel plus getting going, a sane minimum, five-minute steps."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.domain.eta import arrival_minutes


@pytest.mark.parametrize(
    ("travel", "told"),
    [
        (0.0, 10),  # next door: still ten minutes to get going, park and find the door
        (4.9, 10),
        (5.0, 10),
        (5.1, 15),
        (13.7, 20),
        (20.0, 25),
        (33.0, 40),
        (235.0, 240),
        (600.0, 240),  # a home base far away promises no arrival tomorrow
        (None, 30),  # no trip known: the old default
        (math.nan, 30),
        (math.inf, 30),
        (-3.0, 30),
    ],
)
def test_arrival_minutes(travel: float | None, told: int) -> None:
    assert arrival_minutes(travel) == told


@given(st.floats(min_value=0, max_value=1000))
def test_never_below_the_trip_never_above_the_cap_and_in_steps_of_five(travel: float) -> None:
    told = arrival_minutes(travel)

    assert told % 5 == 0 and 10 <= told <= 240
    assert told >= min(travel, 240)
