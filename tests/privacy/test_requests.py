"""A tenant's access request and erasure (AVG), end to end through the admin's pages: the
file holds everything about them and nothing about anyone else, erasure removes them
everywhere and is recorded, a mistyped confirmation or bad input erases nothing."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from media import storage
from server import settings
from server.models import (
    Contact,
    Dossier,
    DossierEvent,
    EscalationCase,
    EscalationStep,
    OutboundMessage,
    Photo,
    PrivacyRequest,
    Survey,
)
from tests.support import world
from tests.support.channels import Channels, new_dossier, plan
from tests.support.pages import csrf, login

PHONE = "0612345678"
EMAIL = "huurder@example.nl"
OTHER_PHONE = "0687654321"


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _tenant_world(w: world.World) -> tuple[Dossier, Dossier]:
    mine = await new_dossier(w, phone=PHONE, email=EMAIL)
    other = await new_dossier(w, phone=OTHER_PHONE, email="buurman@example.nl")
    await Dossier.filter(id=other.id).update(contact_name="Jan Buurman")
    for dossier in (mine, other):  # the appointment, told to the tenant by SMS and e-mail
        await plan(w, dossier)
    at = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    await Contact.create(
        client=w.woonstad,
        channel="telefoon",
        caller="+31612345678",
        caller_name="Fatima",
        state="afgerond",
        offered_at=at,
        created_at=at,
        note="belde over de cv",
    )
    await Contact.create(
        client=w.woonstad,
        channel="telefoon",
        caller="+31687654321",
        caller_name="Jan",
        state="afgerond",
        offered_at=at,
        created_at=at,
        note="buurman",
    )
    await Survey.create(
        dossier=mine,
        client=w.woonstad,
        friendliness=5,
        expertise=4,
        helpfulness=5,
        solution=4,
        remark="Fatima is tevreden",
        submitted_at=at,
    )
    case = await EscalationCase.create(
        client=w.woonstad,
        dossier=mine,
        role="projectleider",
        party="Monitoring BV",
        complaint="Fatima: de leverancier neemt niet op",
        opened_at=at,
        contact_due_at=at,
    )
    await EscalationStep.create(
        case=case, kind="contact", text="Fatima gebeld op haar 06", by_name="pl", at=at
    )
    return mine, other


def _photo(dossier: Dossier, key: str, n: int) -> Photo:
    storage.write_once(
        settings.MEDIA_ROOT, storage.relative_path(key), b"\xff\xd8jpeg" + key.encode()
    )
    return Photo(
        dossier=dossier,
        key=key,
        client_id=f"photo-{key[:8]}-{n}",
        width=10,
        height=10,
        created_at=datetime(2026, 11, 2, 10, 0, tzinfo=UTC),
    )


async def _admin_form(http: httpx.AsyncClient) -> str:
    await login(http, "admin")
    return csrf((await http.get("/privacy")).text)


async def test_access_request_gives_everything_about_the_tenant_and_nothing_else(
    http: httpx.AsyncClient, w: world.World, channels: Channels
) -> None:
    mine, other = await _tenant_world(w)
    await _photo(mine, "a" * 64, 1).save()
    token = await _admin_form(http)

    found = await http.post("/privacy/zoeken", data={"csrf_token": token, "wie": "06-12 34 56 78"})
    assert found.status_code == 200
    assert mine.order_number in found.text and other.order_number not in found.text
    assert "Dossiers: 1" in found.text and "Contacten: 1" in found.text

    download = await http.post(
        "/privacy/inzage", data={"csrf_token": token, "wie": "+31612345678", "kenmerk": "AVG-7"}
    )
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    assert "attachment" in download.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    document = json.loads(archive.read("gegevens.json"))
    assert [d["ordernummer"] for d in document["dossiers"]] == [mine.order_number]
    assert document["dossiers"][0]["naam"] == "Fatima el Amrani"
    assert document["dossiers"][0]["tijdlijn"], "the dossier's timeline is part of it"
    assert [c["notitie"] for c in document["contacten"]] == ["belde over de cv"]
    assert document["enquetes"][0]["opmerking"] == "Fatima is tevreden"
    [case] = document["escalaties"]
    assert case["klacht"] == "Fatima: de leverancier neemt niet op"
    assert [step["tekst"] for step in case["stappen"]] == ["Fatima gebeld op haar 06"]
    assert any(m["aan"] == "+31612345678" for m in document["berichten"]), document["berichten"]
    assert f"fotos/{mine.order_number}/1.jpg" in archive.namelist()
    whole = archive.read("gegevens.json").decode()
    for foreign in ("Jan Buurman", "buurman", "+31687654321", other.order_number):
        assert foreign not in whole, foreign

    record = await PrivacyRequest.get(kind="inzage")
    assert record.reference == "AVG-7" and record.by_name == "admin"
    assert record.found["dossiers"] == 1
    # The record links requests about the same person without keeping who it is.
    stored = json.dumps([record.subject_key, record.reference, record.note, record.found])
    assert "612345678" not in stored and EMAIL not in stored


async def test_erasure_removes_the_tenant_everywhere_and_is_recorded(
    http: httpx.AsyncClient, w: world.World, channels: Channels
) -> None:
    mine, other = await _tenant_world(w)
    kept, shared = "b" * 64, "c" * 64
    await _photo(mine, kept, 1).save()
    await _photo(mine, shared, 2).save()
    await _photo(other, shared, 3).save()
    token = await _admin_form(http)

    # A mistyped confirmation erases nothing, and says what to type.
    refused = await http.post(
        "/privacy/wissen", data={"csrf_token": token, "wie": PHONE, "bevestig": "wissen?"}
    )
    assert refused.status_code == 422 and "Typ WISSEN" in refused.text
    assert (await Dossier.get(id=mine.id)).contact_phone == "+31612345678"

    done = await http.post(
        "/privacy/wissen",
        data={
            "csrf_token": token,
            "wie": PHONE,
            "bevestig": "WISSEN",
            "kenmerk": "AVG-8",
            "fotos": "ja",
        },
    )
    assert done.status_code == 200 and "Gewist" in done.text

    gone = await Dossier.get(id=mine.id)
    assert (gone.contact_name, gone.contact_phone, gone.contact_email) == ("(verwijderd)", "", "")
    assert gone.category == "cv_storing" and gone.order_number == mine.order_number
    contact = await Contact.get(note="")
    assert (contact.caller, contact.caller_name) == ("", "")
    assert not await OutboundMessage.filter(recipient__in=["+31612345678", EMAIL]).exists()
    assert (await Survey.get(dossier_id=mine.id)).remark == ""
    assert (await Survey.get(dossier_id=mine.id)).friendliness == 5  # the figures keep it
    case = await EscalationCase.get(dossier_id=mine.id)  # kept for the client's figures
    assert (case.complaint, case.party) == ("", "Monitoring BV")
    assert [s.text for s in await EscalationStep.filter(case_id=case.id)] == [""]
    event = await DossierEvent.get(dossier_id=mine.id, kind="anonymised")
    assert event.data["request"] == "wissen" and event.data["reference"] == "AVG-8"
    page = await http.get(f"/dossiers/{mine.order_number}")
    assert "op diens verzoek (kenmerk AVG-8)" in page.text

    # Photos: the tenant's own went; one another dossier shares stays, file and all.
    assert not await Photo.filter(dossier_id=mine.id).exists()
    assert not (Path(settings.MEDIA_ROOT) / storage.relative_path(kept)).exists()
    assert (Path(settings.MEDIA_ROOT) / storage.relative_path(shared)).exists()

    # The neighbour is untouched.
    neighbour = await Dossier.get(id=other.id)
    assert neighbour.contact_phone == "+31687654321" and neighbour.contact_name == "Jan Buurman"
    assert await Contact.filter(caller="+31687654321", note="buurman").exists()
    assert await OutboundMessage.filter(recipient="+31687654321").exists()

    # Searching again finds nothing; erasing again is refused clearly; both are recorded.
    again = await http.post("/privacy/zoeken", data={"csrf_token": token, "wie": PHONE})
    assert "niets (meer) bewaard" in again.text
    twice = await http.post(
        "/privacy/wissen", data={"csrf_token": token, "wie": PHONE, "bevestig": "WISSEN"}
    )
    assert twice.status_code == 422 and "niets te wissen" in twice.text
    record = await PrivacyRequest.get(kind="wissen")
    assert record.reference == "AVG-8" and record.photos_removed and record.found["dossiers"] == 1
    assert "AVG-8" in (await http.get("/privacy")).text


async def test_bad_input_gets_a_clear_dutch_error(http: httpx.AsyncClient, w: world.World) -> None:
    token = await _admin_form(http)
    for wie, expected in (
        ("", "Vul het telefoonnummer of e-mailadres"),
        ("abc", "geen telefoonnummer"),
        ("12", "geen geldig telefoonnummer"),
        ("iemand@", "geen geldig e-mailadres"),
        ("x" * 300, "te lang"),
    ):
        page = await http.post("/privacy/zoeken", data={"csrf_token": token, "wie": wie})
        assert page.status_code == 422 and expected in page.text, wie
    long_ref = await http.post(
        "/privacy/inzage", data={"csrf_token": token, "wie": PHONE, "kenmerk": "k" * 101}
    )
    assert long_ref.status_code == 422 and "kenmerk is te lang" in long_ref.text
    assert not await PrivacyRequest.exists()


@hsettings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    wie=st.text(max_size=300),
    kenmerk=st.text(max_size=150),
    bevestig=st.sampled_from(["", "WISSEN", "wissen", "WISSEN ", "W\u0131SSEN", "\x00"]),
    fotos=st.sampled_from(["", "ja", "nee", "\ud7ff"]),
)
async def test_whatever_is_posted_no_server_error_and_nothing_erased_unconfirmed(
    http: httpx.AsyncClient, w: world.World, wie: str, kenmerk: str, bevestig: str, fotos: str
) -> None:
    if not await Dossier.exists():
        await _tenant_world(w)
    await login(http, "admin")
    token = csrf((await http.get("/privacy")).text)
    for path in ("/privacy/zoeken", "/privacy/inzage", "/privacy/wissen"):
        response = await http.post(
            path,
            data={
                "csrf_token": token,
                "wie": wie,
                "kenmerk": kenmerk,
                "bevestig": bevestig,
                "fotos": fotos,
            },
        )
        assert response.status_code < 500, (path, response.status_code)
    if bevestig.strip() != "WISSEN":
        assert await Dossier.filter(contact_name="(verwijderd)").count() == 0
