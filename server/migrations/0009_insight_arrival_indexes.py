"""Partial indexes for the dashboard: each dossier's arrivals on site and remote solutions.

First-time fix, urgency deadlines and 'op afstand opgelost' look, per dossier, for transition
events into one phase. These indexes hold only those events, keyed (dossier_id, at), so the
grouped queries of server/insight/figures.py read them index-only instead of scanning the
event log. Tortoise's Index cannot express a partial index on a JSON value, hence SQL per
dialect; the expression is the one server/insight/sql.py writes (json_text).
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

TARGETS = {"dossier_event_onsite": "in_uitvoering", "dossier_event_remote": "op_afstand_opgelost"}


async def create(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    pg = client.capabilities.dialect == "postgres"
    to = "(data->>'to')" if pg else "json_extract(data, '$.to')"
    for name, phase in TARGETS.items():
        await client.execute_script(
            f"CREATE INDEX IF NOT EXISTS {name} ON dossier_event (dossier_id, at) "
            f"WHERE kind = 'transition' AND {to} = '{phase}'"
        )


async def drop(apps: Any, schema_editor: Any) -> None:
    for name in TARGETS:
        await schema_editor.client.execute_script(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("models", "0008_sync_clock_prune")]

    initial = False

    operations = [ops.RunPython(create, drop)]
