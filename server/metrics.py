"""Prometheus metrics (prometheus-client): what is measured while answering, and what is read
from the database and Redis at each scrape.

Request latency and dashboard query time are measured in the process that answers. With
several `meldkamer serve` workers each process writes its figures to files in
PROMETHEUS_MULTIPROC_DIR (set by `meldkamer serve`) and a scrape of any process adds them all up
(prometheus-client's multiprocess mode). The rest is state shared by every process, so it is
read where it lives at the moment of the scrape: the intake and sync counters (the highest
dossier and sync-outcome ids, which only grow: Prometheus' `rate()` turns them into rates), the
age of the oldest message waiting in the outbox, the arq queue's depth and, per technician
device, the seconds since it last synchronised.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from server import settings

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST

REQUEST_SECONDS = Histogram(
    "meldkamer_http_request_duration_seconds",
    "Time to answer a request, by route template (not the path: no ids or tokens).",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DASHBOARD_SECONDS = Histogram(
    "meldkamer_dashboard_query_seconds",
    "Time to compute the management dashboard's figures (page and chart downloads).",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


@dataclass
class Snapshot:
    """The shared state read at one scrape."""

    dossiers: int = 0
    sync_operations: int = 0
    outbox_oldest_seconds: float = 0.0
    outbox_waiting: int = 0
    queue_depth: int | None = None  # None: no Redis, jobs run in the app process
    devices: list[tuple[str, str, float]] = field(default_factory=list)  # user, device, seconds


async def snapshot(now: datetime | None = None) -> Snapshot:
    from server.models import Device, Dossier, OutboundMessage, SyncOutcome

    now = now or datetime.now(UTC)
    snap = Snapshot()
    last_dossier = await Dossier.all().order_by("-id").only("id").first()
    snap.dossiers = last_dossier.id if last_dossier else 0
    last_outcome = await SyncOutcome.all().order_by("-id").only("id").first()
    snap.sync_operations = last_outcome.id if last_outcome else 0
    due = OutboundMessage.filter(status="wachtrij", deliver_after__lte=now)
    snap.outbox_waiting = await due.count()
    oldest = await due.order_by("deliver_after").only("id", "deliver_after").first()
    if oldest is not None:
        snap.outbox_oldest_seconds = max(0.0, (now - oldest.deliver_after).total_seconds())
    if settings.REDIS_URL:
        snap.queue_depth = await _queue_depth()
    devices = (
        await Device.all()
        .select_related("user")
        .only("id", "device_id", "last_seen_at", "user__username")
    )
    for device in devices:
        if device.last_seen_at is not None:
            seconds = max(0.0, (now - device.last_seen_at).total_seconds())
            snap.devices.append((device.user.username, device.device_id[:16], seconds))
    return snap


async def _queue_depth() -> int:
    from arq.constants import default_queue_name

    from server.jobs import queue

    return int(await (await queue.pool()).zcard(default_queue_name))


class SnapshotCollector:
    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap

    def collect(self) -> list[CounterMetricFamily | GaugeMetricFamily]:
        s = self.snap
        families: list[CounterMetricFamily | GaugeMetricFamily] = [
            CounterMetricFamily(
                "meldkamer_dossiers_created",
                "Dossiers created (the highest dossier id); rate() gives the intake rate.",
                value=s.dossiers,
            ),
            CounterMetricFamily(
                "meldkamer_sync_operations",
                "Operations from technicians' devices handled (the highest sync-outcome id).",
                value=s.sync_operations,
            ),
            GaugeMetricFamily(
                "meldkamer_outbox_oldest_waiting_seconds",
                "Age of the oldest message that is due but not sent yet (0: none waiting).",
                value=s.outbox_oldest_seconds,
            ),
            GaugeMetricFamily(
                "meldkamer_outbox_waiting_messages",
                "Messages due but not sent yet.",
                value=s.outbox_waiting,
            ),
        ]
        if s.queue_depth is not None:
            families.append(
                GaugeMetricFamily(
                    "meldkamer_job_queue_depth",
                    "Jobs waiting in the arq queue in Redis.",
                    value=s.queue_depth,
                )
            )
        lag = GaugeMetricFamily(
            "meldkamer_sync_device_lag_seconds",
            "Seconds since each technician device last synchronised.",
            labels=["user", "device"],
        )
        for user, device, seconds in s.devices:
            lag.add_metric([user, device], seconds)
        families.append(lag)
        return families


def render(snap: Snapshot) -> bytes:
    """The text exposition: this process's (or all workers') measurements, then the snapshot."""
    if os.environ.get(MULTIPROCESS_ENV):
        measured = CollectorRegistry()
        multiprocess.MultiProcessCollector(measured)  # type: ignore[no-untyped-call]
    else:
        measured = REGISTRY
    shared = CollectorRegistry(auto_describe=False)
    shared.register(SnapshotCollector(snap))
    return bytes(generate_latest(measured) + generate_latest(shared))
