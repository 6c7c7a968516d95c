"""The tenant's survey after a dossier is closed: one per dossier, read by the dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.clients import Client
    from server.models.dossiers import Dossier


class Survey(models.Model):
    """Scores from 1 to 5 and an optional remark, submitted once through the survey link."""

    id = fields.IntField(primary_key=True)
    dossier: fields.OneToOneRelation[Dossier] = fields.OneToOneField(
        "models.Dossier", related_name="survey", on_delete=fields.CASCADE
    )
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="surveys", on_delete=fields.CASCADE
    )
    friendliness = fields.SmallIntField()
    expertise = fields.SmallIntField()
    helpfulness = fields.SmallIntField()
    solution = fields.SmallIntField()
    remark = fields.TextField(default="")
    submitted_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "survey"
        indexes = (("client_id", "submitted_at"),)
