"""A client's own versions of the message texts, in `client.settings["message_templates"]`.

Every text is checked with `validate_template` before it is saved; an empty text removes the
client's version, so the built-in one applies again.
"""

from __future__ import annotations

from dataclasses import dataclass

from server import scoping
from server.domain.errors import Forbidden, NotFound, Unprocessable
from server.domain.roles import Role
from server.messaging.kinds import KIND_LABELS, Kind, template_names
from server.messaging.samples import SAMPLES
from server.messaging.templates import (
    TemplateProblem,
    builtin_source,
    render_email,
    render_sms,
    validate_template,
    variables,
)
from server.models import Client, User

KEY = "message_templates"
EDITORS = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CLIENT})


@dataclass(frozen=True)
class Entry:
    name: str
    own: bool


@dataclass(frozen=True)
class KindEntries:
    kind: str
    label: str
    entries: list[Entry]


async def editable_client(user: User, code: str) -> Client:
    """The client whose texts this user may edit; another client's is simply not found."""
    if user.role not in EDITORS:
        raise Forbidden("Alleen supervisie en de opdrachtgever zelf wijzigen berichtteksten.")
    return await scoping.client(user, code)


async def editable_clients(user: User) -> list[Client]:
    if user.role not in EDITORS:
        raise Forbidden("Alleen supervisie en de opdrachtgever zelf wijzigen berichtteksten.")
    return await scoping.clients(user).filter(active=True).order_by("name")


def overview(client: Client) -> list[KindEntries]:
    own = _own(client)
    return [
        KindEntries(
            kind.value,
            KIND_LABELS[kind],
            [Entry(name, name in own) for name in template_names(kind)],
        )
        for kind in Kind
    ]


def _own(client: Client) -> dict[str, str]:
    value = client.settings.get(KEY)
    return dict(value) if isinstance(value, dict) else {}


def _check_name(name: str) -> Kind:
    kind = name.split("/", 1)[0]
    if kind not in Kind._value2member_map_ or name not in template_names(Kind(kind)):
        raise NotFound(f"Sjabloon '{name}' bestaat niet.", "name")
    return Kind(kind)


@dataclass(frozen=True)
class Detail:
    name: str
    kind: str
    label: str
    text: str
    own: bool
    variables: list[str]
    preview: str


def detail(client: Client, name: str, text: str | None = None) -> Detail:
    kind = _check_name(name)
    own = _own(client)
    current = text if text is not None else own.get(name, builtin_source(name))
    return Detail(
        name=name,
        kind=kind.value,
        label=KIND_LABELS[kind],
        text=current,
        own=name in own,
        variables=variables(kind),
        preview=_preview(kind, {**own, name: current}, name),
    )


def _preview(kind: Kind, overrides: dict[str, str], name: str) -> str:
    try:
        if name.endswith("sms.txt"):
            return render_sms(SAMPLES[kind], overrides)
        if name.endswith((".txt", ".html")) and "push" not in name:
            mail = render_email(SAMPLES[kind], overrides)
            return f"{mail.subject}\n\n{mail.text}"
    except Exception:
        return ""
    return ""


async def save(user: User, code: str, name: str, text: str) -> Client:
    client = await editable_client(user, code)
    _check_name(name)
    own = _own(client)
    text = text.replace("\r\n", "\n")
    if text.strip():
        try:
            validate_template(text, name)
        except TemplateProblem as problem:
            raise Unprocessable(str(problem), "text") from None
        own[name] = text
    else:
        own.pop(name, None)
    client.settings = {**client.settings, KEY: own}
    await client.save(update_fields=["settings"])
    return client
