"""The CSRF check reads form bodies before the app; one it cannot read is a 400, not a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.types import ASGIApp

from tests.support import world
from tests.support.pages import csrf, login


@pytest.fixture
async def http(app: ASGIApp) -> AsyncIterator[httpx.AsyncClient]:
    """A server error is a 500 answer here, not an exception in the test."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", b"csrf_token=\xff&username=anna.agent"),
        ("multipart/form-data", b"--x\r\n"),
        ("multipart/form-data; boundary=x", b"geen multipart"),
        (
            'multipart/form-data; boundary="x"',
            b'--x\r\nContent-Disposition: form-data; name="csrftoken"\r\n\r\n\xff\r\n--x--\r\n',
        ),
    ],
)
async def test_a_form_the_csrf_check_cannot_read_is_refused(
    http: httpx.AsyncClient, app: ASGIApp, content_type: str, body: bytes
) -> None:
    await world.build()
    await http.get("/login")  # the CSRF cookie: with it, the check reads the body
    response = await http.post("/login", content=body, headers={"content-type": content_type})
    assert response.status_code == 400
    assert "Het formulier kon niet gelezen worden." in response.text
    # The app goes on, and errors of the app itself are still its own.
    await login(http, "anna.agent")
    token = csrf((await http.get("/login")).text)
    assert (await http.post("/logout", data={"csrf_token": token})).status_code == 303
