"""Creating users and setting their passwords; every new password goes through the rule in
server/auth/password_rule.py (the demo loader alone hashes its public password directly)."""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from server.auth import login_limit, password_rule
from server.auth.passwords import hash_password
from server.dispatch import technicians
from server.domain.errors import Conflict, NotFound, Unprocessable
from server.domain.roles import Role
from server.models import ApiToken, Client, Contractor, User


async def create_user(
    username: str,
    role: str,
    password: str,
    client_code: str | None = None,
    full_name: str = "",
    email: str = "",
    trades: Sequence[str] = (),
    home_postcode: str = "",
    phone: str = "",
    contractor_code: str | None = None,
) -> User:
    """A user; a technician also gets the technician record the desk sends jobs to, with his
    trades, home postcode and phone (all checked before anything is written). A contractor's
    user belongs to its contractor; a technician may (his employer, who can send him work)."""
    username = username.strip().lower()
    if not username or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise Unprocessable(
            f"'{username}' is geen geldige gebruikersnaam (letters, cijfers, . - _).", "username"
        )
    if role not in Role._value2member_map_:
        raise Unprocessable(f"Onbekende rol '{role}'.", "role")
    password_rule.check(password, password_rule.personal_words(username, full_name, email))
    client = await _client_for(role, client_code)
    contractor = await _contractor_for(role, contractor_code)
    technician = _technician_for(role, trades, home_postcode, phone)
    if await User.exists(username=username):
        raise Conflict(f"Gebruiker '{username}' bestaat al.", "username")
    async with in_transaction() as conn:
        user = await User.create(
            username=username,
            role=role,
            client=client,
            contractor=contractor if role == Role.CONTRACTOR else None,
            full_name=full_name.strip(),
            email=email.strip(),
            password_hash=hash_password(password),
            using_db=conn,
        )
        if technician is not None:
            await technicians.create(
                str(user), technician, user=user, contractor=contractor, using_db=conn
            )
    return user


async def _client_for(role: str, client_code: str | None) -> Client | None:
    if role != Role.CLIENT:
        if client_code:
            raise Unprocessable(
                "Alleen gebruikers met rol 'client' horen bij een opdrachtgever.", "client"
            )
        return None
    if not client_code:
        raise Unprocessable(
            "Een opdrachtgever-gebruiker hoort bij een opdrachtgever (--client).", "client"
        )
    client = await Client.get_or_none(code=client_code.strip().upper())
    if client is None:
        raise Unprocessable(f"Opdrachtgever '{client_code}' bestaat niet.", "client")
    return client


async def _contractor_for(role: str, contractor_code: str | None) -> Contractor | None:
    if role not in (Role.CONTRACTOR, Role.TECHNICIAN):
        if contractor_code:
            raise Unprocessable(
                "Alleen een aannemer of monteur (--role contractor of technician) hoort bij een "
                "aannemer.",
                "contractor",
            )
        return None
    if not contractor_code:
        if role == Role.CONTRACTOR:
            raise Unprocessable(
                "Een aannemer-gebruiker hoort bij een aannemer (--contractor).", "contractor"
            )
        return None
    contractor = await Contractor.get_or_none(code=contractor_code.strip().upper())
    if contractor is None:
        raise Unprocessable(f"Aannemer '{contractor_code}' bestaat niet.", "contractor")
    return contractor


def _technician_for(
    role: str, trades: Sequence[str], home_postcode: str, phone: str
) -> technicians.TechnicianSpec | None:
    if role == Role.TECHNICIAN:
        return technicians.spec(trades, home_postcode, phone)
    if trades or home_postcode or phone:
        raise Unprocessable(
            "Alleen een monteur (--role technician) heeft vakdisciplines, een thuispostcode en"
            " een telefoonnummer.",
            "trade",
        )
    return None


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
