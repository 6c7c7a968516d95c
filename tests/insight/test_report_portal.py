"""The reports on screen: a client's users list and download their own reports and never
another's; the meldkamer's admins and supervisors see every client's, set who receives them
and send one again. Every input is answered in Dutch, and a refused save changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.models import ChangeRecord, Client, ClientReport, OutboundMessage
from tests.support import world
from tests.support.pages import csrf, login

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
async def w(db_clean: None) -> world.World:
    built = await world.build()
    for client, first in ((built.woonstad, 1), (built.woonstad, 8), (built.lichtveld, 1)):
        await ClientReport.create(
            client=client, kind="week", first_day=date(2026, 6, first),
            last_day=date(2026, 6, first + 6), built_at=datetime(2026, 6, 15, 6, tzinfo=UTC),
            pdf=f"%PDF {client.code} {first}".encode(), xlsx=b"PK werkboek", status="verstuurd",
        )  # fmt: skip
    return built


async def ids(code: str) -> list[int]:
    return [r.id for r in await ClientReport.filter(client__code=code).order_by("first_day")]


async def test_a_client_sees_and_downloads_only_its_own_reports(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "wim.woonstad")
    page = await http.get("/portaal/rapportages?klant=LVD")  # ignored: its own client
    assert page.status_code == 200
    assert "Rapportages Woonstad Utrecht" in page.text
    assert "Weekrapportage week 23 2026 (01-06-2026 t/m 07-06-2026)" in page.text
    assert "Weekrapportage week 24 2026" in page.text
    assert page.text.count('.pdf"') == 2
    first, _ = await ids("WST")
    pdf = await http.get(f"/portaal/rapportages/{first}.pdf")
    assert pdf.status_code == 200 and pdf.content == b"%PDF WST 1"
    assert pdf.headers["content-type"] == "application/pdf"
    assert 'filename="weekrapportage-WST-2026-W23.pdf"' in pdf.headers["content-disposition"]
    xlsx = await http.get(f"/portaal/rapportages/{first}.xlsx")
    assert xlsx.status_code == 200 and xlsx.content == b"PK werkboek"
    (other,) = await ids("LVD")
    for path in (f"/portaal/rapportages/{other}.pdf", f"/portaal/rapportages/{other}.xlsx"):
        refused = await http.get(path)
        assert refused.status_code == 404 and b"%PDF LVD" not in refused.content
    for nonsense in ("0", "99999", "abc", "1e3", "٣"):
        assert (await http.get(f"/portaal/rapportages/{nonsense}.pdf")).status_code == 404
    # The portal links to them.
    assert "/portaal/rapportages" in (await http.get("/portaal")).text


async def test_the_meldkamer_opens_any_clients_reports(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "sanne.supervisie")
    page = await http.get("/portaal/rapportages?klant=LVD")
    assert "Rapportages Lichtveld Wonen" in page.text and page.text.count('.pdf"') == 1
    (other,) = await ids("LVD")
    assert (await http.get(f"/portaal/rapportages/{other}.pdf")).content == b"%PDF LVD 1"
    assert (await http.get("/portaal/rapportages")).status_code == 404  # which client?


async def test_an_agent_has_no_reports(http: httpx.AsyncClient, w: world.World) -> None:
    await login(http, "anna.agent")
    assert (await http.get("/portaal/rapportages?klant=WST")).status_code == 403


async def test_settings_are_checked_recorded_and_used(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "admin")
    token = csrf((await http.get("/beheer/opdrachtgevers/WST")).text)
    url = "/beheer/opdrachtgevers/WST/rapportages"
    typed = "rapportage@woonstad.example.nl, niet-goed@"
    refused = await http.post(
        url, data={"report_weekly": "ja", "report_recipients": typed, "csrf_token": token}
    )
    assert refused.status_code == 422
    assert "Ontvanger &#39;niet-goed@&#39; is geen geldig e-mailadres." in refused.text
    assert typed in refused.text  # what was typed is still there
    assert (await Client.get(code="WST")).settings.get("report_weekly") is None
    saved = await http.post(
        url,
        data={
            "report_weekly": "ja",
            "report_recipients": "rapportage@woonstad.example.nl; directie@woonstad.example.nl",
            "csrf_token": token,
        },
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("#rapportages")
    client = await Client.get(code="WST")
    assert client.settings["report_weekly"] is True
    assert client.settings["report_monthly"] is False
    assert client.settings["report_recipients"] == [
        "rapportage@woonstad.example.nl",
        "directie@woonstad.example.nl",
    ]
    record = await ChangeRecord.get(
        object_type="client", object_id=str(client.id), field="weekrapportage"
    )
    assert (record.old, record.new) == ("nee", "ja")
    screen = (await http.get("/beheer/opdrachtgevers/WST")).text
    assert "rapportage@woonstad.example.nl, directie@woonstad.example.nl" in screen
    assert "Weekrapportage week 24 2026" in screen and "Nu opnieuw versturen" in screen
    # 'Nu opnieuw versturen': a new attempt to today's recipients, through the outbox.
    first, _ = await ids("WST")
    again = await http.post(f"{url}/{first}/opnieuw", data={"csrf_token": token})
    assert again.status_code == 303
    report = await ClientReport.get(id=first)
    assert (report.attempts, report.sent_to) == (1, client.settings["report_recipients"])
    assert await OutboundMessage.filter(kind="rapportage").count() == 2
    # The screen says what became of each e-mail (no mail server here: not sent, and why).
    screen = (await http.get("/beheer/opdrachtgevers/WST")).text
    assert "rapportage@woonstad.example.nl: niet verzonden (" in screen
    assert "directie@woonstad.example.nl: niet verzonden (" in screen
    # Another client's report is not this client's to send.
    (other,) = await ids("LVD")
    assert (
        await http.post(f"{url}/{other}/opnieuw", data={"csrf_token": token})
    ).status_code == 404


async def test_building_for_a_period_refuses_nonsense_in_dutch(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "admin")
    token = csrf((await http.get("/beheer/opdrachtgevers/WST")).text)
    url = "/beheer/opdrachtgevers/WST/rapportages/maken"
    for form, message in (
        ({"kind": "jaar", "period": "2026"}, "Kies week of maand."),
        ({"kind": "week", "period": "2026-W60"}, "is geen week als 2026-W23."),
        ({"kind": "maand", "period": "november"}, "is geen maand als 2026-11."),
        ({"kind": "week", "period": "2999-W01"}, "Die periode is nog niet begonnen."),
    ):
        response = await http.post(url, data={**form, "csrf_token": token})
        assert response.status_code == 422 and message in response.text, form
    assert await ClientReport.filter(client__code="WST").count() == 2


@FUZZ
@given(
    recipients=st.text(max_size=120) | st.lists(st.emails(), max_size=12).map(", ".join),
    weekly=st.sampled_from(["ja", "nee", "", "\x00"]),
)
async def test_the_settings_form_takes_anything(
    http: httpx.AsyncClient, w: world.World, recipients: str, weekly: str
) -> None:
    if "meldkamer_session" not in http.cookies:
        await login(http, "admin")
    token = csrf((await http.get("/beheer")).text)
    before = (await Client.get(code="WST")).settings
    records = await ChangeRecord.all().count()
    response = await http.post(
        "/beheer/opdrachtgevers/WST/rapportages",
        data={"report_weekly": weekly, "report_recipients": recipients, "csrf_token": token},
    )
    assert response.status_code in (303, 422), response.text[-400:]
    if response.status_code == 422:
        assert 'role="alert"' in response.text
        assert (await Client.get(code="WST")).settings == before
        assert await ChangeRecord.all().count() == records
