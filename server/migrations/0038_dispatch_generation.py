"""Dispatch generations (docs/dispatch.md, "Kept index"): one row per kind of change that
ranking depends on, changed by triggers in the same transaction as the change, whoever makes
it. Each process keeps its ranking index and reads these values per suggestion
(server/dispatch/kept.py).

- `crew`: any write to technician, roster_entry, technician_absence or contractor_coverage
  (statement triggers on PostgreSQL, TRUNCATE included);
- `positions`: a position written; the row gets the new value in `stamp`, so a process reads
  only the rows stamped after the value it kept;
- `positions_gone`: a position deleted (then a process reads them all);
- `loads`: a dossier that enters or leaves a technician's plate (assigned phases,
  server.dispatch.candidates.ASSIGNED_PHASES), or changes technician while on it; on
  PostgreSQL counted when the transaction commits (a deferred constraint trigger).

A missing row is written at a random value, a present one counts up.
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

CREW_TABLES = ("technician", "roster_entry", "technician_absence", "contractor_coverage")
ON_PLATE = "('doorgezet_naar_monteur', 'afspraak_ingepland', 'in_uitvoering')"
ROW = "{0}.technician_id IS NOT NULL AND {0}.phase IN " + ON_PLATE
LOAD_CHANGE = (
    "(OLD.technician_id IS DISTINCT FROM NEW.technician_id OR OLD.phase IS DISTINCT FROM "
    f"NEW.phase) AND (({ROW.format('OLD')}) OR ({ROW.format('NEW')}))"
)


def _pg(schema_editor: Any) -> bool:
    return bool(schema_editor.client.capabilities.dialect == "postgres")


def _sqlite_bump(name: str) -> str:
    return (
        "INSERT INTO dispatch_generation (name, value) "
        f"VALUES ('{name}', abs(random()) % 1000000000000000) "
        "ON CONFLICT (name) DO UPDATE SET value = value + 1;"
    )


def _sqlite_triggers() -> list[tuple[str, str, str, str]]:
    """(trigger name, event, table, WHEN condition or '')."""
    found = [
        (f"dispatch_crew_{table}_{event.lower()}", event, table, "")
        for table in CREW_TABLES
        for event in ("INSERT", "UPDATE", "DELETE")
    ]
    return found + [
        ("dispatch_positions_insert", "INSERT", "technician_position", ""),
        (
            "dispatch_positions_update",
            "UPDATE OF technician_id, latitude, longitude, reported_at",
            "technician_position",
            "",
        ),
        ("dispatch_positionsgone_delete", "DELETE", "technician_position", ""),
        ("dispatch_loads_dossier_insert", "INSERT", "dossier", ROW.format("NEW")),
        ("dispatch_loads_dossier_update", "UPDATE OF technician_id, phase", "dossier", ""),
        ("dispatch_loads_dossier_delete", "DELETE", "dossier", ROW.format("OLD")),
    ]


async def create_triggers(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    if _pg(schema_editor):
        script = [
            "CREATE OR REPLACE FUNCTION dispatch_bump() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN INSERT INTO dispatch_generation (name, value) "
            "VALUES (TG_ARGV[0], (random() * 1e15)::bigint) ON CONFLICT (name) "
            "DO UPDATE SET value = dispatch_generation.value + 1; RETURN NULL; END $$;"
        ]
        for table in CREW_TABLES:
            script.append(
                f"CREATE TRIGGER dispatch_crew_{table} AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                "EXECUTE FUNCTION dispatch_bump('crew');"
            )
        script += [
            # Row by row, before the write: the row carries the generation it made.
            "CREATE OR REPLACE FUNCTION dispatch_stamp() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN INSERT INTO dispatch_generation (name, value) "
            "VALUES ('positions', (random() * 1e15)::bigint) ON CONFLICT (name) "
            "DO UPDATE SET value = dispatch_generation.value + 1 RETURNING value INTO NEW.stamp; "
            "RETURN NEW; END $$;",
            "CREATE TRIGGER dispatch_positions_stamp BEFORE INSERT OR UPDATE OF technician_id, "
            "latitude, longitude, reported_at ON technician_position FOR EACH ROW "
            "EXECUTE FUNCTION dispatch_stamp();",
            "CREATE TRIGGER dispatch_positionsgone AFTER DELETE OR TRUNCATE ON "
            "technician_position FOR EACH STATEMENT "
            "EXECUTE FUNCTION dispatch_bump('positions_gone');",
        ]
        # Deferred to the commit: a sync push or an assignment holds the row lock of `loads`
        # only while it commits, not for the rest of its transaction (two pushes that each
        # complete a job would otherwise wait for each other's whole run), and as the last
        # lock a transaction takes it cannot close a deadlock with the others.
        for event, when in (
            ("INSERT", ROW.format("NEW")),
            ("UPDATE OF technician_id, phase", LOAD_CHANGE),
            ("DELETE", ROW.format("OLD")),
        ):
            script.append(
                f"CREATE CONSTRAINT TRIGGER dispatch_loads_dossier_{event.split()[0].lower()} "
                f"AFTER {event} ON dossier DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                f"WHEN ({when}) EXECUTE FUNCTION dispatch_bump('loads');"
            )
        script.append(
            "CREATE TRIGGER dispatch_loads_dossier_truncate AFTER TRUNCATE ON dossier "
            "FOR EACH STATEMENT EXECUTE FUNCTION dispatch_bump('loads');"
        )
        await client.execute_script("\n".join(script))
        return
    script = []
    for name, event, table, when in _sqlite_triggers():
        kind = {"positionsgone": "positions_gone"}.get(name.split("_")[1], name.split("_")[1])
        if name == "dispatch_loads_dossier_update":
            when = LOAD_CHANGE.replace("IS DISTINCT FROM", "IS NOT")
        condition = f" WHEN {when}" if when else ""
        body = _sqlite_bump(kind)
        if kind == "positions":
            # Not itself a write the trigger watches (UPDATE OF), and SQLite does not recurse.
            body += (
                " UPDATE technician_position SET stamp = (SELECT value FROM "
                "dispatch_generation WHERE name = 'positions') WHERE id = NEW.id;"
            )
        script.append(
            f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table} FOR EACH ROW"
            f"{condition} BEGIN {body} END;"
        )
    await client.execute_script("\n".join(script))


async def drop_triggers(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    if _pg(schema_editor):
        names = (
            [f"DROP TRIGGER IF EXISTS dispatch_crew_{t} ON {t};" for t in CREW_TABLES]
            + [
                f"DROP TRIGGER IF EXISTS {name} ON technician_position;"
                for name in ("dispatch_positions_stamp", "dispatch_positionsgone")
            ]
            + [
                f"DROP TRIGGER IF EXISTS dispatch_loads_dossier_{event} ON dossier;"
                for event in ("insert", "update", "delete", "truncate")
            ]
        )
        functions = (
            "DROP FUNCTION IF EXISTS dispatch_bump(); DROP FUNCTION IF EXISTS dispatch_stamp();"
        )
        await client.execute_script("\n".join([*names, functions]))
        return
    await client.execute_script(
        "\n".join(f"DROP TRIGGER IF EXISTS {name};" for name, *_ in _sqlite_triggers())
    )


class Migration(migrations.Migration):
    dependencies = [("models", "0034_stock_import_upload")]

    initial = False

    operations = [
        ops.CreateModel(
            name="DispatchGeneration",
            fields=[
                (
                    "name",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=20),
                ),
                ("value", fields.BigIntField()),
            ],
            options={
                "table": "dispatch_generation",
                "app": "models",
                "pk_attr": "name",
                "table_description": "Changed by database triggers whenever what dispatch ranks on changes (migration 0038).",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="TechnicianPosition",
            name="stamp",
            field=fields.BigIntField(default=0, db_index=True),
        ),
        ops.RunPython(create_triggers, drop_triggers),
    ]
