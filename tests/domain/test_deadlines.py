"""The board's reading of a deadline: a countdown until someone is on site for an acuut
report, then only whether he arrived in time; other deadlines count down to the end of the work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.domain.deadlines import standing

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
DEADLINE = NOW - timedelta(minutes=12)


def test_waiting_counts_down_and_overdue_counts_up() -> None:
    ahead = standing("acuut", NOW + timedelta(minutes=65), NOW)
    assert (ahead.minutes_left, ahead.overdue, ahead.text) == (65, False, "nog 1 u 5 min")
    late = standing("acuut", DEADLINE, NOW)
    assert (late.minutes_left, late.overdue, late.text) == (-12, True, "12 min te laat")
    assert standing("niet_urgent", None, NOW).text == "geen termijn"


def test_on_site_settles_an_acuut_deadline() -> None:
    in_time = standing("acuut", DEADLINE, NOW, on_site=True, arrived_at=DEADLINE)
    assert (in_time.minutes_left, in_time.overdue, in_time.settled) == (None, False, True)
    assert (in_time.late_minutes, in_time.text) == (0, "ter plaatse")
    late = standing(
        "acuut", DEADLINE, NOW, on_site=True, arrived_at=DEADLINE + timedelta(minutes=11, seconds=5)
    )
    assert (late.late_minutes, late.text) == (12, "ter plaatse, 12 min te laat aangekomen")
    unknown = standing("acuut", DEADLINE, NOW, on_site=True)
    assert (unknown.late_minutes, unknown.text, unknown.overdue) == (None, "ter plaatse", False)


def test_a_deadline_to_finish_keeps_counting_while_he_works() -> None:
    urgent = standing("urgent", DEADLINE, NOW, on_site=True, arrived_at=DEADLINE)
    assert (urgent.settled, urgent.overdue, urgent.text) == (False, True, "12 min te laat")
