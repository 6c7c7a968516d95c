"""Every figure on the hand-built week of tests/insight/known.py; runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest

from server import db
from server.domain import kpis
from server.domain.errors import Unprocessable
from server.domain.kpis import Grain, Period
from server.insight.figures import Figures, Scope
from tests.insight import known
from tests.insight.known import NOW, PERIOD


@pytest.fixture
async def world(db_clean: None) -> known.Known:
    return await known.build()


def figures(*clients: object) -> Figures:
    ids = None if not clients else tuple(c.id for c in clients)  # type: ignore[attr-defined]
    return Figures(db.connection(), db.dialect(), Scope(ids))


async def test_reports_count_local_days_and_client(world: known.Known) -> None:
    # A B C D F J; K is Monday 00:00 in Amsterdam although the 30th in UTC.
    assert await figures(world.woonstad).reports(PERIOD) == 6
    assert await figures().reports(PERIOD) == 7  # plus Lichtveld's H
    assert await figures(world.lichtveld).reports(PERIOD) == 1
    assert await figures(world.woonstad).reports(PERIOD.previous()) == 0


async def test_series_per_day_week_month(world: known.Known) -> None:
    f = figures(world.woonstad)
    assert await f.series(PERIOD, Grain.DAG) == [
        ("2025-03-24", 1),
        ("2025-03-25", 1),
        ("2025-03-26", 1),
        ("2025-03-27", 1),
        ("2025-03-30", 2),
    ]
    assert await f.series(PERIOD, Grain.WEEK) == [("2025-03-24", 6)]
    assert await f.series(PERIOD, Grain.MAAND) == [("2025-03-01", 6)]
    assert await f.series(PERIOD, Grain.JAAR) == [("2025-01-01", 6)]


async def test_heatmap_in_amsterdam_time_across_dst(world: known.Known) -> None:
    grid = await figures(world.woonstad).heatmap(PERIOD)
    cells = {(d, h): n for d in range(7) for h in range(24) if (n := grid[d][h])}
    # Mon 08 (A), Tue 13 (B), Wed 09 (D), Thu 10 (F), Sun 12 and 22 summer time (C, J).
    assert cells == {(0, 8): 1, (1, 13): 1, (2, 9): 1, (3, 10): 1, (6, 12): 1, (6, 22): 1}


async def test_channels_categories_and_triage_outcomes(world: known.Known) -> None:
    f = figures(world.woonstad)
    # A D F by phone; ties are ordered by code.
    assert await f.count_by(PERIOD, "channel") == [
        ("telefoon", 3),
        ("app", 1),
        ("email", 1),
        ("web", 1),
    ]
    assert (await f.count_by(PERIOD, "category"))[0] == ("cv_storing", 2)
    assert await f.count_by(PERIOD, "outcome") == [("Geen warmte, geen warm water", 2)]


async def test_contacted_within_24_hours(world: known.Known) -> None:
    # Counted: A (10 min), B (25 h: late), C (1 h), D (never, 4 days old), F (30 min).
    # J is 10 hours old without contact: not yet counted.
    assert await figures(world.woonstad).contacted_24h(PERIOD, NOW) == (3, 5)


async def test_lead_time_median_and_p90(world: known.Known) -> None:
    stats = await figures(world.woonstad).lead_time(PERIOD.start, PERIOD.end)
    # Closed with a result: C 1 h, A 2 h, F 12 h, B 48 h.
    assert stats["n"] == 4
    assert stats["p50"] == pytest.approx(7.0)
    assert stats["p90"] == pytest.approx(12 + 0.7 * 36)
    assert stats["p90"] == pytest.approx(kpis.percentile([1, 2, 12, 48], 0.9), abs=0.01)


async def test_lead_time_per_phase_from_transitions(world: known.Known) -> None:
    phases = await figures(world.woonstad).phase_times(PERIOD)
    assert phases["nieuw"]["n"] == 4  # A 0.5 h, B 1 h, C 1 h, F 10 min
    assert phases["nieuw"]["p50"] == pytest.approx(0.75)
    # Visits: A 70 min, B 1 h and 2 h, F 1 h.
    assert phases["in_uitvoering"]["n"] == 4
    assert phases["in_uitvoering"]["p50"] == pytest.approx(1.08, abs=0.01)
    assert "afgerond" not in phases


async def test_first_time_fix_and_remote(world: known.Known) -> None:
    ftf = await figures(world.woonstad).first_time_fix(PERIOD)
    # Visited A, B, F; B needed two visits, F got a repeat within 30 days: only A.
    assert ftf == {"visited": 3, "ftf": 1, "remote": 1, "closed": 4}


async def test_first_time_fix_window_is_the_clients(world: known.Known) -> None:
    world.woonstad.settings = {"first_time_fix_days": 7}  # F's repeat came after 9 days
    await world.woonstad.save()
    assert (await figures(world.woonstad).first_time_fix(PERIOD))["ftf"] == 2


async def test_urgency_deadlines(world: known.Known) -> None:
    result = await figures(world.woonstad).deadlines(PERIOD, NOW)
    # Acuut: A on site in 50 min (norm 60) met, D never (open, past norm) missed.
    # Urgent: F after 11 h met, B after 26 h missed.
    assert result == {"acuut": (1, 2), "urgent": (1, 2)}


async def test_acuut_norm_is_the_clients(world: known.Known) -> None:
    world.woonstad.settings = {"acuut_norm_minutes": 45}
    await world.woonstad.save()
    assert (await figures(world.woonstad).deadlines(PERIOD, NOW))["acuut"] == (0, 2)


async def test_result_codes_and_order_share(world: known.Known) -> None:
    results, orders = await figures(world.woonstad).results(PERIOD)
    assert results == [("verholpen", 3), ("telefonisch_opgelost", 1)]
    assert orders == 3


async def test_period_previous_and_presets() -> None:
    period = kpis.period_from("7d", "", "", date(2025, 3, 30))
    assert period == PERIOD
    assert period.previous() == Period(date(2025, 3, 17), date(2025, 3, 23))
    # Summer time starts on the 30th: the week is one hour short.
    assert period.end.astimezone(UTC) - period.start.astimezone(UTC) == timedelta(hours=167)


def test_bad_period_names_the_value() -> None:
    with pytest.raises(Unprocessable, match="'31-02-2025' is geen geldige datum"):
        kpis.period_from("", "31-02-2025", "2025-03-01", date(2025, 3, 30))
    with pytest.raises(Unprocessable, match="Onbekende periode 'gisteren'"):
        kpis.period_from("gisteren", "", "", date(2025, 3, 30))


async def test_survey_scores(world: known.Known) -> None:
    from server.models import Survey

    for name, scores, day in (
        ("A", (5, 4, 5, 3), 25),
        ("B", (3, 4, 2, 5), 28),
        ("F", (1, 1, 1, 1), 31),
    ):
        f, e, h, s = scores
        await Survey.create(
            dossier=world.dossiers[name],
            client=world.woonstad,
            friendliness=f,
            expertise=e,
            helpfulness=h,
            solution=s,
            submitted_at=known.utc(day, 12),
        )
    # F's survey came on the 31st: after the period.
    result = await figures(world.woonstad).survey(PERIOD)
    assert result == {
        "n": 2,
        "friendliness": 4.0,
        "expertise": 4.0,
        "helpfulness": 3.5,
        "solution": 4.0,
    }
    assert await figures(world.lichtveld).survey(PERIOD) == {
        "n": 0,
        "friendliness": None,
        "expertise": None,
        "helpfulness": None,
        "solution": None,
    }
