"""The order counter's description: it numbers dossiers on SQLite only (PostgreSQL uses a sequence
per year, docs/deploy.md)."""

from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0031_escalations")]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name="OrderCounter",
            options={
                "table": "order_counter",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One row per year, incremented inside the creating transaction: order numbers on SQLite.",
            },
        ),
    ]
