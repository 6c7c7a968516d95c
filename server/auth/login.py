"""Checking credentials, with failed attempts rate-limited per username and per address."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server import settings
from server.auth.passwords import hash_password, needs_rehash, verify_password
from server.domain.errors import TooManyRequests, Unauthorized
from server.models import LoginAttempt, User


async def authenticate(username: str, password: str, remote: str) -> User:
    """The active user with these credentials, or an error that does not say which was wrong."""
    username = username.strip().lower()
    now = datetime.now(UTC)
    await _check_rate(username, remote, now)
    user = await User.get_or_none(username=username, active=True)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        await LoginAttempt.create(username=username, remote=remote, at=now)
        raise Unauthorized("Onjuiste gebruikersnaam of wachtwoord.", "username")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        await user.save(update_fields=["password_hash"])
    await LoginAttempt.filter(username=username).delete()
    return user


async def _check_rate(username: str, remote: str, now: datetime) -> None:
    window = timedelta(minutes=settings.LOGIN_WINDOW_MINUTES)
    since = now - window
    await LoginAttempt.filter(at__lt=since).delete()
    by_name = await LoginAttempt.filter(username=username, at__gte=since).count()
    # An address may try a few names (a shared office), not a dictionary of them.
    by_remote = await LoginAttempt.filter(remote=remote, at__gte=since).count()
    if by_name >= settings.LOGIN_MAX_FAILURES or by_remote >= settings.LOGIN_MAX_FAILURES * 4:
        minutes = settings.LOGIN_WINDOW_MINUTES
        raise TooManyRequests(
            f"Te veel mislukte inlogpogingen. Probeer het over {minutes} minuten opnieuw.",
            "username",
        )
