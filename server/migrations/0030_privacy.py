"""Privacy (docs/privacy.md): who opened which dossier (dossier_view), and the tenants' access
and erasure requests (privacy_request), which keep a keyed hash of the tenant's number or
address, never the number or address itself."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0028_selfservice")]

    initial = False

    operations = [
        ops.CreateModel(
            name="DossierView",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "dossier",
                    fields.ForeignKeyField(
                        "models.Dossier",
                        source_field="dossier_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="views",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="dossier_views",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("username", fields.CharField(max_length=150)),
                ("role", fields.CharField(max_length=20)),
                ("via", fields.CharField(max_length=10)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "dossier_view",
                "app": "models",
                "indexes": [Index(fields=["dossier_id", "at"]), Index(fields=["user_id", "at"])],
                "pk_attr": "id",
                "table_description": "A staff or client user opened a dossier (its page, or through the API).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="PrivacyRequest",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("kind", fields.CharField(max_length=10)),
                ("subject_kind", fields.CharField(max_length=10)),
                ("subject_key", fields.CharField(db_index=True, max_length=64)),
                ("reference", fields.CharField(default="", max_length=100)),
                ("note", fields.TextField(default="", unique=False)),
                ("found", fields.JSONField(default=dict)),
                ("photos_removed", fields.BooleanField(default=False)),
                (
                    "by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="privacy_requests",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("by_name", fields.CharField(max_length=150)),
                ("at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "privacy_request",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A tenant's access request (inzage) or erasure (wissen), done by an admin: what was",
            },
            bases=["Model"],
        ),
    ]
