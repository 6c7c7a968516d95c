"""E-mail (docs/contacts.md, "E-mail"): mail_message keeps every mail read from a client's
mailbox (one contact each) and every reply the desk sent, unique per mailbox, direction and
Message-ID (its sha256), for deduplication and threading; mailbox_state keeps each mailbox's
polling lease, last poll and error. The mailbox settings themselves are in client.settings."""

from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0016_werkbon_signature')]

    initial = False

    operations = [
        ops.CreateModel(
            name='MailMessage',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('client', fields.ForeignKeyField('models.Client', source_field='client_id', db_constraint=True, to_field='id', related_name='mail_messages', on_delete=OnDelete.CASCADE)),
                ('mailbox', fields.CharField(max_length=254)),
                ('direction', fields.CharField(max_length=3)),
                ('message_key', fields.CharField(max_length=64)),
                ('message_id', fields.TextField(default='', unique=False)),
                ('contact', fields.ForeignKeyField('models.Contact', source_field='contact_id', null=True, db_constraint=True, to_field='id', related_name='mails', on_delete=OnDelete.CASCADE)),
                ('dossier', fields.ForeignKeyField('models.Dossier', source_field='dossier_id', null=True, db_constraint=True, to_field='id', related_name='mails', on_delete=OnDelete.SET_NULL)),
                ('outbound', fields.ForeignKeyField('models.OutboundMessage', source_field='outbound_id', null=True, db_constraint=True, to_field='id', related_name='mails', on_delete=OnDelete.SET_NULL)),
                ('author', fields.ForeignKeyField('models.User', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='mails', on_delete=OnDelete.SET_NULL)),
                ('sender', fields.CharField(default='', max_length=254)),
                ('sender_name', fields.CharField(default='', max_length=200)),
                ('recipient', fields.CharField(default='', max_length=254)),
                ('subject', fields.CharField(default='', max_length=300)),
                ('text', fields.TextField(default='', unique=False)),
                ('thread_refs', fields.TextField(default='', unique=False)),
                ('attachments', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('uid', fields.BigIntField(null=True)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'mail_message', 'app': 'models', 'unique_together': (('mailbox', 'direction', 'message_key'),), 'indexes': [Index(fields=['client_id', 'message_key']), Index(fields=['dossier_id'])], 'pk_attr': 'id', 'table_description': 'One mail in (`in`: a contact) or out (`uit`: a reply from the desk).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MailboxState',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('client', fields.OneToOneField('models.Client', source_field='client_id', db_constraint=True, to_field='id', related_name='mailbox_state', on_delete=OnDelete.CASCADE)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('polled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ok_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('error', fields.TextField(default='', unique=False)),
                ('stored', fields.IntField(default=0)),
            ],
            options={'table': 'mailbox_state', 'app': 'models', 'pk_attr': 'id', 'table_description': "How polling a client's mailbox goes: the lease one poller holds, the last poll and its"},
            bases=['Model'],
        ),
    ]
