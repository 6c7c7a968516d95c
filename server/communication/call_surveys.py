"""The survey after a call or e-mail: inviting the caller once a contact is finished, and
taking the answers (four scores 1-5 and a remark, once) through a signed link.

Which contacts qualify is server/domain/call_survey.py. The invitation goes through the
outbox like every tenant message: quiet hours (it waits for the morning: it is never urgent),
no real SMS for a demo client, retries. It comes besides the survey after a job: a caller
whose dossier is closed the same day gets both, each about its own thing.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Mapping
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from server import settings
from server.communication import links, outbox, surveys
from server.communication.outbox import Recipient
from server.domain import call_survey
from server.domain.call_survey import FinishedContact
from server.domain.errors import Conflict
from server.i18n import N_, gettext
from server.insight import changes
from server.messaging.kinds import Channel
from server.messaging.messages import EnqueteGesprek
from server.models import CallSurvey, Client, Contact, OutboundMessage

log = logging.getLogger("meldkamer.messages")

# The caller's texts, translated where they are shown (server/i18n).
QUESTIONS: dict[str, str] = {
    "friendliness": N_("Hoe vriendelijk was de medewerker?"),
    "expertise": N_("Hoe deskundig was de medewerker?"),
    "helpfulness": N_("Hoe behulpzaam was de medewerker?"),
    "solution": N_("Hoe tevreden bent u met de oplossing of het vervolg?"),
}
ALREADY = N_("U hebt deze enquête al ingevuld. Dank u wel!")


def caller_key(caller: str) -> str:
    """The caller for the once-a-day rule: a keyed hash, so the table holds no number."""
    secret = str(settings.SECRET_KEY).encode()
    return hmac.new(secret, caller.strip().lower().encode(), hashlib.sha256).hexdigest()


def recipient(contact: Contact) -> Recipient | None:
    """E-mail to an address, SMS to a mobile number; a landline or anything else: none."""
    caller = contact.caller.strip()
    if "@" in caller:
        return Recipient(Channel.EMAIL, caller, contact.caller_name)
    if outbox._mobile(caller):
        return Recipient(Channel.SMS, caller, contact.caller_name)
    return None


async def invite(contact: Contact, at: datetime | None = None) -> CallSurvey | None:
    """After a contact's change is committed: invite its caller if the contact is finished
    and the rules allow (the first finished contact of the caller's day). Safe to call after
    every change: a contact is asked about once, a caller once a day."""
    now = at or outbox.now()
    why = call_survey.why_not(
        FinishedContact(
            contact.channel, contact.state, contact.result_code, contact.closed_at, contact.caller
        ),
        now,
    )
    if why or contact.client_id is None or contact.closed_at is None:
        return None
    client = await Client.get(id=contact.client_id)
    to = recipient(contact)
    if to is None or not call_survey.enabled(client.settings):
        return None
    if await CallSurvey.exists(contact_id=contact.id):
        return None
    day = call_survey.survey_day(contact.closed_at)
    started: list[outbox.AfterCommit] = []
    try:
        async with in_transaction():
            with outbox.starting_after(started):
                survey = await CallSurvey.create(
                    contact=contact,
                    client=client,
                    caller_key=caller_key(contact.caller),
                    day=day,
                    channel=to.channel.value,
                    invited_at=now,
                )
                message = EnqueteGesprek(
                    opdrachtgever=client.name,
                    naam=contact.caller_name,
                    enquete_url=links.url(contact.id, links.CALL_SURVEY, now),
                    gesprek_op=contact.closed_at,
                    soort=call_survey.CONTACT_WORDS.get(contact.channel, "contact"),
                )
                await outbox.record(
                    message,
                    client=client,
                    dossier=None,
                    recipients=[to],
                    key=f"enquete-gesprek:{survey.id}",
                    # Never urgent: held by quiet hours until the morning.
                    urgency="niet_urgent",
                    at=now,
                )
    except IntegrityError:  # this caller was invited today already (or this very contact)
        return None
    for start in started:
        await start()
    return survey


async def invite_caller(contact: Contact) -> None:
    """`invite`, for the contact services' after-commit hook."""
    await invite(contact)


async def for_link(token: str) -> CallSurvey:
    """The survey a link is for; `LinkInvalid` (404) or `LinkExpired` (410) otherwise."""
    expired = (
        f"Deze enquête is verlopen: u kon hem tot {settings.TRACKING_DAYS} dagen na uw "
        "gesprek invullen. Dank u voor de moeite."
    )
    contact_id = links.signed_id(token, links.CALL_SURVEY, expired)
    survey = await CallSurvey.get_or_none(contact_id=contact_id).prefetch_related("client")
    if survey is None:
        raise links.LinkInvalid(gettext("Deze link hoort bij geen enquête (meer)."))
    return survey


async def submit(
    survey: CallSurvey, values: Mapping[str, str], at: datetime | None = None
) -> CallSurvey:
    """Store the answers once, or raise and store nothing; the agent is the contact's."""
    if survey.submitted_at is not None:
        raise Conflict(gettext(ALREADY))
    scores, remark = surveys.read_answers(values)
    contact = await Contact.get(id=survey.contact_id)  # type: ignore[attr-defined]
    at = at or datetime.now(UTC)
    # Compare-and-set: of two submissions at the same moment one stores, the other is told.
    stored = await CallSurvey.filter(id=survey.id, submitted_at__isnull=True).update(
        **scores,
        remark=remark,
        submitted_at=at,
        agent_id=contact.agent_id,
        agent_name=contact.agent_name,
    )
    if not stored:
        raise Conflict(gettext(ALREADY))
    await survey.refresh_from_db()
    await changes.client_changed(survey.client_id)  # the dashboard's call-survey scores
    return survey


async def of_contact(contact_id: int) -> tuple[CallSurvey | None, OutboundMessage | None]:
    """The contact's survey, if its caller was invited, and the invitation in the outbox."""
    survey = await CallSurvey.get_or_none(contact_id=contact_id)
    if survey is None:
        return None, None
    sent = await OutboundMessage.filter(key__startswith=f"enquete-gesprek:{survey.id}:").first()
    return survey, sent
