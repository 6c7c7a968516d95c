"""The chain (docs/chain.md): integrations with clients' and contractors' systems in VERA, and
the messages sent to them, one row per message in the order they must arrive."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.clients import Client
    from server.models.dossiers import Dossier
    from server.models.people import Contractor


class Integration(models.Model):
    """A client's or a contractor's system that receives VERA messages and may answer."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    # Exactly one of the two: whose system this is.
    client: fields.ForeignKeyNullableRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="integrations", null=True, on_delete=fields.CASCADE
    )
    client_id: int | None
    contractor: fields.ForeignKeyNullableRelation[Contractor] = fields.ForeignKeyField(
        "models.Contractor", related_name="integrations", null=True, on_delete=fields.CASCADE
    )
    contractor_id: int | None
    # The receiver's VERA base URL; the resource paths (/onderhoudsorders, ...) follow it.
    endpoint_url = fields.CharField(max_length=500)
    # "api_key" (header `api_key_header`) or "oauth2" (client credentials at `token_url`).
    auth = fields.CharField(max_length=10, default="api_key")
    api_key_header = fields.CharField(max_length=60, default="X-API-KEY")
    token_url = fields.CharField(max_length=500, default="")
    oauth_client_id = fields.CharField(max_length=200, default="")
    oauth_scope = fields.CharField(max_length=200, default="")
    # The API key or OAuth client secret, encrypted (server/chain/secrets.py); never shown.
    secret = fields.TextField(default="")
    # Which messages go: "onderhoudsverzoek", "onderhoudsorder", "afspraak".
    messages: list[str] = fields.JSONField(default=list)
    active = fields.BooleanField(default=False)
    # The key its system answers with (our inbound API), as a sha256; shown once when made.
    inbound_key_hash = fields.CharField(max_length=64, null=True, unique=True)
    inbound_key_hint = fields.CharField(max_length=8, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "chain_integration"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ChainMessage(models.Model):
    """One VERA message to one integration: built once, sent as built (same id on every try)."""

    id = fields.BigIntField(primary_key=True)
    integration: fields.ForeignKeyRelation[Integration] = fields.ForeignKeyField(
        "models.Integration", related_name="chain_messages", on_delete=fields.CASCADE
    )
    integration_id: int
    dossier: fields.ForeignKeyRelation[Dossier] = fields.ForeignKeyField(
        "models.Dossier", related_name="chain_messages", on_delete=fields.CASCADE
    )
    dossier_id: int
    # Our idempotency key: what made it (dossier, kind, version); a second record is a no-op.
    key = fields.CharField(max_length=120, unique=True)
    # X-Stuurgegevens-Referentienummer: the receiver recognises a retry by it.
    message_id = fields.CharField(max_length=36, unique=True)
    kind = fields.CharField(max_length=20)
    method = fields.CharField(max_length=6, default="POST")
    path = fields.CharField(max_length=200)
    body: dict[str, Any] = fields.JSONField(default=dict)
    # wachtrij (waiting or retrying), verzonden, geweigerd (the receiver said no), opgegeven.
    status = fields.CharField(max_length=12, default="wachtrij", db_index=True)
    attempts = fields.IntField(default=0)
    deliver_after = fields.DatetimeField(db_index=True)
    last_error = fields.TextField(default="")
    response_status = fields.IntField(null=True)
    created_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "chain_message"
        ordering = ["id"]
        indexes = (("dossier_id", "integration_id", "status"),)
