"""The management dashboard and the Excel export on a large PostgreSQL data set.

Run: .venv/bin/python -m bench.bench_insight [--dossiers 1000000] [--clients 50] [--reload]
     [--runs 3] [--url postgres://postgres@127.0.0.1:5432/mk_bench]

Uses its own database (default mk_bench, created when missing; the name must contain 'bench'
because its tables are emptied). The data set (bench/insight_data.py) is loaded once with
COPY and kept: a second run with the same size only measures; --reload builds it again.

Measures the whole dashboard (dashboard.build: every figure for the period and the previous
period, and the charts) for the largest client and for all clients, for each period the page
offers, with the time per figure; then an Excel export of about 100,000 dossiers (all columns)
with each writer in turn (rustpy-xlsxwriter, then XlsxWriter), each in a fresh child process
so its peak memory (VmHWM) is its own: wall time, CPU time (all threads) and peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from tempfile import mkstemp
from typing import Any
from urllib.parse import urlsplit

import asyncpg

from bench import insight_data
from server import db
from server.domain import kpis
from server.insight import archive, dashboard, export
from server.insight.figures import Figures

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mk_bench"
LAST_DAY = date(2026, 10, 31)  # the data set ends at midnight after this day (UTC)
FIGURES = (
    "reports",
    "series",
    "heatmap",
    "count_by",
    "contacted_24h",
    "lead_time",
    "phase_times",
    "first_time_fix",
    "deadlines",
    "results",
    "survey",
)
SPENT: dict[str, float] = defaultdict(float)


def _timed(name: str) -> Callable[..., Awaitable[Any]]:
    method = getattr(Figures, name)

    async def run(self: Figures, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await method(self, *args, **kwargs)
        finally:
            SPENT[name] += time.perf_counter() - started

    return run


class TimedFigures(Figures):
    """Figures that add the time of each query to SPENT (the benchmark's only change)."""


for _name in FIGURES:
    setattr(TimedFigures, _name, _timed(_name))

_lead_time_chart = dashboard._lead_times


async def _timed_lead_time_chart(f: Figures, period: kpis.Period) -> dashboard.Chart:
    """The 1/3/6/12-month lead-time chart (Figures.lead_times), timed on its own."""
    started = time.perf_counter()
    try:
        return await _lead_time_chart(f, period)
    finally:
        SPENT["lead_times"] += time.perf_counter() - started


async def ensure_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"Database '{name}' is not a benchmark database: its tables are emptied.")
    admin = await asyncpg.connect(url.rsplit("/", 1)[0] + "/postgres")
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


async def _desk() -> Any:
    from server.models import User

    return await User.filter(username="bench.admin").first() or await User.create(
        username="bench.admin", full_name="Bench", role="admin", password_hash="x"
    )


async def measure_dashboard(runs: int) -> None:
    desk = await _desk()
    dashboard.Figures = TimedFigures  # type: ignore[attr-defined]
    dashboard._lead_times = _timed_lead_time_chart
    now = insight_data.END
    print("| period | scope | reports | dashboard (median of runs) | slowest figures |")
    print("|---|---|---:|---:|---|")
    for preset, (_, days) in kpis.PRESETS.items():
        period = kpis.Period(LAST_DAY - timedelta(days=days - 1), LAST_DAY)
        for code in ("C001", ""):
            totals: list[float] = []
            per_figure: dict[str, list[float]] = defaultdict(list)
            for _ in range(runs):
                SPENT.clear()
                started = time.perf_counter()
                board = await dashboard.build(desk, code, period, None, now)
                totals.append(time.perf_counter() - started)
                for name in (*FIGURES, "lead_times"):
                    per_figure[name].append(SPENT[name])
            figures = sorted(
                ((statistics.median(v), k) for k, v in per_figure.items()), reverse=True
            )
            slowest = ", ".join(f"{k} {t:.2f}" for t, k in figures[:5])
            who = "largest client" if code else "all clients"
            print(
                f"| {preset} | {who} | {board.kpis[0].current:,.0f} | "
                f"{statistics.median(totals):.2f} s | {slowest} |"
            )


def _peak_rss() -> int:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) * 1024


async def _export_query() -> Any:
    desk = await _desk()
    conn = db.connection()
    # A realistic filter with about 100,000 rows: the largest client's closed dossiers since
    # the day the 100,000th newest of them was reported.
    found = await conn.execute_query_dict(
        "SELECT created_at FROM dossier WHERE client_id = 1 AND closed_at IS NOT NULL "
        "ORDER BY created_at DESC OFFSET 99999 LIMIT 1"
    )
    since = found[0]["created_at"].astimezone(kpis.TZ).date() + timedelta(days=1) if found else None
    wanted = {"status": "gesloten", "klant": "C001", "van": since.isoformat() if since else ""}
    return archive.query(desk, archive.parse(wanted))


async def export_once(writer: str) -> None:
    """In a child process: one export with `writer`, its figures on one line."""
    qs = await _export_query()
    handle, name = mkstemp(suffix=".xlsx")
    os.close(handle)
    path = Path(name)
    rss_before = _peak_rss()
    started, cpu = time.perf_counter(), time.process_time()
    rows = await export.write(qs, list(export.COLUMNS), path, fast=writer == "rustpy-xlsxwriter")
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    rss_after = _peak_rss()
    print(
        f"| {writer} | {rows:,} x {len(export.COLUMNS)} | {took:.1f} s | {cpu:.1f} s | "
        f"{rss_after / 2**20:.0f} MiB (+{(rss_after - rss_before) / 2**20:.0f}) | "
        f"{path.stat().st_size / 2**20:.1f} MiB |"
    )
    path.unlink()


def measure_export(url: str) -> None:
    print(f"Excel export, all columns (load average {os.getloadavg()[0]:.1f}):")
    print("| writer | rows x columns | wall | CPU | peak RSS (+ during export) | file |")
    print("|---|---|---|---|---|---|")
    writers = ["rustpy-xlsxwriter", "xlsxwriter"] if export.native_available() else ["xlsxwriter"]
    for writer in writers:
        subprocess.run(
            [sys.executable, "-m", "bench.bench_insight", "--url", url, "--export-writer", writer],
            check=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--reload", action="store_true", help="build the data set again")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--only", choices=("dashboard", "export"), default=None)
    parser.add_argument("--export-writer", help=argparse.SUPPRESS)
    args = parser.parse_args()

    async def child() -> None:
        await db.init(args.url)
        try:
            await export_once(args.export_writer)
        finally:
            await db.close()

    if args.export_writer:
        asyncio.run(child())
        return

    async def run() -> None:
        await ensure_database(args.url)
        if args.reload or await insight_data.loaded(args.url) != (args.dossiers, args.clients):
            await insight_data.load(args.url, args.dossiers, args.clients)
        else:
            await db.migrate(args.url)
        await db.init(args.url)
        try:
            if args.only != "export":
                await measure_dashboard(args.runs)
        finally:
            await db.close()

    asyncio.run(run())
    if args.only != "dashboard":
        measure_export(args.url)


if __name__ == "__main__":
    main()
