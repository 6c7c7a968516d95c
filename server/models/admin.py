"""Administration: the change record of the admin screens, account links (invitation and
password reset), two-factor secrets, the platform's own settings and stock imports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields, models
from tortoise.indexes import Index

if TYPE_CHECKING:
    from server.models.clients import Client
    from server.models.people import User


class ChangeRecord(models.Model):
    """One field of one object changed on an admin screen: who, when, old and new value."""

    id = fields.IntField(primary_key=True)
    # "user", "client", "technician", "settings"
    object_type = fields.CharField(max_length=20)
    object_id = fields.CharField(max_length=40)
    field = fields.CharField(max_length=60)
    old = fields.TextField(default="")
    new = fields.TextField(default="")
    by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    # Kept as written: the record outlives a renamed or removed user.
    by_name = fields.CharField(max_length=200, default="")
    at = fields.DatetimeField()

    class Meta:
        table = "change_record"
        indexes = [Index(fields=["object_type", "object_id", "at"])]
        table_description = "Every change made on the admin screens, per object and field."


class AccountLink(models.Model):
    """A single-use, expiring link by e-mail: an invitation or a password reset. Only the
    SHA-256 of its token is stored."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="account_links", on_delete=fields.CASCADE
    )
    purpose = fields.CharField(max_length=20)  # "invite" or "reset"
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "account_link"


class TwoFactor(models.Model):
    """A user's TOTP secret (RFC 6238) and the hashes of his unused recovery codes. The
    secret counts once `confirmed_at` is set: he proved his app shows the right codes."""

    id = fields.IntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="two_factor", on_delete=fields.CASCADE
    )
    secret = fields.CharField(max_length=64)
    confirmed_at = fields.DatetimeField(null=True)
    recovery_hashes: list[str] = fields.JSONField(default=list)
    # The last time step used: a code is good once (RFC 6238, section 5.2).
    last_step = fields.BigIntField(default=0)

    class Meta:
        table = "two_factor"


class PlatformSetting(models.Model):
    """A setting of the platform itself, kept on the admin screen ("two_factor_roles")."""

    key = fields.CharField(max_length=60, primary_key=True)
    value: Any = fields.JSONField()

    class Meta:
        table = "platform_setting"


class StockImport(models.Model):
    """A housing stock import started on the screen: its progress and its report."""

    id = fields.IntField(primary_key=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="stock_imports", on_delete=fields.CASCADE
    )
    by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    file_name = fields.CharField(max_length=200)
    dry_run = fields.BooleanField(default=True)
    # bezig, klaar, fout
    status = fields.CharField(max_length=10, default="bezig")
    done = fields.IntField(default=0)
    total = fields.IntField(default=0)
    report: dict[str, Any] = fields.JSONField(default=dict)
    started_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)
    # The uploaded file until the worker has read it: in the database, so a worker on another
    # machine than the page that took the upload can run it.
    upload = fields.BinaryField(null=True)

    class Meta:
        table = "stock_import"
