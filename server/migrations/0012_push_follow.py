"""One browser may follow several dossiers: a tenant with two reports opts in on both tracking
pages. The dossier moves from push_subscription (one per endpoint) to push_follow, one row per
browser and dossier; existing subscriptions keep following their dossier.

The pairs are put aside in a table of their own before the column goes: SQLite drops a column by
rebuilding the table, and dropping the old table would cascade to push_follow's rows."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0011_insight_event_statistics')]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name='PushSubscription',
            options={'table': 'push_subscription', 'app': 'models', 'pk_attr': 'id', 'table_description': "A browser that accepted Web Push, one row per endpoint: a technician's, or a tenant's."},
        ),
        ops.RunSQL(
            "CREATE TABLE push_follow_move AS SELECT id, dossier_id, created_at "
            "FROM push_subscription WHERE dossier_id IS NOT NULL"
        ),
        ops.RemoveField(model_name='PushSubscription', name='dossier'),
        ops.CreateModel(
            name='PushFollow',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('subscription', fields.ForeignKeyField('models.PushSubscription', source_field='subscription_id', db_constraint=True, to_field='id', related_name='follows', on_delete=OnDelete.CASCADE)),
                ('dossier', fields.ForeignKeyField('models.Dossier', source_field='dossier_id', db_constraint=True, to_field='id', related_name='push_follows', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'push_follow', 'app': 'models', 'unique_together': (('subscription', 'dossier'),), 'pk_attr': 'id', 'table_description': "A browser follows a dossier: the tenant opted in on that dossier's tracking page."},
            bases=['Model'],
        ),
        ops.RunSQL(
            [
                "INSERT INTO push_follow (subscription_id, dossier_id, created_at) "
                "SELECT id, dossier_id, created_at FROM push_follow_move",
                "DROP TABLE push_follow_move",
            ]
        ),
    ]
