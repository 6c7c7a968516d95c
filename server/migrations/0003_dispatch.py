from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("models", "0002_protocols_notifications")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ContractorCoverage",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "contractor",
                    fields.ForeignKeyField(
                        "models.Contractor",
                        source_field="contractor_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="coverage",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "client",
                    fields.ForeignKeyField(
                        "models.Client",
                        source_field="client_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="coverage",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("trade", fields.CharField(null=True, max_length=3)),
                ("postcode_from", fields.SmallIntField()),
                ("postcode_to", fields.SmallIntField()),
            ],
            options={
                "table": "contractor_coverage",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A contractor covers a client's addresses in the 4-digit postcode range from-to, for one",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="GeocodeCache",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("key", fields.CharField(unique=True, max_length=255)),
                ("latitude", fields.FloatField()),
                ("longitude", fields.FloatField()),
                ("precision", fields.CharField(max_length=10)),
                ("source", fields.CharField(max_length=40)),
                ("bag_id", fields.CharField(null=True, max_length=16)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "geocode_cache",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Results of the online geocoder by address key (geo.address.Address.key)",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RosterEntry",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "technician",
                    fields.ForeignKeyField(
                        "models.Technician",
                        source_field="technician_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="roster",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("weekday", fields.SmallIntField()),
                ("start_minute", fields.SmallIntField()),
                ("end_minute", fields.SmallIntField()),
            ],
            options={
                "table": "roster_entry",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One weekly working interval of a technician: weekday 0 is Monday, times in minutes",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TechnicianPosition",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "technician",
                    fields.OneToOneField(
                        "models.Technician",
                        source_field="technician_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="position",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("latitude", fields.FloatField()),
                ("longitude", fields.FloatField()),
                ("accuracy_m", fields.FloatField(null=True)),
                ("reported_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "technician_position",
                "app": "models",
                "pk_attr": "id",
                "table_description": "The last position a technician's app reported, kept only while he is on duty and has",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Dossier",
            name="geo_precision",
            field=fields.CharField(default="onbekend", max_length=10),
        ),
        ops.AddField(
            model_name="Dossier",
            name="geo_source",
            field=fields.CharField(default="", max_length=40),
        ),
        ops.AddField(
            model_name="Dossier",
            name="latitude",
            field=fields.FloatField(null=True),
        ),
        ops.AddField(
            model_name="Dossier",
            name="longitude",
            field=fields.FloatField(null=True),
        ),
        ops.AddIndex(
            model_name="Dossier",
            index=Index(fields=["technician_id", "appointment_start"]),
        ),
        ops.AddField(
            model_name="Technician",
            name="on_call_evenings",
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name="Technician",
            name="on_call_holidays",
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name="Technician",
            name="on_call_weekends",
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name="Technician",
            name="position_consent",
            field=fields.BooleanField(default=False),
        ),
    ]
