"""Escalation cases (seed 003) end to end: a complaint about a referred party becomes a case,
the client's projectleider is told at once (e-mail and SMS, local stand-ins), works the case
in the portal step by step under the seed's rules, and the figures count it; another client
never sees it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from server.communication import communication
from server.escalations import cases
from server.models import ClientNotification, Dossier, EscalationCase, OutboundMessage
from tests.support import world
from tests.support.channels import Channels
from tests.support.pages import csrf, login
from tests.support.world import dossier_body, token_for

COMPLAINT = {"subject": "monitoring", "answers": {"bewoonbaarheid": "nee", "soort": "afhandeling"}}


@pytest.fixture
async def w(db_clean: None) -> world.World:
    w = await world.build()
    w.woonstad.settings = {
        **(w.woonstad.settings or {}),
        cases.CONTACT_SETTING: {
            "name": "Petra Projectleider",
            "phone": "+31611122233",
            "email": "projectleider@woonstad.example.nl",
        },
    }
    await w.woonstad.save()
    return w


async def _escalated(http: httpx.AsyncClient) -> tuple[str, EscalationCase]:
    headers = await token_for(http, "anna.agent")
    http.cookies.clear()
    body = dossier_body(
        category="", description="Leverancier doet niets met mijn klacht.", triage=COMPLAINT
    )
    response = await http.post("/api/v1/dossiers", json=body, headers=headers)
    assert response.status_code == 201, response.text
    number = response.json()["order_number"]
    case = await EscalationCase.get(dossier__order_number=number)
    return number, case


async def _step(http: httpx.AsyncClient, case_id: int, **data: str) -> httpx.Response:
    page = await http.get(f"/escalaties/{case_id}")
    token = csrf(page.text)
    version = re.search(r'name="version" value="(\d+)"', page.text)
    form = {"csrf_token": token, "version": version.group(1) if version else "", **data}
    return await http.post(f"/escalaties/{case_id}/stap", data=form)


async def test_a_complaint_about_a_referred_party_becomes_a_case_the_role_hears_of_at_once(
    http: httpx.AsyncClient, w: world.World, channels: Channels
) -> None:
    before = datetime.now(UTC)
    number, case = await _escalated(http)
    assert case.role == "projectleider" and case.state == "open"
    assert (
        timedelta(hours=23, minutes=59)
        < case.contact_due_at - before
        <= timedelta(hours=24, minutes=1)
    )
    assert "klacht" in case.complaint.lower()
    note = await ClientNotification.get(kind="escalatie")
    assert note.to_name == "Petra Projectleider"
    sent = await OutboundMessage.filter(notification_id=note.id).order_by("channel")
    assert {m.channel for m in sent} == {"email", "sms"}
    assert {m.recipient for m in sent} == {"projectleider@woonstad.example.nl", "+31611122233"}
    sms = next(m for m in sent if m.channel == "sms")
    assert f"ESCALATIE {number}" in sms.body and f"/escalaties/{case.id}" in sms.body
    # Triage corrected to the same outcome: still one case, no second message.
    agent = await token_for(http, "anna.agent")
    again = await http.post(f"/api/v1/dossiers/{number}/triage", json=COMPLAINT, headers=agent)
    assert again.status_code == 200, again.text
    await communication.send_client_notifications(dossier=await Dossier.get(order_number=number))
    assert await EscalationCase.filter(dossier__order_number=number).count() == 1
    assert await ClientNotification.filter(kind="escalatie").count() == 1


async def test_the_projectleider_works_the_case_in_the_seeds_order(
    http: httpx.AsyncClient, w: world.World
) -> None:
    number, case = await _escalated(http)
    await login(http, "wim.woonstad")
    listing = await http.get("/escalaties")
    assert (
        listing.status_code == 200 and number in listing.text and "Nog geen contact" in listing.text
    )

    early = await _step(http, case.id, kind="resultaat", text="Opgelost")
    assert early.status_code == 422 and "Neem eerst contact op met de huurder" in early.text
    contacted = await _step(http, case.id, kind="contact", text="Huurder gebeld")
    assert contacted.status_code == 303
    empty = await _step(http, case.id, kind="onderzoek", text="  ")
    assert empty.status_code == 422 and "Schrijf op wat" in empty.text
    assert (
        await _step(http, case.id, kind="input_gevraagd", text="Logdata opgevraagd")
    ).status_code == 303
    assert (
        await _step(http, case.id, kind="input_ontvangen", text="Sensor defect")
    ).status_code == 303
    no_result = await _step(http, case.id, kind="sluiten", closing="herstel_gereed")
    assert no_result.status_code == 422 and "Bespreek eerst het resultaat" in no_result.text
    assert (
        await _step(http, case.id, kind="resultaat", text="Sensor wordt vervangen")
    ).status_code == 303
    no_reason = await _step(http, case.id, kind="sluiten")
    assert no_reason.status_code == 422 and "Kies waarom" in no_reason.text
    closed = await _step(http, case.id, kind="sluiten", closing="herstel_gereed")
    assert closed.status_code == 303

    done = await EscalationCase.get(id=case.id)
    assert done.state == "gesloten" and done.result == "Sensor wordt vervangen"
    assert done.contacted_at is not None and cases.contacted_in_time(done)
    page = await http.get(f"/escalaties/{case.id}")
    for text in (
        "Contact opgenomen met de huurder: Huurder gebeld",
        "Input gevraagd bij de partij",
        "herstelwerkzaamheden gereed",
        "op tijd",
        "Wim Woonstad",
    ):
        assert text in page.text, text
    assert 'name="kind"' not in page.text  # nothing more to record
    late = await http.post(
        f"/escalaties/{case.id}/stap",
        data={"csrf_token": csrf(page.text), "kind": "onderzoek", "text": "x"},
    )
    assert late.status_code == 409 and "gesloten" in late.text
    figures = await http.get("/escalaties")
    assert "100%" in figures.text.replace("\u00a0", "").replace(" ", "")


async def test_overdue_cases_are_red_and_counted(http: httpx.AsyncClient, w: world.World) -> None:
    number, case = await _escalated(http)
    past = datetime.now(UTC) - timedelta(hours=30)
    await EscalationCase.filter(id=case.id).update(
        opened_at=past, contact_due_at=past + timedelta(hours=24)
    )
    await login(http, "anna.agent")
    board = await http.get("/meldkamer")
    assert "Escalaties zonder contact" in board.text
    assert f"{number}</a> (WST): contact uiterlijk" in board.text and ", te laat" in board.text
    http.cookies.clear()
    await login(http, "wim.woonstad")
    listing = await http.get("/escalaties")
    assert 'class="overdue"' in listing.text and "te laat" in listing.text
    assert "Nu te laat voor contact</dt><dd>1" in listing.text
    # Contact made now is late, and counts as such.
    assert (await _step(http, case.id, kind="contact", text="Eindelijk gebeld")).status_code == 303
    assert cases.contacted_in_time(await EscalationCase.get(id=case.id)) is False
    assert "te laat" in (await http.get(f"/escalaties/{case.id}")).text


async def test_another_client_never_sees_the_case_and_the_desk_only_reads(
    http: httpx.AsyncClient, w: world.World
) -> None:
    number, case = await _escalated(http)
    await login(http, "lisa.lichtveld")
    assert (await http.get(f"/escalaties/{case.id}")).status_code == 404
    assert number not in (await http.get("/escalaties")).text
    token = csrf((await http.get("/escalaties")).text)
    post = await http.post(
        f"/escalaties/{case.id}/stap", data={"csrf_token": token, "kind": "contact"}
    )
    assert post.status_code == 404
    for nonsense in ("0", "99999999", "1e3", "-1", "9" * 20):
        assert (await http.get(f"/escalaties/{nonsense}")).status_code == 404
    http.cookies.clear()
    await login(http, "anna.agent")
    assert number in (await http.get(f"/escalaties/{case.id}")).text
    token = csrf((await http.get("/escalaties")).text)
    refused = await http.post(
        f"/escalaties/{case.id}/stap", data={"csrf_token": token, "kind": "contact"}
    )
    assert refused.status_code == 403
    assert (await EscalationCase.get(id=case.id)).contacted_at is None


async def test_a_stale_form_is_refused_without_losing_the_other_step(
    http: httpx.AsyncClient, w: world.World
) -> None:
    _, case = await _escalated(http)
    await login(http, "wim.woonstad")
    page = await http.get(f"/escalaties/{case.id}")
    token = csrf(page.text)
    first = await http.post(
        f"/escalaties/{case.id}/stap",
        data={"csrf_token": token, "version": "1", "kind": "contact", "text": "Ik belde"},
    )
    assert first.status_code == 303
    second = await http.post(
        f"/escalaties/{case.id}/stap",
        data={"csrf_token": token, "version": "1", "kind": "contact", "text": "Ik ook"},
    )
    assert second.status_code == 409 and "intussen bijgewerkt" in second.text
    assert "Ik ook" in second.text  # what was typed is still in the form
    assert "Ik belde" in second.text


@hsettings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.one_of(st.sampled_from(list(cases.RECORDABLE)), st.text(max_size=30)),
    text=st.text(max_size=6000),
    closing=st.one_of(st.sampled_from(["", *cases.CLOSINGS]), st.text(max_size=40)),
    version=st.one_of(st.just(""), st.text(max_size=12), st.integers().map(str)),
)
async def test_whatever_is_posted_no_server_error(
    http: httpx.AsyncClient, w: world.World, kind: str, text: str, closing: str, version: str
) -> None:
    case = await EscalationCase.first()
    if case is None:
        _, case = await _escalated(http)
        await login(http, "wim.woonstad")
    token = csrf((await http.get("/escalaties")).text)
    response = await http.post(
        f"/escalaties/{case.id}/stap",
        data={
            "csrf_token": token,
            "kind": kind,
            "text": text,
            "closing": closing,
            "version": version,
        },
    )
    assert response.status_code in (303, 409, 422), response.status_code


async def test_supervisors_set_whom_escalations_go_to(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await login(http, "sanne.supervisie")
    page = await http.get("/contactinstellingen/WST")
    assert "Petra Projectleider | 06 11122233 | projectleider@woonstad.example.nl" in page.text
    form = {
        "csrf_token": csrf(page.text),
        "greeting": "{dagdeel}, {opdrachtgever}.",
        "result_codes": "opdracht | Leidt tot opdracht | dossier",
    }
    for wrong, expected in (
        ("Petra | 12 | x", "geen geldig telefoonnummer"),
        ("| 0611122233", "Vul de naam"),
        ("Petra", "Vul een telefoonnummer of e-mailadres"),
        ("a | b | c | d", "naam | telefoon | e-mail"),
    ):
        refused = await http.post(
            "/contactinstellingen/WST", data={**form, "escalation_contact": wrong}
        )
        assert refused.status_code == 422 and expected in refused.text, wrong
    saved = await http.post(
        "/contactinstellingen/WST",
        data={**form, "escalation_contact": "Karin Kok |  | K.Kok@Woonstad.example.nl"},
    )
    assert saved.status_code == 303
    await w.woonstad.refresh_from_db()
    assert cases.role_contact(w.woonstad) == {
        "name": "Karin Kok",
        "phone": w.woonstad.phone or "",
        "email": "k.kok@woonstad.example.nl",
    }
