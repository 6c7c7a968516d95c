"""An online report driven over HTTP as a tenant's browser does it, reading the code from the
message the tenant was sent (the outbox row, before it is used)."""

from __future__ import annotations

import io
import re

import httpx
from PIL import Image

from server.models import Client, OutboundMessage
from tests.dispatch.support import ALWAYS, UTRECHT, set_duty
from tests.support import world
from tests.support.pages import csrf

PAGE = "/melden/woonstad"
HOME = {"postcode": "3572 ab", "huisnummer": "10", "toevoeging": ""}
MOBILE = "06 12345678"


async def open_online(w: world.World) -> Client:
    """Woonstad takes reports online at /melden/woonstad; Piet (loodgieter) is always on duty."""
    w.woonstad.settings = {**w.woonstad.settings, "online_melden": {"adres": "woonstad"}}
    await w.woonstad.save(update_fields=["settings"])
    await set_duty(w.technician, ALWAYS, UTRECHT)
    return w.woonstad


async def post(
    http: httpx.AsyncClient, step: str, data: dict[str, str], **kw: object
) -> httpx.Response:
    token = csrf((await http.get(PAGE)).text)
    return await http.post(f"{PAGE}/{step}", data={"csrf_token": token, **data}, **kw)  # type: ignore[arg-type]


async def last_code(to: str = "+31612345678") -> str:
    row = await OutboundMessage.filter(kind="verificatiecode", recipient=to).order_by("-id").first()
    assert row is not None, "no code was sent"
    found = re.search(r"\b(\d{6})\b", row.body)
    assert found, row.body
    return found.group(1)


async def confirmed(
    http: httpx.AsyncClient, home: dict[str, str] = HOME, contact: str = MOBILE
) -> None:
    started = await post(http, "adres", {**home, "contact": contact})
    assert started.status_code == 303, started.text
    to = contact if "@" in contact else "+31612345678"
    done = await post(http, "code", {"code": await last_code(to)})
    assert done.status_code == 303, done.text


async def answered(http: httpx.AsyncClient, subject: str, answers: list[tuple[str, str]]) -> None:
    chosen = await post(http, "onderwerp", {"naam": "Fatima el Amrani", "onderwerp": subject})
    assert chosen.status_code == 303, chosen.text
    for question, value in answers:
        given = await post(http, "antwoord", {"vraag": question, "antwoord": value})
        assert given.status_code == 303, given.text


def jpeg(width: int = 800, height: int = 600) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (180, 40, 40)).save(out, "JPEG")
    return out.getvalue()


# A burst pipe that can be shut off: urgent, a loodgieter within 24 hours (bookable).
URGENT = [("bewoonbaarheid", "nee"), ("lekkage", "gesprongen"), ("afsluitbaar", "ja")]
# ... that cannot: acuut.
ACUUT = [("bewoonbaarheid", "nee"), ("lekkage", "gesprongen"), ("afsluitbaar", "nee")]
