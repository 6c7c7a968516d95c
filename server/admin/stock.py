"""The housing stock import started on the screen: the same import as `meldkamer
import-addresses` (server/housing/imports.py), run by the worker (the job `import_stock`; in
this process without Redis) so the page can show its progress, a dry run first if wanted, and
the report with every row's problems.

Progress and report live on the StockImport row, so whichever app process answers the page
reads the same; the upload waits on that row until the job has read it. A clean dry run keeps
it, so that **Nu importeren** imports that very file (one such file per client: a newer run
drops it).
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from redis.exceptions import RedisError

from server.admin import changes
from server.domain.errors import AppError, Conflict, NotFound, Unprocessable
from server.domain.numbers import row_id
from server.domain.stock_sheet import EXTENSIONS
from server.housing.imports import import_addresses
from server.jobs import queue
from server.models import Client, StockImport, User

log = logging.getLogger(__name__)

# An import still "bezig" after this long lost its worker (a restart, no worker running):
# shown as failed, and the job no longer runs it if it still comes.
STALE = timedelta(hours=1)
INTERRUPTED = "De import is onderbroken (herstart); niets opgeslagen."
NOT_QUEUED = (
    "De import kon niet worden gestart (de takenwachtrij is onbereikbaar); niets opgeslagen."
)


async def start(
    by: User, client: Client, file_name: str, data: bytes, dry_run: bool
) -> StockImport:
    suffix = Path(file_name).suffix.lower()
    if suffix not in EXTENSIONS:
        raise Unprocessable("Kies een .csv- of .xlsx-bestand.", "file")
    if not data:
        raise Unprocessable("Het bestand is leeg.", "file")
    # A newer run makes older dry runs' files moot.
    await (
        StockImport.filter(client_id=client.id, upload__isnull=False)
        .exclude(status="bezig")
        .update(upload=None)
    )
    row = await StockImport.create(
        client=client,
        by=by,
        file_name=Path(file_name).name[:200],
        dry_run=dry_run,
        started_at=datetime.now(UTC),
        upload=data,
    )
    try:
        await queue.enqueue("import_stock", row.id, job_id=f"stock-import:{row.id}")
    except (OSError, RedisError):  # Redis unreachable: say so now, not after an hour of "bezig"
        log.exception("stock import %s could not be queued", row.id)
        await _finish(row.id, "fout", {"errors": [NOT_QUEUED]})
        await row.refresh_from_db()
    return row


async def run(import_id: int) -> str:
    """The job: import the waiting upload of this run, once; returns the run's status."""
    row = await StockImport.get_or_none(id=import_id).prefetch_related("client")
    if row is None or row.status != "bezig" or row.upload is None:
        return "al gedaan"
    if datetime.now(UTC) - row.started_at > STALE:
        await _finish(row.id, "fout", {"errors": [INTERRUPTED]})
        return "fout"

    async def progress(done: int, total: int) -> None:
        await StockImport.filter(id=import_id).update(done=done, total=total)

    suffix = Path(row.file_name).suffix.lower()
    data = bytes(row.upload)
    try:
        with tempfile.TemporaryDirectory(prefix="woningbestand-") as folder:
            path = Path(folder) / f"{import_id}{suffix}"
            await asyncio.to_thread(path.write_bytes, data)
            report = await import_addresses(
                row.client.code, path, dry_run=row.dry_run, progress=progress
            )
        body: dict[str, Any] = asdict(report)
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
    clean = status == "klaar" and not body["errors"]
    await _finish(row.id, status, body, keep_upload=clean and row.dry_run)
    if status == "klaar" and not row.dry_run and not body["errors"]:
        by = await User.get_or_none(id=row.by_id)  # type: ignore[attr-defined]
        summary = (
            f"{body['created']} nieuw, {body['updated']} bijgewerkt,"
            f" {body['unchanged']} ongewijzigd"
        )
        await changes.record(
            by, "client", row.client.id, {"woningbestand": ("", f"{row.file_name}: {summary}")}
        )
    return status


async def _finish(
    import_id: int, status: str, report: dict[str, Any], keep_upload: bool = False
) -> None:
    fields: dict[str, Any] = {"report": report, "status": status, "finished_at": datetime.now(UTC)}
    if not keep_upload:
        fields["upload"] = None
    await StockImport.filter(id=import_id).update(**fields)


def can_confirm(row: StockImport) -> bool:
    """A clean dry run whose file is still kept: it can be imported as it is."""
    return (
        row.dry_run
        and row.status == "klaar"
        and not row.report.get("errors")
        and row.upload is not None
    )


async def confirm(by: User, client: Client, import_id: str) -> StockImport:
    """Import the file of a clean dry run for real (once: a second press finds it gone)."""
    row = await get(client, import_id)
    data = bytes(row.upload) if can_confirm(row) and row.upload is not None else b""
    # Conditional: of two presses at once, one takes the file.
    taken = bool(data) and bool(
        await StockImport.filter(id=row.id, upload__isnull=False).update(upload=None)
    )
    if not taken:
        raise Conflict(
            "Deze proefimport kan niet meer worden doorgezet (al geïmporteerd of een nieuwere"
            " upload). Kies het bestand opnieuw.",
            "import",
        )
    return await start(by, client, row.file_name, data, dry_run=False)


async def get(client: Client, import_id: str) -> StockImport:
    number = row_id(import_id)
    row = None if number is None else await StockImport.get_or_none(id=number, client_id=client.id)
    if row is None:
        raise NotFound(f"Import '{import_id[:20]}' niet gevonden.", "import")
    if row.status == "bezig" and datetime.now(UTC) - row.started_at > STALE:
        await _finish(row.id, "fout", {"errors": [INTERRUPTED]})
        await row.refresh_from_db()
    return row


async def recent(client: Client) -> list[StockImport]:
    return await StockImport.filter(client_id=client.id).order_by("-started_at").limit(10)


async def wait_all() -> None:
    """For tests: the imports run in this process (no Redis) have finished."""
    await queue.wait_inline()
