"""Whom a request is about: a tenant known by phone number or e-mail address, as the product
stores them (E.164, lower case)."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from server import settings
from server.domain import normalise
from server.domain.errors import Unprocessable

PHONE = "telefoon"
EMAIL = "e-mail"


@dataclass(frozen=True)
class Subject:
    kind: str
    value: str

    @property
    def key(self) -> str:
        """Links requests about the same person without keeping the number or address."""
        secret = f"privacy:{settings.SECRET_KEY}".encode()
        return hmac.new(secret, f"{self.kind}:{self.value}".encode(), hashlib.sha256).hexdigest()

    @property
    def label(self) -> str:
        return normalise.display_phone(self.value) if self.kind == PHONE else self.value


def identify(raw: str) -> Subject:
    """A phone number or an e-mail address, normalised; anything else is a clear error."""
    text = (raw or "").strip()
    if not text:
        raise Unprocessable("Vul het telefoonnummer of e-mailadres van de huurder in.", "wie")
    if len(text) > 254:
        raise Unprocessable("Dat is te lang voor een telefoonnummer of e-mailadres.", "wie")
    if "@" in text:
        return Subject(EMAIL, normalise.normalise_email(text, "wie"))
    return Subject(PHONE, normalise.normalise_phone(text, "wie"))
