"""The knowledge base: articles (a client's own, or shared when client is null), every saved
version of them, and the contacts solved with one (docs/contacts.md, "Knowledge base").

Search uses an index outside these models (migration 0018): on PostgreSQL a GIN index over
the `dutch` tsvector of title, keywords and body; on SQLite the FTS5 table knowledge_fts,
filled by server/knowledge/search.py with the Dutch stems of the same texts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.clients import Client
    from server.models.contacts import Contact
    from server.models.people import User


class KnowledgeArticle(models.Model):
    """The current version of an article (every save also writes a KnowledgeVersion)."""

    id = fields.IntField(primary_key=True)
    client: fields.ForeignKeyNullableRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="articles", null=True, on_delete=fields.RESTRICT
    )
    client_id: int | None
    title = fields.CharField(max_length=200)
    body = fields.TextField()
    # The words tenants use for it, besides those in title and body.
    keywords = fields.CharField(max_length=500, default="")
    # The protocol subject and outcome it belongs to (an op_afstand_oplossen outcome shows it);
    # an empty outcome: any such outcome of the subject.
    subject = fields.CharField(max_length=60, default="")
    outcome = fields.CharField(max_length=60, default="")
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    updated_by = fields.CharField(max_length=200, default="")

    versions: fields.ReverseRelation[KnowledgeVersion]

    class Meta:
        table = "knowledge_article"
        indexes = (("subject", "outcome"),)

    def __str__(self) -> str:
        return self.title


class KnowledgeVersion(models.Model):
    """One saved version of an article, as it was: what, who and when."""

    id = fields.IntField(primary_key=True)
    article: fields.ForeignKeyRelation[KnowledgeArticle] = fields.ForeignKeyField(
        "models.KnowledgeArticle", related_name="versions", on_delete=fields.CASCADE
    )
    article_id: int
    version = fields.IntField()
    title = fields.CharField(max_length=200)
    body = fields.TextField()
    keywords = fields.CharField(max_length=500, default="")
    subject = fields.CharField(max_length=60, default="")
    outcome = fields.CharField(max_length=60, default="")
    # What changed, in the writer's words.
    reason = fields.CharField(max_length=500, default="")
    saved_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    # Kept as text, so a version still says who after the user is removed.
    saved_by_name = fields.CharField(max_length=200, default="")
    saved_at = fields.DatetimeField()

    class Meta:
        table = "knowledge_version"
        unique_together = (("article", "version"),)
        ordering = ["-version"]


class ContactArticle(models.Model):
    """A contact solved remotely with an article ('opgelost met artikel')."""

    id = fields.IntField(primary_key=True)
    contact: fields.OneToOneRelation[Contact] = fields.OneToOneField(
        "models.Contact", related_name="solved_with", on_delete=fields.CASCADE
    )
    contact_id: int
    article: fields.ForeignKeyRelation[KnowledgeArticle] = fields.ForeignKeyField(
        "models.KnowledgeArticle", related_name="solutions", on_delete=fields.RESTRICT
    )
    article_id: int
    # The version the agent had in front of him.
    article_version = fields.IntField()
    at = fields.DatetimeField()

    class Meta:
        table = "contact_article"
        indexes = (("article_id",),)
