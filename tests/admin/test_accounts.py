"""Users on the admin screen: an invitation by e-mail, the single-use link, deactivating
(his sessions and tokens end at once), a password reset that tells nobody whether an address
is known, and every change listed on the user's page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from server.models import AccountLink, ChangeRecord, User
from tests.admin.support import link_in, mail, messages, post_form
from tests.support import world
from tests.support.pages import csrf, login
from tests.support.world import token_for

NEW_PASSWORD = "paars nijlpaard danst op ijs"


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _invite(http: httpx.AsyncClient, **fields: str) -> httpx.Response:
    data = {
        "username": "lisa.de.vries",
        "full_name": "Lisa de Vries",
        "email": "lisa@example.nl",
        "role": "agent",
        "client": "",
    }
    data.update(fields)
    return await post_form(http, "/beheer/gebruikers/nieuw", "/beheer/gebruikers/nieuw", **data)


async def test_an_invited_user_sets_her_password_once_and_logs_in(
    http: httpx.AsyncClient,
    client_factory: Callable[[], httpx.AsyncClient],
    w: world.World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with mail(monkeypatch) as inbox:
        await login(http, "admin")
        sent = await _invite(http)
        assert sent.status_code == 303, sent.text
        (message,) = messages(inbox)
    assert message["To"] == "Lisa de Vries <lisa@example.nl>"
    assert message["Subject"] == "Uitnodiging voor de meldkamer"
    link = link_in(message)
    detail = await http.get(sent.headers["location"])
    assert "Uitnodiging verstuurd naar lisa@example.nl" in detail.text
    assert "uitgenodigd" in detail.text
    # Before she sets one, no password logs her in (not even an empty one).
    fresh = client_factory()
    async with fresh:
        refused = await fresh.post(
            "/api/v1/auth/token", json={"username": "lisa.de.vries", "password": ""}
        )
        assert refused.status_code == 401
        form = await fresh.get(link)
        assert form.status_code == 200 and "lisa.de.vries" in form.text
        weak = await fresh.post(
            link,
            data={"csrf_token": csrf(form.text), "password": "welkom123", "repeat": "welkom123"},
        )
        assert weak.status_code == 422 and "wachtwoord" in weak.text.lower()
        other = await fresh.post(
            link,
            data={
                "csrf_token": csrf(form.text),
                "password": NEW_PASSWORD,
                "repeat": NEW_PASSWORD + "x",
            },
        )
        assert other.status_code == 422 and "niet gelijk" in other.text
        done = await fresh.post(
            link,
            data={"csrf_token": csrf(form.text), "password": NEW_PASSWORD, "repeat": NEW_PASSWORD},
        )
        assert done.status_code == 303 and done.headers["location"].startswith("/login?ingesteld=1")
        again = await fresh.get(link)
        assert again.status_code == 404 and "verlopen of al gebruikt" in again.text
    async with client_factory() as api:
        token = await api.post(
            "/api/v1/auth/token", json={"username": "lisa.de.vries", "password": NEW_PASSWORD}
        )
    assert token.status_code == 200
    changes = (
        await ChangeRecord.filter(object_type="user")
        .order_by("id")
        .values_list("field", "new", "by_name")
    )
    assert ("rol", "Meldkamermedewerker", "Admin") in changes
    assert ("wachtwoord", "ingesteld via uitnodiging", "Lisa de Vries") in changes


async def test_an_expired_invitation_is_refused(
    http: httpx.AsyncClient, w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with mail(monkeypatch) as inbox:
        await login(http, "admin")
        await _invite(http)
        link = link_in(messages(inbox)[0])
    await AccountLink.all().update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    page = await http.get(link)
    assert page.status_code == 404 and "verlopen of al gebruikt" in page.text


async def test_bad_invitations_say_what_is_wrong_and_keep_what_was_typed(
    http: httpx.AsyncClient, w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with mail(monkeypatch) as inbox:
        await login(http, "admin")
        no_client = await _invite(http, role="client")
        assert no_client.status_code == 422
        assert "hoort bij een opdrachtgever" in no_client.text
        assert 'value="lisa@example.nl"' in no_client.text
        taken = await _invite(http, username="anna.agent")
        assert taken.status_code == 409 and "bestaat al" in taken.text
        bad_mail = await _invite(http, email="lisa@")
        assert bad_mail.status_code == 422 and "geldig e-mailadres" in bad_mail.text
        assert inbox.envelopes == []
    assert not await User.exists(username="lisa.de.vries")


async def test_without_a_mail_server_the_user_exists_and_the_admin_is_told(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "admin")
    sent = await _invite(http)
    assert sent.status_code == 303
    page = await http.get(sent.headers["location"])
    assert "niet gemaild" in page.text
    assert "Nieuwe uitnodiging versturen" in page.text


async def test_deactivating_ends_his_sessions_and_tokens_at_once(
    http: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient], w: world.World
) -> None:
    headers = await token_for(http, "anna.agent")
    agent, api = client_factory(), client_factory()
    async with agent, api:
        await login(agent, "anna.agent")
        assert (await agent.get("/dossiers")).status_code == 200
        await login(http, "admin")
        page = f"/beheer/gebruikers/{w.agent.id}"
        done = await post_form(http, page, f"{page}/actief", active="nee")
        assert done.status_code == 303
        assert (await agent.get("/dossiers")).status_code == 303  # back to the login
        assert (await api.get("/api/v1/dossiers", headers=headers)).status_code == 401
        shown = await http.get(page)
        assert "gedeactiveerd" in shown.text and "actief" in shown.text
        relogin = await api.post(
            "/api/v1/auth/token", json={"username": "anna.agent", "password": world.PASSWORD}
        )
        assert relogin.status_code == 401
    assert await ChangeRecord.filter(object_id=str(w.agent.id), field="actief", new="nee").exists()


async def test_an_admin_cannot_deactivate_or_demote_himself(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "admin")
    page = f"/beheer/gebruikers/{w.admin.id}"
    refused = await post_form(http, page, f"{page}/actief", active="nee")
    assert refused.status_code == 403
    demoted = await post_form(
        http, page, page, full_name="Admin", email="admin@example.nl", role="agent"
    )
    assert demoted.status_code == 403
    assert (await User.get(id=w.admin.id)).role == "admin"


async def test_changing_a_role_is_listed_with_who_and_old_and_new(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "admin")
    page = f"/beheer/gebruikers/{w.agent.id}"
    saved = await post_form(
        http,
        page,
        page,
        full_name="Anna Agent",
        email="anna@example.nl",
        role="supervisor",
        client="",
    )
    assert saved.status_code == 303
    shown = (await http.get(page)).text
    assert "Wijzigingen" in shown
    assert "Meldkamermedewerker" in shown and "Supervisie" in shown
    row = await ChangeRecord.get(object_id=str(w.agent.id), field="rol")
    assert (row.old, row.new, row.by_name) == ("Meldkamermedewerker", "Supervisie", "Admin")


async def test_password_reset_answers_the_same_for_any_address_and_is_limited(
    http: httpx.AsyncClient,
    client_factory: Callable[[], httpx.AsyncClient],
    w: world.World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    w.agent.email = "anna@example.nl"
    await w.agent.save()
    async with mail(monkeypatch) as inbox:
        known = await post_form(
            http, "/wachtwoord-vergeten", "/wachtwoord-vergeten", email="Anna@Example.nl"
        )
        unknown = await post_form(
            http, "/wachtwoord-vergeten", "/wachtwoord-vergeten", email="niemand@example.nl"
        )
        assert known.status_code == unknown.status_code == 200
        assert "Als dit adres bij een actieve gebruiker hoort" in known.text
        assert _answer(known.text) == _answer(unknown.text)
        (message,) = messages(inbox)
        assert message["To"].addresses[0].addr_spec == "anna@example.nl"
        link = link_in(message)
        for _ in range(2):
            await post_form(
                http, "/wachtwoord-vergeten", "/wachtwoord-vergeten", email="niemand@example.nl"
            )
        limited = await post_form(
            http, "/wachtwoord-vergeten", "/wachtwoord-vergeten", email="niemand@example.nl"
        )
        assert limited.status_code == 429 and "Te veel aanvragen" in limited.text
    form = await http.get(link)
    done = await http.post(
        link, data={"csrf_token": csrf(form.text), "password": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    )
    assert done.status_code == 303
    async with client_factory() as api:
        token = await api.post(
            "/api/v1/auth/token", json={"username": "anna.agent", "password": NEW_PASSWORD}
        )
    assert token.status_code == 200


def _answer(html: str) -> str:
    start = html.index("<main")
    return html[start : html.index("</main>")]


async def test_a_contractor_user_is_linked_to_his_contractor_on_the_forms(
    http: httpx.AsyncClient,
    client_factory: Callable[[], httpx.AsyncClient],
    w: world.World,
) -> None:
    await login(http, "admin")
    unlinked = await _invite(http, username="jan.noord", role="contractor", contractor="")
    assert (
        unlinked.status_code == 422 and "hoort bij een aannemer: kies de aannemer" in unlinked.text
    )
    assert 'value="jan.noord"' in unlinked.text
    unknown = await _invite(http, username="jan.noord", role="contractor", contractor="NEP")
    assert unknown.status_code == 422
    sent = await _invite(http, username="jan.noord", role="contractor", contractor="INST")
    assert sent.status_code == 303, sent.text
    jan = await User.get(username="jan.noord")
    assert jan.contractor_id == w.contractor.id  # type: ignore[attr-defined]
    page = sent.headers["location"]
    shown = (await http.get(page)).text
    assert '<option value="INST" selected>' in shown
    # Bas moves to the other contractor: his session and tokens end (they saw INST's orders).
    async with client_factory() as api:
        headers = await token_for(api, "bas.aannemer")
    async with client_factory() as bas:
        await login(bas, "bas.aannemer")
        assert (await bas.get("/aannemer")).status_code == 200
        bas_page = f"/beheer/gebruikers/{w.contractor_user.id}"
        moved = await post_form(
            http,
            bas_page,
            bas_page,
            full_name="Bas Aannemer",
            email="bas@example.nl",
            role="contractor",
            contractor="DAKZ",
        )
        assert moved.status_code == 303, moved.text
        assert (await bas.get("/aannemer")).status_code == 303
        assert (await bas.get("/api/v1/clients", headers=headers)).status_code == 401
    record = await ChangeRecord.get(object_id=str(w.contractor_user.id), field="aannemer")
    assert (record.old, record.new, record.by_name) == ("INST", "DAKZ", "Admin")
    # Another role keeps no contractor.
    agent_page = f"/beheer/gebruikers/{w.agent.id}"
    await post_form(
        http, agent_page, agent_page, email="anna@example.nl", role="agent", contractor="INST"
    )
    assert (await User.get(id=w.agent.id)).contractor_id is None  # type: ignore[attr-defined]


async def test_a_contractor_user_without_a_contractor_is_told_why_he_cannot_log_in(
    http: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient], w: world.World
) -> None:
    await User.filter(id=w.contractor_user.id).update(contractor_id=None)
    page = await http.get("/login")
    refused = await http.post(
        "/login",
        data={
            "csrf_token": csrf(page.text),
            "username": "bas.aannemer",
            "password": world.PASSWORD,
            "next": "/aannemer",
        },
    )
    assert refused.status_code == 403
    assert "nog niet aan een aannemer gekoppeld" in refused.text
    assert (await http.get("/aannemer")).status_code == 303  # not logged in
    async with client_factory() as app:
        api = await app.post(
            "/api/v1/auth/token", json={"username": "bas.aannemer", "password": world.PASSWORD}
        )
    assert api.status_code == 403, api.text
    assert "aannemer gekoppeld" in api.json()["error"]["message"]
