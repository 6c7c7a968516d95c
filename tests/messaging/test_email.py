"""E-mail to a real local SMTP server: headers, both parts, and how failures are classed."""

from __future__ import annotations

import email
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

from server.messaging.email import SmtpSettings, build_email, message_id, send_email
from server.messaging.errors import PermanentSendError, TransientSendError
from server.messaging.samples import SAMPLES
from server.messaging.templates import render_email
from tests.messaging.servers import free_port
from tests.messaging.smtp_server import PASSWORD, USER, smtp_server

PLATFORM = "berichten@meldkamer.example.nl"


def melding_email(
    to: str = "bewoner@example.org", reference: str = "DL-2025-000123.e1"
) -> EmailMessage:
    content = render_email(SAMPLES["melding_ontvangen"])
    return build_email(
        to=to,
        to_name="Mevrouw Jansen",
        subject=content.subject,
        text=content.text,
        html=content.html,
        from_address=PLATFORM,
        from_name="Woonstichting De Linde",
        reply_to="klantcontact@delinde.example.nl",
        reference=reference,
    )


def received(raw: bytes | str) -> EmailMessage:
    data = raw if isinstance(raw, bytes) else raw.encode()
    message = email.message_from_bytes(data, policy=default)
    assert isinstance(message, EmailMessage)
    return message


async def test_mail_arrives_with_client_name_and_both_parts() -> None:
    with smtp_server() as (port, inbox, _):
        sent_id = await send_email(
            melding_email(), SmtpSettings(host="127.0.0.1", port=port, starttls=False)
        )

    (envelope,) = inbox.envelopes
    assert envelope.mail_from == PLATFORM
    assert envelope.rcpt_tos == ["bewoner@example.org"]
    message = received(envelope.content)
    sender = message["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == ("Woonstichting De Linde", PLATFORM)
    assert message["Reply-To"].addresses[0].addr_spec == "klantcontact@delinde.example.nl"
    assert message["To"].addresses[0].display_name == "Mevrouw Jansen"
    assert message["Subject"] == "Uw melding is ontvangen (DL-2025-000123)"
    assert message["Message-ID"] == sent_id == "<DL-2025-000123.e1@meldkamer.example.nl>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert "Wat gebeurt er nu?" in text.get_content()
    assert "Volg uw melding: https://meldkamer.example.nl/volg/voorbeeld" in text.get_content()
    assert 'href="https://meldkamer.example.nl/volg/voorbeeld"' in html.get_content()
    assert "Woonstichting De Linde" in html.get_content()


async def test_retry_carries_the_same_message_id() -> None:
    with smtp_server() as (port, inbox, _):
        smtp = SmtpSettings(host="127.0.0.1", port=port, starttls=False)
        await send_email(melding_email(), smtp)
        await send_email(melding_email(), smtp)

    first, second = (received(e.content)["Message-ID"] for e in inbox.envelopes)
    assert first == second == message_id("DL-2025-000123.e1", PLATFORM)


async def test_starttls_and_login(tmp_path: Path) -> None:
    with smtp_server(tmp_path) as (port, inbox, client_tls):
        smtp = SmtpSettings(
            host="127.0.0.1",
            port=port,
            username=USER,
            password=PASSWORD,
            starttls=True,
            tls_context=client_tls,
        )
        await send_email(melding_email(), smtp)
    assert len(inbox.envelopes) == 1


async def test_wrong_password_is_permanent(tmp_path: Path) -> None:
    with smtp_server(tmp_path) as (port, inbox, client_tls):
        smtp = SmtpSettings(
            host="127.0.0.1", port=port, username=USER, password="fout", tls_context=client_tls
        )
        with pytest.raises(PermanentSendError, match="Mailserver antwoordde 535"):
            await send_email(melding_email(), smtp)
    assert inbox.envelopes == []


async def test_refused_mailbox_is_permanent() -> None:
    with smtp_server() as (port, inbox, _):
        inbox.refuse["weg@example.org"] = "550 5.1.1 Mailbox unavailable"
        with pytest.raises(PermanentSendError, match="550 5.1.1 Mailbox unavailable") as caught:
            await send_email(
                melding_email(to="weg@example.org"),
                SmtpSettings(host="127.0.0.1", port=port, starttls=False),
            )
    assert "weg@example.org" in caught.value.reason


async def test_greylisting_is_transient() -> None:
    with smtp_server() as (port, inbox, _):
        inbox.refuse["later@example.org"] = "451 4.7.1 Greylisted, try again later"
        with pytest.raises(TransientSendError, match="451"):
            await send_email(
                melding_email(to="later@example.org"),
                SmtpSettings(host="127.0.0.1", port=port, starttls=False),
            )


async def test_no_server_is_transient() -> None:
    smtp = SmtpSettings(host="127.0.0.1", port=free_port(), starttls=False, timeout=2)
    with pytest.raises(TransientSendError, match="niet bereikbaar"):
        await send_email(melding_email(), smtp)


def test_reference_and_address_are_checked() -> None:
    with pytest.raises(ValueError, match="e-mail reference"):
        message_id("<kapot>", PLATFORM)
    with pytest.raises(ValueError, match="not valid"):
        message_id("ok", "geen-adres")


def test_names_with_commas_quotes_and_accents_survive() -> None:
    name = 'Stichting "Thuis", Zuid-Holland — café'
    message = build_email(
        to="bewoner@example.org",
        to_name="Daniëlle\nBcc: spam@example.org",
        subject="Onderwerp\r\nBcc: spam@example.org",
        text="tekst",
        html="<p>html</p>",
        from_address=PLATFORM,
        from_name=name,
        reference="r1",
    )
    parsed = received(message.as_bytes())
    assert parsed["From"].addresses[0].display_name == name
    assert parsed["To"].addresses[0].display_name == "Daniëlle Bcc: spam@example.org"
    assert parsed["Subject"] == "Onderwerp Bcc: spam@example.org"
    assert "Bcc" not in parsed


@pytest.mark.parametrize("to", ["jan@@x.nl", "jan", "", "jan@localhost"])
def test_bad_recipient_is_permanent(to: str) -> None:
    with pytest.raises(PermanentSendError, match="is ongeldig"):
        build_email(
            to=to,
            subject="s",
            text="t",
            html="h",
            from_address=PLATFORM,
            from_name="De Linde",
            reference="r1",
        )
