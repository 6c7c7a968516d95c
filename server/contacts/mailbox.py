"""A client's mailbox settings, kept in its settings (`settings["mailbox"]`) like the rest of
its contact set-up: the address tenants write to, the IMAP server, user, folder, and the
password, encrypted under SECRET_KEY and never shown or returned.

A password left empty when saving keeps the stored one, but only while the server and user
stay the same: otherwise a changed host would receive the old password.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from server import settings
from server.domain import normalise
from server.domain.errors import Unprocessable
from server.messaging.imap import TLS_MODES, MailboxSettings
from server.models import Client

KEY = "mailbox"
DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "geen": 143}
HOST_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789.-:[]")


@dataclass(frozen=True)
class MailboxInput:
    """As the page or the API give it; an empty password keeps the stored one."""

    address: str
    host: str
    port: int | None = None
    tls: str = "ssl"
    username: str = ""
    password: str = ""
    folder: str = "INBOX"


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"meldkamer-mailbox:" + str(settings.SECRET_KEY).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(password: str) -> str:
    return _fernet().encrypt(password.encode()).decode()


def decrypt(token: str) -> str | None:
    """The password, or None when SECRET_KEY changed since it was stored."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def stored(client: Client) -> dict[str, Any] | None:
    value = (client.settings or {}).get(KEY)
    return value if isinstance(value, dict) and value.get("host") else None


def as_json(client: Client) -> dict[str, Any] | None:
    """What may be shown: everything but the password (only whether one is set)."""
    box = stored(client)
    if box is None:
        return None
    shown = {k: box.get(k) for k in ("address", "host", "port", "tls", "username", "folder")}
    return {**shown, "password_set": bool(box.get("password"))}


def connection(client: Client) -> MailboxSettings | None:
    """How the poller reaches the mailbox; None when there is none (or no readable password,
    which the poll reports)."""
    box = stored(client)
    if box is None:
        return None
    password = decrypt(str(box.get("password") or "")) if box.get("password") else ""
    if password is None:
        return None
    return MailboxSettings(
        host=str(box["host"]),
        port=int(box["port"]),
        tls=str(box["tls"]),
        username=str(box["username"]),
        password=password,
        folder=str(box.get("folder") or "INBOX"),
    )


def checked(data: MailboxInput | None, before: dict[str, Any] | None) -> dict[str, Any] | None:
    """The settings to store, or an error naming the field (`mailbox.host`, …)."""
    if data is None or not (data.host.strip() or data.address.strip()):
        return None
    address = normalise.normalise_email(data.address, "mailbox.address")
    if not address:
        raise Unprocessable("Vul het e-mailadres van de mailbox in.", "mailbox.address")
    host = data.host.strip().lower()
    if not host or len(host) > 253 or not set(host) <= HOST_CHARS:
        raise Unprocessable(f"Server '{data.host[:60]}' is geen geldige naam.", "mailbox.host")
    if data.tls not in TLS_MODES:
        raise Unprocessable(
            f"Beveiliging '{data.tls[:20]}': kies ssl, starttls of geen.", "mailbox.tls"
        )
    port = data.port or DEFAULT_PORTS[data.tls]
    if not 1 <= port <= 65535:
        raise Unprocessable(f"Poort {port} bestaat niet (1-65535).", "mailbox.port")
    username = data.username.strip() or address
    if len(username) > 254:
        raise Unprocessable("De gebruikersnaam is langer dan 254 tekens.", "mailbox.username")
    folder = data.folder.strip() or "INBOX"
    if len(folder) > 200 or any(ord(ch) < 32 for ch in folder):
        raise Unprocessable("Map: ten hoogste 200 gewone tekens.", "mailbox.folder")
    if len(data.password) > 500 or any(ord(ch) < 32 for ch in data.password):
        raise Unprocessable(
            "Het wachtwoord is te lang of bevat een stuurteken.", "mailbox.password"
        )
    password = encrypt(data.password) if data.password else ""
    if not password and before:
        same_place = before.get("host") == host and before.get("username") == username
        if not same_place and before.get("password"):
            raise Unprocessable(
                "Server of gebruiker is gewijzigd: vul het wachtwoord opnieuw in.",
                "mailbox.password",
            )
        password = str(before.get("password") or "")
    if not password:
        raise Unprocessable("Vul het wachtwoord van de mailbox in.", "mailbox.password")
    return {
        "address": address,
        "host": host,
        "port": port,
        "tls": data.tls,
        "username": username,
        "folder": folder,
        "password": password,
    }
