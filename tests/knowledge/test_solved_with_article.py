"""The agent marks a contact 'opgelost met artikel'; the dashboard counts remote solutions per
article and the share of contacts solved without a technician, per client and for all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import time_machine

from server.contacts import contacts
from server.contacts.contacts import Registration
from server.db import connection
from server.domain.kpis import Period
from server.knowledge import figures
from server.models import ContactArticle, KnowledgeArticle
from tests.support import world
from tests.support.pages import csrf, login
from tests.support.world import token_for

NOW = datetime(2026, 11, 17, 14, 0, tzinfo=UTC)
CV = "Cv-ketel: waterdruk te laag, zelf bijvullen"


def _remote(client: str, article: int | None) -> dict[str, object]:
    body: dict[str, object] = {
        "client": client,
        "subject": "Ketel op 0,5 bar",
        "result_code": "op_afstand_opgelost",
    }
    if article is not None:
        body["article"] = article
    return body


async def test_the_agent_registers_a_contact_solved_with_an_article(
    http: httpx.AsyncClient, w: world.World, kb: dict[str, KnowledgeArticle]
) -> None:
    anna = await token_for(http, "anna.agent")
    cv = kb[CV]
    made = await http.post("/api/v1/contacts", json=_remote("WST", cv.id), headers=anna)
    assert made.status_code == 201, made.text
    assert made.json()["article"] == {"id": cv.id, "title": CV, "version": 1}
    contact = made.json()["id"]
    # Left out of a correction, it stays; another result takes it away.
    kept = await http.patch(f"/api/v1/contacts/{contact}", json={"note": "Gelukt."}, headers=anna)
    assert kept.json()["article"]["id"] == cv.id
    moved = await http.patch(
        f"/api/v1/contacts/{contact}", json={"result_code": "algemene_vraag"}, headers=anna
    )
    assert moved.json()["article"] is None
    assert await ContactArticle.all().count() == 0


async def test_an_article_goes_with_op_afstand_opgelost_and_the_contacts_client(
    http: httpx.AsyncClient, w: world.World, kb: dict[str, KnowledgeArticle]
) -> None:
    anna = await token_for(http, "anna.agent")
    wrong_result = await http.post(
        "/api/v1/contacts",
        json={**_remote("WST", kb[CV].id), "result_code": "algemene_vraag"},
        headers=anna,
    )
    assert wrong_result.status_code == 422
    assert wrong_result.json()["error"]["field"] == "article"
    assert "Op afstand opgelost" in wrong_result.json()["error"]["message"]
    # Woonstad's own article is not Lichtveld's to use.
    own = kb["Woonstad: reservesleutel bij de huismeester"]
    other_client = await http.post("/api/v1/contacts", json=_remote("LVD", own.id), headers=anna)
    assert other_client.status_code == 422
    assert other_client.json()["error"]["message"] == f"Artikel '{own.id}' niet gevonden."
    missing = await http.post("/api/v1/contacts", json=_remote("WST", 999999), headers=anna)
    assert missing.status_code == 422
    assert (await contacts.search(w.agent)).total == 0


async def test_the_contact_page_offers_the_articles_and_shows_the_one_chosen(
    http: httpx.AsyncClient, w: world.World, kb: dict[str, KnowledgeArticle]
) -> None:
    await login(http, "anna.agent")
    form = await http.get("/contacten/registreren")
    assert "Opgelost met artikel" in form.text and CV in form.text
    sent = await http.post(
        "/contacten/registreren",
        data={
            "csrf_token": csrf(form.text),
            "client": "WST",
            "subject": "Ketel op 0,5 bar",
            "result_code": "op_afstand_opgelost",
            "article": str(kb[CV].id),
        },
    )
    assert sent.status_code == 303
    contact_id = sent.headers["location"].rsplit("=", 1)[1]
    page = await http.get(f"/contacten/{contact_id}")
    assert f'<a href="/kennisbank/{kb[CV].id}">{CV}</a>' in page.text
    bad = await http.post(
        "/contacten/registreren",
        data={
            "csrf_token": csrf(form.text),
            "client": "WST",
            "subject": "Vraag",
            "result_code": "op_afstand_opgelost",
            "article": "abc",
        },
    )
    assert bad.status_code == 422 and "Artikel &#39;abc&#39; niet gevonden." in bad.text
    # A client's user reads which article solved its contact.
    await login(http, "wim.woonstad")
    assert CV in (await http.get(f"/contacten/{contact_id}")).text


async def _register(
    w: world.World, client: str, result: str, article: int | None, at: datetime
) -> None:
    await contacts.register(
        w.agent,
        None,
        Registration(
            client=client,
            subject="Melding",
            result_code=result,
            article=article,
            dossiers=[],
            started_at=at,
        ),
        at,
    )


async def test_remote_solutions_per_article_and_the_share_without_a_technician(
    http: httpx.AsyncClient, w: world.World, kb: dict[str, KnowledgeArticle]
) -> None:
    cv, power = kb[CV], kb["Stroom uitgevallen in een deel van de woning"]
    day = NOW - timedelta(days=3)
    for client, result, article in [
        ("WST", "op_afstand_opgelost", cv.id),
        ("WST", "op_afstand_opgelost", cv.id),
        ("WST", "op_afstand_opgelost", power.id),
        ("WST", "op_afstand_opgelost", None),
        ("WST", "algemene_vraag", None),
        ("LVD", "op_afstand_opgelost", cv.id),
        ("LVD", "geen_actie", None),
    ]:
        await _register(w, client, result, article, day)
    period = Period((day - timedelta(days=1)).date(), (day + timedelta(days=1)).date())
    wst = await figures.remote_solutions((w.woonstad.id,), period.start, period.end, connection())
    assert (wst.contacts, wst.remote, wst.with_article, wst.dispatched) == (5, 4, 3, 0)
    assert wst.per_article == [(CV, "gedeeld", 2), (power.title, "gedeeld", 1)]
    assert wst.share_of_contacts == 80.0
    everyone = await figures.remote_solutions(None, period.start, period.end, connection())
    assert (everyone.contacts, everyone.remote, everyone.with_article) == (7, 5, 4)
    assert everyone.per_article[0] == (CV, "gedeeld", 3)
    assert everyone.share_of_contacts == round(100 * 5 / 7, 1)
    # On the dashboard, per client (a client's user sees its own) and for the meldkamer.
    with time_machine.travel(NOW, tick=False):
        await login(http, "wim.woonstad")
        page = await http.get("/dashboard?periode=7d")
        assert "Op afstand opgelost per artikel uit de kennisbank" in page.text
        assert f"{CV} (gedeeld)" in page.text and "80.0" in page.text
        await login(http, "anna.agent")
        page = await http.get("/dashboard?periode=7d")
        assert "Contacten opgelost zonder monteur" in page.text
        assert str(round(100 * 5 / 7, 1)) in page.text
