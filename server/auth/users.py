"""Creating and changing users."""

from __future__ import annotations

from server.auth.passwords import MIN_LENGTH, hash_password
from server.domain.errors import Conflict, Unprocessable
from server.domain.roles import Role
from server.models import Client, User


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
    if len(password) < MIN_LENGTH:
        raise Unprocessable(f"Het wachtwoord moet minstens {MIN_LENGTH} tekens hebben.", "password")
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
