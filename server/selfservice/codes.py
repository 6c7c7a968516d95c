"""One-time codes that confirm a tenant's mobile number or e-mail address online.

Six digits from `secrets`, stored only as an HMAC-SHA256 (keyed with SECRET_KEY, bound to the
draft), valid CODE_MINUTES, at most MAX_ATTEMPTS tries each, used once: a confirmed draft
forgets the code. Each try is counted by one conditional UPDATE before the code is compared,
so parallel guesses get no more tries than sequential ones.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import datetime, timedelta

from tortoise.expressions import F

from server import settings
from server.communication import outbox
from server.communication.outbox import Recipient
from server.domain.errors import TooManyRequests, Unprocessable
from server.i18n import gettext as _
from server.messaging.kinds import Channel
from server.messaging.messages import Verificatiecode
from server.models import Client, OutboundMessage, ReportDraft

log = logging.getLogger("meldkamer.selfservice")
CODE_MINUTES = 10
MAX_ATTEMPTS = 5
# New codes one report may ask for (each also counts against the number's limit).
MAX_SENDS = 3
DIGITS = 6
# What an outbox row of a code says once the code is used or replaced.
SCRUBBED = "(code verwijderd)"


def new_code() -> str:
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def digest(draft_id: int, code: str) -> str:
    key = str(settings.SECRET_KEY).encode()
    return hmac.new(key, f"melden:{draft_id}:{code}".encode(), hashlib.sha256).hexdigest()


def message_key(draft: ReportDraft) -> str:
    return f"melden-code:{draft.id}"


async def issue(draft: ReportDraft, client: Client, now: datetime) -> None:
    """Make a new code for the draft's contact and send it; the previous one stops working."""
    if draft.codes_sent >= MAX_SENDS:
        raise TooManyRequests(
            _("U hebt al %(count)s codes gevraagd. Begin opnieuw of bel ons.")
            % {"count": MAX_SENDS},
            "code",
        )
    code = new_code()
    await forget_sent(draft)
    draft.code_hash = digest(draft.id, code)
    draft.code_expires_at = now + timedelta(minutes=CODE_MINUTES)
    draft.code_attempts = 0
    draft.codes_sent += 1
    await draft.save(update_fields=["code_hash", "code_expires_at", "code_attempts", "codes_sent"])
    await _send(draft, client, code, now)


async def _send(draft: ReportDraft, client: Client, code: str, now: datetime) -> None:
    channel = Channel.EMAIL if "@" in draft.contact else Channel.SMS
    rows = await outbox.record(
        Verificatiecode(opdrachtgever=client.name, code=code, minuten=CODE_MINUTES),
        client=client,
        dossier=None,
        recipients=[Recipient(channel, draft.contact)],
        key=f"{message_key(draft)}:{draft.codes_sent}",
        at=now,
    )
    if client.settings.get("demo") and all(r.status == "niet_verzonden" for r in rows):
        # The demo sends nothing: whoever runs it reads the code here (README, "Trying it").
        log.warning("demo: code %s voor online melden bij %s (%s)", code, client.name, channel)


async def forget_sent(draft: ReportDraft) -> None:
    """The codes sent for this draft are no longer readable in the outbox (used or replaced);
    one still waiting to be sent is left to be sent."""
    await OutboundMessage.filter(
        key__startswith=f"{message_key(draft)}:", status__not="wachtrij"
    ).update(body=SCRUBBED, html="", subject=SCRUBBED)


def _typed(raw: str) -> str:
    code = "".join(raw.split())
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        raise Unprocessable(
            _("Vul de code van %(digits)s cijfers in.") % {"digits": DIGITS}, "code"
        )
    return code


async def confirm(draft: ReportDraft, raw: str, now: datetime) -> None:
    """Accept the code, or raise saying why not (wrong, expired, too many tries)."""
    if draft.verified_at is not None:
        return
    code = _typed(raw)
    if not draft.code_hash or draft.code_expires_at is None:
        raise Unprocessable(_("Vraag eerst een code aan."), "code")
    counted = await ReportDraft.filter(
        id=draft.id, code_hash=draft.code_hash, code_attempts__lt=MAX_ATTEMPTS
    ).update(code_attempts=F("code_attempts") + 1)
    if not counted:
        raise TooManyRequests(
            _("U hebt de code te vaak verkeerd ingevuld. Vraag een nieuwe code aan."), "code"
        )
    draft.code_attempts += 1
    if now >= draft.code_expires_at:
        raise Unprocessable(_("Deze code is verlopen. Vraag een nieuwe code aan."), "code")
    if not hmac.compare_digest(digest(draft.id, code), draft.code_hash):
        left = MAX_ATTEMPTS - draft.code_attempts
        if left <= 0:
            raise TooManyRequests(
                _("U hebt de code te vaak verkeerd ingevuld. Vraag een nieuwe code aan."), "code"
            )
        raise Unprocessable(
            _("Deze code klopt niet. U kunt het nog %(left)s keer proberen.") % {"left": left},
            "code",
        )
    # Single use: only the draft that still holds this very code is confirmed.
    confirmed = await ReportDraft.filter(id=draft.id, code_hash=draft.code_hash).update(
        verified_at=now, code_hash=""
    )
    if not confirmed:
        raise Unprocessable(_("Deze code is al gebruikt. Vraag een nieuwe code aan."), "code")
    draft.verified_at, draft.code_hash = now, ""
    await forget_sent(draft)
