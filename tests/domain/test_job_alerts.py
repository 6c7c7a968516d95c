"""Who is told what about a job: once new, each appointment change, once taken away."""

from __future__ import annotations

import pytest

from server.domain.job_alerts import CHANGED, NEW, WITHDRAWN, Alert, JobFacts, alerts, text

PIET, KEES = 1, 2
JOB = JobFacts("MK-2026-000123", "Kerkstraat 1, Utrecht", "Acuut · Lekkage aan woning", "")


@pytest.mark.parametrize(
    ("event", "current", "previous", "told", "expected"),
    [
        # A new job, and the appointment planned right after in the same booking: one alert.
        ("assigned", PIET, None, {}, [Alert(PIET, NEW)]),
        ("appointment", PIET, None, {PIET: NEW}, []),
        # Moved or cancelled while his: a change.
        ("appointment", PIET, PIET, {PIET: NEW}, [Alert(PIET, CHANGED)]),
        ("appointment_cancelled", PIET, PIET, {PIET: CHANGED}, [Alert(PIET, CHANGED)]),
        # He never heard of it (no phone subscribed then): told as new.
        ("appointment", PIET, PIET, {}, [Alert(PIET, NEW)]),
        # Reassigned: the new one hears of a new job, the previous one that it is gone.
        ("assigned", KEES, PIET, {PIET: CHANGED}, [Alert(KEES, NEW), Alert(PIET, WITHDRAWN)]),
        ("appointment", KEES, PIET, {PIET: WITHDRAWN, KEES: NEW}, []),
        # Back to someone who had it before: new to him again.
        (
            "assigned",
            PIET,
            KEES,
            {PIET: WITHDRAWN, KEES: NEW},
            [Alert(PIET, NEW), Alert(KEES, WITHDRAWN)],
        ),
        # Announced again with nothing changed: nothing.
        ("assigned", PIET, PIET, {PIET: NEW}, []),
    ],
)
def test_alerts(
    event: str, current: int, previous: int | None, told: dict[int, str], expected: list[Alert]
) -> None:
    assert alerts(event, current, previous, told) == expected


def test_texts_in_dutch() -> None:
    assert text(NEW, JOB) == (
        "Nieuwe opdracht MK-2026-000123 — Kerkstraat 1, Utrecht",
        "Acuut · Lekkage aan woning",
    )
    moved = JobFacts(JOB.order_number, JOB.address, JOB.what, "di 25 nov 10:00")
    assert text(CHANGED, moved) == (
        "Afspraak gewijzigd",
        "MK-2026-000123 — Kerkstraat 1, Utrecht: nu di 25 nov 10:00.",
    )
    assert (
        text(CHANGED, JOB)[1]
        == "MK-2026-000123 — Kerkstraat 1, Utrecht: de afspraak is geannuleerd."
    )
    assert text(WITHDRAWN, JOB) == (
        "Opdracht ingetrokken",
        "MK-2026-000123 — Kerkstraat 1, Utrecht is niet meer voor u.",
    )
    cancelled = JobFacts(JOB.order_number, JOB.address, JOB.what, "", job_cancelled=True)
    assert text(WITHDRAWN, cancelled) == (
        "Opdracht geannuleerd",
        "MK-2026-000123 — Kerkstraat 1, Utrecht is geannuleerd.",
    )
