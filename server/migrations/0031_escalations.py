"""Escalation cases (seed 003, docs/escalations.md): one per dossier whose triage escalates to
a client's role, and its steps."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0030_privacy")]

    initial = False

    operations = [
        ops.CreateModel(
            name="EscalationCase",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("client", fields.ForeignKeyField("models.Client", source_field="client_id", db_constraint=True, to_field="id", related_name="escalations", on_delete=OnDelete.RESTRICT)),
                ("dossier", fields.OneToOneField("models.Dossier", source_field="dossier_id", db_constraint=True, to_field="id", related_name="escalation", on_delete=OnDelete.CASCADE)),
                ("role", fields.CharField(max_length=30)),
                ("party", fields.CharField(default="", max_length=200)),
                ("complaint", fields.TextField(default="", unique=False)),
                ("state", fields.CharField(default="open", db_index=True, max_length=20)),
                ("opened_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ("contact_due_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("contacted_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("result", fields.TextField(default="", unique=False)),
                ("closing", fields.CharField(default="", max_length=30)),
                ("closed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("version", fields.IntField(default=1)),
            ],
            options={"table": "escalation_case", "app": "models", "indexes": [Index(fields=["client_id", "state"])], "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="EscalationStep",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("case", fields.ForeignKeyField("models.EscalationCase", source_field="case_id", db_constraint=True, to_field="id", related_name="steps", on_delete=OnDelete.CASCADE)),
                ("kind", fields.CharField(max_length=20)),
                ("text", fields.TextField(default="", unique=False)),
                ("by", fields.ForeignKeyField("models.User", source_field="by_id", null=True, db_constraint=True, to_field="id", related_name="escalation_steps", on_delete=OnDelete.SET_NULL)),
                ("by_name", fields.CharField(default="", max_length=200)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={"table": "escalation_step", "app": "models", "indexes": [Index(fields=["case_id", "at"])], "pk_attr": "id", "table_description": "One step of a case, as the projectleider records it (or the meldkamer opening it)."},
            bases=["Model"],
        ),
    ]
