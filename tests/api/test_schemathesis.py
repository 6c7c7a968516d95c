"""Schemathesis against the running app on the demo data: as a desk agent, a client user and a
technician, every API operation must answer without a server error and as its description says.

The app runs in its own process (uvicorn) on this test's database, so the run sees what a real
client sees; only in the PostgreSQL run (see pytestmark). Generation is derandomized, so CI
gets the same cases every time. The demo is loaded at a fixed moment; the app runs on the real
clock, and the checks (no 5xx, responses as described) must hold at any date.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import anyio
import httpx
import pytest

from server import settings
from server.demo import PASSWORD, load_demo

DEMO_NOW = datetime(2026, 11, 17, 13, 0, tzinfo=UTC)
USERS = ("anna.agent", "klant.wst", "monteur.dennis")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")

# Operations that cannot be fuzzed, and why.
EXCLUDED = [
    # Revokes the bearer token the run uses; every later request would be a 401.
    "--exclude-operation-id",
    "logout",
]

OPTIONS = [
    "--checks",
    "not_a_server_error,response_schema_conformance",
    # The same cases on every run (the seed plays no part then): CI cannot flake.
    "--generation-deterministic",
    "--max-examples",
    "15",
    # Generous: on a loaded 2-core machine a slow answer is not what this test is about.
    "--request-timeout",
    "120",
    "--no-color",
    # NUL is generated (it is refused centrally with a 422). Lone surrogates cannot be encoded
    # as UTF-8, so schemathesis does not send them; tests/web/test_input_text.py sends them.
    "--generation-codec",
    "utf-8",
    "--suppress-health-check",
    "all",
]


# One database is enough for the API layer, and the run costs minutes: PostgreSQL, because it
# is the production database and the stricter one (32-bit integer columns where SQLite takes
# 64 bits). tests/api/test_bad_input.py runs on both.
pytestmark = pytest.mark.skipif(
    not settings.DATABASE_URL.startswith("postgres"),
    reason="schemathesis runs in the PostgreSQL run of scripts/test",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(db_clean: None) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "server.app:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=os.environ.copy(),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        else:
            pytest.fail("the app did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


async def _token(base: str, username: str) -> str:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        response = await http.post(
            "/api/v1/auth/token",
            json={"username": username, "password": PASSWORD, "label": "schemathesis"},
        )
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


async def _run(
    base: str, username: str, token: str, workdir: Path, results: dict[str, str]
) -> None:
    started = time.monotonic()
    run = await anyio.run_process(
        [
            str(SCHEMATHESIS),
            "run",
            f"{base}/api/v1/openapi.json",
            "--header",
            f"Authorization: Bearer {token}",
            *OPTIONS,
            *EXCLUDED,
        ],
        check=False,
        cwd=workdir,  # schemathesis keeps a cache in .schemathesis/ there, not in the work tree
    )
    took = time.monotonic() - started
    out, err = run.stdout.decode(), run.stderr.decode()
    phases = ("Coverage (in", "Fuzzing (in", "Stateful (in", " generated, ")
    summary = ", ".join(line.strip() for line in out.splitlines() if any(p in line for p in phases))
    print(f"as {username}: {took:.0f} s, exit {run.returncode}, {summary}")
    if run.returncode != 0:
        results[username] = f"== as {username}\n{out[-20000:]}\n{err[-3000:]}"


async def test_api_answers_as_described_for_agent_client_and_technician(
    server: str, tmp_path: Path
) -> None:
    started = time.monotonic()
    await load_demo(now=DEMO_NOW)
    print(f"demo loaded in {time.monotonic() - started:.0f} s")
    tokens = {username: await _token(server, username) for username in USERS}
    failures: dict[str, str] = {}
    for username in USERS:
        (tmp_path / username).mkdir()
    # The three at once: one run alternates between waiting for the app and generating, so
    # together they keep both cores busy.
    async with anyio.create_task_group() as runs:
        for username, token in tokens.items():
            runs.start_soon(_run, server, username, token, tmp_path / username, failures)
    assert not failures, "\n".join(failures.values())
