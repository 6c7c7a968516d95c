"""Photos from the app: idempotent upload by client id, refusals, and who may see them."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from server import settings
from server.models import DossierEvent, Photo
from tests.fieldwork.support import App, job_for, jpeg
from tests.support import world
from tests.support.world import token_for


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


def stored_files() -> int:
    root = Path(settings.MEDIA_ROOT)
    return sum(len(files) for _, _, files in os.walk(root)) if root.exists() else 0


async def put(
    http: httpx.AsyncClient, headers: dict[str, str], cid: str, job: str, data: bytes
) -> httpx.Response:
    return await http.put(
        f"/api/v1/photos/{cid}", params={"job": job}, content=data, headers=headers
    )


async def test_upload_twice_stores_once_then_attach_puts_it_on_the_timeline(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    headers = await token_for(http, "piet.monteur")
    first = await put(http, headers, "foto-0001-aaaa", job.order_number, jpeg())
    assert first.status_code == 201, first.text
    files = stored_files()
    again = await put(http, headers, "foto-0001-aaaa", job.order_number, jpeg(colour=(0, 0, 0)))
    assert again.status_code == 200 and again.json() == {**first.json(), "created": False}
    assert stored_files() == files and await Photo.all().count() == 1
    multipart = await http.put(
        "/api/v1/photos/foto-0002-bbbb",
        params={"job": job.order_number},
        files={"file": ("x.jpg", jpeg((80, 60)), "image/jpeg")},
        headers=headers,
    )
    assert multipart.status_code == 201
    app = App(http, headers)
    result = await app.push(
        [
            app.op("attach_photo", job.order_number, client_id="foto-0001-aaaa", caption="Lek"),
            app.op("attach_photo", job.order_number, client_id="foto-0003-nog-niet"),
        ]
    )
    assert result["outcomes"][0]["status"] == "applied"
    assert result["stop"] == {
        "reason": "temporary",
        "seq": 2,
        "message": "Foto foto-0003-nog-niet is nog niet ontvangen.",
    }
    assert await DossierEvent.filter(dossier_id=job.id, kind="foto").count() == 1


async def test_fake_oversized_and_strangers_photos_are_refused_and_nothing_is_stored(
    http: httpx.AsyncClient, w: world.World
) -> None:
    mine = await job_for(w, w.technician)
    other = await job_for(w, w.other_technician)
    headers = await token_for(http, "piet.monteur")
    files = stored_files()
    fake = await put(http, headers, "foto-fake-0001", mine.order_number, b"%PDF-1.4 geen foto")
    assert fake.status_code == 415
    assert fake.json()["error"]["message"] == "Bestand is geen foto (gevonden: PDF)"
    big = await put(
        http, headers, "foto-big-00001", mine.order_number, b"\xff\xd8" + bytes(25_000_000)
    )
    assert big.status_code == 413
    assert big.json()["error"]["message"] == "Foto is te groot: 25,1 MB (maximaal 25 MB)"
    broken = await put(http, headers, "foto-half-0001", mine.order_number, jpeg()[:200])
    assert broken.status_code == 422
    stranger = await put(http, headers, "foto-other-001", other.order_number, jpeg())
    assert stranger.status_code == 404
    assert stranger.json()["error"]["message"] == f"Opdracht '{other.order_number}' niet gevonden."
    bad_id = await put(http, headers, "x", mine.order_number, jpeg())
    assert bad_id.status_code == 422
    assert await Photo.all().count() == 0 and stored_files() == files


async def test_photo_files_only_for_those_who_may_see_the_dossier(
    http: httpx.AsyncClient, w: world.World
) -> None:
    job = await job_for(w, w.technician)
    piet = await token_for(http, "piet.monteur")
    key = (await put(http, piet, "foto-0001-cccc", job.order_number, jpeg())).json()["key"]
    url = f"/api/v1/photos/{key}/thumb"
    seen = await http.get(url, headers=piet)
    assert seen.status_code == 200 and seen.headers["content-type"] == "image/jpeg"
    assert seen.headers["cache-control"].startswith("private")
    assert (await http.get(url, headers=await token_for(http, "wim.woonstad"))).status_code == 200
    assert (await http.get(url, headers=await token_for(http, "anna.agent"))).status_code == 200
    for stranger in ("kees.monteur", "lisa.lichtveld"):
        denied = await http.get(url, headers=await token_for(http, stranger))
        assert denied.status_code == 404, stranger
        assert denied.json()["error"]["message"] == "Foto niet gevonden"
    assert (await http.get(f"/api/v1/photos/{key}/huge", headers=piet)).status_code == 404
    assert (await http.get("/api/v1/photos/nope/thumb", headers=piet)).status_code == 404


async def test_an_upload_never_reveals_whether_someone_elses_photo_id_exists(
    http: httpx.AsyncClient, w: world.World
) -> None:
    mine = await job_for(w, w.technician)
    theirs = await job_for(w, w.other_technician)
    kees = await token_for(http, "kees.monteur")
    stored = await put(http, kees, "foto-kees-0001", theirs.order_number, jpeg())
    assert stored.status_code == 201
    piet = await token_for(http, "piet.monteur")

    # With a job that is not his, a used id and a free one get the very same answer.
    taken = await put(http, piet, "foto-kees-0001", theirs.order_number, jpeg())
    free = await put(http, piet, "foto-vrij-0001", theirs.order_number, jpeg())
    assert (taken.status_code, taken.json()) == (free.status_code, free.json())
    assert taken.status_code == 404
    assert taken.json()["error"]["message"] == f"Opdracht '{theirs.order_number}' niet gevonden."
    # With his own job, Kees's id is not found either (before: 409, "al in gebruik").
    claimed = await put(http, piet, "foto-kees-0001", mine.order_number, jpeg())
    assert claimed.status_code == 404
    assert claimed.json()["error"]["message"] == "Foto-id 'foto-kees-0001' niet gevonden."
    # Kees's photo is untouched, and his own retry is still answered as stored.
    photo = await Photo.get(client_id="foto-kees-0001")
    assert (photo.dossier_id, photo.uploaded_by_id) == (theirs.id, w.other_tech_user.id)  # type: ignore[attr-defined]
    again = await put(http, kees, "foto-kees-0001", theirs.order_number, jpeg())
    assert again.status_code == 200 and again.json()["key"] == stored.json()["key"]
    assert await Photo.all().count() == 1
