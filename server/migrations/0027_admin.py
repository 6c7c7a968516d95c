"""Administration (docs/admin.md): the change record of the admin screens, account links for
invitations and password resets, two-factor secrets, platform settings, stock imports."""

from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("models", "0026_contractor_portal")]

    initial = False

    operations = [
        ops.CreateModel(
            name="AccountLink",
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
                        related_name="account_links",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("purpose", fields.CharField(max_length=20)),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("used_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "account_link",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A single-use, expiring link by e-mail: an invitation or a password reset. Only the",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ChangeRecord",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("object_type", fields.CharField(max_length=20)),
                ("object_id", fields.CharField(max_length=40)),
                ("field", fields.CharField(max_length=60)),
                ("old", fields.TextField(default="", unique=False)),
                ("new", fields.TextField(default="", unique=False)),
                (
                    "by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("by_name", fields.CharField(default="", max_length=200)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "change_record",
                "app": "models",
                "indexes": [Index(fields=["object_type", "object_id", "at"])],
                "pk_attr": "id",
                "table_description": "Every change made on the admin screens, per object and field.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="PlatformSetting",
            fields=[
                (
                    "key",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=60),
                ),
                (
                    "value",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
            ],
            options={
                "table": "platform_setting",
                "app": "models",
                "pk_attr": "key",
                "table_description": 'A setting of the platform itself, kept on the admin screen ("two_factor_roles").',
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="StockImport",
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
                        related_name="stock_imports",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("file_name", fields.CharField(max_length=200)),
                ("dry_run", fields.BooleanField(default=True)),
                ("status", fields.CharField(default="bezig", max_length=10)),
                ("done", fields.IntField(default=0)),
                ("total", fields.IntField(default=0)),
                (
                    "report",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("started_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "finished_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "stock_import",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A housing stock import started on the screen: its progress and its report.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TwoFactor",
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
                        db_constraint=True,
                        to_field="id",
                        related_name="two_factor",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("secret", fields.CharField(max_length=64)),
                (
                    "confirmed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "recovery_hashes",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("last_step", fields.BigIntField(default=0)),
            ],
            options={
                "table": "two_factor",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A user's TOTP secret (RFC 6238) and the hashes of his unused recovery codes. The",
            },
            bases=["Model"],
        ),
    ]
