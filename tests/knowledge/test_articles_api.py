"""The knowledge base through the API and the pages: who reads what (a client never another
client's articles), every save a version with who and when, and refusals in Dutch."""

from __future__ import annotations

import httpx

from server.models import KnowledgeArticle
from tests.support import world
from tests.support.pages import csrf, login
from tests.support.world import token_for

WST_OWN = "Woonstad: reservesleutel bij de huismeester"


async def _lvd_article(http: httpx.AsyncClient) -> int:
    headers = await token_for(http, "sanne.supervisie")
    made = await http.post(
        "/api/v1/knowledge",
        json={
            "client": "LVD",
            "title": "Lichtveld: sleutelkluis bij de voordeur",
            "body": "De code van de sleutelkluis staat in het huurcontract.",
            "keywords": "sleutel kluis",
        },
        headers=headers,
    )
    assert made.status_code == 201, made.text
    assert made.json()["client"] == "LVD" and made.json()["version"] == 1
    return int(made.json()["id"])


async def test_a_client_reads_shared_articles_and_its_own_never_anothers(
    http: httpx.AsyncClient, w: world.World, kb: dict[str, KnowledgeArticle]
) -> None:
    lvd = await _lvd_article(http)
    wim = await token_for(http, "wim.woonstad")
    listing = (await http.get("/api/v1/knowledge?limit=200", headers=wim)).json()
    clients = {item["client"] for item in listing["items"]}
    assert clients == {None, "WST"}
    assert listing["total"] == len(kb)
    # Searching for the very words of Lichtveld's article does not reveal it.
    found = (await http.get("/api/v1/knowledge?q=sleutelkluis", headers=wim)).json()
    assert found == {"total": 0, "items": []}
    keys = (await http.get("/api/v1/knowledge?q=sleutel", headers=wim)).json()
    titles = [i["title"] for i in keys["items"]]
    assert WST_OWN in titles and "Lichtveld: sleutelkluis bij de voordeur" not in titles
    # By id, by naming the client, by version: not found.
    for path in (f"/api/v1/knowledge/{lvd}", f"/api/v1/knowledge/{lvd}/versions/1"):
        refused = await http.get(path, headers=wim)
        assert refused.status_code == 404
        assert refused.json()["error"]["message"] == f"Artikel '{lvd}' niet gevonden."
    assert (await http.get("/api/v1/knowledge?client=LVD", headers=wim)).status_code == 404
    # Lichtveld's user sees its own, and not Woonstad's.
    lisa = await token_for(http, "lisa.lichtveld")
    theirs = (await http.get("/api/v1/knowledge?q=sleutel", headers=lisa)).json()
    titles = [i["title"] for i in theirs["items"]]
    assert "Lichtveld: sleutelkluis bij de voordeur" in titles and WST_OWN not in titles
    # The pages the same way.
    await login(http, "wim.woonstad")
    page = await http.get("/kennisbank?q=sleutel")
    assert WST_OWN in page.text and "sleutelkluis" not in page.text
    assert (await http.get(f"/kennisbank/{lvd}")).status_code == 404


async def test_the_desk_reads_all_and_a_client_filter_gives_its_own_and_the_shared(
    http: httpx.AsyncClient, w: world.World, kb: dict[str, KnowledgeArticle]
) -> None:
    await _lvd_article(http)
    anna = await token_for(http, "anna.agent")
    everything = (await http.get("/api/v1/knowledge?limit=200", headers=anna)).json()
    assert everything["total"] == len(kb) + 1
    lvd = (await http.get("/api/v1/knowledge?client=lvd&q=sleutel", headers=anna)).json()
    assert [i["client"] for i in lvd["items"]].count("WST") == 0
    assert "Lichtveld: sleutelkluis bij de voordeur" in [i["title"] for i in lvd["items"]]
    # The agent reads; writing is for supervisors.
    refused = await http.post("/api/v1/knowledge", json={"title": "x", "body": "y"}, headers=anna)
    assert refused.status_code == 403
    assert "supervisie" in refused.json()["error"]["message"]


