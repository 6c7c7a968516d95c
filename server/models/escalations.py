"""Escalation cases (seed 003): a tenant's complaint about a referred party, worked by the
client's projectleider from the first contact to the close."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.clients import Client
    from server.models.dossiers import Dossier
    from server.models.people import User


class EscalationCase(models.Model):
    id = fields.IntField(primary_key=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="escalations", on_delete=fields.RESTRICT
    )
    # One case per dossier: the report the complaint came in with.
    dossier: fields.OneToOneRelation[Dossier] = fields.OneToOneField(
        "models.Dossier", related_name="escalation", on_delete=fields.CASCADE
    )
    role = fields.CharField(max_length=30)  # codes.CLIENT_ROLE_LABELS
    party = fields.CharField(max_length=200, default="")
    complaint = fields.TextField(default="")
    # open -> in_behandeling (tenant contacted) -> gesloten
    state = fields.CharField(max_length=20, default="open", db_index=True)
    opened_at = fields.DatetimeField(db_index=True)
    contact_due_at = fields.DatetimeField()
    contacted_at = fields.DatetimeField(null=True)
    result = fields.TextField(default="")
    closing = fields.CharField(max_length=30, default="")
    closed_at = fields.DatetimeField(null=True)
    version = fields.IntField(default=1)

    class Meta:
        table = "escalation_case"
        indexes = (("client_id", "state"),)


class EscalationStep(models.Model):
    """One step of a case, as the projectleider records it (or the meldkamer opening it)."""

    id = fields.BigIntField(primary_key=True)
    case: fields.ForeignKeyRelation[EscalationCase] = fields.ForeignKeyField(
        "models.EscalationCase", related_name="steps", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=20)
    text = fields.TextField(default="")
    by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="escalation_steps", null=True, on_delete=fields.SET_NULL
    )
    by_name = fields.CharField(max_length=200, default="")
    at = fields.DatetimeField()

    class Meta:
        table = "escalation_step"
        indexes = (("case_id", "at"),)
