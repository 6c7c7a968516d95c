"""Transfer numbers: whom the desk may put a caller through to, when, and recording that it
did (seed 000: "doorverbinden naar mobiele- en vaste telefoonnummers")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient

from server import settings
from server.domain import normalise, transfer_hours
from server.domain.errors import Unprocessable
from server.domain.transfer_hours import Window
from server.models import Client, TransferTarget
from server.triage.office import holiday_name

MAX_TARGETS = 30


@dataclass(frozen=True)
class TargetInput:
    name: str
    number: str
    hours: tuple[Window, ...] = ()


@dataclass(frozen=True)
class Offer:
    """A transfer number as the desk sees it at one moment."""

    target: TransferTarget
    valid: bool
    hours: str

    @property
    def number(self) -> str:
        return self.target.number

    @property
    def name(self) -> str:
        return self.target.name


def _is_holiday(day: Any) -> bool:
    return holiday_name(day) is not None


def windows(target: TransferTarget) -> tuple[Window, ...]:
    return transfer_hours.from_json(target.hours)


async def offers(client_id: int | None, at: datetime | None = None) -> list[Offer]:
    """The client's transfer numbers, the ones valid now first (in the client's order)."""
    if client_id is None:
        return []
    local = (at or datetime.now(UTC)).astimezone(ZoneInfo(settings.TIMEZONE))
    found = [
        Offer(t, transfer_hours.valid_at(windows(t), local, _is_holiday), _text(t))
        for t in await TransferTarget.filter(client_id=client_id).order_by("position", "id")
    ]
    return sorted(found, key=lambda o: not o.valid)


def _text(target: TransferTarget) -> str:
    return transfer_hours.as_text(windows(target))


def checked(items: Iterable[TargetInput], field: str = "transfers") -> list[TargetInput]:
    found: list[TargetInput] = []
    for index, item in enumerate(items):
        where = f"{field}[{index}]"
        name = " ".join(item.name.split())
        if not name or len(name) > 200:
            raise Unprocessable(
                "Geef elk doorverbindnummer een naam (ten hoogste 200 tekens).", f"{where}.name"
            )
        number = normalise.normalise_phone(item.number, f"{where}.number")
        if not number:
            raise Unprocessable(f"Vul het nummer van {name} in.", f"{where}.number")
        found.append(TargetInput(name, number, item.hours))
    if len(found) > MAX_TARGETS:
        raise Unprocessable(f"Ten hoogste {MAX_TARGETS} doorverbindnummers.", field)
    return found


def from_json(items: Iterable[Mapping[str, Any]], field: str = "transfers") -> list[TargetInput]:
    found = []
    for index, item in enumerate(items):
        hours = item.get("hours") or []
        if not isinstance(hours, list):
            raise Unprocessable("Geef de uren als lijst van vensters.", f"{field}[{index}].hours")
        found.append(
            TargetInput(
                str(item.get("name", "")),
                str(item.get("number", "")),
                transfer_hours.from_json(hours, f"{field}[{index}].hours"),
            )
        )
    return checked(found, field)


def parse_lines(text: str, field: str = "transfers") -> list[TargetInput]:
    """The settings page's text: one number a line, 'naam | nummer | uren' (uren optional:
    'ma-vr 08:00-17:00; za 10:00-14:00', 'altijd')."""
    items = []
    for number, row in enumerate(text.splitlines(), start=1):
        if not row.strip():
            continue
        parts = [p.strip() for p in row.split("|")]
        if len(parts) not in (2, 3):
            raise Unprocessable(f"Regel {number}: schrijf 'naam | nummer | uren'.", field)
        try:
            hours = transfer_hours.parse(parts[2] if len(parts) == 3 else "", field)
        except Unprocessable as exc:
            raise Unprocessable(f"Regel {number}: {exc.message}", field) from None
        items.append(TargetInput(parts[0], parts[1], hours))
    try:
        return checked(items, field)
    except Unprocessable as exc:
        raise Unprocessable(exc.message, field) from None


def as_lines(targets: Iterable[TransferTarget]) -> str:
    return "\n".join(
        f"{t.name} | {normalise.display_phone(t.number)} | {_text(t)}" for t in targets
    )


def as_json(target: TransferTarget) -> dict[str, Any]:
    return {
        "id": target.id,
        "name": target.name,
        "number": target.number,
        "hours": target.hours,
        "hours_text": _text(target),
    }


async def replace(client: Client, items: list[TargetInput], conn: BaseDBAsyncClient) -> None:
    await TransferTarget.filter(client_id=client.id).using_db(conn).delete()
    for position, item in enumerate(items):
        await TransferTarget.create(
            client=client,
            name=item.name,
            number=item.number,
            hours=[w.as_json() for w in item.hours],
            position=position,
            using_db=conn,
        )


async def name_of(client_id: int | None, number: str) -> str:
    """The name a client gave a transfer number, for a transfer the telephony reported."""
    if client_id is None or not number:
        return ""
    target = await TransferTarget.filter(client_id=client_id, number=number).first()
    return target.name if target else ""
