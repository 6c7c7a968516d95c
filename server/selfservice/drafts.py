"""The report a tenant is making online, kept on the server (ReportDraft) and found again by
the random key their browser holds in a signed cookie: a reload, the back button or a refused
step loses nothing. A draft lives LIFETIME after its last step; a finished one still shows its
confirmation until then."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from itsdangerous import BadSignature, Signer

from server import settings
from server.models import Client, ReportDraft
from server.selfservice import codes

COOKIE = "meldkamer_melden"
LIFETIME = timedelta(hours=2)


def _signer() -> Signer:
    return Signer(str(settings.SECRET_KEY), salt="meldkamer.melden")


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def new(
    client: Client, contact: str, language: str, now: datetime
) -> tuple[ReportDraft, str]:
    """A new draft and the cookie value that finds it."""
    key = secrets.token_urlsafe(32)
    draft = await ReportDraft.create(
        key_hash=_hash(key),
        client=client,
        contact=contact,
        language=language,
        created_at=now,
        expires_at=now + LIFETIME,
    )
    return draft, _signer().sign(key).decode()


async def find(client: Client, cookie: str | None, now: datetime) -> ReportDraft | None:
    """The draft this browser is making for `client`, if it is still alive."""
    if not cookie:
        return None
    try:
        key = _signer().unsign(cookie).decode()
    except (BadSignature, UnicodeDecodeError):
        return None
    return await ReportDraft.get_or_none(
        key_hash=_hash(key), client_id=client.id, expires_at__gt=now
    )


async def save(draft: ReportDraft, now: datetime, *fields: str) -> None:
    """Store the changed `fields` (and the data), and keep the draft alive for LIFETIME."""
    draft.expires_at = now + LIFETIME
    await draft.save(update_fields=["data", "expires_at", *fields])


async def sweep(now: datetime) -> int:
    """Remove drafts that have expired; the codes sent for them are no longer readable."""
    gone = await ReportDraft.filter(expires_at__lte=now)
    for draft in gone:
        await codes.forget_sent(draft)
    return await ReportDraft.filter(id__in=[d.id for d in gone]).delete() if gone else 0
