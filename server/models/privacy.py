"""Privacy (AVG): who opened which dossier, and the tenants' access and erasure requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.dossiers import Dossier
    from server.models.people import User


class DossierView(models.Model):
    """A staff or client user opened a dossier (its page, or through the API)."""

    id = fields.BigIntField(primary_key=True)
    dossier: fields.ForeignKeyRelation[Dossier] = fields.ForeignKeyField(
        "models.Dossier", related_name="views", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="dossier_views", null=True, on_delete=fields.SET_NULL
    )
    # Kept with the row, so the log still says who after the user is gone.
    username = fields.CharField(max_length=150)
    role = fields.CharField(max_length=20)
    via = fields.CharField(max_length=10)  # scherm | api
    at = fields.DatetimeField()

    class Meta:
        table = "dossier_view"
        indexes = (("dossier_id", "at"), ("user_id", "at"))


class PrivacyRequest(models.Model):
    """A tenant's access request (inzage) or erasure (wissen), done by an admin: what was
    found, and when and by whom. The tenant's number or address itself is not kept (an
    erasure would be undone by its own record): a keyed hash links requests about the same
    person."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=10)  # inzage | wissen
    subject_kind = fields.CharField(max_length=10)  # telefoon | e-mail
    subject_key = fields.CharField(max_length=64, db_index=True)
    reference = fields.CharField(max_length=100, default="")
    note = fields.TextField(default="")
    found: dict[str, Any] = fields.JSONField(default=dict)
    photos_removed = fields.BooleanField(default=False)
    by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="privacy_requests", null=True, on_delete=fields.SET_NULL
    )
    by_name = fields.CharField(max_length=150)
    at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "privacy_request"
