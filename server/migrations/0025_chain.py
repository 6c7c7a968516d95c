"""The chain (docs/chain.md): integrations with clients' and contractors' systems (endpoint,
authentication, which VERA messages, the key they answer with) and the VERA messages sent to
them, in order per dossier, with their tries."""

from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [("models", "0022_contact_hours")]

    initial = False

    operations = [
        ops.CreateModel(
            name='Integration',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('client', fields.ForeignKeyField('models.Client', source_field='client_id', null=True, db_constraint=True, to_field='id', related_name='integrations', on_delete=OnDelete.CASCADE)),
                ('contractor', fields.ForeignKeyField('models.Contractor', source_field='contractor_id', null=True, db_constraint=True, to_field='id', related_name='integrations', on_delete=OnDelete.CASCADE)),
                ('endpoint_url', fields.CharField(max_length=500)),
                ('auth', fields.CharField(default='api_key', max_length=10)),
                ('api_key_header', fields.CharField(default='X-API-KEY', max_length=60)),
                ('token_url', fields.CharField(default='', max_length=500)),
                ('oauth_client_id', fields.CharField(default='', max_length=200)),
                ('oauth_scope', fields.CharField(default='', max_length=200)),
                ('secret', fields.TextField(default='', unique=False)),
                ('messages', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('active', fields.BooleanField(default=False)),
                ('inbound_key_hash', fields.CharField(null=True, unique=True, max_length=64)),
                ('inbound_key_hint', fields.CharField(default='', max_length=8)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'chain_integration', 'app': 'models', 'pk_attr': 'id', 'table_description': "A client's or a contractor's system that receives VERA messages and may answer."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ChainMessage',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('integration', fields.ForeignKeyField('models.Integration', source_field='integration_id', db_constraint=True, to_field='id', related_name='chain_messages', on_delete=OnDelete.CASCADE)),
                ('dossier', fields.ForeignKeyField('models.Dossier', source_field='dossier_id', db_constraint=True, to_field='id', related_name='chain_messages', on_delete=OnDelete.CASCADE)),
                ('key', fields.CharField(unique=True, max_length=120)),
                ('message_id', fields.CharField(unique=True, max_length=36)),
                ('kind', fields.CharField(max_length=20)),
                ('method', fields.CharField(default='POST', max_length=6)),
                ('path', fields.CharField(max_length=200)),
                ('body', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharField(default='wachtrij', db_index=True, max_length=12)),
                ('attempts', fields.IntField(default=0)),
                ('deliver_after', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(default='', unique=False)),
                ('response_status', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'chain_message', 'app': 'models', 'indexes': [Index(fields=['dossier_id', 'integration_id', 'status'])], 'pk_attr': 'id', 'table_description': 'One VERA message to one integration: built once, sent as built (same id on every try).'},
            bases=['Model'],
        ),
    ]
