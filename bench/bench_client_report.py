"""The clients' weekly and monthly reports (server/insight/client_report.py) on the insight
benchmark's PostgreSQL data set (bench/insight_data.py).

Run: .venv/bin/python -m bench.bench_client_report [--dossiers 200000] [--clients 20]
     [--runs 3] [--url postgres://postgres@127.0.0.1:5432/mk_bench]

Measures, for the largest client, each part of one report: reading the figures (the dashboard's
headline for three periods and the signals), the workbook and the PDF (WeasyPrint), with the
wall time and this process's CPU per part (median of the runs). PostgreSQL's own CPU is not in
the process figure. The data set is loaded once and kept (bench/bench_insight.py --help).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

from bench import insight_data
from bench.bench_insight import DEFAULT_URL, ensure_database
from server import db
from server.domain import telephony
from server.insight import client_report as reports
from server.insight import client_report_pdf, client_report_sheet
from server.models import Client

LAST_WEEK = reports.parse_week("2026-W43")  # the data set ends on 31 October 2026
LAST_MONTH = telephony.month_period(2026, 10)


async def measure(runs: int) -> None:
    client = await Client.get(code="C001")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| report | dossiers in period | part | wall (median) | CPU of this process |")
    print("|---|---:|---|---:|---:|")
    for kind, period in ((reports.WEEK, LAST_WEEK), (reports.MONTH, LAST_MONTH)):
        spent: dict[str, list[tuple[float, float]]] = {"cijfers": [], "xlsx": [], "pdf": []}
        content = None
        for _ in range(runs):
            for part in spent:
                wall, cpu = time.perf_counter(), time.process_time()
                if part == "cijfers":
                    content = await reports.gather(client, kind, period, insight_data.END)
                elif part == "xlsx":
                    client_report_sheet.workbook(content)  # type: ignore[arg-type]
                else:
                    client_report_pdf.report(content)  # type: ignore[arg-type]
                spent[part].append((time.perf_counter() - wall, time.process_time() - cpu))
        assert content is not None
        count = content.line("Meldingen").values[0] or 0
        for part, values in spent.items():
            wall = statistics.median(w for w, _ in values)
            cpu = statistics.median(c for _, c in values)
            print(
                f"| {kind} {reports.period_code(kind, period)} | {count:,.0f} | {part} | "
                f"{wall * 1000:.0f} ms | {cpu * 1000:.0f} ms |"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()

    async def run() -> None:
        await ensure_database(args.url)
        if await insight_data.loaded(args.url) != (args.dossiers, args.clients):
            await insight_data.load(args.url, args.dossiers, args.clients)
        else:
            await db.migrate(args.url)
        await db.init(args.url)
        try:
            await measure(args.runs)
        finally:
            await db.close()

    asyncio.run(run())


if __name__ == "__main__":
    main()
