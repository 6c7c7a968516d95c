"""Knowledge-base tests: the small test world with the demo's articles written into it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server.demo.knowledge import ARTICLES
from server.knowledge import articles
from server.knowledge.articles import ArticleInput
from server.models import KnowledgeArticle
from tests.support import world

# When the articles were written (a fixed moment; nothing here depends on today).
WRITTEN = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def write_demo_articles(w: world.World) -> dict[str, KnowledgeArticle]:
    """The demo's articles by title; Woonstad's own stays Woonstad's."""
    out = {}
    for spec in ARTICLES:
        data = ArticleInput(
            spec.title, spec.body, spec.client, spec.keywords, spec.subject, spec.outcome
        )
        out[spec.title] = await articles.create(w.supervisor, data, WRITTEN)
    return out


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


@pytest.fixture
async def kb(w: world.World) -> dict[str, KnowledgeArticle]:
    return await write_demo_articles(w)
