"""The Jinja2 sandbox client templates render in, and the date filters (Dutch, or the language
being rendered: server.i18n).

Jinja2's immutable sandbox already blocks `__class__` and friends, unsafe methods and changes
to what is passed in. On top of that: strict undefined variables, and none of the easy ways to
make huge output from a short text (`range`, `lipsum`, `**`, multiplying text, `center`, …).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from jinja2 import BaseLoader, StrictUndefined, select_autoescape
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from server import i18n
from server.domain import dutch

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Jinja2's filters that cannot turn a short template into huge output (center, indent,
# format and wordwrap can), and not `safe`: what a tenant typed is always escaped in HTML.
FILTERS = [
    "abs",
    "capitalize",
    "count",
    "d",
    "default",
    "e",
    "escape",
    "first",
    "join",
    "last",
    "length",
    "lower",
    "replace",
    "round",
    "sort",
    "string",
    "striptags",
    "title",
    "trim",
    "truncate",
    "upper",
    "urlencode",
]


class Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, also without the ways to make huge output from a short text.

    Messages need no `range`, `lipsum` and friends; `**` and multiplying text or lists are
    the other easy ways to tie up a worker.
    """

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            raise SecurityError("machtsverheffen (**) is niet toegestaan")
        if isinstance(left, str | list | tuple) or isinstance(right, str | list | tuple):
            raise SecurityError("tekst of lijsten vermenigvuldigen is niet toegestaan")
        return super().call_binop(context, operator, left, right)


def sandbox(loader: BaseLoader) -> Sandbox:
    """A sandbox over `loader`: autoescaped for .html names, strict about variables."""
    env = Sandbox(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html"], default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    for name in ("range", "lipsum", "cycler", "joiner", "namespace"):
        env.globals.pop(name, None)
    env.filters = {name: env.filters[name] for name in FILTERS}
    env.filters.update(datum=_date, tijd=_time, moment=_moment)
    return env


def _local(at: Any) -> datetime | None:
    if at is None:
        return None
    if not isinstance(at, datetime):
        raise TypeError(f"a date filter needs a datetime, not {type(at).__name__}")
    return at.astimezone(AMSTERDAM)


def _date(at: Any) -> str:
    """`dinsdag 4 maart`"""
    local = _local(at)
    if local is None:
        return ""
    language = i18n.current()
    if language == i18n.SOURCE:
        return dutch.long_day(local)
    return str(format_date(local, "EEEE d MMMM", locale=language))


def _time(at: Any) -> str:
    """`08:30`"""
    local = _local(at)
    return "" if local is None else dutch.clock(local)


def _moment(at: Any) -> str:
    """`dinsdag 4 maart om 08:30`"""
    if at is None:
        return ""
    return i18n.gettext("%(date)s om %(time)s") % {"date": _date(at), "time": _time(at)}
