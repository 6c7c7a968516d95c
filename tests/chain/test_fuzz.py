"""Any body or order number sent to the VERA API is answered, never with a server error: a
refusal is a VERA Foutbericht in Dutch, and the dossier stays in a phase the lifecycle knows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.domain import vera
from server.domain.lifecycle import Phase
from server.models import Dossier
from tests.chain import erp_standin
from tests.chain.erp_standin import Erp
from tests.chain.support import assign, contractor_integration, triaged
from tests.support import world

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BASE = "/api/vera/v4"
ENGLISH = ("Input should", "Field required", "Traceback", "Exception")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
anything = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def code(codes: dict[str, str]) -> st.SearchStrategy[Any]:
    return st.builds(lambda c: {"code": c}, st.sampled_from(sorted(codes))) | anything


moments = (
    st.integers(-3 * 86400, 30 * 86400).map(
        lambda s: (datetime.now(UTC) + timedelta(seconds=s)).isoformat()
    )
    | st.sampled_from(["2030-01-01T10:00:00", "morgen", "2030-02-30T10:00:00+01:00"])
    | anything
)
spending = st.fixed_dictionaries(
    {},
    optional={
        "soort": code(vera.SPENDING_KINDS),
        "aantal": st.floats(-10, 20000, allow_nan=False) | anything,
        "meeteenheid": code(vera.UNITS),
        "omschrijving": st.text(max_size=250) | anything,
        "uitvoerBegintijd": moments,
        "uitvoerEindtijd": moments,
    },
)
task = st.fixed_dictionaries(
    {},
    optional={
        "status": code(vera.TASK_STATUSES),
        "detailStatus": code(vera.TASK_DETAIL_STATUSES),
        "omschrijving": st.text(max_size=300) | anything,
        "onderhoudsbestedingen": st.lists(spending, max_size=3) | anything,
        "extra-attributen": st.lists(
            st.fixed_dictionaries({"naam": st.just("verwachteAankomsttijd"), "waarde": moments}),
            max_size=1,
        )
        | anything,
    },
)
reports = (
    st.fixed_dictionaries({}, optional={"onderhoudstaken": st.lists(task, max_size=2) | anything})
    | anything
)
appointments = (
    st.fixed_dictionaries(
        {},
        optional={
            "onderhoudsorder": st.fixed_dictionaries({"id": st.just("{own}")}) | anything,
            "begindatum": moments,
            "einddatum": moments,
            "bloktijdBegin": moments,
            "status": code(vera.APPOINTMENT_STATUSES),
        },
    )
    | anything
)
# Control characters in a path never reach a route: the app refuses those paths itself.
order_ids = st.sampled_from(["{own}", "MK-2026-000001", "", "x" * 300]) | st.text(
    st.characters(blacklist_categories=("Cc", "Cs")), max_size=40
)


@pytest.fixture
async def erp() -> AsyncIterator[Erp]:
    async with erp_standin.running() as server:
        yield server


@pytest.fixture
async def sent(db_clean: None, erp: Erp) -> tuple[Dossier, dict[str, str]]:
    w = await world.build()
    _, key = await contractor_integration(w, erp)
    d = await assign(w, await triaged(w))
    return d, {"X-API-KEY": key}


def _vera_answer(response: httpx.Response) -> None:
    assert response.status_code in (200, 201, 400, 404, 405, 409, 413), response.text
    if response.status_code >= 400 and response.status_code != 405:
        error = response.json()
        assert set(error) == {"code", "omschrijving"}, error
        assert error["omschrijving"] and not any(e in error["omschrijving"] for e in ENGLISH)


def _fill(value: Any, number: str) -> Any:
    if isinstance(value, str):
        return value.replace("{own}", number)
    if isinstance(value, dict):
        return {k: _fill(v, number) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, number) for v in value]
    return value


@FUZZ
@given(body=reports)
async def test_any_task_report_is_answered(
    http: httpx.AsyncClient, sent: tuple[Dossier, dict[str, str]], body: Any
) -> None:
    d, key = sent
    response = await http.patch(f"{BASE}/onderhoudsorders/{d.order_number}", json=body, headers=key)
    _vera_answer(response)
    await d.refresh_from_db()
    assert d.phase in set(Phase)


@FUZZ
@given(body=appointments, order_id=order_ids)
async def test_any_appointment_or_order_number_is_answered(
    http: httpx.AsyncClient, sent: tuple[Dossier, dict[str, str]], body: Any, order_id: str
) -> None:
    d, key = sent
    _vera_answer(
        await http.post(f"{BASE}/afspraken", json=_fill(body, d.order_number), headers=key)
    )
    path = f"{BASE}/onderhoudsorders/{_fill(order_id, d.order_number)}".replace("#", "%23").replace(
        "?", "%3F"
    )
    _vera_answer(await http.get(path, headers=key))
    await d.refresh_from_db()
    assert d.phase in set(Phase)
