"""State of the offline sync protocol (sync/): devices, outcomes of their operations, changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.dossiers import Dossier
    from server.models.people import User


class Device(models.Model):
    """One installed technician app. last_seq is advanced in the transaction of each operation."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="devices", on_delete=fields.CASCADE
    )
    # Random id made by the app at install time.
    device_id = fields.CharField(max_length=64)
    # Issued by the server; a new epoch makes the next pull a full reset.
    epoch = fields.CharField(max_length=32)
    last_seq = fields.BigIntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_seen_at = fields.DatetimeField(null=True)
    # Server clock minus the device's clock in seconds, measured at its last push.
    clock_offset = fields.IntField(null=True)
    clock_measured_at = fields.DatetimeField(null=True)

    class Meta:
        table = "sync_device"
        unique_together = (("user", "device_id"),)


class SyncOutcome(models.Model):
    """What became of one pushed operation, returned again when the operation is replayed."""

    id = fields.BigIntField(primary_key=True)
    device: fields.ForeignKeyRelation[Device] = fields.ForeignKeyField(
        "models.Device", related_name="outcomes", on_delete=fields.CASCADE
    )
    seq = fields.BigIntField()
    op_id = fields.CharField(max_length=80)
    kind = fields.CharField(max_length=40)
    job = fields.CharField(max_length=20, default="")
    # applied, rejected or conflict
    status = fields.CharField(max_length=12)
    reason = fields.TextField(default="")
    result: dict[str, Any] = fields.JSONField(default=dict)
    device_time = fields.DatetimeField(null=True)
    received_at = fields.DatetimeField()

    class Meta:
        table = "sync_outcome"
        unique_together = (("device", "seq"), ("device", "op_id"))


class ChangeLog(models.Model):
    """What a technician's devices must learn on their next pull, numbered in commit order."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="changes", on_delete=fields.CASCADE
    )
    dossier: fields.ForeignKeyNullableRelation[Dossier] = fields.ForeignKeyField(
        "models.Dossier", related_name="changes", null=True, on_delete=fields.CASCADE
    )
    # job (assigned or changed), withdrawn, chat, notice
    kind = fields.CharField(max_length=20)
    data: dict[str, Any] = fields.JSONField(default=dict)
    at = fields.DatetimeField()

    class Meta:
        table = "sync_change"
        indexes = (("user_id", "id"), ("user_id", "dossier_id"))


class SyncPrune(models.Model):
    """One pruning of the change log: changes numbered up to through_id were removed.

    A device whose cursor lies below the highest through_id gets a full reset on its next pull.
    """

    id = fields.IntField(primary_key=True)
    through_id = fields.BigIntField()
    deleted = fields.IntField(default=0)
    at = fields.DatetimeField()

    class Meta:
        table = "sync_prune"
