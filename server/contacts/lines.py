"""Each client's inbound lines: the number dialled (or the mailbox written to) decides in
whose name a contact is taken."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from tortoise.backends.base.client import BaseDBAsyncClient

from server.domain import normalise
from server.domain.errors import Unprocessable
from server.models import Client, InboundLine

KINDS = ("telefoon", "email")


@dataclass(frozen=True)
class LineInput:
    kind: str
    value: str
    label: str = ""


@lru_cache(maxsize=4096)
def party(raw: str) -> str:
    """A number as E.164 and an address in lower case when they are one; anything else (an
    anonymous caller, a SIP name) as given, so a call is never refused for its caller.

    Cached: every call event names our line and its caller (parsing a number costs more
    than the rest of the event's Python), and the answer depends on the text alone."""
    raw = " ".join(raw.split())[:254]
    if "@" in raw:
        return raw.lower()
    try:
        return normalise.normalise_phone(raw) or raw
    except Unprocessable:
        return raw


async def client_for(kind: str, value: str) -> Client | None:
    line = await InboundLine.get_or_none(kind=kind, value=party(value)).prefetch_related("client")
    return line.client if line is not None else None


def checked(items: Iterable[LineInput], field: str = "inbound") -> list[LineInput]:
    found: list[LineInput] = []
    for index, item in enumerate(items):
        where = f"{field}[{index}]"
        if item.kind not in KINDS:
            raise Unprocessable(f"Soort '{item.kind}' is geen telefoon of email.", f"{where}.kind")
        if item.kind == "telefoon":
            value = normalise.normalise_phone(item.value, f"{where}.value")
        else:
            value = normalise.normalise_email(item.value, f"{where}.value")
        if not value:
            raise Unprocessable("Vul het nummer of het e-mailadres in.", f"{where}.value")
        if any(f.value == value for f in found):
            raise Unprocessable(f"{item.value} staat er twee keer in.", f"{where}.value")
        label = " ".join(item.label.split())
        if len(label) > 100:
            raise Unprocessable("Een omschrijving is ten hoogste 100 tekens.", f"{where}.label")
        found.append(LineInput(item.kind, value, label))
    return found


async def replace(client: Client, items: list[LineInput], conn: BaseDBAsyncClient) -> None:
    """The client's lines become `items` (checked); a line of another client is refused."""
    taken = (
        await InboundLine.filter(value__in=[i.value for i in items])
        .exclude(client_id=client.id)
        .using_db(conn)
        .prefetch_related("client")
    )
    if taken:
        raise Unprocessable(
            f"{taken[0].value} is al een lijn van {taken[0].client.name}.", "inbound"
        )
    await InboundLine.filter(client_id=client.id).using_db(conn).delete()
    for item in items:
        await InboundLine.create(
            client=client, kind=item.kind, value=item.value, label=item.label, using_db=conn
        )


def parse_lines(text: str, field: str = "inbound") -> list[LineInput]:
    """The settings page's text: one line each, 'nummer of e-mailadres | omschrijving'."""
    items = []
    for number, row in enumerate(text.splitlines(), start=1):
        if not row.strip():
            continue
        value, _, label = (p.strip() for p in row.partition("|"))
        if "|" in label:
            raise Unprocessable(f"Regel {number}: schrijf 'nummer | omschrijving'.", field)
        items.append(LineInput("email" if "@" in value else "telefoon", value, label))
    try:
        return checked(items, field)
    except Unprocessable as exc:
        raise Unprocessable(exc.message, field) from None


def as_lines(lines: Iterable[InboundLine]) -> str:
    return "\n".join(
        f"{normalise.display_phone(line.value) if line.kind == 'telefoon' else line.value}"
        + (f" | {line.label}" if line.label else "")
        for line in lines
    )
