"""Any input to the call-event API and to registering a contact is answered, never with a
server error: a 4xx names the field in Dutch."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.models import Contact
from tests.contacts.support import NOW, TENANT, WST_LINE, signed
from tests.support import world
from tests.support.pages import csrf, login
from tests.support.world import token_for

pytestmark = pytest.mark.usefixtures("clock")
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ENGLISH = ("Input should", "Field required", "value is not", "Extra inputs")

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
)
anything = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
moments = st.integers(-40 * 86400, 3600).map(lambda s: (NOW + timedelta(seconds=s)).isoformat())
numbers = st.sampled_from([TENANT, WST_LINE, "0612345678", "anonymous", "", "+999", "0031 6 1"])
call_events = st.fixed_dictionaries(
    {},
    optional={
        "call_id": st.text(max_size=120) | anything,
        "event": st.sampled_from(["offered", "answered", "transferred", "ended"]) | anything,
        "at": moments | st.text(max_size=30) | anything,
        "from": numbers | st.text(max_size=300) | anything,
        "to": numbers | anything,
        "agent": st.sampled_from(["anna.agent", "ANNA.AGENT", "", "nobody"]) | anything,
        "direction": st.sampled_from(["in", "out", "sideways"]),
        "extra": anything,
    },
)


def _dutch_4xx(response: httpx.Response, allowed: tuple[int, ...]) -> None:
    assert response.status_code in allowed, response.text
    if response.status_code >= 400 and response.headers["content-type"].startswith(
        "application/json"
    ):
        error = response.json()["error"]
        assert error["message"] and not any(e in error["message"] for e in ENGLISH), error
        if response.status_code == 422:
            assert error["field"], error


@FUZZ
@given(body=call_events | anything)
async def test_any_call_event_is_answered_without_a_server_error(
    http: httpx.AsyncClient, w: world.World, body: Any
) -> None:
    raw = json.dumps(body).encode()
    response = await http.post("/api/v1/telephony/events", content=raw, headers=signed(raw))
    _dutch_4xx(response, (200, 400, 422))


@FUZZ
@given(raw=st.binary(max_size=200))
async def test_any_bytes_are_answered_without_a_server_error(
    http: httpx.AsyncClient, w: world.World, raw: bytes
) -> None:
    response = await http.post("/api/v1/telephony/events", content=raw, headers=signed(raw))
    _dutch_4xx(response, (200, 400, 422))
    unsigned = await http.post(
        "/api/v1/telephony/twilio",
        content=raw,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    # A NUL or lone surrogate in a form field is refused (422) before any route reads it.
    _dutch_4xx(unsigned, (400, 403, 422))


registrations = st.fixed_dictionaries(
    {},
    optional={
        "client": st.sampled_from(["WST", "wst", "LVD", "XXX", ""]) | anything,
        "subject": st.text(max_size=250) | anything,
        "result_code": st.sampled_from(["opdracht", "geen_actie", "herhaalmelding", "x"])
        | anything,
        "note": st.text(max_size=50) | anything,
        "referred_to": st.text(max_size=250),
        "channel": st.sampled_from(["telefoon_in", "email", "fax"]) | anything,
        "caller": numbers | st.emails() | anything,
        "caller_name": st.text(max_size=250),
        "dossiers": st.lists(st.text(max_size=20), max_size=12) | anything,
        "started_at": moments | anything,
    },
)


@FUZZ
@given(body=registrations | anything)
async def test_any_registration_through_the_api_is_answered_without_a_server_error(
    http: httpx.AsyncClient, w: world.World, body: Any
) -> None:
    headers = await token_for(http, "anna.agent")
    created = await http.post("/api/v1/contacts", json=body, headers=headers)
    _dutch_4xx(created, (201, 400, 404, 422))
    contact = await Contact.first()
    if contact is not None and isinstance(body, dict):
        body.pop("channel", None), body.pop("caller", None), body.pop("started_at", None)
        patched = await http.patch(f"/api/v1/contacts/{contact.id}", json=body, headers=headers)
        _dutch_4xx(patched, (200, 400, 404, 422))


form_values = st.text(max_size=60) | numbers | st.sampled_from(["WST", "opdracht", "1", "-1"])


@FUZZ
@given(
    form=st.dictionaries(
        st.sampled_from(
            [
                "client",
                "subject",
                "result_code",
                "note",
                "referred_to",
                "channel",
                "caller",
                "caller_name",
                "dossiers",
                "started",
                "contact",
            ]
        ),
        form_values,
        max_size=11,
    )
)
async def test_any_registration_form_is_answered_without_a_server_error(
    http: httpx.AsyncClient, w: world.World, form: dict[str, str]
) -> None:
    if "meldkamer_session" not in http.cookies:
        await login(http, "anna.agent")
    token = csrf((await http.get("/contacten/registreren")).text)
    response = await http.post("/contacten/registreren", data={**form, "csrf_token": token})
    assert response.status_code in (303, 404, 422), response.text[:500]
