"""Any input to the contractor portal's forms is answered with the page (a Dutch message by the
field, what was typed kept) or the next page, never with a server error."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.models import Dossier
from server.web import input_text
from tests.contractors.support import day_after_tomorrow, order, session
from tests.fieldwork.support import jpeg
from tests.support import world

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

texts = st.text(max_size=60) | st.sampled_from(["", " ", "0", "-1", "99999999999", "1e3", "١٢"])
dates = st.sampled_from(["2020-01-06", "2099-01-01", "31-12-2026", "morgen"]) | texts
times = st.sampled_from(["09:00", "23:59", "24:00", "9", "09:00:00.5", "10:00+02:00"]) | texts
lines = st.lists(
    st.sampled_from(["2 st Sifon", "0 st Niets", "1,5 m Buis", "99999 x", "-1 st Kit"]) | texts,
    max_size=4,
).map("\n".join)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _token(http: httpx.AsyncClient) -> str:
    """Logged in once for all of a test's examples (a login hashes a password: slow)."""
    if "meldkamer_session" not in http.cookies:
        await session(http)
    return http.cookies["meldkamer_csrf"]


def _answered(response: httpx.Response) -> None:
    assert response.status_code in (303, 422), (response.status_code, response.text[:500])
    if response.status_code == 422:
        # The page with its message, or (a character no database stores) the edge's refusal.
        assert 'role="alert"' in response.text


async def _accepted(http: httpx.AsyncClient, w: world.World, token: str) -> str:
    d = await order(w, w.contractor, urgency="urgent")
    base = f"/aannemer/opdrachten/{d.order_number}"
    assert (await http.post(base + "/accepteren", data={"csrf_token": token})).status_code == 303
    return base


@FUZZ
@given(
    day=dates | st.builds(day_after_tomorrow),
    start=times,
    end=times,
    tech=texts | st.sampled_from(["1", "2", "3"]),
    reason=texts,
)
async def test_planning_and_sending_any_input(
    http: httpx.AsyncClient, w: world.World, day: str, start: str, end: str, tech: str, reason: str
) -> None:
    token = await _token(http)
    base = await _accepted(http, w, token)
    form = {"datum": day, "van": start, "tot": end, "technician_id": tech, "reason": reason}
    _answered(await http.post(base + "/inplannen", data={"csrf_token": token, **form}))
    _answered(await http.post(base + "/monteur", data={"csrf_token": token, "technician_id": tech}))


@FUZZ
@given(reason=texts | st.text(min_size=400, max_size=800))
async def test_declining_any_reason(http: httpx.AsyncClient, w: world.World, reason: str) -> None:
    token = await _token(http)
    d = await order(w, w.contractor)
    base = f"/aannemer/opdrachten/{d.order_number}"
    _answered(await http.post(base + "/weigeren", data={"csrf_token": token, "reason": reason}))
    phase = (await Dossier.get(id=d.id)).phase
    given = reason.strip() and not input_text.is_bad(reason)
    assert phase == ("analyseren" if given else "doorgezet_naar_monteur")


@FUZZ
@given(
    result=st.sampled_from(["verholpen", "niet_verholpen", "op_afstand_opgelost"]) | texts,
    cause=texts,
    work=texts | st.text(min_size=4000, max_size=4100),
    materials=lines,
    minutes=texts | st.sampled_from(["30", "1440", "1441"]),
    photo=st.sampled_from([b"", b"geen foto", jpeg()]) | st.binary(max_size=64),
)
async def test_reporting_done_any_werkbon(
    http: httpx.AsyncClient,
    w: world.World,
    result: str,
    cause: str,
    work: str,
    materials: str,
    minutes: str,
    photo: bytes,
) -> None:
    token = await _token(http)
    base = await _accepted(http, w, token)
    form = {
        "csrf_token": token,
        "result_code": result,
        "cause": cause,
        "work_done": work,
        "materials": materials,
        "minutes": minutes,
    }
    files = {"photos": ("foto.jpg", photo, "image/jpeg")}
    response = await http.post(
        base + "/gereed", data=form, files=files, headers={"x-csrf-token": token}
    )
    _answered(response)
