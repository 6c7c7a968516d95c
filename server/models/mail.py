"""E-mail: the mails read from each client's mailbox (one contact each) and the replies the
desk sent, kept for threading and deduplication; and each mailbox's polling state.

The mailbox's settings (server, user, password) are in the client's settings
(server/contacts/mailbox.py); this holds what the poller does with them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.clients import Client
    from server.models.contacts import Contact
    from server.models.dossiers import Dossier
    from server.models.messages import OutboundMessage
    from server.models.people import User


class MailMessage(models.Model):
    """One mail in (`in`: a contact) or out (`uit`: a reply from the desk).

    `message_key` is the sha256 of the Message-ID (of the whole mail when it has none):
    unique per mailbox and direction, so a mail read twice (the worker stopped between storing
    it and marking it read) is stored once, and a reply's In-Reply-To finds its thread.
    """

    id = fields.BigIntField(primary_key=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="mail_messages", on_delete=fields.CASCADE
    )
    client_id: int
    mailbox = fields.CharField(max_length=254)
    direction = fields.CharField(max_length=3)
    message_key = fields.CharField(max_length=64)
    message_id = fields.TextField(default="")
    contact: fields.ForeignKeyNullableRelation[Contact] = fields.ForeignKeyField(
        "models.Contact", related_name="mails", null=True, on_delete=fields.CASCADE
    )
    contact_id: int | None
    dossier: fields.ForeignKeyNullableRelation[Dossier] = fields.ForeignKeyField(
        "models.Dossier", related_name="mails", null=True, on_delete=fields.SET_NULL
    )
    dossier_id: int | None
    outbound: fields.ForeignKeyNullableRelation[OutboundMessage] = fields.ForeignKeyField(
        "models.OutboundMessage", related_name="mails", null=True, on_delete=fields.SET_NULL
    )
    author: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="mails", null=True, on_delete=fields.SET_NULL
    )
    sender = fields.CharField(max_length=254, default="")
    sender_name = fields.CharField(max_length=200, default="")
    recipient = fields.CharField(max_length=254, default="")
    subject = fields.CharField(max_length=300, default="")
    text = fields.TextField(default="")
    # The mail's own References chain (ids in angle brackets), for the References of a reply.
    thread_refs = fields.TextField(default="")
    # [{"name", "type", "size", "photo": key} or {..., "refused": reason}]
    attachments: list[dict[str, Any]] = fields.JSONField(default=list)
    uid = fields.BigIntField(null=True)
    received_at = fields.DatetimeField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "mail_message"
        ordering = ["received_at", "id"]
        unique_together = (("mailbox", "direction", "message_key"),)
        indexes = (("client_id", "message_key"), ("dossier_id",))


class MailboxState(models.Model):
    """How polling a client's mailbox goes: the lease one poller holds, the last poll and its
    error, shown on the settings page."""

    id = fields.IntField(primary_key=True)
    client: fields.OneToOneRelation[Client] = fields.OneToOneField(
        "models.Client", related_name="mailbox_state", on_delete=fields.CASCADE
    )
    client_id: int
    # A poller holds the mailbox until then (compare-and-set), so two never read it at once.
    lease_until = fields.DatetimeField(null=True)
    polled_at = fields.DatetimeField(null=True)
    ok_at = fields.DatetimeField(null=True)
    error = fields.TextField(default="")
    stored = fields.IntField(default=0)

    class Meta:
        table = "mailbox_state"
