"""The limit on failed logins: LOGIN_MAX_FAILURES per username and four times as many per
address within LOGIN_WINDOW_MINUTES; the last allowed try locks the key for a whole window.

Every try takes a slot before its password is checked, and gives it back when the password was
right. Taking a slot is one conditional UPDATE (`failures < limit`) on the key's row, which the
database makes atomic on SQLite (one writer) and PostgreSQL (the row lock, after which the
condition is checked again), so forty parallel tries get exactly LOGIN_MAX_FAILURES slots. The
count lives in the database because several app processes share it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from server import settings
from server.domain.errors import TooManyRequests
from server.models import LoginThrottle

# An address may fail a few names (a shared office), not a dictionary of them.
ADDRESS_FACTOR = 4


@dataclass(frozen=True)
class _Key:
    key: str
    limit: int
    by_address: bool
    # None: the login window (LOGIN_WINDOW_MINUTES).
    window: timedelta | None = None


class _Locked(Exception):
    def __init__(self, until: datetime, by_address: bool) -> None:
        self.until = until
        self.by_address = by_address


def _keys(username: str, remote: str) -> list[_Key]:
    most = settings.LOGIN_MAX_FAILURES
    # Usernames are at most 80 characters; whatever longer is typed shares one count.
    return [
        _Key(f"name:{username[:90]}", most, False),
        _Key(f"addr:{remote[:90]}", most * ADDRESS_FACTOR, True),
    ]


def _window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_WINDOW_MINUTES)


async def take_slot(username: str, remote: str, now: datetime) -> None:
    """Count this try as failed until its password proves right, or refuse it (429) when its
    username or address is locked out; a refused try is not counted."""
    await LoginThrottle.filter(
        Q(key__startswith="name:") | Q(key__startswith="addr:"), window_start__lte=now - _window()
    ).delete()
    try:
        async with in_transaction() as conn:
            found = [await _take(conn, key, now) for key in _keys(username, remote)]
            locked = [lock for lock in found if lock is not None]
            if locked:
                # Leaving by an exception rolls back the slots taken on the other keys.
                raise max(locked, key=lambda lock: lock.until)
    except _Locked as lock:
        raise _refusal(lock, now) from None


async def succeeded(username: str, remote: str) -> None:
    """The password was right: the username's count starts afresh, the address gets its slot
    back (other names may still be guessed from there)."""
    name, address = _keys(username, remote)
    await LoginThrottle.filter(key=name.key).delete()
    await LoginThrottle.filter(key=address.key, failures__gt=0).update(failures=F("failures") - 1)


async def clear(username: str) -> None:
    """Lift a lock-out of this username (a new password was set)."""
    await LoginThrottle.filter(key=_keys(username, "")[0].key).delete()


async def count(
    keys: Sequence[tuple[str, int]], window: timedelta, now: datetime
) -> datetime | None:
    """Count one try against each (key, limit), at most `limit` in `window`, for limits other
    than logins that share this table (their keys carry a prefix of their own, such as
    server/selfservice/limits.py): None when it may go on, else when the last locked key opens
    again. A refused try is counted on none of the keys."""
    try:
        async with in_transaction() as conn:
            found = [await _take(conn, _Key(k, most, False, window), now) for k, most in keys]
            locked = [lock for lock in found if lock is not None]
            if locked:
                raise max(locked, key=lambda lock: lock.until)
    except _Locked as lock:
        return lock.until
    return None


async def _take(conn: BaseDBAsyncClient, key: _Key, now: datetime) -> _Locked | None:
    window = key.window or _window()
    rows = LoginThrottle.filter(key=key.key).using_db(conn)
    # A concurrent clean-up may delete an expired row under us: then make it again.
    for _ in range(3):
        await LoginThrottle.bulk_create(
            [LoginThrottle(key=key.key, failures=0, window_start=now)],
            ignore_conflicts=True,
            using_db=conn,
        )
        # A window that has passed starts afresh (and so does a lock-out that has ended).
        await rows.filter(window_start__lte=now - window).update(failures=0, window_start=now)
        taken = await rows.filter(failures__lt=key.limit).update(failures=F("failures") + 1)
        row = await rows.get_or_none()
        if row is None:
            continue
        if not taken:
            return _Locked(row.window_start + window, key.by_address)
        if row.failures >= key.limit:
            # The last allowed try: a lock-out after it lasts a whole window from now.
            await rows.update(window_start=now)
        return None
    raise RuntimeError(f"login_throttle row {key.key!r} keeps disappearing")


async def take_limited(keys: list[tuple[str, int]], now: datetime, message: str) -> None:
    """Count one request against each (key, limit) in the current window, or refuse it (429)
    with `message` when one is used up: for requests that are limited whatever their answer
    (a password reset by e-mail)."""
    await LoginThrottle.filter(window_start__lte=now - _window()).delete()
    try:
        async with in_transaction() as conn:
            for key, limit in keys:
                lock = await _take(conn, _Key(key[:100], limit, False), now)
                if lock is not None:
                    raise lock
    except _Locked as lock:
        seconds = max(1, math.ceil(min(lock.until - now, _window()).total_seconds()))
        raise TooManyRequests(message, "email", retry_after=seconds) from None


def _refusal(lock: _Locked, now: datetime) -> TooManyRequests:
    # A try that waited for the row's lock has a `now` from before the lock-out began.
    left = min(lock.until - now, _window())
    seconds = max(1, math.ceil(left.total_seconds()))
    minutes = math.ceil(seconds / 60)
    wait = "1 minuut" if minutes == 1 else f"{minutes} minuten"
    if lock.by_address:
        message = (
            f"Te veel mislukte pogingen vanaf deze verbinding. Probeer het over {wait} opnieuw."
        )
    else:
        message = (
            f"Te veel mislukte pogingen. Probeer het over {wait} opnieuw, of vraag de supervisie"
            " om uw wachtwoord opnieuw in te stellen."
        )
    return TooManyRequests(message, "username", retry_after=seconds)
