"""Checking credentials, with failed attempts limited per username and per address
(server/auth/login_limit.py)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from server.auth import login_limit
from server.auth.passwords import hash_password, needs_rehash, verify_password
from server.domain.errors import Forbidden, Unauthorized
from server.domain.roles import Role
from server.models import User

# A contractor's user sees only his contractor's orders: without one there is nothing to show.
NO_CONTRACTOR = (
    "Uw account is nog niet aan een aannemer gekoppeld, dus het aannemersportaal heeft niets"
    " voor u. Vraag de beheerder van de meldkamer u aan uw aannemer te koppelen."
)


async def authenticate(
    username: str, password: str, remote: str, now: datetime | None = None
) -> User:
    """The active user with these credentials, or an error that does not say which was wrong."""
    username = username.strip().lower()
    await login_limit.take_slot(username, remote, now or datetime.now(UTC))
    user = await User.get_or_none(username=username, active=True)
    # argon2 is slow on purpose: in a thread, so one login does not hold up every request.
    right = await asyncio.to_thread(verify_password, user.password_hash if user else None, password)
    if not right or user is None:
        raise Unauthorized("Onjuiste gebruikersnaam of wachtwoord.", "username")
    if needs_rehash(user.password_hash):
        user.password_hash = await asyncio.to_thread(hash_password, password)
        await user.save(update_fields=["password_hash"])
    await login_limit.succeeded(username, remote)
    if user.role == Role.CONTRACTOR and user.contractor_id is None:  # type: ignore[attr-defined]
        raise Forbidden(NO_CONTRACTOR, "username")
    return user
