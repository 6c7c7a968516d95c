"""The housing stock import runs in the worker: the uploaded file waits in the database for
it (docs/admin.md)."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0033_client_reports")]

    initial = False

    operations = [
        ops.AddField(
            model_name="StockImport",
            name="upload",
            field=fields.BinaryField(null=True),
        ),
    ]
