"""Covering indexes for the telephony figures (docs/contacts.md, "Figures").

The figures group a client's (or every client's) contacts of a period by local hour, channel
and result code, reading only the columns below: with them in the index PostgreSQL answers
from the index alone instead of visiting a heap page per call (on 2 million calls a year, a
client's year read 49,000 heap pages). Tortoise's Index has no INCLUDE, hence SQL per
dialect (SQLite: the included columns become trailing keys). No model changes.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

COVERED = (
    "channel, result_code, answered_at, ended_at, transferred_at, wait_seconds, talk_seconds, "
    "wrap_seconds"
)
INDEXES = {
    "contact_figures_client": ("client_id, offered_at", COVERED),
    "contact_figures_all": ("offered_at", f"client_id, {COVERED}"),
}


async def create_indexes(apps: Any, schema_editor: Any) -> None:
    pg = schema_editor.client.capabilities.dialect == "postgres"
    for name, (keys, covered) in INDEXES.items():
        columns = f"({keys}) INCLUDE ({covered})" if pg else f"({keys}, {covered})"
        await schema_editor.client.execute_script(
            f"CREATE INDEX IF NOT EXISTS {name} ON contact {columns}"
        )
    if pg:
        await schema_editor.client.execute_script("ANALYZE contact")


async def drop_indexes(apps: Any, schema_editor: Any) -> None:
    for name in INDEXES:
        await schema_editor.client.execute_script(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("models", "0018_call_survey")]

    initial = False

    operations = [ops.RunPython(create_indexes, drop_indexes)]
