"""A client's own message texts: checked before saving, used in the next message, and never
editable by another client's user."""

from __future__ import annotations

import re

import httpx
import pytest

from server.models import Client, OutboundMessage
from tests.support import world
from tests.support.channels import new_dossier, plan
from tests.support.pages import login as _login


@pytest.fixture
async def w(db_clean: None) -> world.World:
    return await world.build()


async def _csrf(http: httpx.AsyncClient, url: str) -> str:
    page = await http.get(url)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


URL = "/sjablonen/WST/afspraak_ingepland/sms.txt"


async def test_supervisor_edits_a_text_and_the_next_message_uses_it(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await _login(http, "sanne.supervisie")
    chooser = await http.get("/sjablonen")
    assert "Woonstad Utrecht" in chooser.text and "Lichtveld Wonen" in chooser.text
    overview = await http.get("/sjablonen/WST")
    assert overview.status_code == 200 and "Afspraak ingepland" in overview.text
    csrf = await _csrf(http, URL)
    typo = await http.post(URL, data={"csrf_token": csrf, "text": "Hallo {{ order_nummer }}"})
    assert typo.status_code == 422
    assert "Onbekende variabele in sjabloon: order_nummer." in typo.text
    await w.woonstad.refresh_from_db()
    assert "message_templates" not in w.woonstad.settings

    text = "{{ opdrachtgever }}: monteur komt {{ van|moment }}. Volg: {{ volgen_url }}"
    saved = await http.post(URL, data={"csrf_token": csrf, "text": text})
    assert saved.status_code == 303
    client = await Client.get(code="WST")
    assert client.settings["message_templates"] == {"afspraak_ingepland/sms.txt": text}
    d = await plan(w, await new_dossier(w, email=""))
    row = await OutboundMessage.get(dossier_id=d.id)
    assert row.body.startswith("Woonstad Utrecht: monteur komt ")

    reset = await http.post(URL, data={"csrf_token": csrf, "herstel": "1"})
    assert reset.status_code == 303
    assert (await Client.get(code="WST")).settings["message_templates"] == {}


async def test_client_user_edits_only_his_own_clients_texts(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await _login(http, "wim.woonstad")
    chooser = await http.get("/sjablonen")
    assert (chooser.status_code, chooser.headers["location"]) == (303, "/sjablonen/WST")
    assert (await http.get("/sjablonen/WST")).status_code == 200
    csrf = await _csrf(http, URL)
    other = "/sjablonen/LVD/afspraak_ingepland/sms.txt"
    assert (await http.get("/sjablonen/LVD")).status_code == 404
    assert (await http.get(other)).status_code == 404
    refused = await http.post(other, data={"csrf_token": csrf, "text": "Gekaapt"})
    assert refused.status_code == 404
    assert "message_templates" not in (await Client.get(code="LVD")).settings
    await _login(http, "anna.agent")
    assert (await http.get("/sjablonen/WST")).status_code == 403
    assert (await http.get("/sjablonen/WST/bestaat/niet.txt")).status_code == 403


async def test_texts_read_with_fields_not_template_syntax(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await _login(http, "wim.woonstad")
    overview = await http.get("/sjablonen/WST")
    # What each message is for, when it goes and by which channel; files by their Dutch name.
    assert "Gaat naar de huurder zodra de meldkamer een afspraak met een monteur" in overview.text
    assert "Per sms (naar een mobiel nummer), per e-mail" in overview.text
    assert f'<a href="{URL}">Sms</a>' in overview.text
    assert "sms.txt</a>" not in overview.text

    page = await http.get(URL)
    text = re.search(r"<textarea [^>]*>([^<]*)</textarea>", page.text, re.S)
    assert text is not None
    assert text.group(1).startswith("[naam opdrachtgever]: er is een afspraak voor uw melding")
    assert "{{" not in text.group(1)
    assert 'data-insert="[naam huurder]"' in page.text
    # The preview speaks in the client's own name.
    assert "Woonstad Utrecht: er is een afspraak voor uw melding DL-2025-000123" in page.text


async def test_a_text_with_fields_is_saved_as_its_template(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await _login(http, "wim.woonstad")
    csrf = await _csrf(http, URL)
    typed = "Beste [naam huurder], de monteur komt [begin afspraak (dag en tijd)]. [volglink]"
    preview = await http.post(
        URL, data={"csrf_token": csrf, "vorm": "invulvelden", "text": typed, "voorbeeld": "1"}
    )
    assert preview.status_code == 200
    assert "Beste mevrouw Jansen, de monteur komt dinsdag 4 maart om 08:00." in preview.text
    assert "nog niet opgeslagen" in preview.text
    assert "message_templates" not in (await Client.get(code="WST")).settings

    saved = await http.post(URL, data={"csrf_token": csrf, "vorm": "invulvelden", "text": typed})
    assert saved.status_code == 303
    assert (await Client.get(code="WST")).settings["message_templates"] == {
        "afspraak_ingepland/sms.txt": "Beste {{ naam }}, de monteur komt {{ van|moment }}. "
        "{{ volgen_url }}"
    }

    unknown = await http.post(
        URL, data={"csrf_token": csrf, "vorm": "invulvelden", "text": "Hallo [naam buurman]"}
    )
    assert unknown.status_code == 422
    assert "Onbekend invulveld [naam buurman]." in unknown.text
    assert "Hallo [naam buurman]</textarea>" in unknown.text  # what he typed stays


async def test_the_html_mail_is_edited_as_a_template_out_of_sight(
    http: httpx.AsyncClient, w: world.World
) -> None:
    await _login(http, "wim.woonstad")
    page = await http.get("/sjablonen/WST/afspraak_ingepland/email.html")
    assert "<summary>Sjabloon bewerken</summary>" in page.text
    preview = '<pre class="preview" data-preview>Onderwerp: Afspraak dinsdag 4 maart tussen 08:00'
    assert preview in page.text
