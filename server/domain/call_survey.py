"""When a caller is invited to the survey after a contact (seed 004: "alle huurders krijgen
na het gesprek een enquête"), as plain rules; server/communication/call_surveys.py applies them.

- only an inbound contact (a call to the meldkamer, an e-mail to it) that is finished: ended
  and its result registered (docs/contacts.md);
- not when its result is "geen actie / verkeerd verbonden": nobody was helped;
- not for a contact that finished long ago (call events catching up after an outage, a
  correction days later): a survey about last week's call only confuses;
- at most once per caller per local calendar day (Europe/Amsterdam), whichever client's line
  he called: one person, one question a day. The first finished contact of the day is the one
  asked about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from server.i18n import N_

TZ = ZoneInfo("Europe/Amsterdam")
INBOUND_CHANNELS = frozenset({"telefoon_in", "email"})
NO_SURVEY_RESULTS = frozenset({"geen_actie"})
# A contact finished longer ago than this gets no invitation any more.
RECENT = timedelta(hours=24)
# How the message names the contact, per channel.
CONTACT_WORDS = {"telefoon_in": N_("telefoongesprek"), "email": N_("e-mail")}
# The client setting (client.settings) that switches the invitations off; on by default.
SETTING = "call_survey"


@dataclass(frozen=True)
class FinishedContact:
    channel: str
    state: str
    result_code: str | None
    closed_at: datetime | None
    caller: str


def why_not(contact: FinishedContact, now: datetime) -> str:
    """Why this contact gets no invitation (for the log), or '' when it does."""
    if contact.channel not in INBOUND_CHANNELS:
        return "not an inbound call or e-mail"
    if contact.state != "afgerond" or contact.closed_at is None:
        return "not finished"
    if contact.result_code in NO_SURVEY_RESULTS:
        return f"result {contact.result_code}"
    if not contact.caller:
        return "caller unknown"
    if now - contact.closed_at > RECENT:
        return "finished too long ago"
    return ""


def survey_day(at: datetime) -> date:
    """The local calendar day a contact counts for in the once-a-day rule."""
    if at.tzinfo is None:
        raise ValueError("survey_day needs an aware datetime")
    return at.astimezone(TZ).date()


def enabled(settings: dict[str, object] | None) -> bool:
    """A client's invitations are on unless its settings say `call_survey: false`."""
    return (settings or {}).get(SETTING) is not False


ASPECTS = ("friendliness", "expertise", "helpfulness", "solution")
# As the seed names them: klantvriendelijkheid, deskundigheid, behulpzaamheid, hulp.
ASPECT_LABELS = {
    "friendliness": "Vriendelijkheid",
    "expertise": "Deskundigheid",
    "helpfulness": "Behulpzaamheid",
    "solution": "Oplossing",
}


def overall(means: dict[str, float | None]) -> float | None:
    """The mean of the aspects' means (each aspect weighs the same), to two decimals."""
    known = [v for v in means.values() if v is not None]
    return round(sum(known) / len(known), 2) if known else None
