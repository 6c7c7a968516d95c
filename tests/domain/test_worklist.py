"""Whose list a job is on, and which changes hand it over (the app's list and push alerts)."""

from __future__ import annotations

import pytest

from server.domain.worklist import Holding, handover

PIET, KEES = 1, 2


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        # Taken away: cancelled, referred, solved remotely, back to analysing, someone else's.
        (Holding("afspraak_ingepland", PIET), Holding("geannuleerd", PIET), (PIET, None)),
        (Holding("doorgezet_naar_monteur", PIET), Holding("doorverwezen", PIET), (PIET, None)),
        (
            Holding("doorgezet_naar_monteur", PIET),
            Holding("op_afstand_opgelost", PIET),
            (PIET, None),
        ),
        (Holding("doorgezet_naar_monteur", PIET), Holding("analyseren", PIET), (PIET, None)),
        (
            Holding("afspraak_ingepland", PIET),
            Holding("doorgezet_naar_monteur", KEES),
            (PIET, KEES),
        ),
        # Put on a list: sent to him, or back to him after analysing.
        (Holding("analyseren", PIET), Holding("doorgezet_naar_monteur", PIET), (None, PIET)),
        (Holding("nieuw", None), Holding("doorgezet_naar_monteur", KEES), (None, KEES)),
        # Stays his: planned, on site, not fixed, finished by the work.
        (Holding("doorgezet_naar_monteur", PIET), Holding("afspraak_ingepland", PIET), None),
        (Holding("afspraak_ingepland", PIET), Holding("in_uitvoering", PIET), None),
        (Holding("in_uitvoering", PIET), Holding("doorgezet_naar_monteur", PIET), None),
        (Holding("in_uitvoering", PIET), Holding("afgerond", PIET), None),
        # Nobody's before or after: nothing to tell.
        (Holding("nieuw", None), Holding("geannuleerd", None), None),
        (Holding("afgerond", PIET), Holding("gearchiveerd", PIET), None),
    ],
)
def test_handover(before: Holding, after: Holding, expected: tuple[int, int] | None) -> None:
    assert handover(before, after) == expected
