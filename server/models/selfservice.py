"""Online reporting by tenants (/melden): the report while it is being made."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.clients import Address, Client
    from server.models.dossiers import Dossier


class ReportDraft(models.Model):
    """A tenant's report before it is a dossier, kept on the server so that a reload, the back
    button or a refused step loses nothing. The browser holds a random key in a signed cookie;
    only its sha256 is stored (server/selfservice/drafts.py).

    The one-time code that confirms the tenant's number or address is stored as an HMAC, never
    as the code itself (server/selfservice/codes.py)."""

    id = fields.BigIntField(primary_key=True)
    key_hash = fields.CharField(max_length=64, unique=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="report_drafts", on_delete=fields.CASCADE
    )
    client_id: int
    # E.164 mobile number or lower-cased e-mail address the code went to.
    contact = fields.CharField(max_length=254, default="")
    code_hash = fields.CharField(max_length=64, default="")
    code_expires_at = fields.DatetimeField(null=True)
    code_attempts = fields.IntField(default=0)
    codes_sent = fields.IntField(default=0)
    verified_at = fields.DatetimeField(null=True)
    address: fields.ForeignKeyNullableRelation[Address] = fields.ForeignKeyField(
        "models.Address", related_name="report_drafts", null=True, on_delete=fields.SET_NULL
    )
    address_id: int | None
    # Addresses tried after the code was confirmed (a wrong one is told only then).
    address_tries = fields.IntField(default=0)
    # What the tenant entered so far: address as typed, name, subject, answers, description,
    # photos (media keys), the slot chosen.
    data: dict[str, Any] = fields.JSONField(default=dict)
    language = fields.CharField(max_length=5, default="nl")
    dossier: fields.ForeignKeyNullableRelation[Dossier] = fields.ForeignKeyField(
        "models.Dossier", related_name="report_drafts", null=True, on_delete=fields.SET_NULL
    )
    dossier_id: int | None
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "report_draft"
