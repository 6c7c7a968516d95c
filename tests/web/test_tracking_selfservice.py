"""What a tenant does on the tracking page besides reading it: moving and cancelling the
appointment within the client's rule (from the desk's own free slots, refused with the reason
when too late or when the slot was taken), a photo and a remark afterwards, live to the desk;
what the page says for an acute gas report (advice, numbers, next step, deadline); and one
dossier's link never acting on another's."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from server import live
from server.communication import links, tenant_appointments
from server.dispatch import assignments
from server.models import Client, Dossier, DossierEvent, InboundLine, OutboundMessage, Photo
from server.protocols import protocols
from tests.dispatch.support import TUESDAY_10, build, triaged_dossier
from tests.support import world
from tests.support.pages import login
from tests.support.world import token_for

# Monday 23 November 2026, 10:00 Amsterdam; the appointment is Wednesday 09:00-10:00.
MONDAY_10 = TUESDAY_10 - timedelta(days=1)
WEDNESDAY_9 = TUESDAY_10 + timedelta(days=1) - timedelta(hours=1)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await build()


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(MONDAY_10, tick=False) as traveller:
        yield traveller


async def booked(w: world.World) -> Dossier:
    """An urgent leak, due Thursday, booked with Piet for Wednesday 09:00-10:00."""
    d = await triaged_dossier(w.agent, deadline=MONDAY_10 + timedelta(days=3))
    await Dossier.filter(id=d.id).update(contact_phone="+31612345678")
    d = await Dossier.get(id=d.id)
    await assignments.book(
        w.agent, d, w.technician.id, WEDNESDAY_9, WEDNESDAY_9 + timedelta(hours=1)
    )
    return await Dossier.get(id=d.id)


def url(d: Dossier, purpose: str = links.TRACKING) -> str:
    return f"/{purpose}/{links.token(d.id, purpose)}"  # type: ignore[arg-type]


async def form_page(http: httpx.AsyncClient, d: Dossier) -> tuple[str, str]:
    page = await http.get(url(d))
    assert page.status_code == 200, page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    return page.text, token.group(1)


def slot_values(text: str) -> list[str]:
    return re.findall(r'name="slot" value="([^"]+)"', text)


@asynccontextmanager
async def listening(*channels: str) -> AsyncIterator[list[tuple[str, str]]]:
    """(channel, event) of everything published live on `channels` meanwhile."""
    got: list[tuple[str, str]] = []
    stream = live.broker.subscribe(list(channels))

    async def listen() -> None:
        async for message in stream:
            got.append((message["channel"], message["event"]))

    task = asyncio.ensure_future(listen())
    await asyncio.sleep(0.05)
    try:
        yield got
    finally:
        await asyncio.sleep(0.1)
        task.cancel()


async def test_tenant_moves_the_appointment_to_a_free_slot_and_everyone_hears(
    http: httpx.AsyncClient, w: world.World, clock: Any
) -> None:
    d = await booked(w)
    text, csrf = await form_page(http, d)
    assert "Afspraak verzetten of annuleren" in text
    assert "Dit kan tot dinsdag 24 november om 09:00." in text
    offered = slot_values(text)
    assert offered, text
    # The desk's own search, for the dossier's trade: the same slots, without the current time.
    assert all(not v.split("|")[1].startswith(WEDNESDAY_9.isoformat()[:16]) for v in offered)
    choice = offered[0]
    tech_id = choice.split("|")[0]
    response = await http.post(f"{url(d)}/verzetten", data={"csrf_token": csrf, "slot": choice})
    assert response.status_code == 303
    assert response.headers["location"].endswith("?gedaan=verzet")
    moved = await Dossier.get(id=d.id)
    assert moved.appointment_start == tenant_appointments.parse_choice(choice)[1]
    assert moved.technician_id == int(tech_id)  # type: ignore[attr-defined]
    event = await DossierEvent.filter(dossier_id=d.id, kind="appointment_moved").first()
    assert event is not None and event.actor_name == "systeem"
    assert event.data["reason"] == "Verzet door de huurder via de volgpagina"
    # The tenant gets the usual 'afspraak gewijzigd'.
    changed = await OutboundMessage.filter(dossier_id=d.id, kind="afspraak_gewijzigd")
    assert [m.channel for m in changed] == ["sms"]
    assert "is gewijzigd naar" in changed[0].body
    page = await http.get(response.headers["location"])
    assert "Uw afspraak is verzet." in page.text


async def test_the_desk_and_the_technician_hear_of_a_move_live(
    http: httpx.AsyncClient, w: world.World, clock: Any
) -> None:
    d = await booked(w)
    text, csrf = await form_page(http, d)
    piet = f"technician:{w.technician.id}"
    async with listening("board", f"dossier:{d.order_number}", piet) as channels:
        choice = slot_values(text)[0]
        await http.post(f"{url(d)}/verzetten", data={"csrf_token": csrf, "slot": choice})
    assert ("board", "appointment") in channels
    assert (f"dossier:{d.order_number}", "appointment") in channels
    assert (f"technician:{w.technician.id}", "appointment") in channels


async def test_too_late_or_a_taken_slot_is_refused_with_the_reason_and_nothing_changes(
    http: httpx.AsyncClient, w: world.World, clock: Any
) -> None:
    d = await booked(w)
    text, csrf = await form_page(http, d)
    choice = slot_values(text)[0]
    # Someone else is booked into that very slot before the tenant posts.
    other = await triaged_dossier(w.agent, deadline=MONDAY_10 + timedelta(days=3))
    _, start, end = tenant_appointments.parse_choice(choice)
    tech_id = int(choice.split("|")[0])
    await assignments.book(w.agent, other, tech_id, start, end)
    gone = await http.post(f"{url(d)}/verzetten", data={"csrf_token": csrf, "slot": choice})
    assert gone.status_code == 409
    assert "Dit tijdstip is intussen niet meer vrij. Kies een ander tijdstip." in gone.text
    assert 'name="slot"' in gone.text  # other slots to choose from, on the same page
    assert (await Dossier.get(id=d.id)).appointment_start == WEDNESDAY_9
    # Made up or tampered with.
    for bad in ("", "1|nu|straks", f"{tech_id}|{start.isoformat()}", "x" * 500):
        refused = await http.post(f"{url(d)}/verzetten", data={"csrf_token": csrf, "slot": bad})
        assert refused.status_code in (409, 422), bad
    # Past the client's rule (24 hours before, by default): said why, on the page.
    clock.move_to(WEDNESDAY_9 - timedelta(hours=23))
    late_page, _ = await form_page(http, d)
    assert "Afspraak verzetten of annuleren" not in late_page
    assert "Online verzetten of annuleren kan tot 24 uur voor de afspraak" in late_page
    late = await http.post(f"{url(d)}/annuleren", data={"csrf_token": csrf, "reason": "weg"})
    assert late.status_code == 422 and "tot 24 uur voor de afspraak" in late.text
    fresh = await Dossier.get(id=d.id)
    assert (fresh.phase, fresh.appointment_start) == ("afspraak_ingepland", WEDNESDAY_9)


async def test_the_client_sets_the_rule_on_the_planning_page(
    http: httpx.AsyncClient, w: world.World, clock: Any
) -> None:
    d = await booked(w)
    await login(http, "sanne.supervisie")
    planning = await http.get("/planning")
    assert 'action="/planning/verzetten/WST"' in planning.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', planning.text)
    assert csrf
    for bad in ("-1", "veel", "100000", ""):
        refused = await http.post(
            "/planning/verzetten/WST", data={"csrf_token": csrf.group(1), "hours": bad}
        )
        assert refused.status_code == 422, bad
        assert "geen aantal uren" in refused.text
    saved = await http.post(
        "/planning/verzetten/WST", data={"csrf_token": csrf.group(1), "hours": "48"}
    )
    assert saved.status_code == 303
    client = await Client.get(code="WST")
    assert tenant_appointments.move_hours(client) == 48
    # 48 hours before Wednesday 09:00 was this morning: too late now.
    http.cookies.clear()
    text, _ = await form_page(http, d)
    assert "Online verzetten of annuleren kan tot 48 uur voor de afspraak" in text
    await Client.filter(id=client.id).update(
        settings={**client.settings, tenant_appointments.SETTING: 0}
    )
    text, _ = await form_page(http, d)
    assert "De afspraak verzetten of annuleren kan niet online" in text
    # Another client's supervisor-free user cannot set it.
    http.cookies.clear()
    await login(http, "anna.agent")
    page = await http.get("/dossiers")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    agent = await http.post(
        "/planning/verzetten/WST", data={"csrf_token": token.group(1), "hours": "2"}
    )
    assert agent.status_code == 403


async def test_tenant_cancels_the_appointment(
    http: httpx.AsyncClient, w: world.World, clock: Any
) -> None:
    d = await booked(w)
    _, csrf = await form_page(http, d)
    async with listening("board", f"technician:{w.technician.id}") as channels:
        response = await http.post(
            f"{url(d)}/annuleren", data={"csrf_token": csrf, "reason": "  Lekkage is  gestopt "}
        )
    assert response.status_code == 303
    fresh = await Dossier.get(id=d.id)
    assert (fresh.phase, fresh.appointment_start) == ("doorgezet_naar_monteur", None)
    event = await DossierEvent.filter(dossier_id=d.id, kind="transition").order_by("-id").first()
    assert event is not None
    assert event.data["reason"] == (
        "Geannuleerd door de huurder via de volgpagina: Lekkage is gestopt"
    )
    cancelled = await OutboundMessage.filter(dossier_id=d.id, kind="afspraak_geannuleerd")
    assert cancelled and "gaat niet door" in cancelled[0].body
    assert ("board", "appointment_cancelled") in channels
    assert (f"technician:{w.technician.id}", "appointment_cancelled") in channels
    page = await http.get(response.headers["location"])
    assert "Uw afspraak is geannuleerd." in page.text
    again = await http.post(f"{url(d)}/annuleren", data={"csrf_token": csrf})
    assert again.status_code == 422 and "Er staat geen afspraak gepland." in again.text


async def send_photo(
    http: httpx.AsyncClient, d: Dossier, data: bytes | None, caption: str = ""
) -> httpx.Response:
    """As the page's script sends it: multipart, the CSRF token in its header."""
    return await http.post(
        f"{url(d)}/foto",
        data={"caption": caption},
        files={"photo": ("foto.jpg", data, "image/jpeg")} if data is not None else {},
        headers={"x-csrf-token": http.cookies["meldkamer_csrf"]},
    )


