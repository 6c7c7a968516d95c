"""contact_hour gets a shard in its key (server/insight/contact_hours.py): on PostgreSQL a busy
hour's counts spread over up to SHARDS rows, so the call events of one hour no longer queue on
one row's lock at their commits. The key's index is made again with the shard, the triggers
replaced and the counts made anew (install: one transaction, contacts locked meanwhile)."""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from server.insight import contact_hours


async def install(apps: Any, schema_editor: Any) -> None:
    conn = schema_editor.client
    pg = conn.capabilities.dialect == "postgres"
    await conn.execute_script(f"DROP INDEX IF EXISTS {contact_hours.KEY_INDEX}")
    await conn.execute_script(contact_hours.unique_key(pg))
    await contact_hours.install(conn)


async def uninstall(apps: Any, schema_editor: Any) -> None:
    pg = schema_editor.client.capabilities.dialect == "postgres"
    await schema_editor.client.execute_script(contact_hours.drop_triggers(pg))
    await schema_editor.client.execute_script(f"DROP INDEX IF EXISTS {contact_hours.KEY_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("models", "0038_dispatch_generation")]

    initial = False

    operations = [
        ops.AddField(
            model_name="ContactHour",
            name="shard",
            field=fields.SmallIntField(default=0, db_default=0),
        ),
        ops.RunPython(install, uninstall),
    ]
