"""Versions of each client's triage protocol: the YAML as published, with who and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.clients import Client
    from server.models.people import User


class ProtocolVersion(models.Model):
    """A client's protocol as published, never changed again.

    Dossiers keep pointing at the version that decided them (in their triage data).
    """

    id = fields.IntField(primary_key=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="protocol_versions", on_delete=fields.CASCADE
    )
    version = fields.IntField()
    # The protocol file exactly as published (YAML or JSON), comments included.
    text = fields.TextField()
    # SHA-256 of `text`: tells an export or an import apart from the stored version.
    checksum = fields.CharField(max_length=64)
    # published, draft
    status = fields.CharField(max_length=10, default="published")
    reason = fields.TextField(default="")
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="protocol_versions", null=True, on_delete=fields.SET_NULL
    )
    # Kept as text too, so the history still says who after a user is removed.
    created_by_name = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "protocol_version"
        unique_together = (("client", "version"),)
        ordering = ["client_id", "-version"]

    def __str__(self) -> str:
        return f"versie {self.version}"
