"""The knowledge base (docs/contacts.md, "Knowledge base"): articles per client and shared,
every saved version, the contacts solved with one, and the index its search reads.

Search: on PostgreSQL a GIN index over the `dutch` tsvector of title (weight A), keywords (B)
and body, the expression server/knowledge/search.py queries; on SQLite an FTS5 table
knowledge_fts (rowid = article id) of the Dutch stems of the same three texts, written by
server/knowledge/search.py, emptied with its article by a trigger. Diacritics are kept, as
PostgreSQL's `dutch` configuration keeps them.
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

# The expression PostgreSQL indexes; server/knowledge/search.py uses the same text.
PG_VECTOR = (
    "setweight(to_tsvector('dutch', title), 'A') || "
    "setweight(to_tsvector('dutch', keywords), 'B') || "
    "to_tsvector('dutch', body)"
)


def _pg(schema_editor: Any) -> bool:
    return bool(schema_editor.client.capabilities.dialect == "postgres")


async def create_search(apps: Any, schema_editor: Any) -> None:
    if _pg(schema_editor):
        await schema_editor.client.execute_script(
            f"CREATE INDEX IF NOT EXISTS knowledge_article_search ON knowledge_article "
            f"USING GIN (({PG_VECTOR}))"
        )
        return
    await schema_editor.client.execute_script(
        "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_fts USING fts5("
        "title, keywords, body, tokenize = 'unicode61 remove_diacritics 0');"
        "CREATE TRIGGER IF NOT EXISTS knowledge_fts_delete AFTER DELETE ON knowledge_article "
        "BEGIN DELETE FROM knowledge_fts WHERE rowid = old.id; END;"
    )


async def drop_search(apps: Any, schema_editor: Any) -> None:
    if _pg(schema_editor):
        await schema_editor.client.execute_script("DROP INDEX IF EXISTS knowledge_article_search")
        return
    await schema_editor.client.execute_script(
        "DROP TRIGGER IF EXISTS knowledge_fts_delete; DROP TABLE IF EXISTS knowledge_fts"
    )


class Migration(migrations.Migration):
    dependencies = [("models", "0018_call_survey"), ("models", "0019_telephony_figures")]

    initial = False

    operations = [
        ops.CreateModel(
            name="KnowledgeArticle",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "client",
                    fields.ForeignKeyField(
                        "models.Client",
                        source_field="client_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="articles",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("title", fields.CharField(max_length=200)),
                ("body", fields.TextField(unique=False)),
                ("keywords", fields.CharField(default="", max_length=500)),
                ("subject", fields.CharField(default="", max_length=60)),
                ("outcome", fields.CharField(default="", max_length=60)),
                ("version", fields.IntField(default=1)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated_by", fields.CharField(default="", max_length=200)),
            ],
            options={
                "table": "knowledge_article",
                "app": "models",
                "indexes": [Index(fields=["subject", "outcome"])],
                "pk_attr": "id",
                "table_description": "The current version of an article (every save also writes a KnowledgeVersion).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ContactArticle",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "contact",
                    fields.OneToOneField(
                        "models.Contact",
                        source_field="contact_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="solved_with",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "article",
                    fields.ForeignKeyField(
                        "models.KnowledgeArticle",
                        source_field="article_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="solutions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("article_version", fields.IntField()),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "contact_article",
                "app": "models",
                "indexes": [Index(fields=["article_id"])],
                "pk_attr": "id",
                "table_description": "A contact solved remotely with an article ('opgelost met artikel').",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="KnowledgeVersion",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "article",
                    fields.ForeignKeyField(
                        "models.KnowledgeArticle",
                        source_field="article_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="versions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("version", fields.IntField()),
                ("title", fields.CharField(max_length=200)),
                ("body", fields.TextField(unique=False)),
                ("keywords", fields.CharField(default="", max_length=500)),
                ("subject", fields.CharField(default="", max_length=60)),
                ("outcome", fields.CharField(default="", max_length=60)),
                ("reason", fields.CharField(default="", max_length=500)),
                (
                    "saved_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="saved_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("saved_by_name", fields.CharField(default="", max_length=200)),
                ("saved_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "knowledge_version",
                "app": "models",
                "unique_together": (("article", "version"),),
                "pk_attr": "id",
                "table_description": "One saved version of an article, as it was: what, who and when.",
            },
            bases=["Model"],
        ),
        ops.RunPython(create_search, drop_search),
    ]
