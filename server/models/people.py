"""Users, their credentials, contractors and technicians."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.clients import Client


class User(models.Model):
    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=80, unique=True)
    full_name = fields.CharField(max_length=200, default="")
    email = fields.CharField(max_length=254, default="")
    # admin, supervisor, agent, technician, client, contractor (see server.domain.roles)
    role = fields.CharField(max_length=20)
    client: fields.ForeignKeyNullableRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="users", null=True, on_delete=fields.CASCADE
    )
    # A contractor's user works in the contractor portal, on that contractor's orders only.
    contractor: fields.ForeignKeyNullableRelation[Contractor] = fields.ForeignKeyField(
        "models.Contractor", related_name="users", null=True, on_delete=fields.CASCADE
    )
    password_hash = fields.CharField(max_length=200)
    active = fields.BooleanField(default=True)
    # Bumped on password change or deactivation: old session cookies stop working.
    session_epoch = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "user"

    def __str__(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored, so a database leak reveals no token."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="tokens", on_delete=fields.CASCADE
    )
    token_hash = fields.CharField(max_length=64, unique=True)
    label = fields.CharField(max_length=100, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    last_used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"


class LoginThrottle(models.Model):
    """Failed logins of one username ("name:anna") or address ("addr:10.0.0.7") in the current
    window, one row per key, so that every app process shares one count and taking a slot is a
    single conditional UPDATE (server/auth/login_limit.py)."""

    key = fields.CharField(max_length=100, primary_key=True)
    failures = fields.IntField(default=0)
    # When the window began; after the last allowed try, when the lock-out began.
    window_start = fields.DatetimeField(db_index=True)

    class Meta:
        table = "login_throttle"


class Contractor(models.Model):
    """An opdrachtnemer / aannemer / co-maker with its own technicians."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=20, unique=True)
    name = fields.CharField(max_length=200)
    phone = fields.CharField(max_length=20, default="")
    email = fields.CharField(max_length=254, default="")
    trades: list[str] = fields.JSONField(default=list)
    # Like a client's: {"materials": ["Sifon 32 mm", ...]}, the list its technicians pick from.
    settings: dict[str, Any] = fields.JSONField(default=dict, db_default="{}")

    class Meta:
        table = "contractor"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Technician(models.Model):
    id = fields.IntField(primary_key=True)
    user: fields.OneToOneNullableRelation[User] = fields.OneToOneField(
        "models.User", related_name="technician", null=True, on_delete=fields.SET_NULL
    )
    contractor: fields.ForeignKeyNullableRelation[Contractor] = fields.ForeignKeyField(
        "models.Contractor", related_name="technicians", null=True, on_delete=fields.SET_NULL
    )
    name = fields.CharField(max_length=200)
    phone = fields.CharField(max_length=20, default="")
    # VERA ONDERHOUDSPECIALISME codes (server.domain.codes.TRADE_LABELS).
    trades: list[str] = fields.JSONField(default=list)
    home_postcode = fields.CharField(max_length=6, default="")
    home_latitude = fields.FloatField(null=True)
    home_longitude = fields.FloatField(null=True)
    # On-call duty (piketdienst) on top of the weekly roster (RosterEntry).
    on_call_evenings = fields.BooleanField(default=False)
    on_call_weekends = fields.BooleanField(default=False)
    on_call_holidays = fields.BooleanField(default=False)
    # Whether his app may report where he is while on duty (TechnicianPosition).
    position_consent = fields.BooleanField(default=False)
    active = fields.BooleanField(default=True)

    class Meta:
        table = "technician"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
