"""Bearer tokens for the API: random, stored only as a SHA-256, expiring, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from server import settings
from server.models import ApiToken, User


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue(user: User, label: str = "") -> tuple[str, datetime]:
    token = "mk_" + secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(days=settings.TOKEN_DAYS)
    await ApiToken.create(user=user, token_hash=_digest(token), label=label, expires_at=expires)
    return token, expires


async def user_for(token: str) -> User | None:
    now = datetime.now(UTC)
    # One indexed read: the token with its user and his client joined in.
    found = await ApiToken.get_or_none(token_hash=_digest(token)).select_related("user__client")
    if found is None or found.expires_at <= now or not found.user.active:
        return None
    # Touch at most once a minute: the column is for the admin, not for every request.
    if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=1):
        await ApiToken.filter(id=found.id).update(last_used_at=now)
    return found.user


async def revoke(token: str) -> None:
    await ApiToken.filter(token_hash=_digest(token)).delete()
