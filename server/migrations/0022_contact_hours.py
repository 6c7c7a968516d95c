"""Hourly counts for the telephony figures (docs/contacts.md, "Figures"), and the number of
call events a contact's times are folded from (server/contacts/call_events.py).

contact_hour holds, per client, UTC hour, channel and result code, the contacts offered and
their call counts; triggers on contact keep it in the transaction that writes a contact
(server/insight/contact_hours.py, which also backfills it here from every contact there is).
A contact's existing events are counted into events_folded.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

from server.insight import contact_hours


async def install(apps: Any, schema_editor: Any) -> None:
    conn = schema_editor.client
    # Without the shard, which 0039 adds (the module's code is today's, the table 0022's).
    pg = conn.capabilities.dialect == "postgres"
    await conn.execute_script(contact_hours.unique_key(pg, sharded=False))
    await contact_hours.install(conn, sharded=False)
    await conn.execute_script(
        "UPDATE contact SET events_folded = "
        "(SELECT COUNT(*) FROM call_event e WHERE e.contact_id = contact.id) "
        "WHERE call_id IS NOT NULL"
    )


async def uninstall(apps: Any, schema_editor: Any) -> None:
    pg = schema_editor.client.capabilities.dialect == "postgres"
    await schema_editor.client.execute_script(contact_hours.drop_triggers(pg))
    await schema_editor.client.execute_script(f"DROP INDEX IF EXISTS {contact_hours.KEY_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("models", "0021_tenant_language")]

    initial = False

    operations = [
        ops.CreateModel(
            name='ContactHour',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('client_id', fields.IntField()),
                ('hour', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('channel', fields.CharField(max_length=12)),
                ('result_code', fields.CharField(max_length=40)),
                ('contacts', fields.IntField(default=0)),
                ('answered', fields.IntField(default=0)),
                ('within', fields.IntField(default=0)),
                ('abandoned', fields.IntField(default=0)),
                ('transferred', fields.IntField(default=0)),
                ('wait_sum', fields.BigIntField(default=0)),
                ('talk_sum', fields.BigIntField(default=0)),
                ('handling_sum', fields.BigIntField(default=0)),
            ],
            options={'table': 'contact_hour', 'app': 'models', 'indexes': [Index(fields=['hour'])], 'pk_attr': 'id', 'table_description': 'The contacts offered in one UTC hour, per client, channel and result code, counted.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Contact',
            name='events_folded',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.RunPython(install, uninstall),
    ]
