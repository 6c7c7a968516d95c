"""An integration's secrets: the outbound API key or OAuth client secret, encrypted with
SECRET_KEY; the inbound key, kept only as its sha256 (shown once, when made)."""

from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken

from server import settings

INBOUND_PREFIX = "mkv_"


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"meldkamer-chain:" + str(settings.SECRET_KEY).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def decrypt(token: str) -> str | None:
    """The secret, or None when SECRET_KEY changed since it was stored."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def new_inbound_key() -> str:
    return INBOUND_PREFIX + secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
