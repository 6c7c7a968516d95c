"""The language the tenant picked, on the dossier (server/i18n); empty until they pick."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0020_knowledge")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Dossier",
            name="language",
            field=fields.CharField(max_length=5, null=True),
        ),
    ]
