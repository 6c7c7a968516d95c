"""What an operator relies on, in-process: request ids, JSON log lines without tenants' tokens,
/healthz and /readyz, /metrics (by route template, behind its token), compressed answers and
static files under content-hashed names cached for a year."""

from __future__ import annotations

import gzip
import io
import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import brotli
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from server import logs, metrics, settings
from server.models import Device, OutboundMessage
from server.web import static
from server.web.compression import Compression
from server.web.request_context import RequestContext, redact
from tests.support import world
from tests.support.pages import login

NOW = datetime(2026, 11, 17, 14, 0, tzinfo=UTC)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The app's log lines as the JSON handler writes them."""
    out = io.StringIO()
    handler = logs.handler("json", out)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield out
    finally:
        root.removeHandler(handler)


def lines(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


async def test_every_answer_has_a_request_id_and_every_log_line_of_it_too(
    http: httpx.AsyncClient, w: world.World, json_log: io.StringIO
) -> None:
    first = await http.get("/login")
    second = await http.get("/login")
    rid = first.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    assert second.headers["x-request-id"] != rid
    # A client that is no trusted proxy does not choose its id.
    chosen = await http.get("/login", headers={"X-Request-ID": "mijn-eigen-id"})
    assert chosen.headers["x-request-id"] != "mijn-eigen-id"
    access = [line for line in lines(json_log) if line["logger"] == "meldkamer.access"]
    assert [line["request_id"] for line in access] == [
        rid,
        second.headers["x-request-id"],
        chosen.headers["x-request-id"],
    ]
    assert access[0]["status"] == 200 and access[0]["path"] == "/login"
    assert {"time", "level", "message", "duration_ms"} <= set(access[0])


async def test_a_trusted_proxys_request_id_is_kept() -> None:
    async def hello(request: Request) -> Response:
        logging.getLogger("meldkamer.test").info("binnen")
        return PlainTextResponse("hallo")

    inner = Starlette(routes=[Route("/", hello)])
    out = io.StringIO()
    handler = logs.handler("json", out)
    logging.getLogger().addHandler(handler)
    try:
        for trusted, expect_kept in ((("127.0.0.0/8",), True), (("10.0.0.5",), False)):
            app = RequestContext(inner, trusted)
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 5000))
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                answer = await client.get("/", headers={"X-Request-ID": "proxy-abc.123"})
            assert (answer.headers["x-request-id"] == "proxy-abc.123") is expect_kept
        # A made-up id with characters a log line should not carry is not taken either.
        app = RequestContext(inner, ("*",))
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            answer = await client.get("/", headers={"X-Request-ID": "a b;c"})
        assert answer.headers["x-request-id"] != "a b;c"
    finally:
        logging.getLogger().removeHandler(handler)
    inside = [line for line in lines(out) if line["logger"] == "meldkamer.test"]
    assert inside[0]["request_id"] == "proxy-abc.123"


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("/volg/geheim-token-123", "/volg/***"),
        ("/volg/geheim-token-123/push/uit", "/volg/***/push/uit"),
        ("/enquete/geheim-token-123", "/enquete/***"),
        ("/api/v1/webhooks/sms/geheim-token-123", "/api/v1/webhooks/sms/***"),
        ("/archief/exports/geheim-token-123", "/archief/exports/***"),
        ("/dossiers/MK-2026-000001", "/dossiers/MK-2026-000001"),
    ],
)
async def test_tokens_never_reach_the_access_log(
    http: httpx.AsyncClient, w: world.World, json_log: io.StringIO, path: str, shown: str
) -> None:
    assert redact(path) == shown
    await http.get(path + "?q=3562ek")
    text = json_log.getvalue()
    assert "geheim-token-123" not in text
    assert "3562ek" not in text  # searches hold postcodes and names: no query strings
    access = [line for line in lines(json_log) if line["logger"] == "meldkamer.access"]
    assert access[-1]["path"] == shown


