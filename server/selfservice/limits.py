"""The limits on online reporting: per connection (IP), per mobile number or e-mail address and
per home, within WINDOW. They share the login limit's table and its one-statement counting
(server/auth/login_limit.py), under keys of their own ("melden:…")."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from server.auth import login_limit
from server.domain.errors import TooManyRequests
from server.i18n import gettext as _
from server.models import LoginThrottle

PREFIX = "melden:"
WINDOW = timedelta(hours=1)
# Codes sent to one number or address, reports begun for one home, and both from one
# connection (a shared one, a library or an office, makes a few), each within WINDOW.
PER_CONTACT = 3
PER_HOME = 5
PER_CONNECTION = 10
# Wrong codes typed from one connection within WINDOW, over all its reports.
WRONG_CODES_PER_CONNECTION = 15


def _key(kind: str, value: str) -> str:
    return f"{PREFIX}{kind}:{value}"[:100]


async def starting(remote: str, contact: str, home: str, now: datetime) -> None:
    """Count a code about to be sent for `home` to `contact` from `remote`, or refuse (429)."""
    await LoginThrottle.filter(key__startswith=PREFIX, window_start__lte=now - WINDOW).delete()
    keys = [
        (_key("contact", contact), PER_CONTACT),
        (_key("home", home), PER_HOME),
        (_key("ip", remote), PER_CONNECTION),
    ]
    await _refuse_if_locked(await login_limit.count(keys, WINDOW, now), now)


async def wrong_code(remote: str, now: datetime) -> None:
    """Count a wrong code from `remote`, or refuse (429) once it has typed too many."""
    key = [(_key("wrong", remote), WRONG_CODES_PER_CONNECTION)]
    await _refuse_if_locked(await login_limit.count(key, WINDOW, now), now)


async def _refuse_if_locked(until: datetime | None, now: datetime) -> None:
    if until is None:
        return
    seconds = max(1, math.ceil(min(until - now, WINDOW).total_seconds()))
    minutes = math.ceil(seconds / 60)
    raise TooManyRequests(
        _(
            "Te veel pogingen. Probeer het over %(minutes)s minuten opnieuw, of bel ons als het "
            "dringend is."
        )
        % {"minutes": minutes},
        "limit",
        retry_after=seconds,
    )
