"""Periodic work in the app itself when there is no Redis (and so no worker): the outbox sweep,
reading the clients' mailboxes, the purge of technicians' positions, the daily pruning of the
sync change log, and the daily retention work (archive closed dossiers, remove old tenants'
details, delete old exports) with the monthly telephony reports (sent once per client and
month, on or after the first working day) and the clients' weekly and monthly reports.

With REDIS_URL set the worker's cron runs them instead (server/jobs/worker.py), and this does
nothing. The first run of each comes one interval after start, not during it; the retention
work first runs RETENTION_FIRST_SECONDS after start, so an app restarted more often than daily
still keeps personal data no longer than it should.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress

from server import settings
from server.chain import delivery as chain
from server.communication.sending import sweep
from server.contacts import mail_in
from server.contacts import retention as contact_retention
from server.dispatch import positions
from server.dossiers.archive import archive_closed
from server.dossiers.retention import anonymise_archived
from server.fieldwork import changefeed
from server.insight import client_report, export_jobs, monthly_report
from server.jobs import senders

log = logging.getLogger("meldkamer.jobs")
# As often as the worker's cron purges positions.
POSITION_PURGE_SECONDS = 300.0
CHANGE_PRUNE_SECONDS = 24 * 3600.0
# As often as the worker's cron reads the mailboxes.
MAIL_POLL_SECONDS = 60.0
RETENTION_SECONDS = 24 * 3600.0
RETENTION_FIRST_SECONDS = 600.0


@asynccontextmanager
async def in_process(grace_seconds: float = 5.0) -> AsyncIterator[None]:
    """Sweep the outbox every OUTBOX_SWEEP_SECONDS and purge positions every five minutes
    while the app runs (without Redis).

    At shutdown a sweep in progress finishes the message it is sending (up to
    `grace_seconds`) and sends no more; what is left waits in the database for the next start.
    """
    if settings.REDIS_URL:
        yield
        return
    stop = asyncio.Event()
    work: list[tuple[float, Callable[[], Awaitable[object]], str]] = [
        (POSITION_PURGE_SECONDS, positions.purge, "position purge"),
        (
            CHANGE_PRUNE_SECONDS,
            lambda: changefeed.prune(settings.SYNC_CHANGE_DAYS),
            "change-log prune",
        ),
        (MAIL_POLL_SECONDS, lambda: mail_in.poll_all(stopping=stop.is_set), "mailbox poll"),
    ]
    if settings.OUTBOX_SWEEP_SECONDS > 0:
        work.append(
            (
                settings.OUTBOX_SWEEP_SECONDS,
                lambda: sweep(senders.get({}), stopping=stop.is_set),
                "outbox sweep",
            )
        )
        work.append(
            (
                settings.OUTBOX_SWEEP_SECONDS,
                lambda: chain.sweep(stopping=stop.is_set),
                "chain sweep",
            )
        )
    tasks = [asyncio.create_task(_every(every, stop, job, name)) for every, job, name in work]
    tasks.append(
        asyncio.create_task(
            _every(RETENTION_SECONDS, stop, _retention, "retention", RETENTION_FIRST_SECONDS)
        )
    )
    try:
        yield
    finally:
        stop.set()
        _, pending = await asyncio.wait(tasks, timeout=grace_seconds)
        for task in pending:
            task.cancel()
        for task in tasks:
            with suppress(asyncio.CancelledError):
                await task


async def _retention() -> None:
    """What the worker's night does for personal data (server/jobs/worker.py), in order."""
    await archive_closed(settings.ARCHIVE_AFTER_DAYS)
    await anonymise_archived(settings.RETENTION_DAYS)
    await contact_retention.anonymise_old(settings.RETENTION_DAYS)
    export_jobs.prune()
    await monthly_report.send_due()  # once per client and month, however often this runs
    await client_report.send_all_due()  # once per client and period, likewise


async def _every(
    every: float,
    stop: asyncio.Event,
    job: Callable[[], Awaitable[object]],
    name: str,
    first: float | None = None,
) -> None:
    wait = every if first is None else first
    while True:
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), wait)
        wait = every
        if stop.is_set():
            return
        try:
            await job()
        except Exception:  # a database hiccup must not end the periodic work for good
            log.exception("%s failed", name)
