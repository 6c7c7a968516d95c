"""The clients' weekly and monthly reports (docs/admin.md, "Rapportages"): each one built,
with its PDF and workbook, its status and recipients."""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0032_order_counter_description")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ClientReport",
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
                        related_name="reports",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("kind", fields.CharField(max_length=10)),
                ("first_day", fields.DateField()),
                ("last_day", fields.DateField()),
                ("built_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("pdf", fields.BinaryField(null=True)),
                ("xlsx", fields.BinaryField(null=True)),
                ("status", fields.CharField(default="gebouwd", max_length=20)),
                ("error", fields.CharField(default="", max_length=300)),
                (
                    "summary",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                (
                    "sent_to",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("attempts", fields.IntField(default=0)),
            ],
            options={
                "table": "client_report",
                "app": "models",
                "unique_together": (("client_id", "kind", "first_day"),),
                "pk_attr": "id",
                "table_description": "One client's report over one period, unique per client, kind and first day.",
            },
            bases=["Model"],
        ),
    ]
