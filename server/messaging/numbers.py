"""Phone numbers for SMS: E.164 in, checked before any provider is asked."""

from __future__ import annotations

import functools
import re

import phonenumbers
from phonenumbers import PhoneNumberType

from server.messaging.errors import PermanentSendError

E164 = re.compile(r"\+[1-9][0-9]{6,14}")
# Numbers that cannot receive a text message.
_NO_SMS = {
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
}


@functools.lru_cache(maxsize=4096)  # parsing costs ~0.1 ms; a refusal raises, is not kept
def check_mobile(to_e164: str) -> str:
    """The number itself when it is a valid E.164 number that can receive SMS.

    Raises `PermanentSendError`: a wrong number stays wrong however often it is tried.
    """
    if not E164.fullmatch(to_e164):
        raise PermanentSendError(f"Telefoonnummer {to_e164!r} is niet in E.164 (+31612345678).")
    number = phonenumbers.parse(to_e164, None)
    if not phonenumbers.is_valid_number(number):
        raise PermanentSendError(f"Telefoonnummer {to_e164} bestaat niet.")
    if phonenumbers.number_type(number) in _NO_SMS:
        raise PermanentSendError(f"Telefoonnummer {to_e164} kan geen sms ontvangen.")
    return to_e164
