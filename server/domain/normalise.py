"""Normalising what people type: phone numbers, postcodes, e-mail addresses, search terms."""

from __future__ import annotations

import functools
import re

import phonenumbers

from server.domain.errors import Unprocessable

_POSTCODE = re.compile(r"^\s*([1-9]\d{3})\s*([a-zA-Z]{2})\s*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@functools.lru_cache(maxsize=4096)  # parsing costs ~0.1 ms; every intake and message asks
def normalise_phone(raw: str, field: str = "phone") -> str:
    """A Dutch or international number as E.164 ("+31612345678"), or a clear error."""
    raw = raw.strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "NL")
    except phonenumbers.NumberParseException:
        raise Unprocessable(f"'{raw}' is geen telefoonnummer.", field) from None
    if not phonenumbers.is_valid_number(number):
        raise Unprocessable(f"'{raw}' is geen geldig telefoonnummer.", field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    if not e164:
        return ""
    number = phonenumbers.parse(e164, "NL")
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 31
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


def normalise_postcode(raw: str, field: str = "postcode") -> str:
    """ "1234 ab" -> "1234AB"; anything that is not a Dutch postcode is refused."""
    match = _POSTCODE.match(raw or "")
    if not match:
        raise Unprocessable(f"'{raw}' is geen geldige postcode (zoals 1234 AB).", field)
    return (match.group(1) + match.group(2)).upper()


def normalise_email(raw: str, field: str = "email") -> str:
    raw = raw.strip()
    if raw and not _EMAIL.match(raw):
        raise Unprocessable(f"'{raw}' is geen geldig e-mailadres.", field)
    return raw.lower()


def search_key(raw: str) -> str:
    """Search input folded the way stored search columns are: case and spaces do not count."""
    return re.sub(r"\s+", "", raw).upper()
