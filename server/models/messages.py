"""The outbox of messages to tenants and clients, and browsers subscribed to Web Push."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.clients import Client
    from server.models.dossiers import Dossier
    from server.models.notifications import ClientNotification
    from server.models.people import User


class OutboundMessage(models.Model):
    """One message on one channel to one recipient, rendered when queued and sent by a job.

    Status: wachtrij, verzonden, afgeleverd, mislukt, niet_verzonden (channel not configured
    or not allowed). `key` is unique so recording the same message twice is a no-op, and the
    job sends only what is still waiting, so a retried job never sends twice.
    """

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=120, unique=True)
    dossier: fields.ForeignKeyNullableRelation[Dossier] = fields.ForeignKeyField(
        "models.Dossier", related_name="outbound_messages", null=True, on_delete=fields.CASCADE
    )
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="outbound_messages", on_delete=fields.CASCADE
    )
    notification: fields.ForeignKeyNullableRelation[ClientNotification] = fields.ForeignKeyField(
        "models.ClientNotification",
        related_name="outbound_messages",
        null=True,
        on_delete=fields.CASCADE,
    )
    # sms, email, push
    channel = fields.CharField(max_length=10)
    kind = fields.CharField(max_length=30)
    urgency = fields.CharField(max_length=12, default="")
    # E.164 number, e-mail address or push endpoint.
    recipient = fields.CharField(max_length=1000)
    recipient_name = fields.CharField(max_length=200, default="")
    subject = fields.CharField(max_length=300, default="")
    body = fields.TextField()
    html = fields.TextField(default="")
    # Sender name, reply-to, push url and tag: what the channel needs besides the text.
    data: dict[str, Any] = fields.JSONField(default=dict)
    # Both read together only: the index (status, deliver_after) below serves every query.
    deliver_after = fields.DatetimeField()
    status = fields.CharField(max_length=16, default="wachtrij")
    # The reference the provider reports delivery under (SMS) or the Message-ID (e-mail).
    provider_id = fields.CharField(max_length=200, default="", db_index=True)
    attempts = fields.IntField(default=0)
    last_error = fields.TextField(default="")
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)
    delivered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbound_message"
        ordering = ["created_at", "id"]
        indexes = (("status", "deliver_after"),)


class PushSubscription(models.Model):
    """A browser that accepted Web Push, one row per endpoint: a technician's, or a tenant's.

    The dossiers a tenant's browser follows are its PushFollow rows.
    """

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="push_subscriptions", null=True, on_delete=fields.CASCADE
    )
    endpoint = fields.CharField(max_length=1000, unique=True)
    p256dh = fields.CharField(max_length=120)
    auth = fields.CharField(max_length=40)
    created_at = fields.DatetimeField()

    follows: fields.ReverseRelation[PushFollow]

    class Meta:
        table = "push_subscription"


class PushFollow(models.Model):
    """A browser follows a dossier: the tenant opted in on that dossier's tracking page."""

    id = fields.IntField(primary_key=True)
    subscription: fields.ForeignKeyRelation[PushSubscription] = fields.ForeignKeyField(
        "models.PushSubscription", related_name="follows", on_delete=fields.CASCADE
    )
    dossier: fields.ForeignKeyRelation[Dossier] = fields.ForeignKeyField(
        "models.Dossier", related_name="push_follows", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField()

    class Meta:
        table = "push_follow"
        unique_together = (("subscription", "dossier"),)
