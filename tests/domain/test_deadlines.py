"""The board's reading of a deadline: a countdown until someone is on site for an acuut
report, then only whether he arrived in time; other deadlines count down to the end of the work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.domain.deadlines import appointment_moment, duration, standing

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


def test_an_appointment_after_the_deadline_is_overdue_already() -> None:
    deadline = NOW + timedelta(hours=2)
    booked = standing("acuut", deadline, NOW, appointment=NOW + timedelta(days=1, hours=3))
    assert (booked.minutes_left, booked.overdue) == (120, True)
    assert booked.text == "afspraak 1 d 1 u na de termijn (nog 2 u 0 min)"
    in_time = standing("acuut", deadline, NOW, appointment=deadline)
    assert (in_time.overdue, in_time.text) == (False, "nog 2 u 0 min")
    # Past the deadline it is simply late, however it was booked.
    assert standing("acuut", DEADLINE, NOW, appointment=NOW + timedelta(days=4)).text == (
        "12 min te laat"
    )


def test_the_appointment_meets_an_acuut_deadline_by_its_start_others_by_its_end() -> None:
    start, end = NOW, NOW + timedelta(hours=1)
    assert appointment_moment("acuut", start, end) == start
    assert appointment_moment("urgent", start, end) == end
    assert appointment_moment("urgent", start, None) == start
    assert appointment_moment("urgent", None, None) is None
    assert duration(4 * 24 * 60 + 61) == "4 d 1 u" and duration(2 * 24 * 60) == "2 d"
