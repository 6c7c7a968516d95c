"""PostgreSQL statistics on the transition target (data->>'to') of the event log.

Without them the planner guesses 0.5% of events go to any one phase, takes the partial
indexes of 0009 for tiny, and reads them whole where a few index probes would do (first-time
fix for one client and one week: 444 ms, with the statistics 109 ms; docs/kpis.md). SQLite
needs nothing.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops


async def create(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        await client.execute_script(
            "CREATE STATISTICS IF NOT EXISTS dossier_event_to ON ((data->>'to')) "
            "FROM dossier_event; ANALYZE dossier_event"
        )


async def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.client.capabilities.dialect == "postgres":
        await schema_editor.client.execute_script("DROP STATISTICS IF EXISTS dossier_event_to")


class Migration(migrations.Migration):
    dependencies = [("models", "0010_chat_reported_at")]

    initial = False

    operations = [ops.RunPython(create, drop)]
