"""Two-factor login with TOTP (RFC 6238, pyotp): enrolment with a QR code drawn here (segno,
no outside service), codes good once, recovery codes, and the roles that must use it.

Staff and client users may use it; the admin screen decides for which roles it is required
(`two_factor_roles`). Technicians log in on their phone with a device token and are not asked.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

import pyotp
import segno
from tortoise.transactions import in_transaction

from server.admin import accounts, changes
from server.auth import login_limit
from server.domain.errors import TooManyRequests, Unprocessable
from server.domain.roles import Role
from server.models import ApiToken, LoginThrottle, PlatformSetting, TwoFactor, User

ISSUER = "Meldkamer"
# The roles that may use two-factor login (and so may be required to).
ELIGIBLE = (Role.ADMIN, Role.SUPERVISOR, Role.AGENT, Role.CLIENT)
RECOVERY_CODES = 10
SETTING = "two_factor_roles"
# One step either side of now: a phone clock half a minute off still works.
DRIFT_STEPS = 1


def _hash(code: str) -> str:
    return hashlib.sha256(_plain(code).encode()).hexdigest()


def _plain(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


async def required_roles() -> list[str]:
    row = await PlatformSetting.get_or_none(key=SETTING)
    value = row.value if row is not None else []
    return [r for r in value if r in ELIGIBLE] if isinstance(value, list) else []


async def set_required_roles(by: User, roles: list[str]) -> int:
    """Store the roles that must use two-factor login. Logged-in users of a newly required role
    are asked on their next request (server/web/second_step.py); the API tokens of those who
    have not set it up are revoked now, as a token outlives any session. Returns how many."""
    wanted = [r for r in ELIGIBLE if r in roles]
    unknown = set(roles) - set(wanted)
    if unknown:
        raise Unprocessable(
            "Tweestapsverificatie kan alleen voor medewerkers en opdrachtgevers.", "roles"
        )
    before = await required_roles()
    newly = [r for r in wanted if r not in before]
    async with in_transaction() as conn:
        await PlatformSetting.update_or_create(
            defaults={"value": wanted}, key=SETTING, using_db=conn
        )
        enrolled_ids = (
            await TwoFactor.filter(confirmed_at__isnull=False)
            .using_db(conn)
            .values_list("user_id", flat=True)
        )
        without = await (
            User.filter(role__in=newly).exclude(id__in=enrolled_ids).using_db(conn)
        ).values_list("id", flat=True)
        revoked = (
            await ApiToken.filter(user_id__in=without).using_db(conn).delete() if without else 0
        )
        record = changes.diff({"tweestaps_verplicht": before}, {"tweestaps_verplicht": wanted})
        if revoked:
            record["API-tokens zonder tweestaps"] = ("", f"{revoked} ingetrokken")
        await changes.record(by, "settings", "platform", record, using_db=conn)
    return revoked


async def enrolled(user: User) -> bool:
    return await TwoFactor.exists(user_id=user.id, confirmed_at__isnull=False)


async def must_enrol(user: User) -> bool:
    return user.role in await required_roles() and not await enrolled(user)


async def start(user: User) -> TwoFactor:
    """The pending secret to show (made once; a confirmed one is not replaced here)."""
    row = await TwoFactor.get_or_none(user_id=user.id)
    if row is None:
        row = await TwoFactor.create(user=user, secret=pyotp.random_base32())
    elif row.confirmed_at is None and not row.secret:
        row.secret = pyotp.random_base32()
        await row.save()
    return row


def uri(user: User, row: TwoFactor) -> str:
    return pyotp.TOTP(row.secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(text: str) -> str:
    """The QR code as inline SVG (dark on white: scanners need the contrast)."""
    return str(
        segno.make(text, error="m").svg_inline(
            scale=5, dark="#000", light="#fff", title="QR-code voor uw authenticator-app"
        )
    )


def _matching_step(secret: str, code: str, last_step: int, at: datetime) -> int | None:
    digits = _plain(code)
    if len(digits) != 6 or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(at)
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if step > last_step and secrets.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


async def confirm(user: User, code: str, at: datetime | None = None) -> list[str]:
    """Check the first code from his app; then two-factor login counts for him. Returns the
    recovery codes, shown once."""
    row = await TwoFactor.get_or_none(user_id=user.id)
    if row is None or row.confirmed_at is not None:
        raise Unprocessable("Begin opnieuw met het instellen van tweestapsverificatie.", "code")
    moment = at or datetime.now(UTC)
    step = _matching_step(row.secret, code, row.last_step, moment)
    if step is None:
        raise Unprocessable(
            "Deze code klopt niet. Kijk of de klok van uw telefoon goed staat en probeer de"
            " code die de app nu toont.",
            "code",
        )
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    row.confirmed_at = moment
    row.last_step = step
    row.recovery_hashes = [_hash(c) for c in codes]
    await row.save()
    await changes.record(user, "user", user.id, {"tweestapsverificatie": ("", "ingesteld")})
    return [f"{c[:5]}-{c[5:]}" for c in codes]


async def verify(user: User, code: str, at: datetime | None = None) -> bool:
    """A code from his app (good once) or one of his recovery codes (used up)."""
    row = await TwoFactor.get_or_none(user_id=user.id, confirmed_at__isnull=False)
    if row is None or len(code) > 40:
        return False
    step = _matching_step(row.secret, code, row.last_step, at or datetime.now(UTC))
    if step is not None:
        # Conditional: the same code sent twice at once counts once.
        return bool(
            await TwoFactor.filter(user_id=user.id, last_step__lt=step).update(last_step=step)
        )
    hashed = _hash(code)
    async with in_transaction() as conn:
        fresh = await TwoFactor.filter(user_id=user.id).using_db(conn).select_for_update().first()
        if fresh is None or hashed not in fresh.recovery_hashes:
            return False
        fresh.recovery_hashes = [h for h in fresh.recovery_hashes if h != hashed]
        await fresh.save(update_fields=["recovery_hashes"], using_db=conn)
    await changes.record(user, "user", user.id, {"herstelcode": ("", "gebruikt")})
    return True


async def recovery_left(user: User) -> int:
    row = await TwoFactor.get_or_none(user_id=user.id)
    return len(row.recovery_hashes) if row else 0


async def reset(by: User, user: User) -> None:
    """Remove his second factor (a lost phone). His sessions and API tokens end with it: the
    lost phone may hold one, and a session that showed a code to a factor that is gone no
    longer counts as having shown one. He logs in again and enrols if his role requires it."""
    async with in_transaction() as conn:
        deleted = await TwoFactor.filter(user_id=user.id).using_db(conn).delete()
        if deleted:
            await accounts.end_sessions(user, conn)
            await changes.record(
                by,
                "user",
                user.id,
                {"tweestapsverificatie": ("ingesteld", "verwijderd")},
                using_db=conn,
            )


def too_many() -> TooManyRequests:
    return TooManyRequests("Te veel onjuiste codes. Log opnieuw in.", "code")


# Tries at a code per user within the login window, counted in the database: a pending login
# lives in a signed cookie, which a replay would reset.
MAX_TRIES = 5


async def take_try(user: User, at: datetime | None = None) -> None:
    """Count one try at a code for `user`, or refuse it (429) when he has had his tries."""
    await login_limit.take_limited(
        [(f"code:{user.id}", MAX_TRIES)],
        at or datetime.now(UTC),
        "Te veel onjuiste codes. Probeer het later opnieuw of vraag de beheerder.",
    )


async def tries_succeeded(user: User) -> None:
    await LoginThrottle.filter(key=f"code:{user.id}").delete()


async def check(user: User, code: str) -> bool:
    """`verify`, counted against the user's tries."""
    await take_try(user)
    if await verify(user, code):
        await tries_succeeded(user)
        return True
    return False
