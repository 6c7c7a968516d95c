"""Chat messages from the app keep when they were written (device time corrected by the
device's clock offset) beside created_at, when they reached the server."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0009_insight_arrival_indexes')]

    initial = False

    operations = [
        ops.AddField(
            model_name='DossierMessage',
            name='reported_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
