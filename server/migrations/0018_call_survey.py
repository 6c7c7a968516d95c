"""The survey after a call or e-mail (docs/contacts.md, "After-call survey"): one row per
contact whose caller was invited, with the scores once answered. A table of its own beside
`survey` (the job survey), so the job survey's figures read what they always read.

(caller_key, day) is unique: the once-a-day-per-caller rule holds under concurrent writers.
A NULL caller_key (after retention) never collides.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0017_mail')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CallSurvey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contact', fields.OneToOneField('models.Contact', source_field='contact_id', db_constraint=True, to_field='id', related_name='call_survey', on_delete=OnDelete.CASCADE)),
                ('client', fields.ForeignKeyField('models.Client', source_field='client_id', db_constraint=True, to_field='id', related_name='call_surveys', on_delete=OnDelete.CASCADE)),
                ('agent', fields.ForeignKeyField('models.User', source_field='agent_id', null=True, db_constraint=True, to_field='id', related_name='call_surveys', on_delete=OnDelete.SET_NULL)),
                ('agent_name', fields.CharField(default='', max_length=200)),
                ('caller_key', fields.CharField(null=True, max_length=64)),
                ('day', fields.DateField()),
                ('channel', fields.CharField(max_length=10)),
                ('invited_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('friendliness', fields.SmallIntField(null=True)),
                ('expertise', fields.SmallIntField(null=True)),
                ('helpfulness', fields.SmallIntField(null=True)),
                ('solution', fields.SmallIntField(null=True)),
                ('remark', fields.TextField(default='', unique=False)),
                ('submitted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'call_survey', 'app': 'models', 'unique_together': (('caller_key', 'day'),), 'indexes': [Index(fields=['client_id', 'submitted_at'])], 'pk_attr': 'id', 'table_description': 'The survey about one contact: made when its caller is invited, answered once.'},
            bases=['Model'],
        ),
    ]
