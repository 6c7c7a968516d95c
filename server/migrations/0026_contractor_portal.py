"""The contractor portal (docs/chain.md, "Contractor portal"): a user of role contractor belongs
to its contractor; a dossier keeps when its contractor accepted the order."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0025_chain")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Dossier",
            name="contractor_accepted_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="User",
            name="contractor",
            field=fields.ForeignKeyField(
                "models.Contractor",
                source_field="contractor_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="users",
                on_delete=OnDelete.CASCADE,
            ),
        ),
    ]
