"""A client's calendar and identity on the admin screen: a closure day set there is honoured
by triage, bad input is refused in Dutch without losing what was typed, the logo and colour
reach the tenant's e-mail and tracking page, and every change is listed."""

from __future__ import annotations

import io
from collections.abc import Callable

import httpx
import pytest
from PIL import Image

from server.domain import brand
from server.messaging.messages import MeldingOntvangen
from server.messaging.templates import render_email
from server.models import ChangeRecord, Client
from tests.admin.support import post_form
from tests.support import world
from tests.support.pages import csrf, login
from tests.support.world import token_for

PAGE = "/beheer/opdrachtgevers/WST"
ASCENSION_MORNING = "2026-05-14T09:00:00+02:00"
PARTIAL_POWER_FAILURE = {
    "bewoonbaarheid": "nee",
    "omvang": "gedeeltelijk",
    "groepenkast": "helpt_niet",
    "cv_uitval": "nee",
    "belemmering": "ja",
}
FORM = {
    "hours_mon": "08:00-17:00",
    "hours_tue": "08:00-17:00",
    "hours_wed": "08:00-17:00",
    "hours_thu": "08:00-17:00",
    "hours_fri": "08:00-17:00",
    "hours_sat": "",
    "hours_sun": "",
    "closure_days": "",
    "heating_start": "01-10",
    "heating_end": "30-04",
    "acuut_norm": "120",
    "oncall_name": "Piket Woonstad",
    "oncall_phone": "0301234567",
    "oncall_email": "piket@example.nl",
    "glass_fund": "ja",
    "colour": "#1d4f91",
}


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _outcome(http: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, str]:
    response = await http.post(
        "/api/v1/triage/evaluate",
        json={
            "client": "WST",
            "subject": "elektra",
            "answers": PARTIAL_POWER_FAILURE,
            "at": ASCENSION_MORNING,
        },
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return response.json()["outcome"]  # type: ignore[no-any-return]


async def test_a_closure_day_set_on_screen_makes_ascension_morning_urgent(
    http: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient], w: world.World
) -> None:
    async with client_factory() as api:
        headers = await token_for(api, "anna.agent")
        before = await _outcome(api, headers)
        assert (before["id"], before["urgency"]) == ("elektra_niet_urgent", "niet_urgent")
        await login(http, "sanne.supervisie")
        saved = await post_form(
            http, PAGE, PAGE, **{**FORM, "closure_days": "15-05-2026 Brugdag na Hemelvaart"}
        )
        assert saved.status_code == 303, saved.text
        after = await _outcome(api, headers)
    assert (after["id"], after["urgency"]) == ("elektra_urgent", "urgent")
    shown = (await http.get(PAGE)).text
    assert "15-05-2026 Brugdag na Hemelvaart" in shown
    assert "Wijzigingen" in shown and "Sanne Supervisie" in shown
    record = await ChangeRecord.get(object_type="client", field="sluitingsdagen")
    assert (record.old, record.new) == ("", "15-05-2026 Brugdag na Hemelvaart")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours_mon", "8 tot 5", "is geen tijdvak als 08:00-17:00"),
        ("hours_tue", "17:00-08:00", "eindigt niet na het begin"),
        ("hours_wed", "08:00-25:00", "Ongeldige tijd"),
        ("closure_days", "31-02-2026 Uitje", "Sluitingsdag op regel 1"),
        ("heating_start", "oktober", "geen dag-maand"),
        ("heating_end", "31-02", "Ongeldige datum"),
        ("acuut_norm", "0", "acuutnorm"),
        ("colour", "blauw", "#RRGGBB"),
    ],
)
async def test_bad_input_is_refused_in_dutch_and_kept_on_screen(
    http: httpx.AsyncClient, w: world.World, field: str, value: str, message: str
) -> None:
    await login(http, "admin")
    refused = await post_form(
        http, PAGE, PAGE, **{**FORM, field: value, "oncall_name": "Nieuwe naam"}
    )
    assert refused.status_code == 422
    assert message in refused.text
    assert 'value="Nieuwe naam"' in refused.text
    client = await Client.get(code="WST")
    assert client.oncall_name == "" and await ChangeRecord.all().count() == 0


