"""`meldkamer serve --workers 2`: two processes answer on one port, each log line is JSON with
the request's id, and /metrics adds up what both processes measured (prometheus-client's
multiprocess mode)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
MELDKAMER = str(Path(sys.executable).parent / "meldkamer")
TOKEN = "prometheus-test-token"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    from tests.test_serving import free_port

    tmp = tmp_path_factory.mktemp("workers")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite://{tmp / 'serve.sqlite3'}",
        "VAR_DIR": str(tmp),
        "SECRET_KEY": "serve-test",
        "REDIS_URL": "",
        "METRICS_TOKEN": TOKEN,
        "LOG_FORMAT": "json",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log = tmp / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [MELDKAMER, "serve", "--port", str(port), "--workers", "2"],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def _lines(log: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]


def _count(text: str) -> int:
    found = re.search(
        r'meldkamer_http_request_duration_seconds_count\{method="GET",route="/healthz",'
        r'status="200"\} ([0-9.]+)',
        text,
    )
    assert found, text[:3000]
    return int(float(found[1]))


def test_two_workers_answer_and_metrics_add_up_across_them(server: tuple[str, Path]) -> None:
    base, log = server
    ids: list[str] = []
    pids: set[object] = set()
    # Each request on a new connection, until both processes have answered some.
    while len(pids) < 2:
        assert len(ids) < 400, "one process answered everything"
        for _ in range(20):
            answer = httpx.get(f"{base}/healthz", headers={"Connection": "close"}, timeout=5)
            assert answer.status_code == 200
            ids.append(answer.headers["x-request-id"])
        time.sleep(0.2)
        access = [line for line in _lines(log) if line["logger"] == "meldkamer.access"]
        pids = {line["process"] for line in access if line["request_id"] in ids}
    # Every line of every request is JSON with its request id.
    assert {line["request_id"] for line in access} >= set(ids)
    # Whichever process answers the scrape counts the requests of both.
    for _ in range(6):
        scrape = httpx.get(
            f"{base}/metrics",
            headers={"Authorization": f"Bearer {TOKEN}", "Connection": "close"},
            timeout=5,
        )
        assert _count(scrape.text) == len(ids)
