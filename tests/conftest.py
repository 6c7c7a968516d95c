"""Test set-up: a real database (SQLite by default, PostgreSQL with DATABASE_URL=postgres://...).

The schema is built once per run by the project's own migrations, so every run also proves
that the migrations produce a working schema on that database. Between tests every table is
emptied. In CI (CI=true) a database that cannot be reached fails the run instead of skipping.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="meldkamer-tests-"))
os.environ.setdefault("DATABASE_URL", f"sqlite://{_TMP / 'test.sqlite3'}")
os.environ["VAR_DIR"] = str(_TMP / "var")
os.environ["MEDIA_ROOT"] = str(_TMP / "media")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ["LOGIN_MAX_FAILURES"] = "5"
# The telephony platform's shared secret and Twilio's auth token (tests/contacts sign with them).
os.environ["TELEPHONY_SECRET"] = "test-telephony-secret"
os.environ["TWILIO_AUTH_TOKEN"] = "test-twilio-auth-token"
# The real push services, and the made-up ones the tests subscribe with.
os.environ["PUSH_SERVICE_HOSTS"] = (
    "fcm.googleapis.com,jmt17.google.com,push.example,push.example.net"
)

import httpx  # noqa: E402
import hypothesis  # noqa: E402
import pytest  # noqa: E402
from asgi_lifespan import LifespanManager  # noqa: E402

from server import db, settings  # noqa: E402
from server.jobs import queue, tasks  # noqa: E402

# Services called directly by a test run their jobs in-process, as in the app.
tasks.register()

IN_CI = os.environ.get("CI", "").lower() == "true"

# Property tests explore at random on a developer's machine, where a new find is welcome; in CI
# they replay the same examples, so a landing is not failed by a find unrelated to it.
hypothesis.settings.register_profile("ci", derandomize=True)
if IN_CI:
    hypothesis.settings.load_profile("ci")


async def _reset_schema() -> None:
    if settings.DATABASE_URL.startswith("postgres"):
        await db.init()
        await db.connection().execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        await db.close()
    await db.migrate()


@pytest.fixture(scope="session")
async def database() -> AsyncIterator[None]:
    try:
        await _reset_schema()
        await db.init()
    except (OSError, ConnectionError) as exc:
        if IN_CI:
            raise
        pytest.skip(f"database {settings.DATABASE_URL} unreachable: {exc}")
    yield
    await db.close()


@pytest.fixture
async def db_clean(database: None) -> AsyncIterator[None]:
    """An empty database for one test."""
    # Background jobs an earlier test started must not write into this test's tables.
    await queue.stop_inline()
    await db.empty_all_tables()
    yield


@pytest.fixture
async def app(db_clean: None) -> AsyncIterator[object]:
    from server.app import create_app

    application = create_app(manage_db=False)
    async with LifespanManager(application) as manager:
        yield manager.app


@pytest.fixture
async def http(app: object) -> AsyncIterator[httpx.AsyncClient]:
    """An anonymous HTTP client against the real app, in-process."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def client_factory(app: object) -> Callable[[], httpx.AsyncClient]:
    """Extra independent HTTP clients (each its own cookie jar), e.g. two users at once."""

    def make() -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
            base_url="http://testserver",
        )

    return make


Factory = Callable[..., Awaitable[object]]


_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", ""})
# Names reserved never to resolve (RFC 2606/6761): tests use them for endpoints that must fail.
_RESERVED_SUFFIXES = (".example", ".invalid", ".test", ".localhost")


@pytest.fixture(autouse=True)
def stays_on_this_machine(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test whose code looked up a real host outside this machine: outside services are
    local stand-ins here, so such a lookup means something was sent for real (an inline send to
    CM's real address once raced the stand-in its test was about). The lookup fails either way,
    as it would in CI, which has no internet."""
    import socket

    looked_up: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        name = (host.decode() if isinstance(host, bytes) else str(host or "")).rstrip(".")
        if name in _LOCAL_HOSTS or name.startswith("127."):
            return real(host, *args, **kwargs)  # type: ignore[arg-type]
        if not name.lower().endswith(_RESERVED_SUFFIXES):
            looked_up.append(name)
        raise socket.gaierror(socket.EAI_NONAME, f"tests stay on this machine: {name}")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield
    assert not looked_up, f"the test looked up hosts outside this machine: {sorted(set(looked_up))}"