async def test_healthz_is_alive_and_readyz_checks_database_and_redis_without_details(
    http: httpx.AsyncClient, w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    alive = await http.get("/healthz")
    assert alive.status_code == 200 and alive.json() == {"status": "ok"}
    monkeypatch.setattr(settings, "REDIS_URL", None)
    ready = await http.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "ok"
    # Nothing listens on port 1: Redis is down, and the answer says only that.
    monkeypatch.setattr(settings, "REDIS_URL", "redis://127.0.0.1:1/0")
    down = await http.get("/readyz")
    assert down.status_code == 503
    assert down.json() == {"status": "fout", "database": "ok", "redis": "onbereikbaar"}
    assert "127.0.0.1" not in down.text and "Error" not in down.text
    # The process itself is still alive: a restart would not help.
    assert (await http.get("/healthz")).status_code == 200


async def test_metrics_need_an_admin_or_the_metrics_token(
    http: httpx.AsyncClient,
    client_factory: object,
    w: world.World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert (await http.get("/metrics")).status_code == 303  # to the login page
    monkeypatch.setattr(settings, "METRICS_TOKEN", "prometheus-geheim")
    wrong = await http.get("/metrics", headers={"Authorization": "Bearer fout"})
    assert wrong.status_code == 401
    scraped = await http.get("/metrics", headers={"Authorization": "Bearer prometheus-geheim"})
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    # The metrics token is no user's token: it opens /metrics only.
    other = await http.get(
        "/api/v1/dossiers", headers={"Authorization": "Bearer prometheus-geheim"}
    )
    assert other.status_code == 401
    await login(http, "anna.agent")
    assert (await http.get("/metrics")).status_code == 403
    await login(http, "admin")
    assert (await http.get("/metrics")).status_code == 200


async def test_latency_is_labelled_by_route_template_not_by_path(
    http: httpx.AsyncClient, w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "METRICS_TOKEN", "prometheus-geheim")
    headers = await world.token_for(http, "anna.agent")
    await http.get("/api/v1/dossiers/MK-2026-004242", headers=headers)
    await http.get("/volg/een-geheim-token")
    text = (await http.get("/metrics", headers={"Authorization": "Bearer prometheus-geheim"})).text
    assert (
        'meldkamer_http_request_duration_seconds_count{method="GET",'
        'route="/api/v1/dossiers/{order_number}",status="404"}'
    ) in text
    assert 'route="/volg/{token}"' in text
    assert "MK-2026-004242" not in text and "een-geheim-token" not in text


async def test_outbox_age_intake_and_device_lag_are_read_at_the_scrape(w: world.World) -> None:
    assert (await metrics.snapshot(NOW)).outbox_oldest_seconds == 0
    for minutes, status in ((10, "wachtrij"), (3, "wachtrij"), (60, "verzonden"), (-5, "wachtrij")):
        await OutboundMessage.create(
            key=f"m{minutes}",
            client=w.woonstad,
            channel="sms",
            kind="ontvangen",
            recipient="+31612345678",
            body="Uw melding is ontvangen.",
            deliver_after=NOW - timedelta(minutes=minutes),
            status=status,
            created_at=NOW - timedelta(minutes=minutes),
        )
    await Device.create(
        user=w.tech_user,
        device_id="telefoon-piet",
        epoch="e1",
        last_seen_at=NOW - timedelta(minutes=7),
    )
    snap = await metrics.snapshot(NOW)
    # The oldest due message waits ten minutes; a sent one and one held until later do not count.
    assert snap.outbox_oldest_seconds == 600
    assert snap.outbox_waiting == 2
    assert snap.devices == [("piet.monteur", "telefoon-piet", 420.0)]
    text = metrics.render(snap).decode()
    assert "meldkamer_outbox_oldest_waiting_seconds 600.0" in text
    assert (
        'meldkamer_sync_device_lag_seconds{device="telefoon-piet",user="piet.monteur"} 420.0'
        in text
    )
    assert "meldkamer_dossiers_created_total 0.0" in text


async def raw_get(client: httpx.AsyncClient, path: str, coding: str) -> httpx.Response:
    """The answer with its body as sent (httpx would decode it)."""
    request = client.build_request("GET", path, headers={"Accept-Encoding": coding})
    answer = await client.send(request, stream=True)
    answer._content = b"".join([chunk async for chunk in answer.aiter_raw()])
    await answer.aclose()
    return answer


async def test_pages_are_compressed_with_brotli_or_gzip_as_asked(
    http: httpx.AsyncClient, w: world.World
) -> None:
    plain = await raw_get(http, "/login", "identity")
    assert "content-encoding" not in plain.headers
    page = plain.content.decode()
    assert "<form" in page
    for coding, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        packed = await raw_get(http, "/login", coding)
        assert packed.headers["content-encoding"] == coding
        assert "Accept-Encoding" in packed.headers["vary"]
        assert len(packed.content) < len(plain.content) * 0.7
        # The CSRF token differs per answer; the rest of the page is the same.
        assert decode(packed.content).decode().split('name="csrf')[0] == page.split('name="csrf')[0]
    # br preferred when both are accepted; q=0 refuses a coding.
    assert (await raw_get(http, "/login", "gzip, deflate, br")).headers["content-encoding"] == "br"
    refused = await raw_get(http, "/login", "br;q=0, gzip")
    assert refused.headers["content-encoding"] == "gzip"


async def test_live_streams_and_images_are_not_compressed() -> None:
    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            yield "event: ping\ndata: " + "x" * 1000 + "\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream")

    async def image(request: Request) -> Response:
        return Response(b"\x89PNG" + b"\0" * 2000, media_type="image/png")

    app = Compression(Starlette(routes=[Route("/live", events), Route("/foto", image)]))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        for coding in ("br", "gzip"):
            for path in ("/live", "/foto"):
                answer = await raw_get(client, path, coding)
                assert "content-encoding" not in answer.headers, (coding, path)
                assert len(answer.content) > 1000


async def test_static_files_by_hashed_name_are_kept_a_year_and_plain_names_revalidate(
    http: httpx.AsyncClient, w: world.World
) -> None:
    login_page = (await http.get("/login")).text
    url = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', login_page)
    assert url, login_page[:500]
    hashed = await http.get(url[1])
    assert hashed.status_code == 200
    assert hashed.headers["cache-control"] == "public, max-age=31536000, immutable"
    plain = await http.get("/static/css/app.css")
    assert plain.content == hashed.content
    assert plain.headers["cache-control"] == "no-cache"
    # A page rendered before a deploy names an older hash: it gets today's file, not kept.
    stale = await http.get("/static/css/app.000000000000.css")
    assert stale.status_code == 200 and stale.headers["cache-control"] == "no-cache"
    assert (await http.get("/static/css/nergens.0123456789ab.css")).status_code == 404
    assert static.split_hash("js/vendor.min.0123456789ab.js") == (
        "js/vendor.min.js",
        "0123456789ab",
    )


async def test_the_technician_apps_worker_caches_the_hashed_names_its_shell_uses(
    http: httpx.AsyncClient, w: world.World
) -> None:
    shell = (await http.get("/monteur/")).text
    worker = (await http.get("/monteur/sw.js")).text
    manifest = (await http.get("/monteur/manifest.webmanifest")).json()
    named = set(re.findall(r'(?:href|src)="(/static/[^"]+)"', shell))
    named |= {icon["src"] for icon in manifest["icons"]}
    assert any(re.search(r"/app\.[0-9a-f]{12}\.js$", u) for u in named)
    cached = set(re.findall(r'"(/[^"]+)"', worker.split("const SHELL = [", 1)[1].split("];", 1)[0]))
    assert named <= cached, named - cached
    for url in named:
        assert (await http.get(url)).status_code == 200, url
