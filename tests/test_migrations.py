"""The migrations on disk describe exactly the models: no model change without a migration."""

from __future__ import annotations

from tortoise import Tortoise
from tortoise.migrations.autodetector import MigrationAutodetector

from server import db


async def test_models_and_migrations_agree(database: None) -> None:
    apps = db.tortoise_config()["apps"]
    detector = MigrationAutodetector(Tortoise.apps, apps)
    pending = await detector.changes()
    assert [w.name for w in pending] == [], "run makemigrations (docs/cli.md)"
