"""A client's own versions of the message texts, in `client.settings["message_templates"]`.

The client edits a text with labelled fields ("[naam huurder]", server.messaging.placeholders)
rather than template syntax, and sees it as the tenant would, in its own name with sample
data. Every text is checked with `validate_template` before it is saved; an empty text removes
the client's version, so the built-in one applies again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from server import scoping
from server.domain.errors import Forbidden, NotFound, Unprocessable
from server.domain.roles import Role
from server.messaging import gsm, placeholders
from server.messaging.kinds import (
    FILE_LABELS,
    KIND_LABELS,
    PURPOSES,
    Kind,
    channel_text,
    template_names,
)
from server.messaging.messages import Message, TenantMessage
from server.messaging.samples import SAMPLES
from server.messaging.templates import (
    TemplateProblem,
    builtin_source,
    render_email,
    render_push,
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

    @property
    def label(self) -> str:
        return FILE_LABELS[self.name.split("/", 1)[1]]


@dataclass(frozen=True)
class KindEntries:
    kind: str
    label: str
    entries: list[Entry]
    purpose: str = ""
    channels: str = ""


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
            PURPOSES[kind],
            channel_text(kind),
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
    file_label: str = ""
    purpose: str = ""
    channels: str = ""
    # The text with [fields] instead of template syntax; None when it has no such form (the
    # HTML e-mail, a loop): then it is edited as a template.
    friendly: str | None = None
    fields: tuple[placeholders.Field, ...] = ()
    sms_parts: int = 0
    sms_length: int = 0


def sample(kind: Kind, client: Client) -> Message:
    """The kind's sample message, in the client's own name."""
    return replace(SAMPLES[kind], opdrachtgever=client.name)


def detail(client: Client, name: str, text: str | None = None) -> Detail:
    """The text `name` of `client`: its own, or the built-in one; `text` instead when the user
    asks for a preview of what he typed (a template)."""
    kind = _check_name(name)
    own = _own(client)
    current = text if text is not None else own.get(name, builtin_source(name))
    preview = _preview(kind, {**own, name: current}, name, client)
    is_sms = name.endswith("sms.txt")
    return Detail(
        name=name,
        kind=kind.value,
        label=KIND_LABELS[kind],
        text=current,
        own=name in own,
        variables=variables(kind),
        preview=preview,
        file_label=FILE_LABELS[name.split("/", 1)[1]],
        purpose=PURPOSES[kind],
        channels=channel_text(kind),
        friendly=placeholders.to_fields(current, kind),
        fields=tuple(placeholders.fields(kind)),
        sms_parts=gsm.parts(preview) if is_sms and preview else 0,
        sms_length=gsm.length(preview) if is_sms and preview else 0,
    )


def template_of(name: str, text: str, with_fields: bool) -> str:
    """The template a submitted text stands for: with [fields], or a template as it is."""
    if not with_fields:
        return text
    try:
        return placeholders.from_fields(text, _check_name(name))
    except TemplateProblem as problem:
        raise Unprocessable(str(problem), "text") from None


def _preview(kind: Kind, overrides: dict[str, str], name: str, client: Client) -> str:
    message = sample(kind, client)
    try:
        if name.endswith("sms.txt"):
            return render_sms(message, overrides)
        if name.endswith((".txt", ".html")) and "push" not in name:
            mail = render_email(message, overrides)
            return f"Onderwerp: {mail.subject}\n\n{mail.text}"
        if "push" in name and isinstance(message, TenantMessage):
            push = render_push(message, overrides)
            return f"{push.title}\n{push.body}"
    except Exception:
        return ""
    return ""


def check(text: str, name: str) -> None:
    """Refuse a text that cannot stand in for template `name` (Unprocessable, in Dutch)."""
    _check_name(name)
    if not text.strip():
        return
    try:
        validate_template(text, name)
    except TemplateProblem as problem:
        raise Unprocessable(str(problem), "text") from None


async def save(user: User, code: str, name: str, text: str) -> Client:
    client = await editable_client(user, code)
    _check_name(name)
    own = _own(client)
    text = text.replace("\r\n", "\n")
    if text.strip():
        check(text, name)
        own[name] = text
    else:
        own.pop(name, None)
    client.settings = {**client.settings, KEY: own}
    await client.save(update_fields=["settings"])
    return client
