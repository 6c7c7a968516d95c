"""The password rule: a new password must be hard to guess, and the refusal says why in Dutch."""

from __future__ import annotations

import httpx
import pytest

from server.auth.users import create_user, set_password
from server.domain.errors import Unprocessable
from server.models import User

TOO_EASY = "Dit wachtwoord is te makkelijk te raden: "
ADVICE = "Kies bijvoorbeeld drie of vier losse woorden"


async def _can_log_in(http: httpx.AsyncClient, username: str, password: str) -> bool:
    response = await http.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )
    return response.status_code == 200


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("aaaaaaaaaa", "het herhaalt tekens of stukjes"),
        ("          ", "het herhaalt tekens of stukjes"),
        ("password12", "het is (of lijkt op) een veelgebruikt wachtwoord"),
        ("1234567890", "het is (of lijkt op) een veelgebruikt wachtwoord"),
        ("Welkom2025!", "het is (of lijkt op) een veelgebruikt wachtwoord"),
        ("wachtwoord12", "het is (of lijkt op) een veelgebruikt wachtwoord"),
        ("zxcvbnm,./", "het is een toetsenbordpatroon"),
        ("abcdefghijkl", "het is een reeks"),
    ],
)
async def test_an_easy_password_is_refused_with_the_reason(
    db_clean: None, password: str, reason: str
) -> None:
    with pytest.raises(Unprocessable) as refused:
        await create_user("anna.agent", "agent", password, full_name="Anna Visser")
    assert refused.value.message.startswith(TOO_EASY + reason)
    assert ADVICE in refused.value.message
    assert refused.value.field == "password"
    assert not await User.exists(username="anna.agent")


@pytest.mark.parametrize(
    ("username", "password", "full_name", "email"),
    [
        ("sanne.supervisie", "sanne.supervisie", "", ""),
        ("sanne.supervisie", "Sanne.Supervisie1", "", ""),
        ("sdekker", "SanneDekker99", "Sanne Dekker", ""),
        ("sdekker", "woonstad-sanne", "", "sanne@woonstad.nl"),
        ("sdekker", "Sanne Dekker 1990", "Sanne Dekker", ""),
    ],
)
async def test_a_password_made_of_the_users_own_details_is_refused(
    db_clean: None, username: str, password: str, full_name: str, email: str
) -> None:
    with pytest.raises(Unprocessable) as refused:
        await create_user(username, "supervisor", password, full_name=full_name, email=email)
    assert refused.value.message.startswith(
        TOO_EASY + "het bestaat vooral uit uw gebruikersnaam, naam of e-mailadres"
    )


async def test_a_short_password_is_refused_for_its_length(db_clean: None) -> None:
    with pytest.raises(Unprocessable) as refused:
        await create_user("anna.agent", "agent", "Xq7#kw!")
    assert refused.value.message == "Het wachtwoord moet minstens 10 tekens hebben."


async def test_a_hard_password_is_accepted_and_logs_in(
    db_clean: None, http: httpx.AsyncClient
) -> None:
    await create_user("anna.agent", "agent", "kaasschaaf fietsbel regenjas", full_name="Anna")
    assert await _can_log_in(http, "anna.agent", "kaasschaaf fietsbel regenjas")


async def test_setting_a_new_password_follows_the_same_rule(
    db_clean: None, http: httpx.AsyncClient
) -> None:
    await create_user("anna.agent", "agent", "kaasschaaf fietsbel regenjas")
    with pytest.raises(Unprocessable) as refused:
        await set_password("anna.agent", "anna.agent")
    assert refused.value.message.startswith(TOO_EASY)
    # The refused password changed nothing.
    assert await _can_log_in(http, "anna.agent", "kaasschaaf fietsbel regenjas")
    assert not await _can_log_in(http, "anna.agent", "anna.agent")

    await set_password("anna.agent", "lantaarnpaal zeilboot 17 mei")
    assert await _can_log_in(http, "anna.agent", "lantaarnpaal zeilboot 17 mei")
    assert not await _can_log_in(http, "anna.agent", "kaasschaaf fietsbel regenjas")
