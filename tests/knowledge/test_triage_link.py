"""At intake the subject is found by the tenant's words, and an outcome solved remotely shows
the article linked to it."""

from __future__ import annotations

import httpx
import pytest

from server.dossiers import dossiers
from server.knowledge import articles
from server.models import KnowledgeArticle
from tests.support import world
from tests.support.pages import csrf, login
from tests.support.world import token_for

# The words (all "Geen onderwerp gevonden" before) and the subject each must put first.
SUBJECTS = {
    "kraan": "lekkage_waterleiding",
    "gaslucht": "gaslek",
    "verstopt": "lekkage_afvoer",
    "wc": "lekkage_afvoer",
    "ketel": "cv_storing",
    "stroom": "elektra",
    "sleutel": "buitensluiting",
    "mijn wc is verstopt": "lekkage_afvoer",
    "ik ruik gaslucht": "gaslek",
    "sleutels kwijt": "buitensluiting",
    "lek": "lekkage_woning",  # typing: the start of a label word
}
CV_LOW_PRESSURE = {
    "subject": "cv_storing",
    "answers": {"bewoonbaarheid": "nee", "waterdruk": "onder_1_bar"},
}


@pytest.mark.parametrize(("words", "subject"), SUBJECTS.items())
async def test_the_intake_finds_the_subject_by_the_tenants_words(
    http: httpx.AsyncClient, w: world.World, words: str, subject: str
) -> None:
    anna = await token_for(http, "anna.agent")
    response = await http.get("/api/v1/protocols/WST/subjects", params={"q": words}, headers=anna)
    assert response.status_code == 200
    assert response.json()[0]["id"] == subject, response.json()


async def test_the_subject_search_lists_all_without_words_and_nothing_for_nonsense(
    http: httpx.AsyncClient, w: world.World
) -> None:
    anna = await token_for(http, "anna.agent")
    every = (await http.get("/api/v1/protocols/WST/subjects", headers=anna)).json()
    assert len(every) == 16 and every[0]["id"] == "cv_storing"
    assert (await http.get("/api/v1/protocols/WST/subjects?q=xyzzy", headers=anna)).json() == []
    # Another client's protocol is not the client user's to search.
    wim = await token_for(http, "wim.woonstad")
    assert (await http.get("/api/v1/protocols/WST/subjects?q=wc", headers=wim)).status_code == 200
    other = await http.get("/api/v1/protocols/LVD/subjects?q=wc", headers=wim)
    assert other.status_code == 404


async def test_the_triage_page_without_javascript_searches_subjects(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await dossiers.create(w.agent, world.intake("WST", category="elektra"))
    await login(http, "anna.agent")
    page = await http.get(f"/dossiers/{d.order_number}/triage", params={"zoek": "wc"})
    assert page.status_code == 200
    assert "Lekkage afvoeren" in page.text and "Cv-storing" not in page.text
    nothing = await http.get(f"/dossiers/{d.order_number}/triage", params={"zoek": "xyzzy"})
    assert "Geen onderwerp gevonden." in nothing.text


async def test_an_outcome_solved_remotely_shows_its_article(
    http: httpx.AsyncClient, w: world.World, kb: dict[str, KnowledgeArticle]
) -> None:
    anna = await token_for(http, "anna.agent")
    decided = await http.post(
        "/api/v1/triage/evaluate", json={"client": "LVD", **CV_LOW_PRESSURE}, headers=anna
    )
    body = decided.json()
    assert body["outcome"]["action"] == "op_afstand_oplossen"
    article = body["article"]
    assert article["title"] == "Cv-ketel: waterdruk te laag, zelf bijvullen"
    assert "tussen 1,5 en 2 bar" in article["body"] and article["shared"] is True
    # An outcome that sends a technician shows none.
    urgent = await http.post(
        "/api/v1/triage/evaluate",
        json={
            "client": "LVD",
            "subject": "cv_storing",
            "answers": {
                "bewoonbaarheid": "nee",
                "waterdruk": "in_orde",
                "wat": "geen_warm_water",
                "medische_noodzaak": "nee",
            },
        },
        headers=anna,
    )
    assert urgent.json()["outcome"]["action"] == "opdracht_24u"
    assert urgent.json()["article"] is None


async def test_a_clients_own_article_comes_before_the_shared_one(
    http: httpx.AsyncClient, w: world.World, kb: dict[str, KnowledgeArticle]
) -> None:
    own = await articles.create(
        w.supervisor,
        articles.ArticleInput(
            "Woonstad: ketel bijvullen, vulslang bij de huismeester",
            "De huismeester leent een vulslang uit.",
            "WST",
            subject="cv_storing",
            outcome="cv_bijvullen",
        ),
    )
    anna = await token_for(http, "anna.agent")
    for code, title in (("WST", own.title), ("LVD", "Cv-ketel: waterdruk te laag, zelf bijvullen")):
        decided = await http.post(
            "/api/v1/triage/evaluate", json={"client": code, **CV_LOW_PRESSURE}, headers=anna
        )
        assert decided.json()["article"]["title"] == title


async def test_the_dossier_triage_page_shows_the_article_and_the_dossier_keeps_which(
    http: httpx.AsyncClient, w: world.World, kb: dict[str, KnowledgeArticle]
) -> None:
    d = await dossiers.create(w.agent, world.intake("WST", category="elektra"))
    await login(http, "anna.agent")
    url = f"/dossiers/{d.order_number}/triage"
    answers = [
        ("antwoord", "bewoonbaarheid:nee"),
        ("antwoord", "omvang:gedeeltelijk"),
        ("antwoord", "groepenkast:nog_niet"),
    ]
    page = await http.get(url, params=[("onderwerp", "elektra"), *answers])
    assert "Uit de kennisbank" in page.text
    assert "Stroom uitgevallen in een deel van de woning" in page.text
    assert "aardlekschakelaar die omlaag staat" in page.text
    recorded = await http.post(
        url,
        data={
            "csrf_token": csrf(page.text),
            "triage_subject": "elektra",
            "triage_answers": '{"bewoonbaarheid": "nee", "omvang": "gedeeltelijk", '
            '"groepenkast": "nog_niet"}',
        },
    )
    assert recorded.status_code == 303
    dossier = await http.get(f"/dossiers/{d.order_number}")
    article = kb["Stroom uitgevallen in een deel van de woning"]
    assert f"/kennisbank/{article.id}/versies/1" in dossier.text
