"""The arq worker (`meldkamer worker`): runs queued jobs, the nightly archive and pruning."""

from __future__ import annotations

from typing import Any

from arq import cron
from arq.typing import StartupShutdown
from arq.worker import Worker

from server import db, settings
from server.contacts import mail_idle
from server.jobs import senders
from server.jobs.queue import MAX_TRIES, redis_settings
from server.jobs.tasks import (
    FUNCTIONS,
    anonymise_old_contacts,
    anonymise_old_dossiers,
    archive_closed_dossiers,
    fold_contact_hours,
    poll_mailboxes,
    prune_exports,
    prune_sync_changes,
    purge_positions,
    send_client_reports,
    send_due_chain_messages,
    send_due_messages,
    send_telephony_reports,
)


async def startup(ctx: dict[str, Any]) -> None:
    await db.init()
    await senders.start(ctx)
    await start_idle(ctx)


async def shutdown(ctx: dict[str, Any]) -> None:
    await stop_idle(ctx)
    await senders.stop(ctx)
    await db.close()


async def start_idle(ctx: dict[str, Any]) -> None:
    """IMAP IDLE on the clients' mailboxes while the worker runs (docs/contacts.md)."""
    ctx["mail_idle"] = idler = mail_idle.Idler(redis=ctx.get("redis"))
    await idler.start()


async def stop_idle(ctx: dict[str, Any]) -> None:
    idler = ctx.pop("mail_idle", None)
    if idler is not None:
        await idler.stop()


def make_worker(
    burst: bool = False, redis_url: str | None = None, manage_db: bool = True
) -> Worker:
    """The worker; tests that set up the database themselves pass manage_db=False.

    A burst worker (tests) runs what is queued and stops: no periodic jobs, which would add a
    job to whichever test happens to run across a minute.
    """
    periodic = [
        cron(archive_closed_dossiers, hour={3}, minute={15}, run_at_startup=False),
        cron(anonymise_old_dossiers, hour={3}, minute={45}, run_at_startup=False),
        cron(anonymise_old_contacts, hour={3}, minute={47}, run_at_startup=False),
        cron(prune_exports, hour={3}, minute={50}, run_at_startup=False),
        cron(prune_sync_changes, hour={4}, minute={15}, run_at_startup=False),
        # Daily; the job itself knows the first working day (worker clock in UTC: 8 or 9
        # o'clock in Amsterdam). A worker down that day sends the report when it is back.
        cron(send_telephony_reports, hour={7}, minute={5}, run_at_startup=True),
        # The clients' weekly and monthly reports: Monday morning (6:10 UTC, 7:10 or 8:10 in
        # Amsterdam) for last week, the first working day for last month. Daily, so a worker
        # down on Monday catches up; the report table keeps it to one per client and period.
        cron(send_client_reports, hour={6}, minute={10}, run_at_startup=True),
        cron(purge_positions, minute=set(range(0, 60, 5)), run_at_startup=True),
        cron(fold_contact_hours, minute={7}, run_at_startup=False),
        # The outbox sweep: every minute, and at once when the worker starts.
        cron(send_due_messages, run_at_startup=True),
        # The chain's retries (docs/chain.md): every minute, and at once when the worker starts.
        cron(send_due_chain_messages, run_at_startup=True),
        # Inbound e-mail: every client's mailbox, every minute (docs/contacts.md, E-mail).
        cron(poll_mailboxes, run_at_startup=True),
    ]
    return Worker(
        functions=FUNCTIONS,
        cron_jobs=[] if burst else periodic,
        redis_settings=redis_settings(redis_url),
        # A burst worker holds no IDLE connections either: it runs what is queued and stops.
        on_startup=startup if manage_db and not burst else _burst_start(manage_db),
        on_shutdown=shutdown if manage_db else senders.stop,
        burst=burst,
        max_tries=MAX_TRIES,
        handle_signals=not burst,
    )


def _burst_start(manage_db: bool) -> StartupShutdown:
    async def start(ctx: dict[str, Any]) -> None:
        if manage_db:
            await db.init()
        await senders.start(ctx)

    return start


def run_worker() -> int:
    if not settings.REDIS_URL:
        print("Fout: zet REDIS_URL om de worker te draaien; zonder Redis lopen taken in de app.")
        return 2
    make_worker().run()
    return 0
