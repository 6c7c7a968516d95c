import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ProtocolVersion",
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
                        db_constraint=True,
                        to_field="id",
                        related_name="protocol_versions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("version", fields.IntField()),
                ("text", fields.TextField(unique=False)),
                ("checksum", fields.CharField(max_length=64)),
                ("status", fields.CharField(default="published", max_length=10)),
                ("reason", fields.TextField(default="", unique=False)),
                (
                    "created_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="created_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="protocol_versions",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_by_name", fields.CharField(default="", max_length=200)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "protocol_version",
                "app": "models",
                "unique_together": (("client", "version"),),
                "pk_attr": "id",
                "table_description": "A client's protocol as published, never changed again.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ClientNotification",
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
                        db_constraint=True,
                        to_field="id",
                        related_name="notifications",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "dossier",
                    fields.ForeignKeyField(
                        "models.Dossier",
                        source_field="dossier_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="client_notifications",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "protocol_version",
                    fields.ForeignKeyField(
                        "models.ProtocolVersion",
                        source_field="protocol_version_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="notifications",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("kind", fields.CharField(max_length=30)),
                ("to_name", fields.CharField(default="", max_length=200)),
                ("to_phone", fields.CharField(default="", max_length=20)),
                ("to_email", fields.CharField(default="", max_length=254)),
                ("subject", fields.CharField(max_length=200)),
                ("body", fields.TextField(unique=False)),
                (
                    "data",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("status", fields.CharField(default="wachtrij", db_index=True, max_length=12)),
                ("attempts", fields.IntField(default=0)),
                ("last_error", fields.TextField(default="", unique=False)),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False),
                ),
                ("sent_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "client_notification",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A message to a client, recorded now and sent later by a job.",
            },
            bases=["Model"],
        ),
    ]
