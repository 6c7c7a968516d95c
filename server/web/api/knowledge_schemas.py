"""Request and response models of the knowledge-base API, and how an article is shown."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from server.knowledge.articles import (
    MAX_BODY,
    MAX_KEYWORDS,
    MAX_REASON,
    MAX_TITLE,
    ArticleInput,
)
from server.models import KnowledgeArticle, KnowledgeVersion
from server.web.api.responses import Response
from server.web.api.schemas import Body

_SUBJECT = "Protocol subject id it belongs to (docs/protocol.md), or empty"
_OUTCOME = "An op_afstand_oplossen outcome of that subject, or empty for any of them"


class ArticleUpdate(Body):
    """A new version of an article; every field is saved as given."""

    title: str = Field(max_length=MAX_TITLE)
    body: str = Field(max_length=MAX_BODY, description="The text, in Dutch")
    keywords: str = Field("", max_length=MAX_KEYWORDS, description="Words tenants use for it")
    subject: str = Field("", max_length=60, description=_SUBJECT)
    outcome: str = Field("", max_length=60, description=_OUTCOME)
    reason: str = Field("", max_length=MAX_REASON, description="What changed")
    based_on: int | None = Field(
        None, ge=1, le=2**31 - 1, description="The version edited; a newer one gives 409"
    )

    def to_input(self) -> ArticleInput:
        return ArticleInput(**self.model_dump())


class ArticleCreate(ArticleUpdate):
    """A new article: a client's own, or shared (client left out)."""

    client: str = Field("", max_length=20, description="Code of its client; empty: shared")


class Article(Response):
    """An article's current version"""

    id: int
    client: str | None = Field(description="Code of its client; null: shared by all")
    title: str
    body: str | None = Field(description="Left out of search results")
    keywords: str
    subject: str
    outcome: str
    version: int
    updated_at: str
    updated_by: str


class ArticleList(Response):
    """Articles, best match first"""

    total: int
    items: list[Article]


class ArticleVersion(Response):
    """One saved version of an article"""

    version: int
    title: str
    body: str
    keywords: str
    subject: str
    outcome: str
    reason: str
    saved_by: str
    saved_at: str


class SubjectMatch(Response):
    """A protocol subject found by the words of the query, best first"""

    id: str
    label: str
    help: str | None


def article_json(article: KnowledgeArticle, body: bool = True) -> dict[str, Any]:
    return {
        "id": article.id,
        "client": article.client.code if article.client else None,
        "title": article.title,
        "body": article.body if body else None,
        "keywords": article.keywords,
        "subject": article.subject,
        "outcome": article.outcome,
        "version": article.version,
        "updated_at": article.updated_at.isoformat(),
        "updated_by": article.updated_by,
    }


def version_json(version: KnowledgeVersion) -> dict[str, Any]:
    return {
        "version": version.version,
        "title": version.title,
        "body": version.body,
        "keywords": version.keywords,
        "subject": version.subject,
        "outcome": version.outcome,
        "reason": version.reason,
        "saved_by": version.saved_by_name,
        "saved_at": version.saved_at.isoformat(),
    }
