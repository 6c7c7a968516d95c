"""Creating users and setting their passwords; every new password goes through the rule in
server/auth/password_rule.py (the demo loader alone hashes its public password directly)."""

from __future__ import annotations

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from server.auth import login_limit, password_rule
from server.auth.passwords import hash_password
from server.domain.errors import Conflict, NotFound, Unprocessable
from server.domain.roles import Role
from server.models import ApiToken, Client, User


async def create_user(
    username: str,
    role: str,
    password: str,
    client_code: str | None = None,
    full_name: str = "",
    email: str = "",
) -> User:
    username = username.strip().lower()
    if not username or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise Unprocessable(
            f"'{username}' is geen geldige gebruikersnaam (letters, cijfers, . - _).", "username"
        )
    if role not in Role._value2member_map_:
        raise Unprocessable(f"Onbekende rol '{role}'.", "role")
    password_rule.check(password, password_rule.personal_words(username, full_name, email))
    client = None
    if role == Role.CLIENT:
        if not client_code:
            raise Unprocessable(
                "Een opdrachtgever-gebruiker hoort bij een opdrachtgever (--client).", "client"
            )
        client = await Client.get_or_none(code=client_code.strip().upper())
        if client is None:
            raise Unprocessable(f"Opdrachtgever '{client_code}' bestaat niet.", "client")
    elif client_code:
        raise Unprocessable(
            "Alleen gebruikers met rol 'client' horen bij een opdrachtgever.", "client"
        )
    if await User.exists(username=username):
        raise Conflict(f"Gebruiker '{username}' bestaat al.", "username")
    return await User.create(
        username=username,
        role=role,
        client=client,
        full_name=full_name.strip(),
        email=email.strip(),
        password_hash=hash_password(password),
    )


async def set_password(username: str, password: str) -> User:
    """A new password (by the beheerder, e.g. after a lock-out, which it lifts). It ends the
    user's sessions and revokes his API tokens: whoever had the old one may have used them."""
    user = await User.get_or_none(username=username.strip().lower())
    if user is None:
        raise NotFound(f"Gebruiker '{username}' bestaat niet.", "username")
    personal = password_rule.personal_words(user.username, user.full_name, user.email)
    password_rule.check(password, personal)
    async with in_transaction() as conn:
        await (
            User.filter(id=user.id)
            .using_db(conn)
            .update(password_hash=hash_password(password), session_epoch=F("session_epoch") + 1)
        )
        await ApiToken.filter(user_id=user.id).using_db(conn).delete()
    await login_limit.clear(user.username)
    return user