def jpeg(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


async def test_photo_and_remark_afterwards_reach_the_desk_live(
    http: httpx.AsyncClient, w: world.World
) -> None:
    d = await triaged_dossier(w.agent)
    _, csrf = await form_page(http, d)
    async with listening(f"dossier:{d.order_number}") as channels:
        sent = await send_photo(http, d, jpeg(), "Vlek op het plafond")
    assert sent.status_code == 303, sent.text
    [photo] = await Photo.filter(dossier_id=d.id)
    assert photo.client_id.startswith("volg-") and photo.width == 64
    assert photo.caption == "Van de huurder via de volgpagina: Vlek op het plafond"
    remark = await http.post(
        f"{url(d)}/opmerking", data={"csrf_token": csrf, "text": "De bel doet het niet, klop maar."}
    )
    assert remark.status_code == 303
    assert (f"dossier:{d.order_number}", "changed") in channels
    http.cookies.clear()
    await login(http, "anna.agent")
    desk = await http.get(f"/dossiers/{d.order_number}")
    assert "Vlek op het plafond" in desk.text
    assert "De bel doet het niet, klop maar." in desk.text
    # Not a photo, empty, or nothing at all: refused, nothing stored.
    http.cookies.clear()
    _, csrf = await form_page(http, d)
    text = await send_photo(http, d, b"dit is geen foto")
    assert text.status_code in (415, 422) and 'role="alert"' in text.text
    nothing = await send_photo(http, d, None)
    assert nothing.status_code == 400 and "Kies eerst een foto." in nothing.text
    empty = await http.post(f"{url(d)}/opmerking", data={"csrf_token": csrf, "text": "   "})
    assert empty.status_code == 422 and "Schrijf eerst uw opmerking." in empty.text
    assert await Photo.filter(dossier_id=d.id).count() == 1


async def test_photos_per_dossier_are_limited(
    http: httpx.AsyncClient, w: world.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from server.communication import tenant_additions

    monkeypatch.setattr(tenant_additions, "MAX_PHOTOS", 1)
    d = await triaged_dossier(w.agent)
    _, csrf = await form_page(http, d)
    for status in (303, 422):
        sent = await send_photo(http, d, jpeg())
        assert sent.status_code == status
    assert "U hebt al 1 foto&#39;s toegevoegd" in sent.text


async def test_one_dossiers_link_never_acts_on_another(
    http: httpx.AsyncClient, w: world.World, clock: Any
) -> None:
    mine, theirs = await booked(w), await booked(w)
    text, csrf = await form_page(http, mine)
    choice = slot_values(text)[0]
    # A link of another purpose or a tampered one does nothing.
    for path in (url(theirs, links.SURVEY), url(theirs)[:-3] + "abc"):
        for action, data in (
            ("verzetten", {"slot": choice}),
            ("annuleren", {"reason": "x"}),
            ("opmerking", {"text": "x"}),
        ):
            response = await http.post(f"{path}/{action}", data={"csrf_token": csrf, **data})
            assert response.status_code in (404, 410), (path, action)
    await http.post(f"{url(mine)}/annuleren", data={"csrf_token": csrf})
    other = await Dossier.get(id=theirs.id)
    assert (other.phase, other.appointment_start) == ("afspraak_ingepland", WEDNESDAY_9)
    assert not await DossierEvent.filter(dossier_id=theirs.id, kind="opmerking_huurder").exists()
    assert (await Dossier.get(id=mine.id)).phase == "doorgezet_naar_monteur"


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    slot=st.text(max_size=200),
    reason=st.text(max_size=700),
    remark=st.text(max_size=1500),
    caption=st.text(max_size=300),
    blob=st.binary(max_size=2000),
)
async def test_any_input_gets_an_answer_never_a_crash(
    http: httpx.AsyncClient,
    w: world.World,
    slot: str,
    reason: str,
    remark: str,
    caption: str,
    blob: bytes,
) -> None:
    d = await Dossier.filter(client__code="WST").order_by("id").first()
    if d is None:
        d = await triaged_dossier(w.agent)
    _, csrf = await form_page(http, d)
    answers = [
        await http.post(f"{url(d)}/verzetten", data={"csrf_token": csrf, "slot": slot}),
        await http.post(f"{url(d)}/opmerking", data={"csrf_token": csrf, "text": remark}),
        await send_photo(http, d, blob, caption),
        await http.post(f"{url(d)}/annuleren", data={"csrf_token": csrf, "reason": reason}),
    ]
    for answer in answers:
        assert answer.status_code in (303, 400, 409, 413, 415, 422), answer.text[:500]


async def test_an_acute_gas_report_says_what_to_do_whom_to_call_and_what_happens_next(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await protocols.current(w.woonstad)
    await InboundLine.create(client=w.woonstad, kind="telefoon", value="+31307001234")
    await Client.filter(id=w.woonstad.id).update(phone="+31302345678")
    headers = await token_for(http, "anna.agent")
    made = await http.post(
        "/api/v1/dossiers",
        json={
            "client": "WST",
            "address": {"postcode": "3572AB", "house_number": 10},
            "contact": {"name": "Fatima el Amrani", "phone": "0612345678"},
            "channel": "telefoon",
            "category": "",
            "description": "Gaslucht in de keuken",
            "triage": {"subject": "gaslek", "answers": {"waar": "woning"}},
        },
        headers=headers,
    )
    assert made.status_code == 201, made.text
    d = await Dossier.get(order_number=made.json()["order_number"])
    assert d.urgency == "acuut"
    http.cookies.clear()
    page = await http.get(url(d))
    text = re.sub(r"\s+", " ", page.text)
    assert "Wat u nu zelf kunt doen" in text
    assert "Zet geen schakelaars of apparaten aan of uit" in text
    assert "verlaat de woning" in text
    assert "Er komt zo snel mogelijk een monteur naar u toe." in text
    assert "Uiterlijk " in text
    assert 'href="tel:+31307001234"' in text and 'href="tel:+31302345678"' in text
    assert 'href="tel:112"' in text
    english = await http.get(f"{url(d)}?taal=en")
    assert "What you can do now" in english.text
    assert "A technician is coming to you as soon as possible." in english.text