def _png(size: tuple[int, int] = (900, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


async def test_logo_and_colour_reach_the_tenant(
    http: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient], w: world.World
) -> None:
    await login(http, "admin")
    token = csrf((await http.get(PAGE)).text)
    uploaded = await http.post(
        f"{PAGE}/logo",
        data={"csrf_token": token},
        files={"logo": ("logo.png", _png(), "image/png")},
    )
    assert uploaded.status_code == 303, uploaded.text
    not_image = await http.post(
        f"{PAGE}/logo",
        data={"csrf_token": token},
        files={"logo": ("logo.png", b"%PDF-1.4 x", "image/png")},
    )
    assert not_image.status_code == 422 and "afbeelding" in not_image.text.lower()
    await post_form(http, PAGE, PAGE, **{**FORM, "colour": "#ffcc00"})
    async with client_factory() as tenant:
        logo = await tenant.get("/merk/WST/logo.png")
        assert logo.status_code == 200 and logo.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(logo.content)).size == (480, 160)
        css = await tenant.get("/merk/WST/huisstijl.css")
        assert css.text == ".brand-band{background:#ffcc00;color:#000000}\n"
        assert (await tenant.get("/merk/LVD/logo.png")).status_code == 404
    client = await Client.get(code="WST")
    message = MeldingOntvangen(
        opdrachtgever=client.name,
        ordernummer="MK-1",
        volgen_url="http://x/volg/1",
        melding="Lekkage.",
        urgentie="urgent",
        vervolg="We komen.",
    )
    html = render_email(
        message, brand=brand.brand(client.settings, client.code, "https://mk.example.nl")
    ).html
    assert "border-bottom:3px solid #ffcc00" in html
    assert 'src="https://mk.example.nl/merk/WST/logo.png"' in html
    assert await ChangeRecord.filter(object_type="client", field="logo", new="nieuw").exists()


async def test_without_a_glass_fund_glass_damage_is_ordinary_repair(
    http: httpx.AsyncClient, client_factory: Callable[[], httpx.AsyncClient], w: world.World
) -> None:
    crack = {
        "client": "WST",
        "subject": "glasschade",
        "answers": {"bewoonbaarheid": "nee", "schade": "scheur"},
    }
    async with client_factory() as api:
        headers = await token_for(api, "anna.agent")
        before = await api.post("/api/v1/triage/evaluate", json=crack, headers=headers)
        assert before.json()["outcome"]["order_type"] == "glasfonds"
        await login(http, "admin")
        form = {k: v for k, v in FORM.items() if k != "glass_fund"}  # the box unticked
        assert (await post_form(http, PAGE, PAGE, **form)).status_code == 303
        after = await api.post("/api/v1/triage/evaluate", json=crack, headers=headers)
    assert after.json()["outcome"]["order_type"] == "reparatieonderhoud"
    record = await ChangeRecord.get(object_type="client", field="glasfonds")
    assert (record.old, record.new) == ("ja", "nee")


async def test_the_admin_creates_a_client_and_sets_its_calendar(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "admin")
    new = "/beheer/opdrachtgevers/nieuw"
    bad = await post_form(http, new, new, code="w s", name="Woonzorg Stichtse Vecht")
    assert bad.status_code == 422 and "2 tot 10 hoofdletters of cijfers" in bad.text
    assert 'value="Woonzorg Stichtse Vecht"' in bad.text
    taken = await post_form(http, new, new, code="wst", name="Nog een Woonstad")
    assert taken.status_code == 409 and "al een opdrachtgever met code WST" in taken.text
    made = await post_form(http, new, new, code="wsv", name="  Woonzorg  Stichtse Vecht ")
    assert (made.status_code, made.headers["location"]) == (
        303,
        "/beheer/opdrachtgevers/WSV?nieuw=1",
    )
    client = await Client.get(code="WSV")
    assert client.name == "Woonzorg Stichtse Vecht"
    shown = await http.get(made.headers["location"])
    assert "Opdrachtgever aangemaakt" in shown.text
    page = "/beheer/opdrachtgevers/WSV"
    saved = await post_form(http, page, page, **{**FORM, "closure_days": "15-05-2026 Brugdag"})
    assert saved.status_code == 303, saved.text
    assert (await ChangeRecord.get(object_id=str(client.id), field="code")).new == "WSV"
    # Supervisie keeps calendars, but a new client is the admin's.
    await login(http, "sanne.supervisie")
    assert (await http.get(new)).status_code == 403
    assert "Nieuwe opdrachtgever" not in (await http.get("/beheer/opdrachtgevers")).text
