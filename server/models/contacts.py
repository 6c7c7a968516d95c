"""Contacts (klantcontacten): every call and e-mail taken in a client's name, the call events
the telephony platform reported, and each client's inbound lines and transfer numbers.

The rules (state, seconds, result codes, validity hours) live in server/domain; these hold
data. Reports count contacts by client and offered time (indexes below), reading the state
and seconds kept in columns rather than replaying the events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.clients import Address, Client
    from server.models.dossiers import Dossier
    from server.models.people import User


class Contact(models.Model):
    id = fields.IntField(primary_key=True)
    # Whose name it was taken in: from the number dialled or the mailbox, else chosen at the
    # desk (a call to an unknown line has none until then).
    client: fields.ForeignKeyNullableRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="contacts", null=True, on_delete=fields.RESTRICT
    )
    client_id: int | None
    # server.domain.calls.ContactChannel
    channel = fields.CharField(max_length=12)
    # balie (started at the desk), api (the call-event API), twilio, ...
    source = fields.CharField(max_length=12, default="balie")
    # The platform's call id, prefixed with the source ("api:…", "twilio:CA…").
    call_id = fields.CharField(max_length=120, null=True, unique=True)
    # The other party: the caller's number (E.164 when it is one) or e-mail address.
    caller = fields.CharField(max_length=254, default="")
    caller_name = fields.CharField(max_length=200, default="")
    # Our side: the number dialled or the mailbox written to.
    line = fields.CharField(max_length=254, default="")
    address: fields.ForeignKeyNullableRelation[Address] = fields.ForeignKeyField(
        "models.Address", related_name="contacts", null=True, on_delete=fields.SET_NULL
    )
    agent: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="contacts", null=True, on_delete=fields.SET_NULL
    )
    agent_id: int | None
    # Kept as text, so a contact still says who after the user is removed; agent_ref is how
    # the platform named him (kept even when no user matched).
    agent_name = fields.CharField(max_length=200, default="")
    agent_ref = fields.CharField(max_length=254, default="")
    # server.domain.calls.ContactState; kept by server/contacts from the facts below.
    state = fields.CharField(max_length=12)
    offered_at = fields.DatetimeField()
    answered_at = fields.DatetimeField(null=True)
    ended_at = fields.DatetimeField(null=True)
    registered_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    wait_seconds = fields.IntField(null=True)
    talk_seconds = fields.IntField(null=True)
    wrap_seconds = fields.IntField(null=True)
    subject = fields.CharField(max_length=200, default="")
    result_code = fields.CharField(max_length=40, null=True)
    result_label = fields.CharField(max_length=200, default="")
    referred_to = fields.CharField(max_length=200, default="")
    note = fields.TextField(default="")
    transferred_to = fields.CharField(max_length=20, default="")
    transferred_name = fields.CharField(max_length=200, default="")
    transferred_at = fields.DatetimeField(null=True)
    # How many call events the times above are folded from (server/contacts/call_events.py
    # checks its read of them against this).
    events_folded = fields.IntField(default=0, db_default=0)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField(auto_now=True)

    dossier_links: fields.ReverseRelation[ContactDossier]

    class Meta:
        table = "contact"
        indexes = (
            ("client_id", "offered_at"),
            ("offered_at",),
            ("agent_id", "state"),
            ("caller", "offered_at"),
        )

    def __str__(self) -> str:
        return f"contact {self.id}"


class ContactDossier(models.Model):
    """A dossier a contact made (`created`) or concerns (a question about it, a repeat)."""

    id = fields.IntField(primary_key=True)
    contact: fields.ForeignKeyRelation[Contact] = fields.ForeignKeyField(
        "models.Contact", related_name="dossier_links", on_delete=fields.CASCADE
    )
    contact_id: int
    dossier: fields.ForeignKeyRelation[Dossier] = fields.ForeignKeyField(
        "models.Dossier", related_name="contact_links", on_delete=fields.CASCADE
    )
    dossier_id: int
    created = fields.BooleanField(default=False)
    at = fields.DatetimeField()

    class Meta:
        table = "contact_dossier"
        unique_together = (("contact", "dossier"),)
        indexes = (("dossier_id",),)


class CallEvent(models.Model):
    """One event the telephony platform reported, kept so a call's times can be recomputed
    from all of them (server.domain.calls.fold) and a repeated event is applied once."""

    id = fields.BigIntField(primary_key=True)
    contact: fields.ForeignKeyRelation[Contact] = fields.ForeignKeyField(
        "models.Contact", related_name="call_events", on_delete=fields.CASCADE
    )
    contact_id: int
    kind = fields.CharField(max_length=12)
    at = fields.DatetimeField()
    agent = fields.CharField(max_length=254, default="")
    transferred_to = fields.CharField(max_length=254, default="")
    received_at = fields.DatetimeField()
    # What the platform sent, for the contact page and for reading a dispute afterwards.
    data: dict[str, Any] = fields.JSONField(default=dict)

    class Meta:
        table = "call_event"
        unique_together = (("contact", "kind", "at", "agent"),)


class ContactHour(models.Model):
    """The contacts offered in one UTC hour, per client, channel and result code, counted.

    Kept by triggers on `contact` in the transaction that changes a contact (migration
    0022_contact_hours), so the telephony figures read a few rows per hour instead of every
    call (server/insight/telephony.py). `client_id` 0 is no client; `result_code` "" none.
    The columns mean what server/insight/contact_hours.COUNTED says. The unique key
    (client_id, channel, hour, result_code), with the counts included on PostgreSQL so the
    figures read the index alone, is made by the migration (Tortoise has no INCLUDE).
    """

    id = fields.BigIntField(primary_key=True)
    client_id = fields.IntField()
    hour = fields.DatetimeField()
    channel = fields.CharField(max_length=12)
    result_code = fields.CharField(max_length=40)
    shard = fields.SmallIntField(default=0, db_default=0)  # contact_hours.KEY: a busy hour
    contacts = fields.IntField(default=0)
    answered = fields.IntField(default=0)
    within = fields.IntField(default=0)
    abandoned = fields.IntField(default=0)
    transferred = fields.IntField(default=0)
    wait_sum = fields.BigIntField(default=0)
    talk_sum = fields.BigIntField(default=0)
    handling_sum = fields.BigIntField(default=0)

    class Meta:
        table = "contact_hour"
        indexes = (("hour",),)


class InboundLine(models.Model):
    """A number a client's tenants dial, or a mailbox they write to: it decides the client."""

    id = fields.IntField(primary_key=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="inbound_lines", on_delete=fields.CASCADE
    )
    client_id: int
    # telefoon or email
    kind = fields.CharField(max_length=10)
    # E.164 number, or a lower-cased e-mail address; one client per line.
    value = fields.CharField(max_length=254, unique=True)
    label = fields.CharField(max_length=100, default="")

    class Meta:
        table = "inbound_line"
        ordering = ["id"]


class TransferTarget(models.Model):
    """A number the desk may put a caller through to, with the hours it is valid
    (server.domain.transfer_hours; no windows is always)."""

    id = fields.IntField(primary_key=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="transfer_targets", on_delete=fields.CASCADE
    )
    client_id: int
    name = fields.CharField(max_length=200)
    number = fields.CharField(max_length=20)
    hours: list[dict[str, Any]] = fields.JSONField(default=list)
    position = fields.IntField(default=0)

    class Meta:
        table = "transfer_target"
        ordering = ["position", "id"]
