import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0003_dispatch")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ChangeLog",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="changes",
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
                        related_name="changes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("kind", fields.CharField(max_length=20)),
                (
                    "data",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "sync_change",
                "app": "models",
                "indexes": [
                    Index(fields=["user_id", "id"]),
                    Index(fields=["user_id", "dossier_id"]),
                ],
                "pk_attr": "id",
                "table_description": (
                    "What a technician's devices must learn on "
                    "their next pull, numbered in commit order."
                ),
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Device",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="devices",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("device_id", fields.CharField(max_length=64)),
                ("epoch", fields.CharField(max_length=32)),
                ("last_seq", fields.BigIntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "last_seen_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "sync_device",
                "app": "models",
                "unique_together": (("user", "device_id"),),
                "pk_attr": "id",
                "table_description": (
                    "One installed technician app. last_seq is "
                    "advanced in the transaction of each operation."
                ),
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="DossierMessage",
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
                        related_name="messages",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "author",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="author_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="messages",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("author_name", fields.CharField(default="", max_length=200)),
                ("author_role", fields.CharField(default="", max_length=20)),
                ("op_id", fields.CharField(null=True, unique=True, max_length=80)),
                ("text", fields.TextField(unique=False)),
                (
                    "device_time",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "dossier_message",
                "app": "models",
                "indexes": [Index(fields=["dossier_id", "id"])],
                "pk_attr": "id",
                "table_description": (
                    "The chat of a dossier, between the technician, the meldkamer and the client."
                ),
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Photo",
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
                        related_name="photos",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("key", fields.CharField(db_index=True, max_length=64)),
                ("client_id", fields.CharField(unique=True, max_length=80)),
                (
                    "uploaded_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="uploaded_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="photos",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("width", fields.IntField(default=0)),
                ("height", fields.IntField(default=0)),
                ("taken_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("caption", fields.CharField(default="", max_length=500)),
                (
                    "attached_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "photo",
                "app": "models",
                "pk_attr": "id",
                "table_description": (
                    "A photo of a job. The file lives "
                    "under MEDIA_ROOT by its key (sha256 of the original)."
                ),
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RepairLog",
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
                        related_name="repair_logs",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "technician",
                    fields.ForeignKeyField(
                        "models.Technician",
                        source_field="technician_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="repair_logs",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "author",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="author_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="repair_logs",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("op_id", fields.CharField(unique=True, max_length=80)),
                ("cause", fields.TextField(default="", unique=False)),
                ("work_done", fields.TextField(default="", unique=False)),
                (
                    "materials",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("minutes", fields.IntField(default=0)),
                ("fixed", fields.BooleanField(default=False)),
                (
                    "device_time",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "repair_log",
                "app": "models",
                "pk_attr": "id",
                "table_description": (
                    "One repair report from the field: cause, "
                    "work done, materials, time, fixed or not."
                ),
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SyncOutcome",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "device",
                    fields.ForeignKeyField(
                        "models.Device",
                        source_field="device_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="outcomes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("seq", fields.BigIntField()),
                ("op_id", fields.CharField(max_length=80)),
                ("kind", fields.CharField(max_length=40)),
                ("job", fields.CharField(default="", max_length=20)),
                ("status", fields.CharField(max_length=12)),
                ("reason", fields.TextField(default="", unique=False)),
                (
                    "result",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                (
                    "device_time",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("received_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "sync_outcome",
                "app": "models",
                "unique_together": (("device", "seq"), ("device", "op_id")),
                "pk_attr": "id",
                "table_description": (
                    "What became of one pushed operation, "
                    "returned again when the operation is replayed."
                ),
            },
            bases=["Model"],
        ),
    ]
