"""Web Push to technicians' phones: their own subscriptions, and alerts about their jobs.

An alert is an outbox row per subscription with a unique key (technician, job, kind, dossier
version, subscription), sent by the same `send_message` job as tenant messages: a repeated
announcement or a retried job sends nothing twice. No quiet hours: a technician on duty must
hear of an acuut job at night. A subscription the push service reports gone is removed by the
send job.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from server import settings
from server.domain import job_alerts, worklist
from server.domain.codes import CATEGORY_LABELS, URGENCY_LABELS
from server.domain.dispatch import when_text
from server.domain.errors import Conflict, NotFound, Unprocessable
from server.domain.lifecycle import Phase
from server.jobs import queue as jobs
from server.messaging.push import PushSubscription as BrowserSubscription
from server.models import (
    Dossier,
    OutboundMessage,
    PushFollow,
    PushSubscription,
    Technician,
    User,
)

log = logging.getLogger("meldkamer.messages")


def now() -> datetime:
    return datetime.now(UTC)


async def subscriptions(user: User) -> list[PushSubscription]:
    return await PushSubscription.filter(user_id=user.id).order_by("id")


async def subscribe(user: User, data: Mapping[str, Any]) -> tuple[PushSubscription, bool]:
    """Keep this browser's subscription for the user; (row, created).

    The endpoint names one browser. Held by another user, it is taken over only when the keys
    match too (the same browser, where someone else logged in before); anything else is
    refused, so nobody can take over another person's notifications by knowing an endpoint.
    """
    try:
        browser = BrowserSubscription.from_json(data, settings.PUSH_SERVICE_HOSTS)
    except ValueError as exc:
        raise Unprocessable(f"Pushabonnement niet bruikbaar: {exc}.", "endpoint") from None
    existing = await PushSubscription.get_or_none(endpoint=browser.endpoint)
    if existing is not None:
        same_keys = (existing.p256dh, existing.auth) == (browser.p256dh, browser.auth)
        tenants = await PushFollow.exists(subscription_id=existing.id)
        if existing.user_id != user.id and (tenants or not same_keys):  # type: ignore[attr-defined]
            raise Conflict("Dit pushabonnement hoort bij iemand anders.", "endpoint")
        existing.user_id = user.id
        existing.p256dh, existing.auth = browser.p256dh, browser.auth
        await existing.save(update_fields=["user_id", "p256dh", "auth"])
        return existing, False
    try:
        row = await PushSubscription.create(
            user=user,
            endpoint=browser.endpoint,
            p256dh=browser.p256dh,
            auth=browser.auth,
            created_at=now(),
        )
    except IntegrityError:  # the same browser twice at once
        return await subscribe(user, data)
    return row, True


async def unsubscribe(user: User, subscription_id: int) -> None:
    """Remove one of the user's own subscriptions; another's is answered as not found."""
    deleted = await PushSubscription.filter(id=subscription_id, user_id=user.id).delete()
    if not deleted:
        raise NotFound(f"Pushabonnement {subscription_id} niet gevonden.", "subscription_id")


async def notify(dossier: Dossier, event: str, previous: int | None) -> None:
    """Alert the technicians a dispatch event concerns; never fails the dispatch itself."""
    current = worklist.holder(worklist.Holding(dossier.phase, dossier.technician_id))  # type: ignore[attr-defined]
    await _safely(dossier, event, previous, current)


async def after_move(dossier: Dossier, before: worklist.Holding) -> None:
    """Alert the technicians a phase change hands the job over between (any path: cancelled,
    referred, back to analysing, given to someone else on the dossier page); dispatch's own
    announcement after it finds them told already, so each hears it once."""
    moved = worklist.handover(before, worklist.Holding(dossier.phase, dossier.technician_id))  # type: ignore[attr-defined]
    if moved is not None:
        await _safely(dossier, "transition", *moved)


async def _safely(dossier: Dossier, event: str, previous: int | None, current: int | None) -> None:
    try:
        await _notify(dossier, event, previous, current)
    except Exception:
        log.exception("push alert for %s (%s) failed", dossier.order_number, event)


async def _notify(dossier: Dossier, event: str, previous: int | None, current: int | None) -> None:
    involved = sorted({t for t in (current, previous) if t is not None})
    if not involved:
        return
    told = {t: await _last_told(dossier, t) for t in involved}
    alerts = job_alerts.alerts(event, current, previous, told)
    technicians = {t.id: t for t in await Technician.filter(id__in=involved)}
    at = now()
    facts = job_alerts.JobFacts(
        order_number=dossier.order_number,
        address=", ".join(p for p in (dossier.address_line, dossier.city) if p),
        what=" · ".join(
            p
            for p in (
                URGENCY_LABELS.get(dossier.urgency or "", ""),
                CATEGORY_LABELS.get(dossier.category, dossier.category),
            )
            if p
        ),
        appointment=when_text(dossier.appointment_start, at) if dossier.appointment_start else "",
        cancelled=event == "appointment_cancelled",
        job_cancelled=dossier.phase == Phase.GEANNULEERD,
    )
    for alert in alerts:
        tech = technicians.get(alert.technician_id)
        user_id = tech.user_id if tech is not None else None  # type: ignore[attr-defined]
        if user_id is not None:
            await _record(dossier, alert, user_id, facts, at)


def _prefix(dossier: Dossier, technician_id: int) -> str:
    return f"monteur:{dossier.order_number}:{technician_id}:"


async def _last_told(dossier: Dossier, technician_id: int) -> str | None:
    row = (
        await OutboundMessage.filter(key__startswith=_prefix(dossier, technician_id))
        .order_by("-id")
        .first()
    )
    return row.kind if row is not None else None


async def _record(
    dossier: Dossier,
    alert: job_alerts.Alert,
    user_id: int,
    facts: job_alerts.JobFacts,
    at: datetime,
) -> None:
    title, body = job_alerts.text(alert.kind, facts)
    base = f"{_prefix(dossier, alert.technician_id)}{alert.kind}:{dossier.version}"
    for sub in await PushSubscription.filter(user_id=user_id).order_by("id"):
        try:
            row = await OutboundMessage.create(
                key=f"{base}:{sub.id}",
                dossier=dossier,
                client_id=dossier.client_id,  # type: ignore[attr-defined]
                channel="push",
                kind=alert.kind,
                urgency=dossier.urgency or "",
                recipient=sub.endpoint,
                subject=title,
                body=body,
                data={
                    "url": f"/monteur/#/opdracht/{dossier.order_number}",
                    "tag": dossier.order_number,
                },
                deliver_after=at,
                created_at=at,
            )
        except IntegrityError:  # announced before (the same event again): sent once
            continue
        await jobs.enqueue("send_message", row.id, job_id=f"bericht-{row.id}")
