"""The housing stock import from the admin screen as production runs it: the page queues the
job on real Redis and answers at once; a real arq worker (burst) runs the CLI's import; the
page, asked again (by any app process: progress and report are in the database), shows the
result. A run whose worker never came is shown failed and is not run late."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from server.models import Address, ChangeRecord, StockImport
from tests.jobs.conftest import burst
from tests.support import world
from tests.support.pages import csrf, login

FIXTURES = Path(__file__).parent.parent / "fixtures"
PAGE = "/beheer/opdrachtgevers/WST"


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _start(http: httpx.AsyncClient, name: str, mode: str) -> str:
    token = csrf((await http.get(PAGE)).text)
    started = await http.post(
        f"{PAGE}/woningbestand",
        data={"csrf_token": token, "mode": mode},
        files={"file": (name, (FIXTURES / name).read_bytes(), "text/csv")},
    )
    assert started.status_code == 303, started.text
    return started.headers["location"]


async def test_the_worker_runs_the_dry_run_then_the_import(
    redis_url: str, http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "sanne.supervisie")
    before = await Address.filter(client_id=w.woonstad.id).count()
    bad = await _start(http, "adressen_fouten.csv", "proef")
    waiting = await http.get(bad)
    # Queued, not run: the app process has no worker in it; the page refreshes itself.
    assert "Bezig: 0 van ? adressen" in waiting.text and 'http-equiv="refresh"' in waiting.text
    assert await burst(redis_url) == (1, 0)
    listed = (await http.get(bad)).text
    assert "rij 4, huisnummer: &#39;tien&#39; is geen geldig huisnummer" in listed
    assert "rij 15: adres 3572AB 10 staat ook op rij 2." in listed

    dry = await _start(http, "adressen_woonstad.csv", "proef")
    assert await burst(redis_url) == (1, 0)
    checked = await http.get(dry)
    assert "8 nieuw, 0 bijgewerkt, 0 ongewijzigd" in checked.text
    assert await Address.filter(client_id=w.woonstad.id).count() == before

    # The file the dry run checked, imported as it is: no second upload.
    confirmed = await http.post(f"{dry}/importeren", data={"csrf_token": csrf(checked.text)})
    assert confirmed.status_code == 303, confirmed.text
    real = confirmed.headers["location"]
    assert await burst(redis_url) == (1, 0)
    assert "Geïmporteerd" in (await http.get(real)).text
    assert await Address.filter(client_id=w.woonstad.id).count() == before + 8
    run = await StockImport.get(dry_run=False)
    # Done once; the file no longer waits in the database.
    assert (run.status, run.done, run.total, run.upload) == ("klaar", 8, 8, None)
    record = await ChangeRecord.get(object_type="client", field="woningbestand")
    assert (record.by_name, record.new[:30]) == (
        "Sanne Supervisie",
        "adressen_woonstad.csv: 8 nieuw",
    )
    assert await burst(redis_url) == (0, 0)
    # Pressed again (another tab): the file is gone, nothing runs twice.
    again = await http.post(f"{dry}/importeren", data={"csrf_token": csrf(checked.text)})
    assert again.status_code == 409 and "Kies het bestand opnieuw" in again.text
    assert await StockImport.filter(dry_run=False).count() == 1


async def test_a_run_whose_worker_came_too_late_is_failed_and_stores_nothing(
    redis_url: str, http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "admin")
    before = await Address.filter(client_id=w.woonstad.id).count()
    page = await _start(http, "adressen_woonstad.csv", "echt")
    run = await StockImport.get()
    await StockImport.filter(id=run.id).update(started_at=run.started_at - timedelta(hours=2))
    assert "onderbroken" in (await http.get(page)).text
    assert await burst(redis_url) == (1, 0)
    assert await Address.filter(client_id=w.woonstad.id).count() == before
    assert (await StockImport.get(id=run.id)).upload is None


async def test_without_its_queue_the_page_says_so_at_once(
    http: httpx.AsyncClient, w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from server import settings
    from server.jobs import queue
    from tests.geo.servers import closed_port_url

    await login(http, "admin")
    await queue.close()
    monkeypatch.setattr(settings, "REDIS_URL", closed_port_url().replace("http", "redis"))
    try:
        page = await _start(http, "adressen_woonstad.csv", "echt")
    finally:
        await queue.close()
    shown = await http.get(page)
    assert "takenwachtrij is onbereikbaar" in shown.text and "Bezig" not in shown.text
    assert (await StockImport.get()).upload is None
