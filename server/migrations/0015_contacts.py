"""Contacts (klantcontacten): every call and e-mail taken in a client's name, with its times,
result and the dossiers it made or concerns; the call events the telephony platform reported;
each client's inbound lines and transfer numbers (docs/contacts.md).

Reports count contacts by client and offered time; the desk finds a caller by number, in
contacts and in dossiers (contact_phone and contact_email, indexed with AddIndex: altering a field would make
SQLite rebuild the dossier table and drop the covering indexes of 0013)."""

from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0014_login_throttle')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Contact',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('client', fields.ForeignKeyField('models.Client', source_field='client_id', null=True, db_constraint=True, to_field='id', related_name='contacts', on_delete=OnDelete.RESTRICT)),
                ('channel', fields.CharField(max_length=12)),
                ('source', fields.CharField(default='balie', max_length=12)),
                ('call_id', fields.CharField(null=True, unique=True, max_length=120)),
                ('caller', fields.CharField(default='', max_length=254)),
                ('caller_name', fields.CharField(default='', max_length=200)),
                ('line', fields.CharField(default='', max_length=254)),
                ('address', fields.ForeignKeyField('models.Address', source_field='address_id', null=True, db_constraint=True, to_field='id', related_name='contacts', on_delete=OnDelete.SET_NULL)),
                ('agent', fields.ForeignKeyField('models.User', source_field='agent_id', null=True, db_constraint=True, to_field='id', related_name='contacts', on_delete=OnDelete.SET_NULL)),
                ('agent_name', fields.CharField(default='', max_length=200)),
                ('agent_ref', fields.CharField(default='', max_length=254)),
                ('state', fields.CharField(max_length=12)),
                ('offered_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('answered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('registered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('wait_seconds', fields.IntField(null=True)),
                ('talk_seconds', fields.IntField(null=True)),
                ('wrap_seconds', fields.IntField(null=True)),
                ('subject', fields.CharField(default='', max_length=200)),
                ('result_code', fields.CharField(null=True, max_length=40)),
                ('result_label', fields.CharField(default='', max_length=200)),
                ('referred_to', fields.CharField(default='', max_length=200)),
                ('note', fields.TextField(default='', unique=False)),
                ('transferred_to', fields.CharField(default='', max_length=20)),
                ('transferred_name', fields.CharField(default='', max_length=200)),
                ('transferred_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'contact', 'app': 'models', 'indexes': [Index(fields=['client_id', 'offered_at']), Index(fields=['offered_at']), Index(fields=['agent_id', 'state']), Index(fields=['caller', 'offered_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CallEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contact', fields.ForeignKeyField('models.Contact', source_field='contact_id', db_constraint=True, to_field='id', related_name='call_events', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=12)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('agent', fields.CharField(default='', max_length=254)),
                ('transferred_to', fields.CharField(default='', max_length=254)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('data', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'call_event', 'app': 'models', 'unique_together': (('contact', 'kind', 'at', 'agent'),), 'pk_attr': 'id', 'table_description': "One event the telephony platform reported, kept so a call's times can be recomputed"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ContactDossier',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contact', fields.ForeignKeyField('models.Contact', source_field='contact_id', db_constraint=True, to_field='id', related_name='dossier_links', on_delete=OnDelete.CASCADE)),
                ('dossier', fields.ForeignKeyField('models.Dossier', source_field='dossier_id', db_constraint=True, to_field='id', related_name='contact_links', on_delete=OnDelete.CASCADE)),
                ('created', fields.BooleanField(default=False)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'contact_dossier', 'app': 'models', 'unique_together': (('contact', 'dossier'),), 'indexes': [Index(fields=['dossier_id'])], 'pk_attr': 'id', 'table_description': 'A dossier a contact made (`created`) or concerns (a question about it, a repeat).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='InboundLine',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('client', fields.ForeignKeyField('models.Client', source_field='client_id', db_constraint=True, to_field='id', related_name='inbound_lines', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=10)),
                ('value', fields.CharField(unique=True, max_length=254)),
                ('label', fields.CharField(default='', max_length=100)),
            ],
            options={'table': 'inbound_line', 'app': 'models', 'pk_attr': 'id', 'table_description': "A number a client's tenants dial, or a mailbox they write to: it decides the client."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TransferTarget',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('client', fields.ForeignKeyField('models.Client', source_field='client_id', db_constraint=True, to_field='id', related_name='transfer_targets', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=200)),
                ('number', fields.CharField(max_length=20)),
                ('hours', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('position', fields.IntField(default=0)),
            ],
            options={'table': 'transfer_target', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A number the desk may put a caller through to, with the hours it is valid'},
            bases=['Model'],
        ),
        ops.AddIndex(
            model_name='Dossier',
            index=Index(fields=['contact_phone']),
        ),
        ops.AddIndex(
            model_name='Dossier',
            index=Index(fields=['contact_email']),
        ),
    ]
