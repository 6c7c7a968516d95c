"""Online reporting by tenants (docs/selfservice.md): the report while it is being made
(report_draft, with its one-time code as an HMAC), and the call-back flag on the dossier."""

from typing import Any

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


def _fk(model: str, name: str, null: bool, on_delete: OnDelete) -> Any:
    return fields.ForeignKeyField(  # type: ignore[call-overload]
        model,
        source_field=f"{name}_id",
        null=null,
        db_constraint=True,
        to_field="id",
        related_name="report_drafts",
        on_delete=on_delete,
    )


class Migration(migrations.Migration):
    dependencies = [("models", "0027_admin")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Dossier",
            name="call_back_at",
            field=fields.DatetimeField(null=True),
        ),
        ops.CreateModel(
            name="ReportDraft",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("key_hash", fields.CharField(max_length=64, unique=True)),
                ("client", _fk("models.Client", "client", False, OnDelete.CASCADE)),
                ("contact", fields.CharField(max_length=254, default="")),
                ("code_hash", fields.CharField(max_length=64, default="")),
                ("code_expires_at", fields.DatetimeField(null=True)),
                ("code_attempts", fields.IntField(default=0)),
                ("codes_sent", fields.IntField(default=0)),
                ("verified_at", fields.DatetimeField(null=True)),
                ("address", _fk("models.Address", "address", True, OnDelete.SET_NULL)),
                ("address_tries", fields.IntField(default=0)),
                ("data", fields.JSONField(default=dict)),
                ("language", fields.CharField(max_length=5, default="nl")),
                ("dossier", _fk("models.Dossier", "dossier", True, OnDelete.SET_NULL)),
                ("created_at", fields.DatetimeField()),
                ("expires_at", fields.DatetimeField(db_index=True)),
            ],
            options={
                "table": "report_draft",
                "app": "models",
                "pk_attr": "id",
                "table_description": (
                    "A tenant's report before it is a dossier, kept on the server so that a "
                    "reload, the back"
                ),
            },
            bases=["Model"],
        ),
    ]
