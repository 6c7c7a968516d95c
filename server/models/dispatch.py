"""Dispatch data: duty rosters, last positions, contractor coverage and the geocoding cache.

The rules that use them live in server.domain.dispatch; server.dispatch.candidates maps these
rows onto its plain data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields, models

if TYPE_CHECKING:
    from server.models.clients import Client
    from server.models.people import Contractor, Technician


class RosterEntry(models.Model):
    """One weekly working interval of a technician: weekday 0 is Monday, times in minutes
    after local midnight (Europe/Amsterdam), end up to 1440"""

    id = fields.IntField(primary_key=True)
    technician: fields.ForeignKeyRelation[Technician] = fields.ForeignKeyField(
        "models.Technician", related_name="roster", on_delete=fields.CASCADE
    )
    weekday = fields.SmallIntField()
    start_minute = fields.SmallIntField()
    end_minute = fields.SmallIntField()

    class Meta:
        table = "roster_entry"
        ordering = ["weekday", "start_minute"]


class Absence(models.Model):
    """Technician away (verlof, ziek, cursus) from starts_on to ends_on inclusive, off duty"""

    id = fields.IntField(primary_key=True)
    technician: fields.ForeignKeyRelation[Technician] = fields.ForeignKeyField(
        "models.Technician", related_name="absences", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=10)
    starts_on = fields.DateField(db_index=True)
    ends_on = fields.DateField(db_index=True)
    note = fields.CharField(max_length=200, default="")
    created_by = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "technician_absence"
        ordering = ["starts_on", "id"]


class TechnicianPosition(models.Model):
    """The last position a technician's app reported, kept only while he is on duty and has
    consented (Technician.position_consent)"""

    id = fields.IntField(primary_key=True)
    technician: fields.OneToOneRelation[Technician] = fields.OneToOneField(
        "models.Technician", related_name="position", on_delete=fields.CASCADE
    )
    latitude = fields.FloatField()
    longitude = fields.FloatField()
    accuracy_m = fields.FloatField(null=True)
    reported_at = fields.DatetimeField()
    # The `positions` dispatch generation of the write, set by a trigger (migration 0038): a
    # process that kept positions up to generation g reads only the rows stamped after g.
    stamp = fields.BigIntField(default=0, db_index=True)

    class Meta:
        table = "technician_position"


class ContractorCoverage(models.Model):
    """A contractor covers a client's addresses in the 4-digit postcode range from-to, for one
    trade or (trade empty) for every trade"""

    id = fields.IntField(primary_key=True)
    contractor: fields.ForeignKeyRelation[Contractor] = fields.ForeignKeyField(
        "models.Contractor", related_name="coverage", on_delete=fields.CASCADE
    )
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="coverage", on_delete=fields.CASCADE
    )
    trade = fields.CharField(max_length=3, null=True)
    postcode_from = fields.SmallIntField()
    postcode_to = fields.SmallIntField()

    class Meta:
        table = "contractor_coverage"


class GeocodeCache(models.Model):
    """Results of the online geocoder by address key (geo.address.Address.key)"""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=255, unique=True)
    latitude = fields.FloatField()
    longitude = fields.FloatField()
    precision = fields.CharField(max_length=10)
    source = fields.CharField(max_length=40)
    bag_id = fields.CharField(max_length=16, null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "geocode_cache"


class DispatchGeneration(models.Model):
    """Changed by database triggers whenever what dispatch ranks on changes (migration 0038).

    `crew`: technicians, rosters, absences, coverage; `positions`; `loads`: dossiers on a
    technician's plate. Each process keeps its ranking index until a value it read differs
    (server.dispatch.kept); a new row starts at a random value, so a table emptied and filled
    again does not repeat a value a process kept."""

    name = fields.CharField(max_length=20, primary_key=True)
    value = fields.BigIntField()

    class Meta:
        table = "dispatch_generation"
