"""A technician on the admin screen: name, phone, trades, home base, contractor, weekly roster
and on-call rota. The roster and rota go through the same service as the API
(server/dispatch/duty.py); his absences stay on /planning."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tortoise.transactions import in_transaction

from geo.pc4 import load_table
from server.admin import changes
from server.dispatch import duty, technicians
from server.dispatch.technicians import trade_labels
from server.domain.errors import NotFound, Unprocessable
from server.domain.numbers import row_id
from server.models import Contractor, RosterEntry, Technician, User

WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
_ROSTER_LINE = re.compile(r"^(ma|di|wo|do|vr|za|zo)(?:\s*-\s*(ma|di|wo|do|vr|za|zo))?\s+(.+)$")
_SPAN = re.compile(r"^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$")


@dataclass
class TechnicianForm:
    name: str
    phone: str
    trades: list[str]
    home_postcode: str
    contractor_id: str
    roster: str
    on_call_evenings: bool = False
    on_call_weekends: bool = False
    on_call_holidays: bool = False
    active: bool = True
    errors: list[str] = field(default_factory=list)


def roster_text(entries: list[RosterEntry]) -> str:
    """One line per weekday: 'ma 07:30-16:00, 18:00-22:00'."""
    by_day: dict[int, list[str]] = {}
    for e in sorted(entries, key=lambda e: (e.weekday, e.start_minute)):
        by_day.setdefault(e.weekday, []).append(f"{_clock(e.start_minute)}-{_clock(e.end_minute)}")
    return "\n".join(f"{WEEKDAYS[d]} {', '.join(spans)}" for d, spans in sorted(by_day.items()))


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_roster(text: str) -> list[tuple[int, str, str]]:
    """'ma-vr 07:30-16:00' or 'za 08:00-12:00, 13:00-17:00', one per line."""
    entries: list[tuple[int, str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = " ".join(raw.lower().split())
        if not line:
            continue
        match = _ROSTER_LINE.match(line)
        if match is None:
            raise Unprocessable(
                f"Rooster regel {number}: '{raw.strip()[:40]}' begint niet met een dag (ma, di,"
                " wo, do, vr, za, zo of ma-vr) gevolgd door tijden als 07:30-16:00.",
                "roster",
            )
        first = WEEKDAYS.index(match[1])
        last = WEEKDAYS.index(match[2]) if match[2] else first
        if last < first:
            raise Unprocessable(
                f"Rooster regel {number}: {match[1]}-{match[2]} loopt achteruit.", "roster"
            )
        for span in (s.strip() for s in match[3].split(",")):
            found = _SPAN.match(span)
            if found is None:
                raise Unprocessable(
                    f"Rooster regel {number}: '{span[:20]}' is geen tijdvak als 07:30-16:00.",
                    "roster",
                )
            start = duty.minute_of(found[1], "roster")
            end = duty.minute_of(found[2], "roster")
            if end <= start:
                raise Unprocessable(
                    f"Rooster regel {number}: {span} eindigt niet na het begin.", "roster"
                )
            entries += [(day, found[1], found[2]) for day in range(first, last + 1)]
    return entries


def _view(tech: Technician, roster: list[RosterEntry]) -> dict[str, object]:
    return {
        "naam": tech.name,
        "telefoon": tech.phone,
        "vakdisciplines": trade_labels(tech.trades),
        "thuispostcode": tech.home_postcode,
        "aannemer": tech.contractor.name if tech.contractor else "",
        "rooster": roster_text(roster).replace("\n", "; "),
        "piket avonden": tech.on_call_evenings,
        "piket weekenden": tech.on_call_weekends,
        "piket feestdagen": tech.on_call_holidays,
        "actief": tech.active,
    }


async def get(technician_id: str) -> Technician:
    number = row_id(technician_id)
    tech = (
        None
        if number is None
        else await Technician.get_or_none(id=number).prefetch_related("contractor", "user")
    )
    if tech is None:
        raise NotFound(f"Monteur '{technician_id[:20]}' niet gevonden.", "technician")
    return tech


async def _contractor(raw: str) -> Contractor | None:
    if not raw.strip():
        return None
    number = row_id(raw)
    found = None if number is None else await Contractor.get_or_none(id=number)
    if found is None:
        raise Unprocessable("Kies een aannemer uit de lijst.", "contractor")
    return found


async def save(by: User, tech: Technician, form: TechnicianForm) -> Technician:
    name = " ".join(form.name.split())
    if not name or len(name) > 200:
        raise Unprocessable("Vul een naam in (hoogstens 200 tekens).", "name")
    checked = technicians.spec(form.trades, form.home_postcode, form.phone)
    contractor = await _contractor(form.contractor_id)
    roster = parse_roster(form.roster)
    before = _view(tech, list(await RosterEntry.filter(technician_id=tech.id)))
    moved = checked.home_postcode != tech.home_postcode
    home = load_table().get(checked.home_postcode[:4]) if moved else None
    async with in_transaction():
        tech.name = name
        tech.phone = checked.phone
        tech.trades = list(checked.trades)
        tech.home_postcode = checked.home_postcode
        tech.contractor = contractor
        tech.active = form.active
        if moved:
            # The postcode's centre until the supervisor sets the exact point (API).
            tech.home_latitude = home.lat if home else None
            tech.home_longitude = home.lon if home else None
        await tech.save()
        await duty.set_duty(
            by,
            str(tech.id),
            duty.DutyInput(
                roster=roster,
                on_call_evenings=form.on_call_evenings,
                on_call_weekends=form.on_call_weekends,
                on_call_holidays=form.on_call_holidays,
            ),
        )
    tech = await get(str(tech.id))
    after = _view(tech, list(await RosterEntry.filter(technician_id=tech.id)))
    await changes.record(by, "technician", tech.id, changes.diff(before, after))
    return tech


async def create(by: User, form: TechnicianForm) -> Technician:
    """A technician without a login of his own (a contractor's man); `meldkamer createuser
    --role technician` or an invitation gives one a login."""
    name = " ".join(form.name.split())
    if not name or len(name) > 200:
        raise Unprocessable("Vul een naam in (hoogstens 200 tekens).", "name")
    checked = technicians.spec(form.trades, form.home_postcode, form.phone)
    contractor = await _contractor(form.contractor_id)
    parse_roster(form.roster)
    tech = await technicians.create(name, checked, contractor=contractor)
    await changes.record(by, "technician", tech.id, {"aangemaakt": ("", name)})
    return await save(by, await get(str(tech.id)), form)
