"""Messages to a client waiting to be sent: on-call alerts and protocol confirmations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.clients import Client
    from server.models.dossiers import Dossier
    from server.models.protocols import ProtocolVersion


class ClientNotification(models.Model):
    """A message to a client, recorded now and sent later by a job.

    Kinds: piket (an acute report endangering habitability, to the on-call contact) and
    protocol_bevestiging (confirmation of a published protocol change).
    """

    id = fields.IntField(primary_key=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="notifications", on_delete=fields.CASCADE
    )
    dossier: fields.ForeignKeyNullableRelation[Dossier] = fields.ForeignKeyField(
        "models.Dossier", related_name="client_notifications", null=True, on_delete=fields.CASCADE
    )
    protocol_version: fields.ForeignKeyNullableRelation[ProtocolVersion] = fields.ForeignKeyField(
        "models.ProtocolVersion",
        related_name="notifications",
        null=True,
        on_delete=fields.CASCADE,
    )
    kind = fields.CharField(max_length=30)
    to_name = fields.CharField(max_length=200, default="")
    to_phone = fields.CharField(max_length=20, default="")
    to_email = fields.CharField(max_length=254, default="")
    subject = fields.CharField(max_length=200)
    body = fields.TextField()
    # What the message is about, for the sender and for reports (outcome, version, ...).
    data: dict[str, Any] = fields.JSONField(default=dict)
    # wachtrij, verzonden, mislukt
    status = fields.CharField(max_length=12, default="wachtrij", db_index=True)
    attempts = fields.IntField(default=0)
    last_error = fields.TextField(default="")
    created_at = fields.DatetimeField(db_index=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "client_notification"
        ordering = ["created_at", "id"]
