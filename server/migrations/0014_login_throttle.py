"""Failed logins become one counter row per username and per address (login_throttle), so a
slot is taken by one conditional UPDATE and parallel tries cannot all pass the check before any
of them is counted. The old per-attempt rows (login_attempt) only held the last window's
failures; they are dropped, which at worst lifts a lock-out that was running at upgrade time."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0013_insight_facts')]

    initial = False

    operations = [
        ops.CreateModel(
            name='LoginThrottle',
            fields=[
                ('key', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=100)),
                ('failures', fields.IntField(default=0)),
                ('window_start', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'login_throttle', 'app': 'models', 'pk_attr': 'key', 'table_description': 'Failed logins of one username ("name:anna") or address ("addr:10.0.0.7") in the current'},
            bases=['Model'],
        ),
        ops.DeleteModel(name='LoginAttempt'),
    ]
