"""The weekly and monthly reports to clients (server/insight/client_report.py): each one built
is kept, with its PDF and workbook, for the portal and for sending again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.clients import Client


class ClientReport(models.Model):
    """One client's report over one period, unique per client, kind and first day.

    The unique key makes two workers or a rerun build it once."""

    id = fields.IntField(primary_key=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="reports", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=10)  # week, maand
    first_day = fields.DateField()
    last_day = fields.DateField()
    built_at = fields.DatetimeField()
    pdf = fields.BinaryField(null=True)
    xlsx = fields.BinaryField(null=True)
    # gebouwd -> verstuurd (in the outbox) | geen_ontvangers | mislukt (could not be built)
    status = fields.CharField(max_length=20, default="gebouwd")
    error = fields.CharField(max_length=300, default="")
    # What the e-mail's text says (reports in this and the previous period, the signals).
    summary: dict[str, Any] = fields.JSONField(default=dict)
    sent_to: list[str] = fields.JSONField(default=list)
    attempts = fields.IntField(default=0)  # how often it was handed to the outbox

    class Meta:
        table = "client_report"
        unique_together = (("client_id", "kind", "first_day"),)
        ordering = ["-first_day", "kind"]