async def test_every_save_is_a_new_version_listed_with_who_and_when(
    http: httpx.AsyncClient, w: world.World, kb: dict[str, KnowledgeArticle]
) -> None:
    article = kb["Druppelende kraan"]
    sanne = await token_for(http, "sanne.supervisie")
    admin = await token_for(http, "admin")
    body = {"title": "Druppelende kraan", "body": "Nieuwe tekst.", "reason": "Korter"}
    first = await http.put(
        f"/api/v1/knowledge/{article.id}", json={**body, "based_on": 1}, headers=sanne
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = await http.put(
        f"/api/v1/knowledge/{article.id}",
        json={**body, "body": "Derde tekst.", "reason": "Nog korter", "based_on": 2},
        headers=admin,
    )
    assert second.json()["version"] == 3 and second.json()["updated_by"] == "Admin"
    # Someone who started from version 2 does not overwrite version 3 unseen.
    stale = await http.put(
        f"/api/v1/knowledge/{article.id}", json={**body, "based_on": 2}, headers=sanne
    )
    assert stale.status_code == 409
    assert "intussen gewijzigd door Admin (versie 3)" in stale.json()["error"]["message"]
    anna = await token_for(http, "anna.agent")
    history = (await http.get(f"/api/v1/knowledge/{article.id}/versions", headers=anna)).json()
    assert [(v["version"], v["saved_by"], v["reason"]) for v in history] == [
        (3, "Admin", "Nog korter"),
        (2, "Sanne Supervisie", "Korter"),
        (1, "Sanne Supervisie", "Nieuw artikel"),
    ]
    old = (await http.get(f"/api/v1/knowledge/{article.id}/versions/1", headers=anna)).json()
    assert "stopkraantje onder het aanrecht" in old["body"]
    assert (await http.get(f"/api/v1/knowledge/{article.id}", headers=anna)).json()[
        "body"
    ] == "Derde tekst."
    missing = await http.get(f"/api/v1/knowledge/{article.id}/versions/9", headers=anna)
    assert missing.status_code == 404
    # The page lists them and shows an old one as it was.
    await login(http, "anna.agent")
    page = await http.get(f"/kennisbank/{article.id}")
    assert "Nog korter" in page.text and f"/kennisbank/{article.id}/versies/1" in page.text
    version_page = await http.get(f"/kennisbank/{article.id}/versies/1")
    assert "stopkraantje" in version_page.text and "eerdere versie" in version_page.text


async def test_supervisor_writes_and_edits_on_the_pages(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "sanne.supervisie")
    form = await http.get("/kennisbank/nieuw")
    token = csrf(form.text)
    made = await http.post(
        "/kennisbank/nieuw",
        data={
            "csrf_token": token,
            "client": "WST",
            "title": "Geen warm water uit de boiler",
            "body": "Controleer of de stekker erin zit.\n\nBel anders terug.",
            "keywords": "boiler warm water",
            "subject": "boiler",
        },
    )
    assert made.status_code == 303
    url = made.headers["location"].split("?")[0]
    page = await http.get(url)
    assert "Geen warm water uit de boiler" in page.text and "Woonstad Utrecht" in page.text
    edit = await http.get(url + "/bewerken")
    saved = await http.post(
        url + "/bewerken",
        data={
            "csrf_token": csrf(edit.text),
            "title": "Geen warm water uit de boiler",
            "body": "Controleer de stekker en de groep.",
            "subject": "boiler",
            "based_on": "1",
            "reason": "Groep toegevoegd",
        },
    )
    assert saved.status_code == 303
    after = await http.get(url)
    assert "versie 2" in after.text and "Groep toegevoegd" in after.text
    # A bad field comes back on the form with its Dutch message, nothing saved.
    bad = await http.post(
        url + "/bewerken",
        data={"csrf_token": csrf(edit.text), "title": "", "body": "x", "based_on": "2"},
    )
    assert bad.status_code == 422 and "Vul de titel in." in bad.text


async def test_refusals_name_the_field_in_dutch(
    http: httpx.AsyncClient, w: world.World, kb: dict[str, KnowledgeArticle]
) -> None:
    sanne = await token_for(http, "sanne.supervisie")
    cases = [
        ({"title": " ", "body": "x"}, "title", "Vul de titel in."),
        ({"title": "x", "body": ""}, "body", "Vul de tekst in."),
        ({"title": "x", "body": "y", "subject": "zwembad"}, "subject", "bestaat niet"),
        ({"title": "x", "body": "y", "subject": "Rm -rf"}, "subject", "geen onderwerp"),
        (
            {"title": "x", "body": "y", "subject": "cv_storing", "outcome": "cv_warm_water_acuut"},
            "outcome",
            "niet op afstand opgelost",
        ),
        ({"title": "x", "body": "y", "outcome": "cv_bijvullen"}, "subject", "onderwerp"),
        ({"title": "x", "body": "y", "client": "NOPE"}, "client", "niet gevonden"),
        ({"title": "x" * 201, "body": "y"}, "title", ""),
    ]
    for body, field, words in cases:
        response = await http.post("/api/v1/knowledge", json=body, headers=sanne)
        assert response.status_code in (404, 422), (body, response.text)
        error = response.json()["error"]
        assert error["field"] == field, (body, error)
        assert words in error["message"], (body, error)
    assert await KnowledgeArticle.all().count() == len(kb)
    for path in ("/api/v1/knowledge/abc", "/api/v1/knowledge/99999999999999999999"):
        response = await http.get(path, headers=sanne)
        assert response.status_code == 404
        assert "niet gevonden" in response.json()["error"]["message"]
