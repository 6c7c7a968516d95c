"""Nobody makes the server hold a body larger than its route takes, or wait for one forever:
bodies are counted as they stream in (chunked or not) and refused with 413 the moment they
pass the limit, a Content-Length above it before a byte is read; one that trickles in is
answered 408. The refusal is a page or JSON as asked, and the app goes on working."""

from __future__ import annotations

import asyncio
import io
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from asgi_lifespan import LifespanManager
from PIL import Image

from server import app as app_module
from server import settings
from server.models import Photo
from server.triage.loading import load_protocol
from server.web.routes import LARGE_BODIES
from tests.fieldwork.support import App, job_for, repair_log
from tests.support import world
from tests.support.pages import csrf, login
from tests.support.world import PASSWORD, token_for
from tests.web.test_access import _all_routes

CHUNK = 64 * 1024
FORM = {"content-type": "application/x-www-form-urlencoded"}


@dataclass
class Sender:
    """A request body sent in chunks, as a client on a slow line does; `sent` counts what
    the server actually took."""

    head: bytes
    size: int
    pause: float = 0.0
    chunk: int = CHUNK
    sent: int = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.sent < self.size:
            chunk = self.head[self.sent : self.sent + self.chunk]
            chunk += b"a" * min(self.chunk - len(chunk), self.size - self.sent - len(chunk))
            self.sent += len(chunk)
            yield chunk
            if self.pause:
                await asyncio.sleep(self.pause)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def login_form(http: httpx.AsyncClient) -> bytes:
    token = csrf((await http.get("/login")).text)
    return f"csrf_token={token}&username=anna.agent&password=x&pad=".encode()


async def test_a_chunked_body_just_over_the_limit_is_refused_and_the_app_goes_on(
    http: httpx.AsyncClient, w: world.World
) -> None:
    head = await login_form(http)
    at_limit = Sender(head, settings.MAX_BODY_BYTES)
    response = await http.post("/login", content=at_limit, headers=FORM)
    assert response.status_code == 401  # read in full: a wrong password, said on the form
    assert "Onjuiste gebruikersnaam of wachtwoord." in response.text

    over = Sender(head, settings.MAX_BODY_BYTES + 1)
    response = await http.post("/login", content=over, headers=FORM)
    assert response.status_code == 413
    assert "De verzonden gegevens zijn te groot (hoogstens 1 MB)." in response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["connection"] == "close"
    assert "content-security-policy" in response.headers

    await login(http, "anna.agent")
    assert (await http.get("/dossiers")).status_code == 200


async def test_a_huge_body_is_refused_as_soon_as_it_passes_the_limit(
    http: httpx.AsyncClient, w: world.World
) -> None:
    # What used to be read in full: 200 MB to /login, before logging in.
    huge = Sender(await login_form(http), 200_000_000)
    response = await http.post("/login", content=huge, headers=FORM)
    assert response.status_code == 413
    assert huge.sent <= settings.MAX_BODY_BYTES + CHUNK
    # The API answers in JSON (the app signs in without cookies).
    http.cookies.clear()
    huge = Sender(b'{"username": "', 200_000_000)
    response = await http.post("/api/v1/auth/token", content=huge)
    assert response.status_code == 413
    assert response.json() == {
        "error": {"message": "De verzonden gegevens zijn te groot (hoogstens 1 MB).", "field": None}
    }
    assert huge.sent <= settings.MAX_BODY_BYTES + CHUNK


async def test_a_content_length_above_the_limit_is_refused_before_reading(
    http: httpx.AsyncClient, w: world.World
) -> None:
    body = Sender(await login_form(http), 2 * settings.MAX_BODY_BYTES)
    response = await http.post(
        "/login", content=body, headers={**FORM, "content-length": "5000000000"}
    )
    assert response.status_code == 413
    assert body.sent == 0


async def test_a_body_longer_than_its_content_length_is_counted_as_it_comes(
    http: httpx.AsyncClient, w: world.World
) -> None:
    lie = Sender(await login_form(http), 200_000_000)
    response = await http.post("/login", content=lie, headers={**FORM, "content-length": "100"})
    assert response.status_code == 413
    assert lie.sent <= settings.MAX_BODY_BYTES + CHUNK


