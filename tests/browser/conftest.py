"""Browser tests: the real app in its own process, driven through Debian's Chromium.

The server runs `meldkamer serve` on a free port against a fresh SQLite database seeded with the
test world. In CI (CI=true) a missing /usr/bin/chromium fails the run instead of skipping.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# The live server's SECRET_KEY: a test signs tenant links (tracking, survey) with it.
LIVE_SECRET = "browser-test-secret"
SEED = """
import asyncio
from server import db
from tests.support import world
async def main():
    await db.init()
    await world.build()
    await db.close()
asyncio.run(main())
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live server's directory: its SQLite database is `live.sqlite3` in it."""
    return tmp_path_factory.mktemp("live")


@pytest.fixture(scope="module")
def live_server(live_dir: Path) -> Iterator[str]:
    yield from serve(live_dir)


def serve(tmp: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """`meldkamer serve` on a fresh database in `tmp` seeded with the test world; `extra_env`
    points it at other local stand-ins (an SMTP server)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite://{tmp / 'live.sqlite3'}",
        "VAR_DIR": str(tmp),
        "SECRET_KEY": LIVE_SECRET,
        "PYTHONPATH": str(ROOT),
        **(extra_env or {}),
    }
    env.pop("REDIS_URL", None)
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [str(bin_dir / "meldkamer"), "migrate"], env=env, check=True, cwd=ROOT, capture_output=True
    )
    subprocess.run([sys.executable, "-c", SEED], env=env, check=True, cwd=ROOT)
    port = _free_port()
    proc = subprocess.Popen(
        [str(bin_dir / "meldkamer"), "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("live server did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("/usr/bin/chromium missing; .ci/run installs it")
        pytest.skip("/usr/bin/chromium missing (scripts/ensure-packages installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


def _watched_page(browser: object, live_server: str) -> Iterator[object]:
    """A page in a browser context of its own (own cookies); any request to another origin
    fails the test."""
    context = browser.new_context(base_url=live_server, locale="nl-NL")  # type: ignore[attr-defined]
    external: list[str] = []
    context.on(
        "request", lambda r: None if r.url.startswith(live_server) else external.append(r.url)
    )
    yield context.new_page()
    context.close()
    assert external == [], f"requests to third parties: {external}"


@pytest.fixture
def page(browser: object, live_server: str) -> Iterator[object]:
    yield from _watched_page(browser, live_server)


@pytest.fixture
def second(browser: object, live_server: str) -> Iterator[object]:
    """A second user (agent B, say) beside `page`."""
    yield from _watched_page(browser, live_server)


@pytest.fixture
def profile(browser: Any, live_server: str, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Starts a normal (not private) Chromium profile with a local push service
    (tests/browser/gcm.py), where Web Push subscriptions can be made; any request to another
    origin fails the test."""
    started: list[tuple[Any, list[str]]] = []

    def start(service: Any) -> Any:
        context = browser.browser_type.launch_persistent_context(
            str(tmp_path / f"profiel-{len(started)}"),
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", *service.args()],
            base_url=live_server,
            locale="nl-NL",
        )
        external: list[str] = []
        context.on(
            "request",
            lambda r: None if r.url.startswith((live_server, "blob:")) else external.append(r.url),
        )
        started.append((context, external))
        return context

    yield start
    for context, external in started:
        context.close()
        assert external == [], f"requests to third parties: {external}"
