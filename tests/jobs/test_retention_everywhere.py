"""Personal data leaves on time in every mode: Excel exports are deleted after KEEP_DAYS, and
the embedded app (no Redis, so no worker) archives, anonymises and prunes by itself."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from asgi_lifespan import LifespanManager

from server import settings
from server.app import create_app
from server.domain.errors import NotFound
from server.dossiers import dossiers
from server.dossiers.retention import REMOVED
from server.insight import export_jobs
from server.jobs import periodic
from server.jobs.worker import make_worker
from server.models import Dossier, User
from tests.support import scoped, world
from tests.support.pages import login

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    scoped.no_exports()
    return await world.build()


def _export(user: User, token: str, requested: datetime) -> None:
    export_jobs._save(user.id, token, status="klaar", rows=1, requested_at=requested.isoformat())
    export_jobs.file_path(user.id, token).write_bytes(b"PK")


async def test_an_export_is_kept_a_week(w: world.World) -> None:
    old, new = "oude-export-0123456789", "nieuwe-export-0123456789"
    _export(w.agent, old, NOW - timedelta(days=export_jobs.KEEP_DAYS, minutes=1))
    _export(w.agent, new, NOW - timedelta(days=export_jobs.KEEP_DAYS - 1))
    _export(w.client_user, old, NOW - timedelta(days=30))
    assert [e.token for e in export_jobs.mine(w.agent, NOW)] == [new]
    assert export_jobs.download(w.agent, new, NOW).is_file()
    with pytest.raises(NotFound) as gone:
        export_jobs.download(w.agent, old, NOW)
    assert gone.value.message == f"Export '{old}' is verwijderd: exports blijven 7 dagen bewaard."
    assert not export_jobs.file_path(w.agent.id, old).exists()
    export_jobs.prune(NOW)  # the client user's; the agent's old one went above
    assert not export_jobs.file_path(w.client_user.id, old).exists()
    assert export_jobs.file_path(w.agent.id, new).exists()


async def test_the_archive_page_no_longer_offers_an_old_export(
    http: httpx.AsyncClient, w: world.World
) -> None:
    _export(w.agent, "oude-export-0123456789", datetime.now(UTC) - timedelta(days=8))
    await login(http, "anna.agent")
    assert "oude-export-0123456789" not in (await http.get("/archief")).text
    response = await http.get("/archief/exports/oude-export-0123456789")
    assert response.status_code == 404


async def test_without_redis_the_app_keeps_personal_data_no_longer_than_set(
    w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "REDIS_URL", None)
    monkeypatch.setattr(periodic, "RETENTION_FIRST_SECONDS", 0.05)
    long_ago = datetime.now(UTC) - timedelta(days=settings.RETENTION_DAYS + 30)
    d = await dossiers.create(w.agent, world.intake("WST"), at=long_ago)
    await dossiers.transition(
        w.agent, d, "op_afstand_opgelost", {"result_code": "telefonisch_opgelost"}, long_ago
    )
    _export(w.agent, "oude-export-0123456789", datetime.now(UTC) - timedelta(days=8))
    async with LifespanManager(create_app(manage_db=False)):
        for _ in range(100):
            if (await Dossier.get(id=d.id)).contact_name == REMOVED:
                break
            await asyncio.sleep(0.05)
    after = await Dossier.get(id=d.id)
    assert (after.phase, after.contact_name, after.contact_phone) == ("gearchiveerd", REMOVED, "")
    assert not export_jobs.file_path(w.agent.id, "oude-export-0123456789").exists()
    assert export_jobs.mine(w.agent) == []


def test_the_worker_deletes_old_exports_every_night() -> None:
    worker = make_worker(redis_url="redis://127.0.0.1:6379/12")
    [job] = [c for c in worker.cron_jobs if c.name == "cron:prune_exports"]
    assert (job.hour, job.minute, job.run_at_startup) == ({3}, {50}, False)
