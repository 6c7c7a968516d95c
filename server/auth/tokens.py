"""Bearer tokens for the API: random, stored only as a SHA-256, expiring, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from tortoise.queryset import QuerySet

from server import db, settings
from server.models import ApiToken, User


def digest(token: str) -> str:
    """What is stored of a token, and looked up by."""
    return hashlib.sha256(token.encode()).hexdigest()


async def issue(user: User, label: str = "") -> tuple[str, datetime]:
    token = "mk_" + secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(days=settings.TOKEN_DAYS)
    await ApiToken.create(user=user, token_hash=digest(token), label=label, expires_at=expires)
    return token, expires


def _with_user(token_hash: str) -> QuerySet[ApiToken]:
    return ApiToken.filter(token_hash=token_hash).select_related("user__client").limit(1)


async def user_for(token: str) -> User | None:
    # One indexed read: the token with its user and his client joined in.
    rows = await db.prepared("api-token", _with_user, digest(token))
    return await accepted(rows[0] if rows else None)


async def accepted(found: ApiToken | None) -> User | None:
    """The user of a token row read with its user and his client (`user_for`, or the desk
    intake's one read), if the token may still be used."""
    now = datetime.now(UTC)
    if found is None or found.expires_at <= now or not found.user.active:
        return None
    # Touch at most once a minute: the column is for the admin, not for every request.
    if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=1):
        await ApiToken.filter(id=found.id).update(last_used_at=now)
    return found.user


async def revoke(token: str) -> None:
    await ApiToken.filter(token_hash=digest(token)).delete()
