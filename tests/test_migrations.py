"""The migrations on disk describe exactly the models: no model change without a migration."""

from __future__ import annotations

import pytest
from tortoise import Tortoise
from tortoise.migrations.autodetector import MigrationAutodetector

from server import db, settings


async def test_models_and_migrations_agree(database: None) -> None:
    apps = db.tortoise_config()["apps"]
    detector = MigrationAutodetector(Tortoise.apps, apps)
    pending = await detector.changes()
    assert [w.name for w in pending] == [], "run makemigrations (docs/cli.md)"


@pytest.mark.skipif(
    not settings.DATABASE_URL.startswith("postgres"),
    reason="several processes migrating one PostgreSQL; runs in the PostgreSQL run",
)
async def test_two_servers_starting_at_once_migrate_once() -> None:
    """Two app servers (two machines) starting together on a database with every migration
    pending both come up: they take turns, the second finds nothing left to do."""
    import asyncio
    import os
    import sys
    from pathlib import Path

    import asyncpg

    base = settings.DATABASE_URL.replace("postgres://", "postgresql://", 1).split("?", 1)[0]
    server, _, name = base.rpartition("/")
    scratch = f"{name}_migrate_twice"
    admin = await asyncpg.connect(base)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        await admin.execute(f'CREATE DATABASE "{scratch}"')
        url = f"{server}/{scratch}".replace("postgresql://", "postgres://", 1)
        meldkamer = str(Path(sys.executable).parent / "meldkamer")
        env = {**os.environ, "DATABASE_URL": url}
        runs = [
            await asyncio.create_subprocess_exec(
                meldkamer,
                "migrate",
                env=env,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
            )
            for _ in range(2)
        ]
        outputs = await asyncio.gather(*(run.communicate() for run in runs))
        assert [run.returncode for run in runs] == [0, 0], outputs
        check = await asyncpg.connect(f"{server}/{scratch}")
        try:
            rows = await check.fetch(
                "SELECT name, count(*) AS n FROM tortoise_migrations GROUP BY name"
            )
        finally:
            await check.close()
        assert rows and all(row["n"] == 1 for row in rows)
        assert any(row["name"].startswith("0031") for row in rows)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        await admin.close()
