"""Accounts on the admin screen: inviting a user by e-mail, the single-use link with which he
sets a password, a password reset by e-mail (the same answer for any address), deactivating.

A link's token is random and only its SHA-256 is stored; using it, or asking a new one, ends
every other link of the same purpose for that user.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from server import settings
from server.admin import changes, mail
from server.auth import login_limit, password_rule
from server.auth.passwords import hash_password
from server.domain.errors import Conflict, Forbidden, NotFound, Unprocessable
from server.domain.roles import ROLE_LABELS, Role
from server.models import AccountLink, ApiToken, Client, Contractor, User

log = logging.getLogger(__name__)

INVITE_DAYS = 7
RESET_HOURS = 2
# A password hash no password matches (argon2 cannot read it): an invited user's, until he
# sets his own.
NO_PASSWORD = "!uitgenodigd"
# Per typed address and per connection, within the login window.
RESET_PER_ADDRESS = 3
RESET_PER_CONNECTION = 10
_USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-_")

PURPOSES = {"invite": timedelta(days=INVITE_DAYS), "reset": timedelta(hours=RESET_HOURS)}


@dataclass
class UserInput:
    username: str
    full_name: str
    email: str
    role: str
    client_code: str = ""
    # A contractor's own user (role `contractor`) works for one contractor, chosen here.
    contractor_code: str = ""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def now() -> datetime:
    return datetime.now(UTC)


def check_input(data: UserInput) -> None:
    username = data.username.strip().lower()
    if not (2 <= len(username) <= 80) or not set(username) <= _USERNAME_CHARS:
        raise Unprocessable(
            "Een gebruikersnaam is 2 tot 80 tekens: letters, cijfers, punt, streepje of"
            " liggend streepje.",
            "username",
        )
    if data.role not in ROLE_LABELS:
        raise Unprocessable("Kies een rol uit de lijst.", "role")
    email = data.email.strip()
    if len(email) > 254 or email.count("@") != 1 or "." not in email.split("@")[1]:
        raise Unprocessable("Vul een geldig e-mailadres in: de uitnodiging gaat daarheen.", "email")
    if any(c in email for c in " \r\n<>,;\"'"):
        raise Unprocessable("Vul een geldig e-mailadres in: de uitnodiging gaat daarheen.", "email")
    if len(data.full_name) > 200:
        raise Unprocessable("Een naam is hoogstens 200 tekens.", "full_name")


async def client_of(role: str, code: str) -> Client | None:
    if role != Role.CLIENT:
        return None
    client = await Client.get_or_none(code=code.strip().upper()) if code.strip() else None
    if client is None:
        raise Unprocessable("Een opdrachtgever-gebruiker hoort bij een opdrachtgever.", "client")
    return client


async def contractor_of(role: str, code: str) -> Contractor | None:
    if role != Role.CONTRACTOR:
        return None
    contractor = await Contractor.get_or_none(code=code.strip().upper()) if code.strip() else None
    if contractor is None:
        raise Unprocessable(
            "Een aannemer-gebruiker hoort bij een aannemer: kies de aannemer.", "contractor"
        )
    return contractor


def _fields(user: User) -> dict[str, object]:
    return {
        "gebruikersnaam": user.username,
        "naam": user.full_name,
        "e-mail": user.email,
        "rol": ROLE_LABELS.get(user.role, user.role),
        "opdrachtgever": user.client.code if user.client else "",
        "aannemer": user.contractor.code if user.contractor else "",
        "actief": user.active,
    }


async def invite(by: User, data: UserInput) -> tuple[User, str]:
    """A new user without password, and the link to set one; the link is mailed to him."""
    check_input(data)
    username = data.username.strip().lower()
    client = await client_of(data.role, data.client_code)
    contractor = await contractor_of(data.role, data.contractor_code)
    if await User.exists(username=username):
        raise Conflict(f"Gebruiker '{username}' bestaat al.", "username")
    async with in_transaction() as conn:
        user = await User.create(
            username=username,
            full_name=" ".join(data.full_name.split()),
            email=data.email.strip(),
            role=data.role,
            client=client,
            contractor=contractor,
            password_hash=NO_PASSWORD,
            using_db=conn,
        )
        await user.fetch_related("client", "contractor", using_db=conn)
        await changes.record(by, "user", user.id, changes.diff({}, _fields(user)), using_db=conn)
        link = await _new_link(user, "invite", conn)
    await mail.send_invite(user, link)
    return user, link


async def resend_invite(by: User, user: User) -> str:
    if user.password_hash != NO_PASSWORD:
        raise Conflict(f"{user} heeft al een wachtwoord; stuur een herstellink.", "user")
    link = await _new_link(user, "invite")
    await changes.record(by, "user", user.id, {"uitnodiging": ("", "opnieuw verstuurd")})
    await mail.send_invite(user, link)
    return link


async def update(by: User, user: User, data: UserInput) -> User:
    """Name, e-mail, role, client and contractor; the username stays. A changed role, client
    or contractor ends his sessions and tokens: they were granted to the old one."""
    data.username = user.username
    check_input(data)
    if user.id == by.id and data.role != user.role:
        raise Forbidden("U kunt uw eigen rol niet wijzigen.")
    client = await client_of(data.role, data.client_code)
    contractor = await contractor_of(data.role, data.contractor_code)
    await user.fetch_related("client", "contractor")
    before = _fields(user)
    scope_changed = (
        data.role != user.role
        or (client.id if client else None) != user.client_id  # type: ignore[attr-defined]
        or (contractor.id if contractor else None) != user.contractor_id  # type: ignore[attr-defined]
    )
    user.full_name = " ".join(data.full_name.split())
    user.email = data.email.strip()
    user.role = data.role
    user.client = client
    user.contractor = contractor
    async with in_transaction() as conn:
        await user.save(using_db=conn)
        if scope_changed:
            await end_sessions(user, conn)
        await changes.record(
            by, "user", user.id, changes.diff(before, _fields(user)), using_db=conn
        )
    return user


async def set_active(by: User, user: User, active: bool) -> None:
    """Deactivating ends his sessions and API tokens at once; reactivating gives none back."""
    if user.id == by.id:
        raise Forbidden("U kunt uzelf niet deactiveren.")
    if user.active == active:
        return
    async with in_transaction() as conn:
        await User.filter(id=user.id).using_db(conn).update(active=active)
        if not active:
            await end_sessions(user, conn)
            await AccountLink.filter(user_id=user.id, used_at=None).using_db(conn).delete()
        await changes.record(
            by,
            "user",
            user.id,
            {"actief": (changes.shown(not active), changes.shown(active))},
            using_db=conn,
        )
    user.active = active


async def end_sessions(user: User, conn: BaseDBAsyncClient | None) -> None:
    """Every session cookie and API token of his stops working at once."""
    await User.filter(id=user.id).using_db(conn).update(session_epoch=F("session_epoch") + 1)
    await ApiToken.filter(user_id=user.id).using_db(conn).delete()


async def _new_link(user: User, purpose: str, conn: BaseDBAsyncClient | None = None) -> str:
    token = secrets.token_urlsafe(32)
    moment = now()
    await AccountLink.filter(user_id=user.id, purpose=purpose, used_at=None).using_db(conn).delete()
    await AccountLink.create(
        user=user,
        purpose=purpose,
        token_hash=_digest(token),
        created_at=moment,
        expires_at=moment + PURPOSES[purpose],
        using_db=conn,
    )
    return f"{settings.BASE_URL}/account/wachtwoord/{token}"


async def link_user(token: str, at: datetime | None = None) -> tuple[AccountLink, User]:
    """The unused, unexpired link and its active user, or one answer for every other case."""
    link = await AccountLink.get_or_none(token_hash=_digest(token)).prefetch_related("user")
    moment = at or now()
    if (
        link is None
        or link.used_at is not None
        or link.expires_at <= moment
        or not link.user.active
    ):
        raise NotFound(
            "Deze link is verlopen of al gebruikt. Vraag een nieuwe aan via 'Wachtwoord"
            " vergeten' of bij de beheerder.",
            "token",
        )
    return link, link.user


async def set_password_by_link(token: str, password: str, repeat: str) -> User:
    link, user = await link_user(token)
    if password != repeat:
        raise Unprocessable("De twee wachtwoorden zijn niet gelijk.", "repeat")
    password_rule.check(
        password, password_rule.personal_words(user.username, user.full_name, user.email)
    )
    hashed = await asyncio.to_thread(hash_password, password)
    async with in_transaction() as conn:
        # Conditional: of two tabs sending the same link, one wins.
        used = (
            await AccountLink.filter(id=link.id, used_at=None).using_db(conn).update(used_at=now())
        )
        if not used:
            raise NotFound("Deze link is al gebruikt.", "token")
        await AccountLink.filter(user_id=user.id, used_at=None).using_db(conn).delete()
        await User.filter(id=user.id).using_db(conn).update(password_hash=hashed)
        await end_sessions(user, conn)
        what = "ingesteld via uitnodiging" if link.purpose == "invite" else "hersteld via e-mail"
        await changes.record(user, "user", user.id, {"wachtwoord": ("", what)}, using_db=conn)
    await login_limit.clear(user.username)
    await user.refresh_from_db()
    return user


async def request_reset(email: str, remote: str, at: datetime | None = None) -> None:
    """Mail a reset link to the active user(s) with this address. Says nothing either way:
    the page answers the same for an unknown address (no user enumeration), and the limit
    counts every request, known address or not."""
    address = email.strip().lower()[:254]
    await login_limit.take_limited(
        [(f"reset:{address}", RESET_PER_ADDRESS), (f"reset-addr:{remote}", RESET_PER_CONNECTION)],
        at or now(),
        "Te veel aanvragen. Probeer het later opnieuw, of vraag de beheerder.",
    )
    if not address:
        return
    users = [
        u
        for u in await User.filter(active=True, email__iexact=address)
        if u.password_hash != NO_PASSWORD
    ]
    for user in users:
        link = await _new_link(user, "reset")
        try:
            await mail.send_reset(user, link)
        except Exception:  # the page's answer must not tell whether a mail went out
            log.exception("password reset mail to user %s failed", user.id)


async def get_user(user_id: str) -> User:
    user = (
        await User.get_or_none(id=int(user_id)).prefetch_related("client", "contractor")
        if user_id.isdigit() and len(user_id) < 10
        else None
    )
    if user is None:
        raise NotFound(f"Gebruiker '{user_id[:20]}' niet gevonden.", "user")
    return user
