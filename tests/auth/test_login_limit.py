"""The limit on failed logins: counted atomically in the database (several app processes share
it), per username and per address; a lock-out says how long it lasts and how to get back in."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import time_machine

from server import settings
from server.auth.users import set_password
from tests.support import world
from tests.support.pages import csrf
from tests.support.world import PASSWORD

TOKEN = "/api/v1/auth/token"
# A Monday morning; the limit only compares moments, so any fixed one will do.
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def locked_message(minutes: int) -> str:
    wait = "1 minuut" if minutes == 1 else f"{minutes} minuten"
    return (
        f"Te veel mislukte pogingen. Probeer het over {wait} opnieuw, of vraag de supervisie"
        " om uw wachtwoord opnieuw in te stellen."
    )


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _try(http: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await http.post(TOKEN, json={"username": username, "password": password})


async def test_forty_parallel_wrong_tries_on_one_name_get_five_evaluated(
    http: httpx.AsyncClient, w: world.World
) -> None:
    tries = [_try(http, "anna.agent", f"fout-{n}") for n in range(40)]
    answers = await asyncio.gather(*tries)
    assert Counter(a.status_code for a in answers) == {401: 5, 429: 35}
    assert {a.json()["error"]["message"] for a in answers if a.status_code == 429} == {
        locked_message(15)
    }
    # The right password is refused too while the name is locked.
    assert (await _try(http, "anna.agent", PASSWORD)).status_code == 429
    # Someone guessing anna's password does not lock out her colleague at the same address.
    assert (await _try(http, "sanne.supervisie", PASSWORD)).status_code == 200


async def test_forty_parallel_wrong_tries_from_one_address_get_twenty_evaluated(
    http: httpx.AsyncClient, w: world.World
) -> None:
    """An address may fail four times as often as a name (a shared office), not more."""
    tries = [_try(http, f"naam{n}", "fout-fout-fout") for n in range(40)]
    answers = await asyncio.gather(*tries)
    assert Counter(a.status_code for a in answers) == {401: 20, 429: 20}
    blocked = await _try(http, "anna.agent", PASSWORD)
    assert blocked.status_code == 429
    # A new password would not help here, so the message does not suggest one.
    assert blocked.json()["error"]["message"] == (
        "Te veel mislukte pogingen vanaf deze verbinding. Probeer het over 15 minuten opnieuw."
    )


@pytest.mark.parametrize("window", [15, 60])
async def test_a_lock_out_tells_the_wait_and_the_right_password_works_after_it(
    http: httpx.AsyncClient, w: world.World, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    monkeypatch.setattr(settings, "LOGIN_WINDOW_MINUTES", window)
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(5):
            wrong = await _try(http, "anna.agent", "fout-fout-fout")
            assert wrong.status_code == 401
            assert wrong.json()["error"]["message"] == "Onjuiste gebruikersnaam of wachtwoord."
        blocked = await _try(http, "anna.agent", PASSWORD)
        assert blocked.status_code == 429
        assert blocked.json()["error"]["message"] == locked_message(window)
        assert blocked.headers["retry-after"] == str(window * 60)

        clock.shift(timedelta(minutes=window - 1, seconds=30))
        almost = await _try(http, "anna.agent", PASSWORD)
        assert almost.status_code == 429
        assert almost.json()["error"]["message"] == locked_message(1)
        assert almost.headers["retry-after"] == "30"

        clock.shift(timedelta(seconds=30))
        assert (await _try(http, "anna.agent", PASSWORD)).status_code == 200
        # Logging in started the count afresh.
        assert (await _try(http, "anna.agent", "fout-fout-fout")).status_code == 401


async def test_the_login_page_explains_the_lock_out_too(
    http: httpx.AsyncClient, w: world.World
) -> None:
    with time_machine.travel(START, tick=False):
        page = await http.get("/login")
        form = {"csrf_token": csrf(page.text), "username": "anna.agent", "password": "fout"}
        for _ in range(5):
            assert (await http.post("/login", data=form)).status_code == 401
        blocked = await http.post("/login", data={**form, "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked.headers["retry-after"] == "900"
    assert "Probeer het over 15 minuten opnieuw, of vraag de supervisie" in blocked.text
    assert "meldkamer_session" not in http.cookies


async def test_a_new_password_from_the_supervision_ends_the_lock_out(
    http: httpx.AsyncClient, w: world.World
) -> None:
    for _ in range(5):
        await _try(http, "anna.agent", "fout-fout-fout")
    assert (await _try(http, "anna.agent", PASSWORD)).status_code == 429
    await set_password("anna.agent", "lantaarnpaal zeilboot regenjas")
    assert (await _try(http, "anna.agent", "lantaarnpaal zeilboot regenjas")).status_code == 200
