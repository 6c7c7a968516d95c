"""The dashboard reads columns instead of replaying the timeline (docs/kpis.md).

- dossier_event: client_id (the dossier's client), and on transitions from_phase and
  phase_hours (the hours the dossier stood in the phase it left);
- dossier: visits, first_visit_at (moves to in_uitvoering) and remote_solved, and
  triage_outcome (triage.outcome.label);
- covering indexes for the figures by created_at and closed_at (PostgreSQL reads them
  index-only), the repeats by parent, and partial covering indexes of the transitions for
  phase times, per client and for all;
- the event indexes only the old queries used go: (kind, at), the arrival indexes of 0009 and
  the statistics of 0011.

Existing rows are filled in SQL that computes what server/models/derived.py writes for new
events (definitions in server/domain/kpis.py). Tortoise's Index has no INCLUDE or WHERE, hence
SQL per dialect (SQLite: the included columns become trailing keys).
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

STEPS = "('created', 'transition')"
# name: (table, key columns, covered columns, condition)
INDEXES = {
    "dossier_created_client": (
        "dossier",
        "client_id, created_at",
        "urgency, first_contact_at, first_visit_at, closed_at, channel, category, triage_outcome",
        "",
    ),
    "dossier_created_all": (
        "dossier",
        "created_at",
        "client_id, urgency, first_contact_at, first_visit_at, closed_at, channel, category, "
        "triage_outcome",
        "",
    ),
    "dossier_closed_client": (
        "dossier",
        "client_id, closed_at",
        "id, created_at, result_code, technician_id, contractor_id, visits, remote_solved",
        "",
    ),
    "dossier_closed_all": (
        "dossier",
        "closed_at",
        "id, client_id, created_at, result_code, technician_id, contractor_id, visits, "
        "remote_solved",
        "",
    ),
    "dossier_repeats": ("dossier", "parent_id, created_at", "", "parent_id IS NOT NULL"),
    "dossier_event_phase_client": (
        "dossier_event",
        "client_id, from_phase, at",
        "phase_hours",
        "kind = 'transition'",
    ),
    "dossier_event_phase_all": (
        "dossier_event",
        "from_phase, at",
        "phase_hours",
        "kind = 'transition'",
    ),
}
# Tortoise rebuilds an SQLite table to make a column NOT NULL and loses its indexes on the
# way: the model's own event indexes, by the names Tortoise gave them.
SQLITE_EVENT_INDEXES = {
    "idx_dossier_eve_dossier_82237d": "dossier_id, at",
    "idx_dossier_eve_at_d65042": "at",
}
ARRIVALS = {"dossier_event_onsite": "in_uitvoering", "dossier_event_remote": "op_afstand_opgelost"}


def _pg(schema_editor: Any) -> bool:
    return bool(schema_editor.client.capabilities.dialect == "postgres")


def _to(pg: bool, col: str = "data") -> str:
    return f"({col}->>'to')" if pg else f"json_extract({col}, '$.to')"


async def drop_old(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    for name in ARRIVALS:
        await client.execute_script(f"DROP INDEX IF EXISTS {name}")
    if _pg(schema_editor):
        await client.execute_script("DROP STATISTICS IF EXISTS dossier_event_to")


async def restore_old(apps: Any, schema_editor: Any) -> None:
    pg = _pg(schema_editor)
    for name, phase in ARRIVALS.items():
        await schema_editor.client.execute_script(
            f"CREATE INDEX IF NOT EXISTS {name} ON dossier_event (dossier_id, at) "
            f"WHERE kind = 'transition' AND {_to(pg)} = '{phase}'"
        )
    if pg:
        await schema_editor.client.execute_script(
            "CREATE STATISTICS IF NOT EXISTS dossier_event_to ON ((data->>'to')) FROM dossier_event"
        )


async def backfill(apps: Any, schema_editor: Any) -> None:
    pg = _pg(schema_editor)
    if pg:
        frm = "e.data->>'from'"
        hours = "EXTRACT(EPOCH FROM e.at - LAG(e.at) OVER w) / 3600.0"
    else:
        frm = "json_extract(e.data, '$.from')"
        hours = "(julianday(e.at) - julianday(LAG(e.at) OVER w)) * 24.0"
    # LAG over each dossier's steps alone: partitioned by dossier and by being a step.
    await schema_editor.client.execute_script(
        "UPDATE dossier_event SET client_id = s.client_id, from_phase = s.from_phase, "
        "phase_hours = s.hours FROM ("
        f"SELECT e.id, d.client_id, CASE WHEN e.kind = 'transition' THEN {frm} END AS from_phase, "
        f"CASE WHEN e.kind = 'transition' THEN {hours} END AS hours "
        "FROM dossier_event e JOIN dossier d ON d.id = e.dossier_id "
        f"WINDOW w AS (PARTITION BY e.dossier_id, e.kind IN {STEPS} ORDER BY e.at, e.id)"
        ") AS s WHERE s.id = dossier_event.id"
    )
    moves = f"FROM dossier_event WHERE kind = 'transition' AND {_to(pg)}"
    await schema_editor.client.execute_script(
        "UPDATE dossier SET visits = v.n, first_visit_at = v.first FROM ("
        f"SELECT dossier_id, COUNT(*) AS n, MIN(at) AS first {moves} = 'in_uitvoering' "
        "GROUP BY dossier_id) AS v WHERE v.dossier_id = dossier.id"
    )
    await schema_editor.client.execute_script(
        "UPDATE dossier SET remote_solved = TRUE WHERE id IN ("
        f"SELECT dossier_id {moves} = 'op_afstand_opgelost')"
    )
    # A label that is text, as kpis.triage_outcome reads it.
    if pg:
        label = "triage->'outcome'->>'label'"
        text = "jsonb_typeof(triage->'outcome'->'label')"
    else:
        label = "json_extract(triage, '$.outcome.label')"
        text = "json_type(triage, '$.outcome.label')"
    await schema_editor.client.execute_script(
        f"UPDATE dossier SET triage_outcome = {label} WHERE {text} IN ('string', 'text')"
    )


async def nothing(apps: Any, schema_editor: Any) -> None:
    """Going back drops the columns; there is nothing to undo in their values."""


async def create_indexes(apps: Any, schema_editor: Any) -> None:
    pg = _pg(schema_editor)
    if not pg:
        for name, keys in SQLITE_EVENT_INDEXES.items():
            await schema_editor.client.execute_script(
                f"CREATE INDEX IF NOT EXISTS {name} ON dossier_event ({keys})"
            )
    for name, (table, keys, covered, condition) in INDEXES.items():
        if pg:
            columns = f"({keys})" + (f" INCLUDE ({covered})" if covered else "")
        else:
            # SQLite has no INCLUDE; its rowid (id) is in every index already.
            extra = ", ".join(c for c in covered.split(", ") if c and c != "id")
            columns = f"({keys}{', ' + extra if extra else ''})"
        where = f" WHERE {condition}" if condition else ""
        await schema_editor.client.execute_script(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns}{where}"
        )
    if pg:
        await schema_editor.client.execute_script("ANALYZE dossier; ANALYZE dossier_event")


async def drop_indexes(apps: Any, schema_editor: Any) -> None:
    for name in INDEXES:
        await schema_editor.client.execute_script(f"DROP INDEX IF EXISTS {name}")


def _client(null: bool) -> Any:
    """dossier_event.client_id as the model has it (models/dossiers.py), nullable or not."""
    common: dict[str, Any] = {
        "source_field": "client_id",
        "db_constraint": True,
        "to_field": "id",
        "related_name": False,
        "on_delete": OnDelete.RESTRICT,
    }
    # Two calls: the field's type overloads on a literal `null`.
    if null:
        return fields.ForeignKeyField("models.Client", null=True, **common)
    return fields.ForeignKeyField("models.Client", null=False, **common)


class Migration(migrations.Migration):
    dependencies = [("models", "0012_push_follow")]

    initial = False

    operations = [
        ops.RunPython(drop_old, restore_old),
        ops.RemoveIndex(model_name="Dossier", name=None, fields=["client_id", "created_at"]),
        ops.RemoveIndex(model_name="Dossier", name=None, fields=["client_id", "closed_at"]),
        ops.RemoveIndex(model_name="Dossier", name=None, fields=["closed_at"]),
        ops.RemoveIndex(model_name="Dossier", name=None, fields=["parent_id"]),
        ops.RemoveIndex(model_name="DossierEvent", name=None, fields=["kind", "at"]),
        ops.AddField(
            model_name="Dossier",
            name="first_visit_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Dossier",
            name="remote_solved",
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name="Dossier",
            name="visits",
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name="Dossier",
            name="triage_outcome",
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AlterModelOptions(
            name="DossierEvent",
            options={
                "table": "dossier_event",
                "app": "models",
                "indexes": [Index(fields=["dossier_id", "at"])],
                "pk_attr": "id",
                "table_description": "Append-only: every change to a dossier, with who and when "
                "(see models/derived.py).",
            },
        ),
        # Nullable until the existing events have their client.
        ops.AddField(model_name="DossierEvent", name="client", field=_client(null=True)),
        ops.AddField(
            model_name="DossierEvent",
            name="from_phase",
            field=fields.CharField(null=True, max_length=30),
        ),
        ops.AddField(
            model_name="DossierEvent",
            name="phase_hours",
            field=fields.FloatField(null=True),
        ),
        ops.RunPython(backfill, nothing),
        ops.AlterField(model_name="DossierEvent", name="client", field=_client(null=False)),
        ops.RunPython(create_indexes, drop_indexes),
    ]
