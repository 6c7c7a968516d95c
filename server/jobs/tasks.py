"""The jobs themselves: thin functions that call a service (arq's `async def job(ctx, ...)`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from arq.worker import Retry

from server import db, settings
from server.admin import stock
from server.chain import delivery as chain
from server.communication.sending import send, sweep
from server.contacts import mail_in
from server.contacts import retention as contact_retention
from server.dispatch import positions
from server.dossiers.archive import archive_closed
from server.dossiers.retention import anonymise_archived
from server.fieldwork import changefeed
from server.housing import geocoding
from server.insight import client_report, contact_hours, export_jobs, monthly_report
from server.jobs import queue, senders


async def archive_closed_dossiers(ctx: dict[str, Any]) -> int:
    return await archive_closed(settings.ARCHIVE_AFTER_DAYS)


async def anonymise_old_dossiers(ctx: dict[str, Any]) -> int:
    return await anonymise_archived(settings.RETENTION_DAYS)


async def anonymise_old_contacts(ctx: dict[str, Any]) -> int:
    return await contact_retention.anonymise_old(settings.RETENTION_DAYS)


async def prune_exports(ctx: dict[str, Any]) -> int:
    """Excel exports hold tenants' details: deleted after export_jobs.KEEP_DAYS."""
    return export_jobs.prune()


async def prune_sync_changes(ctx: dict[str, Any]) -> int:
    return await changefeed.prune(settings.SYNC_CHANGE_DAYS)


async def send_message(ctx: dict[str, Any], message_id: int) -> str:
    """Send one outbox message; a failure that may pass is retried later with backoff."""
    outcome = await send(message_id, senders.get(ctx))
    if outcome.retry_in is not None:
        raise Retry(defer=outcome.retry_in)
    return outcome.status


async def send_due_messages(ctx: dict[str, Any]) -> dict[str, int]:
    """The outbox sweep (every minute): messages held by quiet hours, or whose job was lost."""
    return await sweep(senders.get(ctx))


async def send_chain_message(ctx: dict[str, Any], message_id: int) -> str:
    """Send one VERA message; a receiver that is down gets it again later (docs/chain.md)."""
    outcome = await chain.send(message_id)
    if outcome.retry_at is not None and outcome.acted and settings.REDIS_URL:
        # A job of its own for the next try (its id names the try): a Retry would end
        # with arq's tries, long before a receiver down for hours is back. Without Redis the
        # app's own sweep (server/jobs/periodic.py) tries it again.
        await queue.enqueue(
            "send_chain_message",
            message_id,
            job_id=f"chain:{message_id}:{outcome.retry_at.isoformat()}",
            defer_until=outcome.retry_at,
        )
    return outcome.status


async def send_due_chain_messages(ctx: dict[str, Any]) -> dict[str, int]:
    """The chain sweep (every minute): retries that are due, messages whose job was lost."""
    return await chain.sweep()


async def send_telephony_reports(ctx: dict[str, Any], today: str = "") -> int:
    """Each client's monthly telephony report, on the first working day (daily cron; once per
    client and month however often it runs). `today` (ISO date) is for tests and reruns."""
    return await monthly_report.send_due(date.fromisoformat(today) if today else None)


async def send_client_reports(ctx: dict[str, Any], today: str = "") -> int:
    """The weekly and monthly reports to clients (daily cron: last week's from Monday on, last
    month's from its first working day; once per client and period however often it runs)."""
    return await client_report.send_all_due(date.fromisoformat(today) if today else None)


async def purge_positions(ctx: dict[str, Any]) -> int:
    """Technicians' positions are kept only while they are on duty with consent."""
    return await positions.purge()


async def fold_contact_hours(ctx: dict[str, Any]) -> int:
    """Past hours' telephony counts gathered from their shards into one row (hourly)."""
    return await contact_hours.fold(db.connection())


async def poll_mailboxes(ctx: dict[str, Any]) -> dict[str, int]:
    """Read every client's mailbox (every minute): each new mail a contact."""
    return await mail_in.poll_all()


async def geocode_dossier(ctx: dict[str, Any], dossier_id: int) -> str | None:
    result = await geocoding.geocode_dossier(dossier_id)
    return None if result is None else result.precision.value


async def export_dossiers(
    ctx: dict[str, Any], user_id: int, token: str, query: dict[str, str], columns: list[str]
) -> int:
    return await export_jobs.run(user_id, token, query, columns)


async def import_stock(ctx: dict[str, Any], import_id: int) -> str:
    """A housing stock import started on the admin screen (dry run or real), once."""
    return await stock.run(import_id)


FUNCTIONS: list[Any] = [
    import_stock,
    export_dossiers,
    geocode_dossier,
    archive_closed_dossiers,
    anonymise_old_dossiers,
    anonymise_old_contacts,
    prune_exports,
    prune_sync_changes,
    send_message,
    send_chain_message,
    send_due_chain_messages,
    purge_positions,
    fold_contact_hours,
    send_due_messages,
    poll_mailboxes,
    send_telephony_reports,
    send_client_reports,
]


def register() -> None:
    """Run these jobs in this process when there is no Redis (the app, the CLI, the tests)."""
    queue.register(FUNCTIONS)
