"""E-mail at the desk: replies go out threaded and the tenant's answer comes back to the same
dossier; a client's user sees only its own mail; the mailbox password never comes back."""

from __future__ import annotations

import asyncio
from email import message_from_bytes
from email.policy import default

import httpx
import pytest

from server.contacts import mail_in
from server.dossiers import dossiers
from server.models import Client, Contact, ContactDossier, DossierEvent, InboundLine
from tests.contacts.dovecot import PASSWORD, Dovecot
from tests.contacts.mail_support import at, give_mailbox, mail
from tests.support import channels, world
from tests.support.pages import csrf, login
from tests.support.world import token_for


async def _sent(inbox: channels.Inbox, count: int) -> list[bytes]:
    for _ in range(200):
        if len(inbox.envelopes) >= count:
            break
        await asyncio.sleep(0.02)
    return [bytes(e.content) for e in inbox.envelopes]  # type: ignore[arg-type]


async def test_a_reply_is_threaded_and_the_answer_joins_the_dossier(
    http: httpx.AsyncClient,
    w: world.World,
    dovecot: Dovecot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dossier = await dossiers.create(w.agent, world.intake())
    address = await give_mailbox(w.woonstad, dovecot)
    dovecot.deliver(
        address,
        mail(f"Lekkage {dossier.order_number}", message_id="<eerste@example.nl>"),
        at(0),
    )
    await mail_in.poll(w.woonstad)
    contact = await Contact.get(channel="email")
    headers = await token_for(http, "anna.agent")

    async with channels.running(monkeypatch) as ch:
        answer = await http.post(
            f"/api/v1/contacts/{contact.id}/reply",
            json={"text": "We sturen morgen een monteur."},
            headers=headers,
        )
        assert answer.status_code == 201, answer.text
        (raw,) = await _sent(ch.inbox, 1)

    sent = message_from_bytes(raw, policy=default)
    assert sent["To"] == "Fatima el Amrani <fatima@example.nl>"
    assert sent["Subject"] == f"Re: Lekkage {dossier.order_number}"
    assert sent["In-Reply-To"] == "<eerste@example.nl>"
    assert sent["References"] == "<eerste@example.nl>"
    assert sent["Reply-To"].addresses[0].addr_spec == address  # answers reach the mailbox
    assert sent["Auto-Submitted"] is None  # written by a person
    assert "We sturen morgen een monteur." in sent.get_content()
    kinds = await DossierEvent.filter(dossier_id=dossier.id).values_list("kind", flat=True)
    assert {"email", "email_antwoord", "bericht"} <= set(kinds)

    # The tenant answers from a program that drops the order number from the subject.
    dovecot.deliver(
        address,
        mail("Re: Lekkage", text="Prima, ik ben thuis.", in_reply_to=str(sent["Message-ID"])),
        at(5),
    )
    await mail_in.poll(w.woonstad)

    second = await Contact.get(channel="email", subject="Re: Lekkage")
    link = await ContactDossier.get(contact_id=second.id)
    assert link.dossier_id == dossier.id
    await login(http, "anna.agent")
    page = (await http.get(f"/dossiers/{dossier.order_number}")).text
    assert "Prima, ik ben thuis." in page and "We sturen morgen een monteur." in page


async def test_a_reply_from_the_dossier_page_answers_its_latest_mail(
    http: httpx.AsyncClient, w: world.World, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dossier = await dossiers.create(w.agent, world.intake())
    address = await give_mailbox(w.woonstad, dovecot)
    dovecot.deliver(address, mail(f"Vraag {dossier.order_number}", message_id="<a@x.nl>"), at(0))
    dovecot.deliver(address, mail(f"Nog een {dossier.order_number}", message_id="<b@x.nl>"), at(1))
    await mail_in.poll(w.woonstad)
    await login(http, "anna.agent")
    page = await http.get(f"/dossiers/{dossier.order_number}")
    assert "Antwoord aan fatima@example.nl" in page.text

    async with channels.running(monkeypatch) as ch:
        response = await http.post(
            f"/dossiers/{dossier.order_number}/antwoord",
            data={"csrf_token": csrf(page.text), "text": "Dank u, we bellen u."},
        )
        assert response.status_code == 303
        (raw,) = await _sent(ch.inbox, 1)
    assert message_from_bytes(raw, policy=default)["In-Reply-To"] == "<b@x.nl>"

    empty = await http.post(
        f"/dossiers/{dossier.order_number}/antwoord",
        data={"csrf_token": csrf(page.text), "text": "  "},
    )
    assert empty.status_code == 422 and "Schrijf het antwoord." in empty.text


async def test_a_client_user_never_sees_another_clients_mail(
    http: httpx.AsyncClient, w: world.World, dovecot: Dovecot
) -> None:
    address = await give_mailbox(w.woonstad, dovecot)
    dovecot.deliver(address, mail("Geheime lekkage", text="Alleen voor Woonstad"), at(0))
    await mail_in.poll(w.woonstad)
    contact = await Contact.get(channel="email")

    other = await token_for(http, "lisa.lichtveld")
    listing = (await http.get("/api/v1/contacts", headers=other)).json()
    assert listing["total"] == 0
    one = await http.get(f"/api/v1/contacts/{contact.id}", headers=other)
    assert one.status_code == 404
    own = await token_for(http, "wim.woonstad")
    shown = (await http.get(f"/api/v1/contacts/{contact.id}", headers=own)).json()
    assert shown["mails"][0]["text"] == "Alleen voor Woonstad"
    refused = await http.post(
        f"/api/v1/contacts/{contact.id}/reply", json={"text": "hallo"}, headers=own
    )
    assert refused.status_code == 403
    await login(http, "lisa.lichtveld")
    page = await http.get(f"/contacten/{contact.id}")
    assert page.status_code == 404 and "Alleen voor Woonstad" not in page.text
    assert "Geheime lekkage" not in (await http.get("/contacten")).text
    await http.post("/logout", data={"csrf_token": csrf(page.text)})
    await login(http, "wim.woonstad")
    theirs = await http.get(f"/contacten/{contact.id}")
    assert "Alleen voor Woonstad" in theirs.text and "Antwoord versturen" not in theirs.text


async def test_the_mailbox_password_is_kept_encrypted_and_never_shown(
    http: httpx.AsyncClient, w: world.World, dovecot: Dovecot
) -> None:
    headers = await token_for(http, "sanne.supervisie")
    read = (await http.get("/api/v1/clients/WST/contact-setup", headers=headers)).json()
    assert read["mailbox"] is None
    setup = {k: read[k] for k in ("greeting", "inbound", "result_codes")} | {"transfers": []}
    box = {
        "address": "Storingen@Woonstad.example",
        "host": "127.0.0.1",
        "port": dovecot.port,
        "tls": "geen",
        "username": "box-0500@mail.test",
        "password": PASSWORD,
    }
    saved = await http.put(
        "/api/v1/clients/WST/contact-setup", json={**setup, "mailbox": box}, headers=headers
    )
    assert saved.status_code == 200, saved.text
    assert PASSWORD not in saved.text
    assert saved.json()["mailbox"]["password_set"] is True
    client = await Client.get(code="WST")
    assert PASSWORD not in str(client.settings)  # encrypted under SECRET_KEY
    line = await InboundLine.get(value="storingen@woonstad.example")
    assert (line.client_id, line.kind) == (client.id, "email")

    # Put again without the password (as read back): it stays; without the mailbox: the same.
    again = await http.put(
        "/api/v1/clients/WST/contact-setup",
        json={**setup, "mailbox": {**box, "password": ""}},
        headers=headers,
    )
    assert again.status_code == 200 and again.json()["mailbox"]["password_set"] is True
    left_out = await http.put("/api/v1/clients/WST/contact-setup", json=setup, headers=headers)
    assert left_out.json()["mailbox"]["password_set"] is True
    moved = await http.put(
        "/api/v1/clients/WST/contact-setup",
        json={**setup, "mailbox": {**box, "password": "", "host": "imap.elders.example"}},
        headers=headers,
    )
    assert moved.status_code == 422
    assert moved.json()["error"] == {
        "message": "Server of gebruiker is gewijzigd: vul het wachtwoord opnieuw in.",
        "field": "mailbox.password",
    }

    await login(http, "sanne.supervisie")
    page = await http.get("/contactinstellingen/WST")
    assert PASSWORD not in page.text and "ingesteld; leeg laten om te houden" in page.text
    result = await mail_in.poll(await Client.get(code="WST"))
    assert result.error == ""  # the stored (decrypted) password logs in
    removed = await http.put(
        "/api/v1/clients/WST/contact-setup", json={**setup, "mailbox": None}, headers=headers
    )
    assert removed.json()["mailbox"] is None


BOX = {"address": "storingen@woonstad.example", "host": "imap.woonstad.example", "password": "x"}


@pytest.mark.parametrize(
    ("change", "status", "field", "message"),
    [
        ({"address": "geen adres"}, 422, "mailbox.address", "is geen geldig e-mailadres"),
        ({"host": "imap woonstad/\u00b2"}, 422, "mailbox.host", "geen geldige naam"),
        ({"tls": "tls1.0"}, 422, "mailbox.tls", ""),
        ({"port": 70000}, 422, "mailbox.port", ""),
        ({"port": "²"}, 422, "mailbox.port", ""),
        ({"password": "a\x01b"}, 422, "mailbox.password", "stuurteken"),
        ({"password": ""}, 422, "mailbox.password", "Vul het wachtwoord"),
        ({"folder": "IN\nBOX"}, 422, "mailbox.folder", ""),
        ({"username": "u" * 300}, 422, "mailbox.username", ""),
    ],
)
async def test_bad_mailbox_settings_are_refused_naming_the_field(
    http: httpx.AsyncClient,
    w: world.World,
    change: dict[str, object],
    status: int,
    field: str,
    message: str,
) -> None:
    headers = await token_for(http, "sanne.supervisie")
    body = {"greeting": "Goedemiddag", "inbound": [], "transfers": [], "result_codes": []}
    response = await http.put(
        "/api/v1/clients/WST/contact-setup",
        json={**body, "result_codes": [{"code": "opdracht", "label": "Opdracht"}]}
        | {"mailbox": {**BOX, **change}},
        headers=headers,
    )
    assert response.status_code == status, response.text
    assert response.json()["error"]["field"].startswith(field), response.text
    assert message in response.json()["error"]["message"]


@pytest.mark.parametrize("port", ["abc", "²", "0", "99999", "9" * 30])
async def test_a_bad_port_on_the_settings_page_is_refused_in_dutch(
    http: httpx.AsyncClient, w: world.World, port: str
) -> None:
    await login(http, "sanne.supervisie")
    page = await http.get("/contactinstellingen/WST")
    response = await http.post(
        "/contactinstellingen/WST",
        data={
            "csrf_token": csrf(page.text),
            "greeting": "Goedemiddag",
            "result_codes": "opdracht | Opdracht | dossier",
            "mailbox_address": BOX["address"],
            "mailbox_host": BOX["host"],
            "mailbox_port": port,
            "mailbox_tls": "ssl",
            "mailbox_password": "geheim-wachtwoord",
        },
    )
    assert response.status_code == 422
    assert "is geen getal van 1 tot 65535" in response.text
    assert "geheim-wachtwoord" not in response.text  # not even as typed


async def test_a_mail_id_that_cannot_exist_on_the_dossier_reply_is_not_found(
    http: httpx.AsyncClient, w: world.World
) -> None:
    dossier = await dossiers.create(w.agent, world.intake())
    await login(http, "anna.agent")
    page = await http.get(f"/dossiers/{dossier.order_number}")
    for raw in ("²", "9" * 25, "-1", "abc"):
        response = await http.post(
            f"/dossiers/{dossier.order_number}/antwoord",
            data={"csrf_token": csrf(page.text), "text": "Hallo", "mail": raw},
        )
        assert response.status_code == 404 and "niet gevonden" in response.text


async def test_the_desk_registers_an_email_contact_with_a_result_code(
    http: httpx.AsyncClient, w: world.World, dovecot: Dovecot
) -> None:
    address = await give_mailbox(w.woonstad, dovecot)
    dovecot.deliver(address, mail("Wanneer wordt het gras gemaaid?"), at(0))
    await mail_in.poll(w.woonstad)
    contact = await Contact.get(channel="email")
    headers = await token_for(http, "anna.agent")
    await login(http, "anna.agent")
    listing = (await http.get("/contacten?stand=open&kanaal=email")).text
    assert "Wanneer wordt het gras gemaaid?" in listing and "Te behandelen" in listing
    calls = (await http.get("/api/v1/contacts?channel=telefoon_in", headers=headers)).json()
    assert calls["total"] == 0
    unknown = await http.get("/api/v1/contacts?channel=fax", headers=headers)
    assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "channel"
    page = (await http.get(f"/contacten/{contact.id}")).text
    assert "Het lekt bij de douche." in page and "Antwoord aan fatima@example.nl" in page

    done = await http.patch(
        f"/api/v1/contacts/{contact.id}",
        json={"result_code": "algemene_vraag", "note": "Doorgestuurd naar de huismeester."},
        headers=headers,
    )

    assert done.status_code == 200, done.text
    assert (done.json()["state"], done.json()["result_code"]) == ("afgerond", "algemene_vraag")
    assert done.json()["subject"] == "Wanneer wordt het gras gemaaid?"
    assert "Wanneer wordt het gras gemaaid?" not in (await http.get("/contacten?stand=open")).text
