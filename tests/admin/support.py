"""What the admin tests share: the local SMTP server as the platform's mail, and reading the
link out of a mail as the user's mail program shows it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

import httpx
import pytest

from server import settings
from tests.messaging.smtp_server import Inbox, smtp_server
from tests.support.pages import csrf

LINK = re.compile(r"http://[^\s\"<]+/account/wachtwoord/([A-Za-z0-9_-]+)")


@asynccontextmanager
async def mail(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Inbox]:
    with smtp_server() as (port, inbox, _):
        monkeypatch.setattr(settings, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setattr(settings, "SMTP_PORT", port)
        monkeypatch.setattr(settings, "SMTP_STARTTLS", False)
        monkeypatch.setattr(settings, "MAIL_FROM", "berichten@meldkamer.example.nl")
        yield inbox


def messages(inbox: Inbox) -> list[EmailMessage]:
    return [
        message_from_bytes(e.content, policy=policy.default)  # type: ignore[arg-type]
        for e in inbox.envelopes
    ]


def link_in(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    found = LINK.search(body.get_content())
    assert found, body.get_content()
    return f"/account/wachtwoord/{found.group(1)}"


async def post_form(
    http: httpx.AsyncClient, page: str, action: str, **data: object
) -> httpx.Response:
    token = csrf((await http.get(page)).text)
    return await http.post(action, data={"csrf_token": token, **data})  # type: ignore[arg-type]
