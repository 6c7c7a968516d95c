"""Dossiers, their append-only event log and the order-number counter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.clients import Address, Client
    from server.models.people import Contractor, Technician, User


class OrderCounter(models.Model):
    """One row per year, incremented inside the creating transaction: order numbers on SQLite.
    PostgreSQL numbers from a sequence per year, which starts after this row's value
    (server/dossiers/ordernumbers.py)."""

    id = fields.IntField(primary_key=True)
    year = fields.IntField(unique=True)
    value = fields.IntField(default=0)

    class Meta:
        table = "order_counter"


class Dossier(models.Model):
    id = fields.IntField(primary_key=True)
    order_number = fields.CharField(max_length=20, unique=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="dossiers", on_delete=fields.RESTRICT
    )
    address: fields.ForeignKeyNullableRelation[Address] = fields.ForeignKeyField(
        "models.Address", related_name="dossiers", null=True, on_delete=fields.SET_NULL
    )
    # The address as typed or as it stood at intake; kept even if the stock changes.
    street = fields.CharField(max_length=200, default="")
    house_number = fields.IntField(null=True)
    suffix = fields.CharField(max_length=10, default="")
    postcode = fields.CharField(max_length=6, default="", db_index=True)
    city = fields.CharField(max_length=100, default="")
    # Where the address is and how precisely (geo.address.Precision); geo_source empty means
    # not geocoded yet (a background job is on it).
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)
    geo_precision = fields.CharField(max_length=10, default="onbekend")
    geo_source = fields.CharField(max_length=40, default="")
    contact_name = fields.CharField(max_length=200, default="")
    # Lower-cased copy for case-insensitive search that works the same on every database.
    contact_name_search = fields.CharField(max_length=200, default="", db_index=True)
    contact_phone = fields.CharField(max_length=20, default="")  # E.164
    contact_email = fields.CharField(max_length=254, default="")
    channel = fields.CharField(max_length=10)
    category = fields.CharField(max_length=40)
    description = fields.TextField(default="")
    # Filled by triage.
    urgency = fields.CharField(max_length=12, null=True)
    order_type = fields.CharField(max_length=40, null=True)
    trade = fields.CharField(max_length=3, null=True)
    labour_minutes = fields.IntField(null=True)
    deadline_at = fields.DatetimeField(null=True)
    triage: dict[str, Any] = fields.JSONField(default=dict)
    # triage.outcome.label, a column for the dashboard's index (kept by models/derived.py).
    triage_outcome: str | None = fields.TextField(null=True)
    phase = fields.CharField(max_length=30, default="nieuw", db_index=True)
    technician: fields.ForeignKeyNullableRelation[Technician] = fields.ForeignKeyField(
        "models.Technician", related_name="dossiers", null=True, on_delete=fields.SET_NULL
    )
    contractor: fields.ForeignKeyNullableRelation[Contractor] = fields.ForeignKeyField(
        "models.Contractor", related_name="dossiers", null=True, on_delete=fields.SET_NULL
    )
    # When the contractor accepted the order in its portal; cleared when it goes to another.
    contractor_accepted_at = fields.DatetimeField(null=True)
    appointment_start = fields.DatetimeField(null=True)
    appointment_end = fields.DatetimeField(null=True)
    parent: fields.ForeignKeyNullableRelation[Dossier] = fields.ForeignKeyField(
        "models.Dossier", related_name="repeats", null=True, on_delete=fields.SET_NULL
    )
    result_code = fields.CharField(max_length=40, null=True)
    referred_to = fields.CharField(max_length=200, default="")
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="created_dossiers", null=True, on_delete=fields.SET_NULL
    )
    # Indexed by 0013's covering index on created_at (dossier_created_all), not on its own.
    created_at = fields.DatetimeField()
    first_contact_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    # From the timeline, kept by models/derived.py (definitions in domain/kpis.py): technician
    # visits (moves to in_uitvoering), the first of them, solved remotely.
    visits = fields.IntField(default=0, db_default=0)
    first_visit_at = fields.DatetimeField(null=True)
    remote_solved = fields.BooleanField(default=False, db_default=False)
    # The language the tenant picked (server/i18n: online, on the tracking page, or told the
    # desk) for their messages and pages; None until they pick: Dutch messages, and the
    # tracking page follows their browser.
    language = fields.CharField(max_length=5, null=True)
    # The tenant asked to be called back (online, server/selfservice): the board flags it until
    # the desk records a contact with them (first_contact_at).
    call_back_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)
    # Optimistic concurrency: bumped on every change, checked by writers that read first.
    version = fields.IntField(default=1)

    class Meta:
        table = "dossier"
        # The management figures' indexes by created_at, closed_at and parent_id cover the
        # columns they read; Tortoise cannot declare those (migration 0013, docs/kpis.md).
        indexes = (
            ("client_id", "phase"),
            ("technician_id", "appointment_start"),
            # The desk's search by phone number, caller recognition by number or e-mail (plain
            # indexes: an altered field would make SQLite rebuild the table and drop 0013's).
            ("contact_phone",),
            ("contact_email",),
        )

    def __str__(self) -> str:
        return self.order_number

    @property
    def address_line(self) -> str:
        if not self.street:
            return ""
        suffix = f"-{self.suffix}" if self.suffix else ""
        return f"{self.street} {self.house_number}{suffix}"

    @property
    def display_postcode(self) -> str:
        return f"{self.postcode[:4]} {self.postcode[4:]}" if self.postcode else ""


class DossierEvent(models.Model):
    """Append-only: every change to a dossier, with who and when (see models/derived.py)."""

    id = fields.BigIntField(primary_key=True)
    dossier: fields.ForeignKeyRelation[Dossier] = fields.ForeignKeyField(
        "models.Dossier", related_name="events", on_delete=fields.CASCADE
    )
    dossier_id: int
    # The dossier's client, so one client's figures read only its own events.
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name=False, on_delete=fields.RESTRICT
    )
    client_id: int | None
    at = fields.DatetimeField(db_index=True)
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="events", null=True, on_delete=fields.SET_NULL
    )
    # Kept as text too, so the timeline still says who after a user is removed.
    actor_name = fields.CharField(max_length=200, default="")
    kind = fields.CharField(max_length=40)
    data: dict[str, Any] = fields.JSONField(default=dict)
    # Transitions only: the phase left (data.from) and the hours the dossier stood in it, since
    # its previous created/transition event (server/domain/kpis.phase_hours).
    from_phase = fields.CharField(max_length=30, null=True)
    phase_hours = fields.FloatField(null=True)

    class Meta:
        table = "dossier_event"
        ordering = ["at", "id"]
        # Phase times read partial covering indexes of the transitions (migration 0013).
        indexes = (("dossier_id", "at"),)
