"""The tenant's surveys, read by the dashboard: after a dossier is closed (one per dossier),
and after a finished call or e-mail (one per contact, at most one a day per caller).

Two tables rather than one with a nullable dossier: the job survey's figures and code stay as
they were, and a call survey carries what only it has (the invitation, the agent)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.clients import Client
    from server.models.contacts import Contact
    from server.models.dossiers import Dossier
    from server.models.people import User


class Survey(models.Model):
    """Scores from 1 to 5 and an optional remark, submitted once through the survey link."""

    id = fields.IntField(primary_key=True)
    dossier: fields.OneToOneRelation[Dossier] = fields.OneToOneField(
        "models.Dossier", related_name="survey", on_delete=fields.CASCADE
    )
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="surveys", on_delete=fields.CASCADE
    )
    friendliness = fields.SmallIntField()
    expertise = fields.SmallIntField()
    helpfulness = fields.SmallIntField()
    solution = fields.SmallIntField()
    remark = fields.TextField(default="")
    submitted_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "survey"
        indexes = (("client_id", "submitted_at"),)


class CallSurvey(models.Model):
    """The survey about one contact: made when its caller is invited, answered once.

    `caller_key` is a keyed hash of the caller's number or address (not the number itself)
    and `day` the local day of the contact; together unique, so two contacts of one caller on
    one day, even finishing at the same moment in two processes, give one invitation. The
    scores are empty until the caller answers (`submitted_at`).
    """

    id = fields.IntField(primary_key=True)
    contact: fields.OneToOneRelation[Contact] = fields.OneToOneField(
        "models.Contact", related_name="call_survey", on_delete=fields.CASCADE
    )
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="call_surveys", on_delete=fields.CASCADE
    )
    client_id: int
    # Who took the contact, as the contact says when answered; the name kept as text.
    agent: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="call_surveys", null=True, on_delete=fields.SET_NULL
    )
    agent_id: int | None
    agent_name = fields.CharField(max_length=200, default="")
    # Emptied with the contact's caller after RETENTION_DAYS (server/contacts/retention.py).
    caller_key = fields.CharField(max_length=64, null=True)
    day = fields.DateField()
    # sms or email: how the invitation went.
    channel = fields.CharField(max_length=10)
    invited_at = fields.DatetimeField()
    friendliness = fields.SmallIntField(null=True)
    expertise = fields.SmallIntField(null=True)
    helpfulness = fields.SmallIntField(null=True)
    solution = fields.SmallIntField(null=True)
    remark = fields.TextField(default="")
    submitted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "call_survey"
        unique_together = (("caller_key", "day"),)
        indexes = (("client_id", "submitted_at"),)
