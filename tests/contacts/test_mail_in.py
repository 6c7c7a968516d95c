"""Inbound e-mail against a real IMAP server (Dovecot): every mail a contact, once; a mail
naming a dossier joins it with its photos; a poll stopped halfway loses and doubles nothing;
bad mails still give a contact."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from server.contacts import mail_in, retention
from server.dossiers import dossiers
from server.messaging.imap import MailboxSettings
from server.models import (
    Contact,
    ContactDossier,
    DossierEvent,
    MailboxState,
    MailMessage,
    Photo,
)
from tests.contacts.dovecot import PASSWORD, Dovecot
from tests.contacts.mail_support import at, give_mailbox, jpeg, mail
from tests.support import world


async def test_every_mail_becomes_an_email_contact_of_the_mailboxs_client(
    w: world.World, dovecot: Dovecot
) -> None:
    address = await give_mailbox(w.woonstad, dovecot)
    dovecot.deliver(address, mail("Lekkage in de badkamer"), at(0))
    dovecot.deliver(address, mail("Vraag over de huur", sender="jan@example.nl"), at(1))

    result = await mail_in.poll(w.woonstad)

    assert (result.stored, result.error) == (2, "")
    found = await Contact.filter(channel="email").order_by("offered_at")
    assert [(c.client_id, c.caller, c.subject, c.line) for c in found] == [
        (w.woonstad.id, "fatima@example.nl", "Lekkage in de badkamer", address),
        (w.woonstad.id, "jan@example.nl", "Vraag over de huur", address),
    ]
    assert found[0].caller_name == "Fatima el Amrani"
    assert found[0].offered_at == at(0)
    assert found[0].state == "in_gesprek"  # open: the desk registers it with a result code
    texts = await MailMessage.filter(direction="in").order_by("received_at")
    assert texts[0].text == "Het lekt bij de douche."
    # Marked handled in the mailbox with our keyword; \Seen is left for people.
    assert all(
        b"$Meldkamer" in flags and b"\\Seen" not in flags for flags in dovecot.flags(address)
    )
    again = await mail_in.poll(w.woonstad)
    assert (again.stored, await Contact.filter(channel="email").count()) == (0, 2)


async def test_a_mail_naming_an_order_number_joins_the_dossier_with_its_photo(
    w: world.World, dovecot: Dovecot
) -> None:
    dossier = await dossiers.create(w.agent, world.intake())
    address = await give_mailbox(w.woonstad, dovecot)
    raw = mail(
        f"Foto's bij melding {dossier.order_number.lower()}",
        photos=[("badkamer.jpg", jpeg(), "image/jpeg")],
    )
    dovecot.deliver(address, raw, at(0))

    await mail_in.poll(w.woonstad)

    contact = await Contact.get(channel="email")
    link = await ContactDossier.get(contact_id=contact.id)
    assert (link.dossier_id, link.created) == (dossier.id, False)
    assert contact.address_id == dossier.address_id  # type: ignore[attr-defined]
    event = await DossierEvent.get(dossier_id=dossier.id, kind="email")
    assert event.data["contact"] == contact.id and event.data["photos"] == 1
    photo = await Photo.get(dossier_id=dossier.id)
    assert (photo.width, photo.height) == (64, 48)
    assert photo.attached_at is not None


async def test_an_order_number_of_another_client_joins_nothing(
    w: world.World, dovecot: Dovecot
) -> None:
    theirs = await dossiers.create(w.agent, world.intake("LVD"))
    address = await give_mailbox(w.woonstad, dovecot)
    dovecot.deliver(address, mail(f"Over {theirs.order_number}"), at(0))

    await mail_in.poll(w.woonstad)

    contact = await Contact.get(channel="email")
    assert contact.client_id == w.woonstad.id
    assert not await ContactDossier.filter(contact_id=contact.id).exists()
    assert not await DossierEvent.filter(dossier_id=theirs.id, kind="email").exists()


async def test_a_worker_stopped_between_storing_and_marking_loses_and_doubles_nothing(
    w: world.World, dovecot: Dovecot
) -> None:
    address = await give_mailbox(w.woonstad, dovecot)
    for n in range(5):
        dovecot.deliver(address, mail(f"Melding {n}"), at(n))
    seen: list[str] = []

    def die_at_the_third(stored: MailMessage) -> None:
        seen.append(stored.subject)
        if len(seen) == 3:
            raise SystemExit("worker stopped")

    with pytest.raises(SystemExit):
        await mail_in.poll(w.woonstad, before_marking=die_at_the_third)
    assert await Contact.filter(channel="email").count() == 3
    marked = [b"$Meldkamer" in flags for flags in dovecot.flags(address)]
    assert marked == [True, True, False, False, False]  # the third stored, not marked

    result = await mail_in.poll(w.woonstad)

    assert (result.stored, result.seen_before) == (2, 1)
    subjects = sorted(await Contact.filter(channel="email").values_list("subject", flat=True))
    assert subjects == [f"Melding {n}" for n in range(5)]
    assert all(b"$Meldkamer" in flags for flags in dovecot.flags(address))


async def test_a_poll_told_to_stop_leaves_the_rest_for_the_next(
    w: world.World, dovecot: Dovecot
) -> None:
    address = await give_mailbox(w.woonstad, dovecot)
    for n in range(4):
        dovecot.deliver(address, mail(f"Melding {n}"), at(n))
    count = 0

    def stopping() -> bool:
        return count >= 2

    def counted(_: MailMessage) -> None:
        nonlocal count
        count += 1

    first = await mail_in.poll(w.woonstad, stopping=stopping, before_marking=counted)
    second = await mail_in.poll(w.woonstad)

    assert (first.stored, second.stored) == (2, 2)
    assert await Contact.filter(channel="email").count() == 4


async def test_bad_mails_still_give_a_contact_each(
    w: world.World, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dossier = await dossiers.create(w.agent, world.intake())
    address = await give_mailbox(w.woonstad, dovecot)
    monkeypatch.setattr(mail_in, "MAX_MAIL_BYTES", 200_000)
    not_a_photo = b"%PDF-1.4\n" + b"0" * 500
    bad = [
        mail(None, text="Zonder onderwerp"),
        mail("Groot", text="x" * 300_000),
        # A boundary that never comes, base64 that is not, a header in no known charset.
        b"From: a@example.nl\r\nSubject: =?x-onbekend?q?kapot?=\r\nMessage-ID: <kapot@x>\r\n"
        b'Content-Type: multipart/mixed; boundary="zzz"\r\n\r\n--zzz\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n!!!niet base64!!!\r\n",
        b"From: b@example.nl\r\nSubject: Kraan\r\nMessage-ID: <cp1252@x>\r\n"
        b"Content-Type: text/plain; charset=windows-1252\r\n\r\nDe kraan lekt \x96 na 5 \x80\r\n",
        b"From: c@example.nl\r\nSubject: Onbekend\r\nMessage-ID: <charset@x>\r\n"
        b"Content-Type: text/plain; charset=x-bestaat-niet\r\n\r\nGeen idee \xff\xfe\r\n",
        mail(
            f"Foto {dossier.order_number}",
            photos=[("foto.jpg", not_a_photo, "image/jpeg")],
        ),
        b"geen kopregels, alleen tekst",
    ]
    for n, raw in enumerate(bad):
        dovecot.deliver(address, raw, at(n))

    result = await mail_in.poll(w.woonstad)

    assert (result.stored, result.failed, result.error) == (len(bad), 0, "")
    mails = {m.subject: m for m in await MailMessage.filter(direction="in")}
    assert mails[""].text  # no subject: stored, the desk gives it one
    assert "te groot om op te halen" in mails["Groot"].text
    assert mails["Kraan"].text == "De kraan lekt – na 5 €"
    assert "Geen idee" in mails["Onbekend"].text
    refused = mails[f"Foto {dossier.order_number}"].attachments
    assert refused[0]["name"] == "foto.jpg" and "PDF" in refused[0]["refused"]
    assert not await Photo.filter(dossier_id=dossier.id).exists()
    assert await Contact.filter(channel="email").count() == len(bad)


async def test_retention_removes_the_mails_sender_and_text(
    w: world.World, dovecot: Dovecot
) -> None:
    address = await give_mailbox(w.woonstad, dovecot)
    dovecot.deliver(address, mail("Lekkage", text="Mijn telefoon is 0612345678"), at(0))
    await mail_in.poll(w.woonstad)

    assert await retention.anonymise_old(730, at=at(0) + timedelta(days=731)) == 1
    kept = await MailMessage.get(direction="in")
    assert (kept.sender, kept.text, kept.subject) == ("", "", "Lekkage")
    assert (await Contact.get(channel="email")).caller == ""


@pytest.mark.parametrize("tls", ["ssl", "starttls"])
async def test_the_mailbox_is_read_over_tls_and_its_certificate_checked(
    w: world.World, dovecot: Dovecot, tls: str
) -> None:
    address = await give_mailbox(w.woonstad, dovecot)
    dovecot.deliver(address, mail("Over TLS"), at(0))
    port = dovecot.tls_port if tls == "ssl" else dovecot.port
    where = MailboxSettings("127.0.0.1", port, tls, address, PASSWORD, "INBOX", 10.0)

    untrusted = await mail_in.poll(w.woonstad, connect=where)
    assert "CERTIFICATE_VERIFY_FAILED" in untrusted.error  # a certificate nobody vouches for
    assert not await Contact.filter(channel="email").exists()
    trusted = replace(where, tls_context=dovecot.tls_context)
    result = await mail_in.poll(w.woonstad, connect=trusted)

    assert (result.stored, result.error) == (1, "")
    state = await MailboxState.get(client_id=w.woonstad.id)
    assert (state.error, state.stored, state.lease_until) == ("", 1, None)


async def test_a_poll_cancelled_after_two_mails_loses_and_doubles_nothing(
    w: world.World, dovecot: Dovecot
) -> None:
    address = await give_mailbox(w.woonstad, dovecot)
    for n in range(5):
        dovecot.deliver(address, mail(f"Melding {n}"), at(n))
    stored: list[str] = []

    def cancel_at_the_second(mail_row: MailMessage) -> None:
        stored.append(mail_row.subject)
        if len(stored) == 2:
            polling.cancel()  # as arq cancels a job that runs past its timeout

    polling = asyncio.create_task(mail_in.poll(w.woonstad, before_marking=cancel_at_the_second))
    with pytest.raises(asyncio.CancelledError):
        await polling
    assert await Contact.filter(channel="email").count() == 2
    state = await MailboxState.get(client_id=w.woonstad.id)
    assert state.lease_until is None  # let go, so the next poll need not wait for it

    await mail_in.poll(w.woonstad)

    subjects = sorted(await Contact.filter(channel="email").values_list("subject", flat=True))
    assert subjects == [f"Melding {n}" for n in range(5)]
    assert all(b"$Meldkamer" in flags for flags in dovecot.flags(address))
