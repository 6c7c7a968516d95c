"""Jobs for a technician, and small helpers to talk to the sync API like the app does."""

from __future__ import annotations

import base64
import io
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from PIL import Image, ImageDraw

from server.dossiers import dossiers
from server.fieldwork import werkbons
from server.models import Dossier, Technician
from tests.support.world import World, intake

_counter = itertools.count(1)


async def job_for(
    w: World, technician: Technician, client: str = "WST", ago: timedelta = timedelta(0)
) -> Dossier:
    """A dossier with an appointment for this technician (phase afspraak_ingepland), reported
    `ago` before now."""
    d = await dossiers.create(w.agent, intake(client), datetime.now(UTC) - ago)
    await dossiers.transition(
        w.agent, d, "doorgezet_naar_monteur", {"technician_id": technician.id}
    )
    start = datetime.now(UTC) + timedelta(hours=1)
    await dossiers.transition(w.agent, d, "afspraak_ingepland", {"appointment_start": start})
    return d


class App:
    """One installed app: a device id, a sequence counter, and its bearer token."""

    def __init__(self, http: httpx.AsyncClient, headers: dict[str, str], device: str = "") -> None:
        self.http = http
        self.headers = headers
        self.device = device or f"device-{next(_counter):04d}"
        self.seq = 0
        self.cursor: str | None = None

    def op(self, kind: str, job: str, **payload: Any) -> dict[str, Any]:
        self.seq += 1
        return {
            "seq": self.seq,
            "op_id": f"{self.device}-{self.seq}",
            "kind": kind,
            "job": job,
            "payload": payload,
            "device_time": datetime.now(UTC).isoformat(),
        }

    async def push(
        self, ops: list[dict[str, Any]], device_now: datetime | None = None
    ) -> dict[str, Any]:
        """Send like the app: with its own clock's time (`device_now`) in X-Device-Time."""
        headers = dict(self.headers)
        if device_now is not None:
            headers["X-Device-Time"] = device_now.isoformat()
        r = await self.http.post(
            "/api/v1/sync/push", json={"device_id": self.device, "ops": ops}, headers=headers
        )
        assert r.status_code == 200, r.text
        return dict(r.json())

    async def pull(self) -> dict[str, Any]:
        params = {"device_id": self.device, **({"cursor": self.cursor} if self.cursor else {})}
        r = await self.http.get("/api/v1/sync/pull", params=params, headers=self.headers)
        assert r.status_code == 200, r.text
        body = dict(r.json())
        self.cursor = body["cursor"]
        return body


def jpeg(size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def repair_log() -> dict[str, Any]:
    return {
        "cause": "Sifon lekte",
        "work_done": "Sifon vervangen",
        "materials": [{"name": "Sifon 32 mm", "quantity": 1}, {"name": "Kit", "quantity": 0.5}],
        "minutes": 35,
        "fixed": True,
    }


def signature_png(size: tuple[int, int] = (360, 160), ink: bool = True) -> str:
    """What the app's <canvas> gives: a transparent PNG with a stroke, as a data: URL."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    if ink:
        ImageDraw.Draw(image).line(
            [(20, 120), (80, 40), (140, 110), (220, 30), (330, 100)], fill=(0, 0, 0, 255), width=4
        )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def werkbon(**overrides: Any) -> dict[str, Any]:
    """The werkbon a job is closed with, as the app's closing screens send it."""
    values: dict[str, Any] = {
        "cause": "Sifon lekte",
        "work_done": "Sifon vervangen",
        "materials": [{"name": "Sifon 32 mm", "quantity": 1}],
        "minutes": 35,
        # On site from 45 to 10 minutes ago (a job made earlier than that: job_for(..., ago)).
        "arrived_at": (datetime.now(UTC) - timedelta(minutes=45)).isoformat(),
        "finished_at": (datetime.now(UTC) - timedelta(minutes=10)).isoformat(),
        "signature": signature_png(),
        "signed_by": "F. el Amrani",
    }
    values.update(overrides)
    return values


async def write_werkbon(w: World, d: Dossier) -> None:
    """A werkbon of the visit, as if his app had sent it: he may close the job now."""
    now = datetime.now(UTC)
    values = {"work_done": "Sifon vervangen", "minutes": 30, "fixed": True}
    op_id = f"test-werkbon-{d.id}-{next(_counter)}"
    await werkbons.store(
        d, w.tech_user, w.technician, op_id, values, reported_at=now, created_at=now
    )


def close(
    app: App, job: str, result_code: str = "verholpen", **werkbon_values: Any
) -> dict[str, Any]:
    """A `complete` operation with its werkbon."""
    return app.op("complete", job, result_code=result_code, werkbon=werkbon(**werkbon_values))
