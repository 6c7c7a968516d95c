"""Clients (opdrachtgevers) and their housing stock."""

from __future__ import annotations

from typing import Any

from tortoise import fields, models


def default_office_hours() -> dict[str, list[list[str]]]:
    weekday = [["08:00", "17:00"]]
    return {"mon": weekday, "tue": weekday, "wed": weekday, "thu": weekday, "fri": weekday}


class Client(models.Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=20, unique=True)
    name = fields.CharField(max_length=200)
    kind = fields.CharField(max_length=30, default="woningcorporatie")
    email = fields.CharField(max_length=254, default="")
    phone = fields.CharField(max_length=20, default="")
    # {"mon": [["08:00", "17:00"]], ...}; a missing day is closed.
    office_hours: dict[str, Any] = fields.JSONField(default=default_office_hours)
    oncall_name = fields.CharField(max_length=200, default="")
    oncall_phone = fields.CharField(max_length=20, default="")
    oncall_email = fields.CharField(max_length=254, default="")
    # Extended by later capabilities (heating season, quiet hours, auto-assign, ...).
    settings: dict[str, Any] = fields.JSONField(default=dict)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "client"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Complex(models.Model):
    """A housing complex of a client, as on its complexlijst."""

    id = fields.IntField(primary_key=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="complexes", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=40)
    name = fields.CharField(max_length=200, default="")

    class Meta:
        table = "complex"
        unique_together = (("client", "code"),)


class Address(models.Model):
    id = fields.IntField(primary_key=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="addresses", on_delete=fields.CASCADE
    )
    complex: fields.ForeignKeyNullableRelation[Complex] = fields.ForeignKeyField(
        "models.Complex", related_name="addresses", null=True, on_delete=fields.SET_NULL
    )
    street = fields.CharField(max_length=200)
    house_number = fields.IntField()
    suffix = fields.CharField(max_length=10, default="")
    # Normalised: four digits and two capitals, no space ("1234AB").
    postcode = fields.CharField(max_length=6, db_index=True)
    city = fields.CharField(max_length=100)
    bag_id = fields.CharField(max_length=16, null=True)
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)

    class Meta:
        table = "address"
        unique_together = (("client", "postcode", "house_number", "suffix"),)

    @property
    def line(self) -> str:
        suffix = f"-{self.suffix}" if self.suffix else ""
        return f"{self.street} {self.house_number}{suffix}"

    @property
    def display_postcode(self) -> str:
        return f"{self.postcode[:4]} {self.postcode[4:]}"

    def __str__(self) -> str:
        return f"{self.line}, {self.display_postcode} {self.city}"


class AddressParty(models.Model):
    """A party registered for an address or a whole complex: VvE, caretaker, lift company, ...

    Referrals in triage go to the party of the right kind for the dossier's address.
    """

    id = fields.IntField(primary_key=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="parties", on_delete=fields.CASCADE
    )
    address: fields.ForeignKeyNullableRelation[Address] = fields.ForeignKeyField(
        "models.Address", related_name="parties", null=True, on_delete=fields.CASCADE
    )
    complex: fields.ForeignKeyNullableRelation[Complex] = fields.ForeignKeyField(
        "models.Complex", related_name="parties", null=True, on_delete=fields.CASCADE
    )
    # vve, huismeester, lift, monitoring, garantie, serviceabonnement, ...
    kind = fields.CharField(max_length=30)
    name = fields.CharField(max_length=200)
    phone = fields.CharField(max_length=20, default="")
    email = fields.CharField(max_length=254, default="")
    note = fields.TextField(default="")
    valid_until = fields.DateField(null=True)

    class Meta:
        table = "address_party"
