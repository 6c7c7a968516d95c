import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from server.models.clients import default_office_hours


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Client",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("code", fields.CharField(unique=True, max_length=20)),
                ("name", fields.CharField(max_length=200)),
                ("kind", fields.CharField(default="woningcorporatie", max_length=30)),
                ("email", fields.CharField(default="", max_length=254)),
                ("phone", fields.CharField(default="", max_length=20)),
                (
                    "office_hours",
                    fields.JSONField(
                        default=default_office_hours,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("oncall_name", fields.CharField(default="", max_length=200)),
                ("oncall_phone", fields.CharField(default="", max_length=20)),
                ("oncall_email", fields.CharField(default="", max_length=254)),
                (
                    "settings",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "client", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Complex",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "client",
                    fields.ForeignKeyField(
                        "models.Client",
                        source_field="client_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="complexes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("code", fields.CharField(max_length=40)),
                ("name", fields.CharField(default="", max_length=200)),
            ],
            options={
                "table": "complex",
                "app": "models",
                "unique_together": (("client", "code"),),
                "pk_attr": "id",
                "table_description": "A housing complex of a client, as on its complexlijst.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Address",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "client",
                    fields.ForeignKeyField(
                        "models.Client",
                        source_field="client_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="addresses",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "complex",
                    fields.ForeignKeyField(
                        "models.Complex",
                        source_field="complex_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="addresses",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("street", fields.CharField(max_length=200)),
                ("house_number", fields.IntField()),
                ("suffix", fields.CharField(default="", max_length=10)),
                ("postcode", fields.CharField(db_index=True, max_length=6)),
                ("city", fields.CharField(max_length=100)),
                ("bag_id", fields.CharField(null=True, max_length=16)),
                ("latitude", fields.FloatField(null=True)),
                ("longitude", fields.FloatField(null=True)),
            ],
            options={
                "table": "address",
                "app": "models",
                "unique_together": (("client", "postcode", "house_number", "suffix"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AddressParty",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "client",
                    fields.ForeignKeyField(
                        "models.Client",
                        source_field="client_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="parties",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "address",
                    fields.ForeignKeyField(
                        "models.Address",
                        source_field="address_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="parties",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "complex",
                    fields.ForeignKeyField(
                        "models.Complex",
                        source_field="complex_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="parties",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("kind", fields.CharField(max_length=30)),
                ("name", fields.CharField(max_length=200)),
                ("phone", fields.CharField(default="", max_length=20)),
                ("email", fields.CharField(default="", max_length=254)),
                ("note", fields.TextField(default="", unique=False)),
                ("valid_until", fields.DateField(null=True)),
            ],
            options={
                "table": "address_party",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A party registered for an address or a whole complex: VvE, caretaker, lift company, ...",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Contractor",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("code", fields.CharField(unique=True, max_length=20)),
                ("name", fields.CharField(max_length=200)),
                ("phone", fields.CharField(default="", max_length=20)),
                ("email", fields.CharField(default="", max_length=254)),
                (
                    "trades",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
            ],
            options={
                "table": "contractor",
                "app": "models",
                "pk_attr": "id",
                "table_description": "An opdrachtnemer / aannemer / co-maker with its own technicians.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LoginAttempt",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("username", fields.CharField(db_index=True, max_length=80)),
                ("remote", fields.CharField(db_index=True, max_length=64)),
                ("at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "login_attempt",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Failed logins, kept in the database so every app process sees the same count.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OrderCounter",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("year", fields.IntField(unique=True)),
                ("value", fields.IntField(default=0)),
            ],
            options={
                "table": "order_counter",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One row per year, incremented inside the creating transaction: gap-free numbers.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="User",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("username", fields.CharField(unique=True, max_length=80)),
                ("full_name", fields.CharField(default="", max_length=200)),
                ("email", fields.CharField(default="", max_length=254)),
                ("role", fields.CharField(max_length=20)),
                (
                    "client",
                    fields.ForeignKeyField(
                        "models.Client",
                        source_field="client_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="users",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("password_hash", fields.CharField(max_length=200)),
                ("active", fields.BooleanField(default=True)),
                ("session_epoch", fields.IntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "user", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="tokens",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                ("label", fields.CharField(default="", max_length=100)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "last_used_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "api_token",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A bearer token. Only its SHA-256 is stored, so a database leak reveals no token.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Technician",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.OneToOneField(
                        "models.User",
                        source_field="user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="technician",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "contractor",
                    fields.ForeignKeyField(
                        "models.Contractor",
                        source_field="contractor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="technicians",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("name", fields.CharField(max_length=200)),
                ("phone", fields.CharField(default="", max_length=20)),
                (
                    "trades",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("home_postcode", fields.CharField(default="", max_length=6)),
                ("home_latitude", fields.FloatField(null=True)),
                ("home_longitude", fields.FloatField(null=True)),
                ("active", fields.BooleanField(default=True)),
            ],
            options={"table": "technician", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Dossier",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("order_number", fields.CharField(unique=True, max_length=20)),
                (
                    "client",
                    fields.ForeignKeyField(
                        "models.Client",
                        source_field="client_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="dossiers",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "address",
                    fields.ForeignKeyField(
                        "models.Address",
                        source_field="address_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="dossiers",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("street", fields.CharField(default="", max_length=200)),
                ("house_number", fields.IntField(null=True)),
                ("suffix", fields.CharField(default="", max_length=10)),
                ("postcode", fields.CharField(default="", db_index=True, max_length=6)),
                ("city", fields.CharField(default="", max_length=100)),
                ("contact_name", fields.CharField(default="", max_length=200)),
                (
                    "contact_name_search",
                    fields.CharField(default="", db_index=True, max_length=200),
                ),
                ("contact_phone", fields.CharField(default="", max_length=20)),
                ("contact_email", fields.CharField(default="", max_length=254)),
                ("channel", fields.CharField(max_length=10)),
                ("category", fields.CharField(max_length=40)),
                ("description", fields.TextField(default="", unique=False)),
                ("urgency", fields.CharField(null=True, max_length=12)),
                ("order_type", fields.CharField(null=True, max_length=40)),
                ("trade", fields.CharField(null=True, max_length=3)),
                ("labour_minutes", fields.IntField(null=True)),
                (
                    "deadline_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "triage",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("phase", fields.CharField(default="nieuw", db_index=True, max_length=30)),
                (
                    "technician",
                    fields.ForeignKeyField(
                        "models.Technician",
                        source_field="technician_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="dossiers",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "contractor",
                    fields.ForeignKeyField(
                        "models.Contractor",
                        source_field="contractor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="dossiers",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "appointment_start",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "appointment_end",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "parent",
                    fields.ForeignKeyField(
                        "models.Dossier",
                        source_field="parent_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="repeats",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("result_code", fields.CharField(null=True, max_length=40)),
                ("referred_to", fields.CharField(default="", max_length=200)),
                (
                    "created_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="created_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="created_dossiers",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "first_contact_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("closed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ("version", fields.IntField(default=1)),
            ],
            options={
                "table": "dossier",
                "app": "models",
                "indexes": [
                    Index(fields=["client_id", "phase"]),
                    Index(fields=["client_id", "created_at"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="DossierEvent",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "dossier",
                    fields.ForeignKeyField(
                        "models.Dossier",
                        source_field="dossier_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="events",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="actor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="events",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("actor_name", fields.CharField(default="", max_length=200)),
                ("kind", fields.CharField(max_length=40)),
                (
                    "data",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
            ],
            options={
                "table": "dossier_event",
                "app": "models",
                "indexes": [Index(fields=["dossier_id", "at"])],
                "pk_attr": "id",
                "table_description": "Append-only: every change to a dossier, with who and when. Never updated or deleted.",
            },
            bases=["Model"],
        ),
    ]
