"""Suggestions with a routing engine (ROUTING_URL): a real local HTTP server speaking OSRM's
table format answers for the best few; when it is down or slow the estimate stands, quickly,
and the reasons say so."""

from __future__ import annotations

import time
from typing import Any

import pytest

from server import settings
from server.dispatch import suggestions
from tests.dispatch.support import TUESDAY_10, UTRECHT, build, technician, triaged_dossier
from tests.geo.servers import closed_port_url, fail, hang, osrm_table, serve
from tests.support import world

ZEIST = (52.089, 5.233)  # about 7 km east: 14 minutes by the estimate


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await build()


def one_way_streets(lat: float, lon: float) -> float:
    """Piet lives next door but the engine routes him round a canal: 25 minutes; Zeist is
    6 minutes over the motorway."""
    return 25.0 if round(lon, 2) == UTRECHT[1] else 6.0


async def test_engine_reorders_the_best_by_road_time(
    w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await technician("Zeist Loodgieter", ["LOO"], ZEIST)
    d = await triaged_dossier(w.agent)
    estimated = await suggestions.suggest(w.agent, d, now=TUESDAY_10)
    assert [s.name for s in estimated.items] == ["Piet Monteur", "Zeist Loodgieter"]
    with serve(osrm_table(one_way_streets)) as engine:
        monkeypatch.setattr(settings, "ROUTING_URL", engine.url)
        routed = await suggestions.suggest(w.agent, d, now=TUESDAY_10)
        [(path, query)] = engine.requests
    assert [s.name for s in routed.items] == ["Zeist Loodgieter", "Piet Monteur"]
    zeist, piet = routed.items
    assert zeist.reasons[2] == "afstand: 7,0 km vanaf thuisbasis"  # still as the crow flies
    assert zeist.reasons[3] == "aanrijtijd: ca. 6 min (route), aankomst 10:06"
    assert piet.reasons[3] == "aanrijtijd: ca. 25 min (route), aankomst 10:25"
    # One request: both homes as sources, the dossier as the one destination.
    assert path.startswith("/table/v1/driving/")
    assert (query["sources"], query["destinations"]) == (["0;1"], ["2"])


async def test_only_the_best_few_are_routed(
    w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(14):  # each a kilometre further east than the one before
        await technician(f"Loodgieter {n:02}", ["LOO"], (52.09, 5.145 + 0.015 * n))
    d = await triaged_dossier(w.agent)
    with serve(osrm_table(lambda lat, lon: 30.0)) as engine:
        monkeypatch.setattr(settings, "ROUTING_URL", engine.url)
        found = await suggestions.suggest(w.agent, d, now=TUESDAY_10, limit=3)
        [(_, query)] = engine.requests
    # Fifteen plumbers; the engine is asked about the ten best by estimate, three are shown.
    assert len(query["sources"][0].split(";")) == 10
    assert len(found.items) == 3
    assert all("(route)" in s.reasons[3] for s in found.items)


@pytest.mark.parametrize("kind", ["closed port", "hangs", "http 500", "no route"])
async def test_engine_down_or_slow_leaves_the_estimate_and_says_so(
    w: world.World, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    await technician("Zeist Loodgieter", ["LOO"], ZEIST)
    d = await triaged_dossier(w.agent)
    monkeypatch.setattr(settings, "ROUTING_TIMEOUT", 0.3)
    responders: dict[str, Any] = {
        "hangs": hang,
        "http 500": fail,
        "no route": osrm_table(lambda lat, lon: None),
    }
    with serve(responders.get(kind, hang)) as engine:
        url = closed_port_url() if kind == "closed port" else engine.url
        monkeypatch.setattr(settings, "ROUTING_URL", url)
        started = time.monotonic()
        found = await suggestions.suggest(w.agent, d, now=TUESDAY_10)
        seconds = time.monotonic() - started
    assert seconds < 1.0, f"a suggestion waited {seconds:.2f}s for the routing engine"
    assert [s.name for s in found.items] == ["Piet Monteur", "Zeist Loodgieter"]
    zeist = found.items[1].reasons[3]
    if kind == "no route":
        # The engine answered but knows no road: the estimate, without blaming the engine.
        assert zeist == "aanrijtijd: ca. 14 min (geschat), aankomst 10:14"
    else:
        assert zeist == (
            "aanrijtijd: ca. 14 min (geschat, routeplanner gaf geen antwoord), aankomst 10:14"
        )