def noisy_jpeg(side: int) -> bytes:
    """A photo that does not compress: over a megabyte at 1000 x 1000."""
    rng = random.Random(7)
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


async def test_photos_protocols_and_a_full_sync_batch_may_be_larger(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    piet = await token_for(http, "piet.monteur")
    photo = noisy_jpeg(1000)
    assert len(photo) > settings.MAX_BODY_BYTES
    raw = await http.put(
        "/api/v1/photos/foto-groot-0001",
        params={"job": job.order_number},
        content=photo,
        headers={**piet, "content-type": "image/jpeg"},
    )
    assert raw.status_code == 201, raw.text
    form = await http.put(
        "/api/v1/photos/foto-groot-0002",
        params={"job": job.order_number},
        files={"file": ("foto.jpg", photo, "image/jpeg")},
        headers=piet,
    )
    assert form.status_code == 201, form.text
    assert await Photo.all().count() == 2
    # Past the upload limit the refusal comes before media/ sees a byte.
    too_big = Sender(b"\xff\xd8", settings.MAX_UPLOAD_BYTES + 1)
    refused = await http.put(
        "/api/v1/photos/foto-groot-0003",
        params={"job": job.order_number},
        content=too_big,
        headers=piet,
    )
    assert refused.status_code == 413
    assert refused.json()["error"]["message"] == (
        "De verzonden gegevens zijn te groot (hoogstens 26 MB)."
    )
    assert too_big.sent <= settings.MAX_UPLOAD_BYTES + CHUNK

    # The app's batch of 100 operations, each a repair log with long texts.
    app = App(http, piet)
    long_log = {
        **repair_log(),
        "cause": "Lekkage " * 500,
        "work_done": "Vervangen " * 400,
        "materials": [{"name": f"Koppelstuk {n} mm messing", "quantity": 2} for n in range(50)],
    }
    ops = [app.op("add_repair_log", job.order_number, **long_log) for _ in range(100)]
    pushed = await http.post(
        "/api/v1/sync/push", json={"device_id": app.device, "ops": ops}, headers=piet
    )
    assert len(pushed.request.content) > settings.MAX_BODY_BYTES
    assert pushed.status_code == 200, pushed.text

    # A protocol file with a long explanation in it.
    admin = await token_for(http, "sanne.supervisie")
    text = (await http.get("/api/v1/protocols/WST", headers=admin)).json()["text"]
    text = "# " + "toelichting " * 100_000 + "\n" + text
    load_protocol(text)
    checked = await http.post("/api/v1/protocols/WST/check", json={"text": text}, headers=admin)
    assert len(checked.request.content) > settings.MAX_BODY_BYTES
    assert checked.status_code == 200, checked.text


def test_large_body_routes_are_routes() -> None:
    assert not LARGE_BODIES - set(_all_routes())


@pytest.fixture
async def impatient(
    monkeypatch: pytest.MonkeyPatch, db_clean: None
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with a body timeout of half a second."""
    monkeypatch.setattr(settings, "REQUEST_BODY_TIMEOUT", 0.5)
    application = app_module.create_app(manage_db=False)
    async with (
        LifespanManager(application) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://testserver"
        ) as client,
    ):
        yield client


async def test_a_body_that_trickles_in_is_answered_408(impatient: httpx.AsyncClient) -> None:
    await world.build()
    # 20 bytes every 0.2 s: 100 bytes a second, far below 500.
    slow = Sender(await login_form(impatient), 10_000, pause=0.2, chunk=20)
    response = await impatient.post("/login", content=slow, headers=FORM)
    assert response.status_code == 408
    assert "De verzonden gegevens kwamen te langzaam binnen." in response.text
    assert response.headers["connection"] == "close"
    assert slow.sent < 10_000
    # A body that keeps coming at a fair pace has its time, however long it is.
    token = csrf((await impatient.get("/login")).text)
    steady = Sender(
        f"csrf_token={token}&username=anna.agent&password={PASSWORD}&pad=".encode(),
        300_000,
        pause=0.05,
        chunk=8 * 1024,
    )
    steady_response = await impatient.post("/login", content=steady, headers=FORM)
    assert steady_response.status_code == 303
