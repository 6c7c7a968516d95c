"""Searching by the words tenants use: Dutch stems and synonyms find the right article, on
SQLite (FTS5, stemmed in Python) and PostgreSQL (full text, `dutch`) alike."""

from __future__ import annotations

import pytest

from server.knowledge import articles
from server.models import KnowledgeArticle
from tests.support import world

# The words and the article each must find first.
TENANT_WORDS = {
    "kraan": "Druppelende kraan",
    "gaslucht": "Gaslucht in of bij de woning",
    "verstopt": "Wc of afvoer verstopt",
    "wc": "Wc of afvoer verstopt",
    "ketel": "Cv-ketel: waterdruk te laag, zelf bijvullen",
    "stroom": "Stroom uitgevallen in een deel van de woning",
    "sleutel": "Buitengesloten: sleutel kwijt of vergeten",
}


@pytest.mark.parametrize(("word", "title"), TENANT_WORDS.items())
async def test_a_tenants_word_finds_the_right_article_first(
    w: world.World, kb: dict[str, KnowledgeArticle], word: str, title: str
) -> None:
    found = await articles.find(w.agent, word, "LVD")
    assert found.items, word
    assert found.items[0].title == title


async def test_stemming_finds_other_forms_of_a_word(
    w: world.World, kb: dict[str, KnowledgeArticle]
) -> None:
    # "kranen" (plural) and "druppelende" (the article says it) share a stem with its words.
    for query in ("kranen", "mijn kraan druppelt", "KRAAN!!", "sleutels"):
        titles = [a.title for a in (await articles.find(w.agent, query, "LVD")).items]
        assert titles, query
    plural = await articles.find(w.agent, "kranen", "LVD")
    assert plural.items[0].title == "Druppelende kraan"


async def test_synonyms_reach_an_article_that_never_uses_the_word(
    w: world.World, kb: dict[str, KnowledgeArticle]
) -> None:
    """The gas article says 'gas', never 'gaslucht' in its keywords; 'toilet' finds 'wc'."""
    wc = await articles.find(w.agent, "toilet loopt over", "LVD")
    assert wc.items[0].title == "Wc of afvoer verstopt"
    heating = await articles.find(w.agent, "kachel", "LVD")
    assert heating.items[0].title == "Cv-ketel: waterdruk te laag, zelf bijvullen"


async def test_every_word_must_match_unless_none_has_them_all(
    w: world.World, kb: dict[str, KnowledgeArticle]
) -> None:
    # "wc" alone finds the toilet article; with "stopkraan" only the kraan article has both.
    both = await articles.find(w.agent, "druppelt stopkraan", "LVD")
    assert [a.title for a in both.items] == ["Druppelende kraan"]
    # A sentence whose words no article has all: any word will do.
    sentence = await articles.find(w.agent, "ik ruik gaslucht in de gang", "LVD")
    assert sentence.items[0].title == "Gaslucht in of bij de woning"
    either = {a.title for a in (await articles.find(w.agent, "kraan gaslucht", "LVD")).items}
    assert {"Druppelende kraan", "Gaslucht in of bij de woning"} <= either
    assert (await articles.find(w.agent, "xyzzy", "LVD")).total == 0


async def test_no_words_lists_every_article_by_title(
    w: world.World, kb: dict[str, KnowledgeArticle]
) -> None:
    everything = await articles.find(w.agent, "", "")
    assert everything.total == len(kb)
    titles = [a.title for a in everything.items]
    assert titles == sorted(titles)
    # Only stop words and signs: no words to search for, so the list again.
    assert (await articles.find(w.agent, 'de "het" - een?', "")).total == len(kb)


async def test_a_new_version_is_found_by_its_new_words_and_not_its_old(
    w: world.World, kb: dict[str, KnowledgeArticle]
) -> None:
    article = kb["Druppelende kraan"]
    data = articles.ArticleInput(
        "Lekkende mengkraan", "Vervang het binnenwerk niet zelf.", keywords="thermostaatkraan"
    )
    await articles.update(w.supervisor, article, data)
    assert [a.id for a in (await articles.find(w.agent, "thermostaatkraan")).items] == [article.id]
    assert article.id not in [a.id for a in (await articles.find(w.agent, "leertje")).items]
