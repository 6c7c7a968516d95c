"""What a technician records on a job, and the chat of a dossier. Rows are only ever added."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.dossiers import Dossier
    from server.models.people import Technician, User


class RepairLog(models.Model):
    """One repair report from the field: cause, work done, materials, time, fixed or not."""

    id = fields.BigIntField(primary_key=True)
    dossier: fields.ForeignKeyRelation[Dossier] = fields.ForeignKeyField(
        "models.Dossier", related_name="repair_logs", on_delete=fields.CASCADE
    )
    technician: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "models.Technician", related_name="repair_logs", null=True, on_delete=fields.SET_NULL
    )
    author: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="repair_logs", null=True, on_delete=fields.SET_NULL
    )
    # The operation that made this row: a replay finds it and adds nothing.
    op_id = fields.CharField(max_length=80, unique=True)
    cause = fields.TextField(default="")
    work_done = fields.TextField(default="")
    # [{"name": "Sifon 32 mm", "quantity": 1, "unit": "st"}]
    materials: list[dict[str, Any]] = fields.JSONField(default=list)
    minutes = fields.IntField(default=0)
    fixed = fields.BooleanField(default=False)
    # The werkbon a job is closed with (docs/fieldwork.md): when he arrived and finished, as
    # his phone said, corrected by its clock offset; the tenant's signature as a data: URL of
    # a small PNG (media/signature.py) and the name written under it. Personal data: the
    # signature and name leave with the tenant's details (server/dossiers/retention.py).
    arrived_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)
    signature = fields.TextField(null=True)
    signed_by = fields.CharField(max_length=200, default="", db_default="")
    # As the device's clock said, and corrected by the device's measured clock offset.
    device_time = fields.DatetimeField(null=True)
    reported_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "repair_log"
        ordering = ["created_at", "id"]


class Photo(models.Model):
    """A photo of a job. The file lives under MEDIA_ROOT by its key (sha256 of the original)."""

    id = fields.BigIntField(primary_key=True)
    dossier: fields.ForeignKeyRelation[Dossier] = fields.ForeignKeyField(
        "models.Dossier", related_name="photos", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=64, db_index=True)
    # Made on the device before upload: a repeated upload finds this row and stores nothing.
    client_id = fields.CharField(max_length=80, unique=True)
    uploaded_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="photos", null=True, on_delete=fields.SET_NULL
    )
    width = fields.IntField(default=0)
    height = fields.IntField(default=0)
    taken_at = fields.DatetimeField(null=True)
    caption = fields.CharField(max_length=500, default="")
    # Set when the attach operation put the photo on the timeline.
    attached_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "photo"
        ordering = ["created_at", "id"]


class DossierMessage(models.Model):
    """The chat of a dossier, between the technician, the meldkamer and the client."""

    id = fields.BigIntField(primary_key=True)
    dossier: fields.ForeignKeyRelation[Dossier] = fields.ForeignKeyField(
        "models.Dossier", related_name="messages", on_delete=fields.CASCADE
    )
    author: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="messages", null=True, on_delete=fields.SET_NULL
    )
    author_name = fields.CharField(max_length=200, default="")
    author_role = fields.CharField(max_length=20, default="")
    # Only for messages from the app: a replay finds this row and adds nothing.
    op_id = fields.CharField(max_length=80, unique=True, null=True)
    text = fields.TextField()
    # From the app: as the device's clock said, and corrected by its measured clock offset
    # (the time shown). created_at is when it reached the server.
    device_time = fields.DatetimeField(null=True)
    reported_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "dossier_message"
        ordering = ["created_at", "id"]
        indexes = (("dossier_id", "id"),)
