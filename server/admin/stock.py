"""The housing stock import started on the screen: the same import as `meldkamer
import-addresses` (server/housing/imports.py), run beside the request so the page can show
its progress, a dry run first if wanted, and the report with every row's problems."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from server import settings
from server.admin import changes
from server.domain.errors import AppError, NotFound, Unprocessable
from server.domain.numbers import row_id
from server.domain.stock_sheet import EXTENSIONS
from server.housing.imports import import_addresses
from server.models import Client, StockImport, User

log = logging.getLogger(__name__)

# An import still "bezig" after this long lost its process (a restart): shown as failed.
STALE = timedelta(hours=1)
_running: set[asyncio.Task[None]] = set()


def folder() -> Path:
    path = settings.VAR_DIR / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


async def start(
    by: User, client: Client, file_name: str, data: bytes, dry_run: bool
) -> StockImport:
    suffix = Path(file_name).suffix.lower()
    if suffix not in EXTENSIONS:
        raise Unprocessable("Kies een .csv- of .xlsx-bestand.", "file")
    if not data:
        raise Unprocessable("Het bestand is leeg.", "file")
    row = await StockImport.create(
        client=client,
        by=by,
        file_name=Path(file_name).name[:200],
        dry_run=dry_run,
        started_at=datetime.now(UTC),
    )
    path = folder() / f"{row.id}{suffix}"
    await asyncio.to_thread(path.write_bytes, data)
    task = asyncio.create_task(_run(row.id, client.code, path, by.id))
    _running.add(task)
    task.add_done_callback(_running.discard)
    return row


async def _run(import_id: int, client_code: str, path: Path, by_id: int) -> None:
    async def progress(done: int, total: int) -> None:
        await StockImport.filter(id=import_id).update(done=done, total=total)

    try:
        report = await import_addresses(
            client_code, path, dry_run=await _dry(import_id), progress=progress
        )
        body = asdict(report)
        body["errors"] = [str(p) for p in report.errors]
        status = "klaar"
    except AppError as exc:
        body, status = {"errors": [exc.message]}, "fout"
    except Exception:
        log.exception("stock import %s failed", import_id)
        body, status = (
            {"errors": ["De import liep vast; niets opgeslagen. Probeer het opnieuw."]},
            "fout",
        )
    finally:
        await asyncio.to_thread(path.unlink, missing_ok=True)
    await StockImport.filter(id=import_id).update(
        report=body, status=status, finished_at=datetime.now(UTC)
    )
    row = await StockImport.get(id=import_id).prefetch_related("client")
    if status == "klaar" and not row.dry_run and not body["errors"]:
        by = await User.get_or_none(id=by_id)
        summary = (
            f"{body['created']} nieuw, {body['updated']} bijgewerkt,"
            f" {body['unchanged']} ongewijzigd"
        )
        await changes.record(
            by, "client", row.client.id, {"woningbestand": ("", f"{row.file_name}: {summary}")}
        )


async def _dry(import_id: int) -> bool:
    return (await StockImport.get(id=import_id)).dry_run


async def get(client: Client, import_id: str) -> StockImport:
    number = row_id(import_id)
    row = None if number is None else await StockImport.get_or_none(id=number, client_id=client.id)
    if row is None:
        raise NotFound(f"Import '{import_id[:20]}' niet gevonden.", "import")
    if row.status == "bezig" and datetime.now(UTC) - row.started_at > STALE:
        row.status = "fout"
        row.report = {"errors": ["De import is onderbroken (herstart); niets opgeslagen."]}
        await row.save(update_fields=["status", "report"])
    return row


async def recent(client: Client) -> list[StockImport]:
    return await StockImport.filter(client_id=client.id).order_by("-started_at").limit(10)


async def wait_all() -> None:
    """For tests and shutdown: the imports started in this process have finished."""
    while _running:
        await asyncio.gather(*list(_running), return_exceptions=True)
