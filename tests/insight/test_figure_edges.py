"""The edges of first-time fix, urgency deadlines and phase times, each worked out by hand.

Period and clock as in tests/insight/known.py (24–30 March 2025, Amsterdam). Client 'Rand'
has an acuut norm of 60 minutes and a first-time-fix window of 10 days. Runs on SQLite and
PostgreSQL, so the grouped SQL of both dialects gives these numbers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from server import db
from server.insight.figures import Figures, Scope
from server.models import Client, Dossier
from tests.insight.known import NOW, PERIOD, dossier, utc

ONE_VISIT = "in_uitvoering"


def visit(onsite: tuple[int, int], done: tuple[int, int]) -> list[tuple[datetime, str, str]]:
    """Appointment half an hour before the technician is on site, then done."""
    return [
        (utc(*onsite) - timedelta(minutes=30), "doorgezet_naar_monteur", "afspraak_ingepland"),
        (utc(*onsite), "afspraak_ingepland", ONE_VISIT),
        (utc(*done), ONE_VISIT, "afgerond"),
    ]


async def closed_after_visit(
    client: Client,
    created: tuple[int, int],
    onsite: tuple[int, int],
    done: tuple[int, int],
    urgency: str = "niet_urgent",
) -> Dossier:
    return await dossier(
        client,
        utc(*created),
        [
            (utc(*created).replace(minute=5), "nieuw", "doorgezet_naar_monteur"),
            *visit(onsite, done),
        ],
        channel="telefoon",
        category="cv_storing",
        urgency=urgency,
        closed_at=utc(*done),
        result_code="verholpen",
        phase="afgerond",
    )


@pytest.fixture
async def rand(db_clean: None) -> Client:
    c = await Client.create(
        code="RND", name="Rand", settings={"acuut_norm_minutes": 60, "first_time_fix_days": 10}
    )
    # E1: closed 24th 12:00; a repeat exactly 10 days later still falls in the window.
    e1 = await closed_after_visit(c, (24, 8), (24, 10), (24, 12))
    await dossier(c, utc(3, 12, month=4), [], channel="telefoon", category="cv_storing", parent=e1)
    # E2: closed 25th 12:00; its repeat a minute after the window does not count.
    e2 = await closed_after_visit(c, (25, 8), (25, 10), (25, 12))
    await dossier(
        c, utc(4, 12, 1, month=4), [], channel="telefoon", category="cv_storing", parent=e2
    )
    # E3: a repeat reported while it was still open (before closing) counts as well.
    e3 = await closed_after_visit(c, (26, 8), (26, 13), (26, 14))
    await dossier(c, utc(26, 10), [], channel="telefoon", category="cv_storing", parent=e3)
    # E4: fixed in one visit and archived a day later: still closed in the period.
    e4 = await closed_after_visit(c, (27, 8), (27, 10), (27, 12))
    await Dossier.filter(id=e4.id).update(phase="gearchiveerd")
    from server.models import DossierEvent

    await DossierEvent.create(
        dossier=e4,
        at=utc(28, 12),
        kind="transition",
        data={"from": "afgerond", "to": "gearchiveerd"},
    )
    # E5: acuut, solved by phone: no visit, so no deadline to meet; remote, closed.
    await dossier(
        c,
        utc(24, 8),
        [(utc(24, 8, 30), "nieuw", "op_afstand_opgelost")],
        channel="telefoon",
        category="cv_storing",
        urgency="acuut",
        closed_at=utc(24, 8, 30),
        result_code="telefonisch_opgelost",
        phase="op_afstand_opgelost",
    )
    # E7: acuut, on site exactly at the 60-minute norm; a second visit later (not a FTF).
    await dossier(
        c,
        utc(25, 8),
        [
            (utc(25, 8, 5), "nieuw", "doorgezet_naar_monteur"),
            *visit((25, 9), (25, 10))[:2],
            (utc(25, 10), ONE_VISIT, "doorgezet_naar_monteur"),
            *visit((25, 13), (25, 14)),
        ],
        channel="telefoon",
        category="cv_storing",
        urgency="acuut",
        closed_at=utc(25, 14),
        result_code="verholpen",
        phase="afgerond",
    )
    # E8: urgent, reported in the previous period, visited and closed in this one.
    await closed_after_visit(c, (21, 9), (24, 9), (24, 11), urgency="urgent")
    # E9: cancelled in the period: no result code, not a closed dossier for these figures.
    await dossier(
        c,
        utc(26, 9),
        [(utc(26, 9, 30), "nieuw", "geannuleerd")],
        channel="telefoon",
        category="overig",
        urgency="urgent",
        closed_at=utc(26, 9, 30),
        phase="geannuleerd",
    )
    # E10: acuut, reported Sunday 30th 19:00 UTC, nobody went yet, still open.
    await dossier(c, utc(30, 19), [], channel="telefoon", category="gaslek", urgency="acuut")
    # E11: urgent, on site exactly 24 hours after the report.
    await closed_after_visit(c, (26, 8), (27, 8), (27, 9), urgency="urgent")
    return c


def figures(client: Client) -> Figures:
    return Figures(db.connection(), db.dialect(), Scope((client.id,)))


async def test_first_time_fix_window_edges_archive_and_cancel(rand: Client) -> None:
    ftf = await figures(rand).first_time_fix(PERIOD)
    # Closed with a result: E1 E2 E3 E4 E5 E7 E8 E11 (E9 cancelled has none).
    # Visited: all but E5. First time: E2 (repeat too late), E4 (archived), E8, E11;
    # not E1 (repeat exactly at 10 days), E3 (repeat before closing), E7 (two visits).
    assert ftf == {"closed": 8, "visited": 7, "ftf": 4, "remote": 1}


async def test_window_of_zero_days_only_counts_repeats_up_to_closing(rand: Client) -> None:
    rand.settings = {"first_time_fix_days": 0}
    await rand.save()
    # Only E3's repeat (before closing) still counts: E1 is now a first-time fix too.
    assert (await figures(rand).first_time_fix(PERIOD))["ftf"] == 5


async def test_deadlines_on_the_norm_remote_and_not_yet_due(rand: Client) -> None:
    f = figures(rand)
    # Acuut: E7 on site at exactly 60 min (met), E10 open long past the norm (missed);
    # E5 solved by phone does not count. Urgent: E11 at exactly 24 h (met); E8 reported
    # before the period, E9 cancelled without a visit: neither counts.
    assert await f.deadlines(PERIOD, NOW) == {"acuut": (1, 2), "urgent": (1, 1)}
    # Half an hour after E10 came in, its norm has not passed: it does not count yet.
    assert (await f.deadlines(PERIOD, utc(30, 19, 30)))["acuut"] == (1, 1)


async def test_phase_times_reach_back_before_the_period(rand: Client) -> None:
    phases = await figures(rand).phase_times(PERIOD)
    # 'Nieuw' left in the period: after 5 min by E1 E2 E3 E4 E7 E11, 30 min by E5 and E9.
    # (E8 left it on the 21st, before the period.)
    assert phases["nieuw"]["n"] == 8
    assert phases["nieuw"]["p50"] == pytest.approx(5 / 60, abs=0.01)
    # 'In uitvoering': 1 h by E3, E11 and twice by E7; 2 h by E1 E2 E4 E8.
    assert phases[ONE_VISIT]["n"] == 8
    assert phases[ONE_VISIT]["p50"] == pytest.approx(1.5)
    # 'Doorgezet naar monteur' in minutes: E7 25 and 150, E1 E2 E4 85, E3 265, E11 1405,
    # and E8 4285: it stood there since the 21st, before the period, and that time counts.
    waited = phases["doorgezet_naar_monteur"]
    assert waited["n"] == 8
    assert waited["mean"] == pytest.approx(6385 / 8 / 60, abs=0.01)
    assert waited["p90"] == pytest.approx((1405 + 0.3 * (4285 - 1405)) / 60, abs=0.01)
    # Waiting in 'afgerond' for the archive (E4) is no phase time.
    assert "afgerond" not in phases
