"""The werkbon a job is closed with, and the materials a contractor's technicians pick from
(docs/fieldwork.md).

- repair_log: arrived_at and finished_at (the visit the werkbon covers), the tenant's
  signature (a small PNG, base64; media/signature.py) and the name written under it;
- contractor: settings, like a client's (materials: the list the app offers).

Existing rows get an empty name and empty settings from the database default, so the columns
can be NOT NULL on tables that already hold rows.
"""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0015_contacts")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Contractor",
            name="settings",
            field=fields.JSONField(
                default=dict,
                db_default="{}",
                encoder=functools.partial(dumps, separators=(",", ":")),
                decoder=loads,
            ),
        ),
        ops.AddField(
            model_name="RepairLog",
            name="arrived_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="RepairLog",
            name="finished_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="RepairLog",
            name="signature",
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name="RepairLog",
            name="signed_by",
            field=fields.CharField(default="", db_default="", max_length=200),
        ),
    ]
