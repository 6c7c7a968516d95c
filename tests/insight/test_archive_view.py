"""An archived dossier opened from the archive shows all it holds — repair log, photos, chat,
timeline — to the client whose dossier it is, and nothing of it to another client."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from server.dossiers import archive
from server.models import Dossier, Photo
from tests.fieldwork.support import App, job_for, jpeg
from tests.support import world
from tests.support.pages import login
from tests.support.world import token_for


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def visit_with_photo(http: httpx.AsyncClient, w: world.World, client: str) -> Dossier:
    """A job the technician photographs, logs, chats about and finishes through his app."""
    job = await job_for(w, w.technician, client)
    headers = await token_for(http, "piet.monteur")
    cid = f"foto-{client.lower()}-0001"
    # Photos are stored by content: each client's photo must differ to be another photo.
    image = jpeg(colour=(200, 30, 30) if client == "WST" else (30, 30, 200))
    upload = await http.put(
        f"/api/v1/photos/{cid}", params={"job": job.order_number}, content=image, headers=headers
    )
    assert upload.status_code == 201, upload.text
    app = App(http, headers)
    log = {
        "cause": "Sifon lekte",
        "work_done": "Sifon vervangen en afvoer gereinigd",
        "materials": [
            {"name": "Sifon 32 mm", "quantity": 1},
            {"name": "Afvoerslang", "quantity": 2.5, "unit": "m"},
        ],
        "minutes": 35,
        "fixed": True,
    }
    result = await app.push(
        [
            app.op("arrive", job.order_number),
            app.op("add_repair_log", job.order_number, **log),
            app.op("attach_photo", job.order_number, client_id=cid, caption="Lekkende sifon"),
            app.op("chat", job.order_number, text="Sifon vervangen, huurder tevreden."),
            app.op("complete", job.order_number, result_code="verholpen"),
        ]
    )
    assert [o["status"] for o in result["outcomes"]] == ["applied"] * 5, result
    return await Dossier.get(id=job.id)


def thumbnails(page: str) -> list[str]:
    return re.findall(r'<img src="(/api/v1/photos/[^"]+/thumb)"', page)


async def test_client_sees_everything_its_archived_dossier_holds(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await visit_with_photo(http, w, "WST")
    assert await archive.archive_closed(14, at=datetime.now(UTC) + timedelta(days=15)) == 1
    await login(http, "wim.woonstad")
    listing = await http.get("/archief")
    assert f'href="/dossiers/{d.order_number}"' in listing.text
    page = await http.get(f"/dossiers/{d.order_number}")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Gearchiveerd" in text
    # The repair log: cause, work, materials with quantities and units, time, fixed.
    assert "Oorzaak: Sifon lekte" in text
    assert "Uitgevoerd: Sifon vervangen en afvoer gereinigd" in text
    assert "1 st Sifon 32 mm" in text and "2,5 m Afvoerslang" in text
    assert "35 min · verholpen" in text
    # The chat and the timeline, the photo with its caption as a thumbnail of the scoped route.
    assert "Sifon vervangen, huurder tevreden." in text
    assert "legde de reparatie vast (verholpen)" in text
    assert "voegde een foto toe: Lekkende sifon" in text
    photo = await Photo.get(dossier_id=d.id)
    assert thumbnails(page.text) == [f"/api/v1/photos/{photo.key}/thumb"]
    thumb = await http.get(thumbnails(page.text)[0])
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"


async def test_another_clients_dossier_and_photo_are_not_found(
    http: httpx.AsyncClient, w: world.World
) -> None:
    ours = await visit_with_photo(http, w, "WST")
    theirs = await visit_with_photo(http, w, "LVD")
    their_photo = await Photo.get(dossier_id=theirs.id)
    await login(http, "wim.woonstad")
    assert (await http.get(f"/dossiers/{theirs.order_number}")).status_code == 404
    for variant in ("thumb", "screen", "original"):
        url = f"/api/v1/photos/{their_photo.key}/{variant}"
        assert (await http.get(url)).status_code == 404, url
    assert theirs.order_number not in (await http.get("/archief?status=alle")).text
    # And the other way round: Lichtveld's user sees nothing of Woonstad's.
    our_photo = await Photo.get(dossier_id=ours.id)
    await login(http, "lisa.lichtveld")
    assert (await http.get(f"/dossiers/{ours.order_number}")).status_code == 404
    assert (await http.get(f"/api/v1/photos/{our_photo.key}/thumb")).status_code == 404
    own = await http.get(f"/dossiers/{theirs.order_number}")
    assert thumbnails(own.text) == [f"/api/v1/photos/{their_photo.key}/thumb"]
