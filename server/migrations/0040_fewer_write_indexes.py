"""Indexes every intake wrote and no query needs (docs/performance.md, seventh pass): the
dossier's own index on created_at (0013's covering index dossier_created_all has the same
key), and the outbox's indexes on status and on deliver_after alone (every query of the
outbox filters on both, which its (status, deliver_after) index serves).

Only the indexes go. Tortoise's own AlterField rebuilds an SQLite table to change an index
and loses the indexes made in SQL on the way (0013's), so the operation here drops the index
by its name and nothing else."""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class DropIndex(ops.AlterField):
    """The field loses db_index: its index is dropped, the table left as it is."""

    def __init__(self, model_name: str, name: str, field: Any, table: str, index: str) -> None:
        super().__init__(model_name, name, field)
        self.table, self.column, self.index = table, name, index

    async def database_forward(
        self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None
    ) -> None:
        if state_editor is not None:
            await state_editor.client.execute_script(f'DROP INDEX IF EXISTS "{self.index}"')

    async def database_backward(
        self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None
    ) -> None:
        if state_editor is not None:
            await state_editor.client.execute_script(
                f'CREATE INDEX IF NOT EXISTS "{self.index}" ON "{self.table}" ("{self.column}")'
            )


class Migration(migrations.Migration):
    dependencies = [("models", "0039_contact_hour_shards")]

    initial = False

    operations = [
        DropIndex(
            "Dossier", "created_at", fields.DatetimeField(), "dossier", "idx_dossier_created_c797e3"
        ),
        DropIndex(
            "OutboundMessage",
            "status",
            fields.CharField(default="wachtrij", max_length=16),
            "outbound_message",
            "idx_outbound_me_status_b48477",
        ),
        DropIndex(
            "OutboundMessage",
            "deliver_after",
            fields.DatetimeField(),
            "outbound_message",
            "idx_outbound_me_deliver_09d4a4",
        ),
    ]
