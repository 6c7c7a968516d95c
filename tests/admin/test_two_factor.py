"""Two-factor login: required per role on the admin screen, enrolment with a QR code drawn on
the server, a code good once, recovery codes, and the API asking for the code too."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pyotp
import pytest

from server.admin import two_factor
from server.models import ChangeRecord, TwoFactor
from tests.admin.support import post_form
from tests.support import world
from tests.support.pages import csrf
from tests.support.world import PASSWORD


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _password(http: httpx.AsyncClient, username: str) -> httpx.Response:
    page = await http.get("/login")
    return await http.post(
        "/login", data={"csrf_token": csrf(page.text), "username": username, "password": PASSWORD}
    )


def _secret(html: str) -> str:
    found = re.search(r"<code data-secret>([A-Z2-7 ]+)</code>", html)
    assert found, html
    return found.group(1).replace(" ", "")


async def _require(http: httpx.AsyncClient, *roles: str) -> None:
    await _password(http, "admin")
    saved = await post_form(
        http, "/beheer/instellingen", "/beheer/instellingen", two_factor_roles=list(roles)
    )
    assert saved.status_code == 303, saved.text
    await http.post("/logout", data={"csrf_token": csrf((await http.get("/dossiers")).text)})


async def test_a_required_role_enrols_at_login_then_logs_in_with_a_code(
    http: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient], w: world.World
) -> None:
    await _require(http, "agent")
    first = await _password(http, "anna.agent")
    assert first.headers["location"] == "/login/tweestaps"
    # A pending login is not a login.
    assert (await http.get("/dossiers")).status_code == 303
    enrol = await http.get("/login/tweestaps")
    assert enrol.status_code == 200
    assert "<svg" in enrol.text and "verplicht" in enrol.text
    totp = pyotp.TOTP(_secret(enrol.text))
    wrong = await http.post(
        "/login/tweestaps", data={"csrf_token": csrf(enrol.text), "code": "000000"}
    )
    assert wrong.status_code == 422 and "klopt niet" in wrong.text
    assert _secret(wrong.text) == totp.secret  # the same secret: the app need not rescan
    # Kept: the same code again below, even when the 30 s step has turned in between.
    first_code = totp.now()
    done = await http.post(
        "/login/tweestaps", data={"csrf_token": csrf(enrol.text), "code": first_code}
    )
    assert done.status_code == 200
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", done.text)
    assert len(codes) == 10
    assert (await http.get("/dossiers")).status_code == 200

    async with client_factory() as other:
        step = await _password(other, "anna.agent")
        assert step.headers["location"] == "/login/code"
        page = await other.get("/login/code")
        # The code just used to enrol is not good a second time.
        reused = await other.post(
            "/login/code", data={"csrf_token": csrf(page.text), "code": first_code}
        )
        assert reused.status_code == 422
        recovery = await other.post(
            "/login/code", data={"csrf_token": csrf(page.text), "code": codes[0].upper()}
        )
        assert recovery.status_code == 303 and recovery.headers["location"] == "/dossiers"
    async with client_factory() as third:
        await _password(third, "anna.agent")
        page = await third.get("/login/code")
        spent = await third.post(
            "/login/code", data={"csrf_token": csrf(page.text), "code": codes[0]}
        )
        assert spent.status_code == 422
    assert await two_factor.recovery_left(w.agent) == 9
    assert await ChangeRecord.filter(object_id=str(w.agent.id), field="herstelcode").exists()


async def test_too_many_wrong_codes_end_the_pending_login(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await TwoFactor.create(
        user=w.agent, secret=pyotp.random_base32(), confirmed_at=datetime.now(UTC)
    )
    await _password(http, "anna.agent")
    page = await http.get("/login/code")
    for _ in range(5):
        answer = await http.post(
            "/login/code", data={"csrf_token": csrf(page.text), "code": "123456"}
        )
        assert answer.status_code == 422
    last = await http.post("/login/code", data={"csrf_token": csrf(page.text), "code": "123456"})
    assert last.status_code == 429 and "Te veel onjuiste codes" in last.text
    assert (await http.get("/login/code")).headers["location"] == "/login"
    # Counted on the server: a new pending login (or a replayed cookie) gets no new tries.
    await _password(http, "anna.agent")
    page = await http.get("/login/code")
    again = await http.post("/login/code", data={"csrf_token": csrf(page.text), "code": "123456"})
    assert again.status_code == 429


async def test_the_api_asks_for_the_code_of_a_user_with_two_factor(
    http: httpx.AsyncClient, w: world.World
) -> None:
    secret = pyotp.random_base32()
    await TwoFactor.create(user=w.client_user, secret=secret, confirmed_at=datetime.now(UTC))
    body = {"username": "wim.woonstad", "password": PASSWORD}
    refused = await http.post("/api/v1/auth/token", json=body)
    assert refused.status_code == 401
    assert "authenticator-app" in refused.json()["error"]["message"]
    given = await http.post("/api/v1/auth/token", json={**body, "code": pyotp.TOTP(secret).now()})
    assert given.status_code == 200


async def test_roles_not_required_log_in_as_before_and_technicians_cannot_be_required(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await _require(http, "client")
    assert (await _password(http, "anna.agent")).headers["location"] == "/dossiers"
    with pytest.raises(Exception, match="medewerkers en opdrachtgevers"):
        await two_factor.set_required_roles(w.admin, ["technician"])
    assert await two_factor.required_roles() == ["client"]


async def test_the_admin_removes_a_lost_second_factor(
    http: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient], w: world.World
) -> None:
    secret = pyotp.random_base32()
    await TwoFactor.create(user=w.supervisor, secret=secret, confirmed_at=datetime.now(UTC))
    lost = client_factory()
    step = await _password(lost, "sanne.supervisie")
    page_code = await lost.get(step.headers["location"])
    await lost.post(
        "/login/code",
        data={"csrf_token": csrf(page_code.text), "code": pyotp.TOTP(secret).now()},
    )
    assert (await lost.get("/dossiers")).status_code == 200
    await _password(http, "admin")
    page = f"/beheer/gebruikers/{w.supervisor.id}"
    assert "ingesteld" in (await http.get(page)).text
    done = await post_form(http, page, f"{page}/tweestaps-verwijderen")
    assert done.status_code == 303
    assert not await TwoFactor.exists(user_id=w.supervisor.id)
    # The lost phone's session ends with it.
    assert (await lost.get("/dossiers")).status_code == 303
    await lost.aclose()


async def _required_by_admin(
    client_factory: Callable[[], httpx.AsyncClient], *roles: str
) -> httpx.Response:
    async with client_factory() as admin:
        await _password(admin, "admin")
        return await post_form(
            admin, "/beheer/instellingen", "/beheer/instellingen", two_factor_roles=list(roles)
        )


async def test_a_logged_in_user_is_taken_to_the_set_up_on_his_next_request(
    http: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient], w: world.World
) -> None:
    await _password(http, "anna.agent")
    assert (await http.get("/dossiers/nieuw")).status_code == 200
    script = client_factory()
    await _password(script, "anna.agent")
    saved = await _required_by_admin(client_factory, "agent")
    assert saved.status_code == 303
    # A page's script asking JSON with her session is told why, in JSON.
    asked = await script.get("/dossiers", headers={"accept": "application/json"})
    assert asked.status_code == 401 and "nu verplicht" in asked.json()["error"]["message"]
    await script.aclose()
    # Not at her next login: her very next click.
    taken = await http.get("/dossiers/nieuw")
    assert (taken.status_code, taken.headers["location"]) == (303, "/login/tweestaps")
    # Her session is a pending login now: nothing else opens until she has set it up.
    assert (await http.get("/dossiers")).headers["location"] == "/login?next=/dossiers"
    assert (
        await http.get("/api/v1/clients", headers={"accept": "application/json"})
    ).status_code == 401
    enrol = await http.get("/login/tweestaps")
    assert "verplicht" in enrol.text
    done = await http.post(
        "/login/tweestaps",
        data={"csrf_token": csrf(enrol.text), "code": pyotp.TOTP(_secret(enrol.text)).now()},
    )
    assert done.status_code == 200 and 'href="/dossiers/nieuw"' in done.text
    assert (await http.get("/dossiers/nieuw")).status_code == 200
    assert (await http.get("/dossiers")).status_code == 200


async def test_a_session_without_the_code_is_asked_for_it_and_a_session_with_it_is_not(
    http: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient], w: world.World
) -> None:
    # Sanne sets it up herself in one browser while logged in in another.
    await _password(http, "sanne.supervisie")
    async with client_factory() as phone:
        await _password(phone, "sanne.supervisie")
        enrol = await phone.get("/account/tweestaps")
        totp = pyotp.TOTP(_secret(enrol.text))
        done = await phone.post(
            "/account/tweestaps", data={"csrf_token": csrf(enrol.text), "code": totp.now()}
        )
        assert done.status_code == 200
        await _required_by_admin(client_factory, "supervisor")
        # The browser where she gave a code carries on.
        assert (await phone.get("/dossiers")).status_code == 200
    # The other one logged in with her password only: it asks for the code.
    asked = await http.get("/dossiers")
    assert asked.headers["location"] == "/login/code"
    page = await http.get("/login/code")
    code = await http.post(
        "/login/code",
        data={"csrf_token": csrf(page.text), "code": totp.at(datetime.now(UTC).timestamp() + 30)},
    )
    assert (code.status_code, code.headers["location"]) == (303, "/dossiers")
    assert (await http.get("/dossiers")).status_code == 200


async def test_requiring_it_revokes_the_api_tokens_of_those_who_have_not_set_it_up(
    http: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient], w: world.World
) -> None:
    secret = pyotp.random_base32()
    await TwoFactor.create(user=w.client_user, secret=secret, confirmed_at=datetime.now(UTC))
    with_code = {
        "username": "wim.woonstad",
        "password": PASSWORD,
        "code": pyotp.TOTP(secret).now(),
    }
    enrolled = await http.post("/api/v1/auth/token", json=with_code)
    other = await http.post(
        "/api/v1/auth/token", json={"username": "lisa.lichtveld", "password": PASSWORD}
    )
    agent = await http.post(
        "/api/v1/auth/token", json={"username": "anna.agent", "password": PASSWORD}
    )
    tokens = {
        name: {"Authorization": f"Bearer {r.json()['token']}"}
        for name, r in (("wim", enrolled), ("lisa", other), ("anna", agent))
    }
    await _required_by_admin(client_factory, "client")
    # Lisa's app is logged out at once; Wim showed his code for his; Anna's role is not asked.
    assert (await http.get("/api/v1/clients", headers=tokens["lisa"])).status_code == 401
    assert (await http.get("/api/v1/clients", headers=tokens["wim"])).status_code == 200
    assert (await http.get("/api/v1/clients", headers=tokens["anna"])).status_code == 200
    again = await http.post(
        "/api/v1/auth/token", json={"username": "lisa.lichtveld", "password": PASSWORD}
    )
    assert again.status_code == 401 and "website" in again.json()["error"]["message"]
    record = await ChangeRecord.get(object_type="settings", field="API-tokens zonder tweestaps")
    assert record.new == "1 ingetrokken"
