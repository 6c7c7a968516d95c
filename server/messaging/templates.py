"""Render messages from Jinja2 templates in a sandbox, with a client's own versions first.

Built-in templates live in `templates/<kind>/<file>`; a client overrides one by passing
`{"melding_ontvangen/sms.txt": "..."}`. Clients write these themselves, so rendering uses
Jinja2's immutable sandbox (no `__class__`, no calling unsafe methods, no changing what is
passed in) and strict undefined variables; `validate_template` checks a text before it is
saved by compiling it and rendering it with the sample message of its kind.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    DictLoader,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    meta,
    nodes,
    select_autoescape,
)
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from server.messaging.kinds import CHANNELS, Channel, Kind, template_names
from server.messaging.messages import Message, TenantMessage
from server.messaging.samples import SAMPLES

TEMPLATES = Path(__file__).parent / "templates"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
# A client's template may be long, but not without end.
MAX_TEMPLATE = 20_000
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


class TemplateProblem(ValueError):
    """A client's template cannot be used; the message says why, in Dutch."""


@dataclass(frozen=True)
class EmailContent:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class PushContent:
    title: str
    body: str
    url: str
    tag: str

    def payload(self) -> dict[str, str]:
        """The JSON the service worker receives; `tag` lets a newer notice replace an older."""
        return {"title": self.title, "body": self.body, "url": self.url, "tag": self.tag}


def render_sms(message: Message, overrides: Mapping[str, str] | None = None) -> str:
    env = _environment(message.kind, Channel.SMS, overrides)
    return _one_line(_render(env, f"{message.kind}/sms.txt", message))


def render_email(message: Message, overrides: Mapping[str, str] | None = None) -> EmailContent:
    env = _environment(message.kind, Channel.EMAIL, overrides)
    return EmailContent(
        subject=" ".join(_render(env, f"{message.kind}/onderwerp.txt", message).split()),
        text=_render(env, f"{message.kind}/email.txt", message).strip() + "\n",
        html=_render(env, f"{message.kind}/email.html", message).strip() + "\n",
    )


def render_push(message: TenantMessage, overrides: Mapping[str, str] | None = None) -> PushContent:
    env = _environment(message.kind, Channel.PUSH, overrides)
    return PushContent(
        title=_one_line(_render(env, f"{message.kind}/push_titel.txt", message)),
        body=_one_line(_render(env, f"{message.kind}/push_tekst.txt", message)),
        url=message.volgen_url,
        tag=message.ordernummer,
    )


def builtin_source(name: str) -> str:
    """The text of a built-in template, to start a client's own version from."""
    if name not in _all_names():
        raise KeyError(name)
    return (TEMPLATES / name).read_text(encoding="utf-8")


def variables(kind: Kind) -> list[str]:
    """The variables a template of this kind may use."""
    return sorted(SAMPLES[kind].context())


def validate_template(text: str, name: str | None = None) -> None:
    """Raise `TemplateProblem` unless `text` can stand in for template `name`.

    Checks the syntax, that every variable exists for the kind (a typo would otherwise only
    show when a tenant's message fails), and renders it with the kind's sample message, which
    also catches what the sandbox forbids. Without a name, the variables of every kind count.
    """
    if len(text) > MAX_TEMPLATE:
        raise TemplateProblem(f"Sjabloon is te lang ({len(text)} tekens, maximaal {MAX_TEMPLATE}).")
    if name is None:
        name = "sjabloon.html" if "<" in text else "sjabloon.txt"
    elif name not in _all_names():
        raise TemplateProblem(f"Onbekend sjabloon: {name}.")
    kinds = [Kind(name.split("/", 1)[0])] if "/" in name else list(Kind)
    context: dict[str, object] = {}
    for kind in kinds:
        context.update(SAMPLES[kind].context())
    env = _sandbox(ChoiceLoader([DictLoader({name: text}), FileSystemLoader(TEMPLATES)]))
    try:
        tree = env.parse(text)
        used = meta.find_undeclared_variables(tree)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"Fout in sjabloon op regel {exc.lineno}: {exc.message}") from exc
    unknown = sorted(used - set(context) - set(env.globals) - _imported(tree))
    if unknown:
        raise TemplateProblem(
            f"Onbekende variabele in sjabloon: {', '.join(unknown)}. "
            f"Beschikbaar: {', '.join(sorted(context))}."
        )
    try:
        env.get_template(name).render(context)
    except SecurityError as exc:
        raise TemplateProblem(f"Niet toegestaan in een sjabloon: {exc}") from exc
    except TemplateError as exc:
        raise TemplateProblem(f"Sjabloon werkt niet: {exc}") from exc


def _imported(tree: nodes.Template) -> set[str]:
    """Names a template imports (`{% from "_knop.html" import knop %}`): not variables."""
    names: set[str] = set()
    for node in tree.find_all(nodes.FromImport):
        names.update(name if isinstance(name, str) else name[1] for name in node.names)
    for imported in tree.find_all(nodes.Import):
        names.add(imported.target)
    return names


def _render(env: ImmutableSandboxedEnvironment, name: str, message: Message) -> str:
    return env.get_template(name).render(message.context())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _environment(
    kind: Kind, channel: Channel, overrides: Mapping[str, str] | None
) -> ImmutableSandboxedEnvironment:
    if channel not in CHANNELS[kind]:
        raise ValueError(f"{kind} has no {channel} message")
    if not overrides:
        return _builtin()
    unknown = set(overrides) - _all_names()
    if unknown:
        raise ValueError(f"unknown template names: {', '.join(sorted(unknown))}")
    # A fresh environment per client: its templates never land in a cache another sees.
    return _sandbox(ChoiceLoader([DictLoader(dict(overrides)), FileSystemLoader(TEMPLATES)]))


@functools.cache
def _builtin() -> ImmutableSandboxedEnvironment:
    return _sandbox(FileSystemLoader(TEMPLATES))


@functools.cache
def _all_names() -> frozenset[str]:
    return frozenset({"_layout.html", *(name for kind in Kind for name in template_names(kind))})


class _Sandbox(ImmutableSandboxedEnvironment):
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


def _sandbox(loader: BaseLoader) -> ImmutableSandboxedEnvironment:
    env = _Sandbox(
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
    return f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]}"


def _time(at: Any) -> str:
    """`08:30`"""
    local = _local(at)
    return "" if local is None else f"{local:%H:%M}"


def _moment(at: Any) -> str:
    """`dinsdag 4 maart om 08:30`"""
    return f"{_date(at)} om {_time(at)}" if at is not None else ""
