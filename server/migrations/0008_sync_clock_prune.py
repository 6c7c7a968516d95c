from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0007_absences')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SyncPrune',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('through_id', fields.BigIntField()),
                ('deleted', fields.IntField(default=0)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sync_prune', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One pruning of the change log: changes numbered up to through_id were removed.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Device',
            name='clock_measured_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Device',
            name='clock_offset',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='RepairLog',
            name='reported_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
