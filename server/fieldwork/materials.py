"""The materials a technician picks from on the werkbon: a list per client and per contractor.

Kept in `settings["materials"]` of the client and of the contractor; supervisors edit them
through the API. The app gets, with each job, the client's list followed by his contractor's
(duplicates once); typing a material that is not on it stays possible.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tortoise.transactions import in_transaction

from server import scoping
from server.domain.errors import Forbidden, NotFound, Unprocessable
from server.domain.lifecycle import SUPERVISORS
from server.domain.roles import DESK_ROLES
from server.models import Client, Contractor, User

KEY = "materials"
MAX_ITEMS = 300
MAX_NAME = 200

# What a meldkamer's own demo clients start with: the common parts of repair work.
DEFAULT = [
    "Sifon 32 mm",
    "Sifon 40 mm",
    "Sanitairkit",
    "Afdichtband (teflon)",
    "Knelkoppeling 15 mm",
    "Knelkoppeling 22 mm",
    "Koperen buis 15 mm (per meter)",
    "Kraanleertje",
    "Vlotter toiletreservoir",
    "Flexibele slang 3/8",
    "Drukvat cv",
    "Vulslang cv",
    "Ontluchtingsnippel",
    "Thermostaatknop",
    "Aardlekschakelaar 40 A",
    "Installatieautomaat 16 A",
    "Wandcontactdoos",
    "Lasklem",
    "Cilinderslot",
    "Deurkruk",
    "Scharnier",
    "Noodbeglazing (plaat)",
    "Glaslat",
    "Dakpan",
    "Bitumen dakbedekking (per m²)",
]


def clean(raw: object) -> list[str]:
    """A list of material names, trimmed, in the order given, each name once; refuses
    anything else, naming the bad value."""
    if not isinstance(raw, list):
        raise Unprocessable(f"Materialen: verwacht een lijst van namen, niet {raw!r}.", KEY)
    if len(raw) > MAX_ITEMS:
        raise Unprocessable(f"Materialen: hoogstens {MAX_ITEMS} namen, niet {len(raw)}.", KEY)
    names: list[str] = []
    for i, item in enumerate(raw):
        if not isinstance(item, str) or not item.strip() or len(item.strip()) > MAX_NAME:
            raise Unprocessable(
                f"Materiaal {i + 1} moet een naam van 1 tot {MAX_NAME} tekens zijn, niet {item!r}.",
                f"{KEY}[{i}]",
            )
        names.append(" ".join(item.split()))
    return merged(names)


def merged(*lists: Iterable[str]) -> list[str]:
    """The lists after one another, each name once (the first spelling wins)."""
    seen: set[str] = set()
    result: list[str] = []
    for names in lists:
        for name in names:
            if name.casefold() not in seen:
                seen.add(name.casefold())
                result.append(name)
    return result


def of(settings: dict[str, Any] | None) -> list[str]:
    """The list kept in a client's or contractor's settings (nothing usable: empty)."""
    value = (settings or {}).get(KEY)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _may_edit(user: User) -> None:
    if user.role not in SUPERVISORS:
        raise Forbidden("Alleen supervisie en beheer wijzigen de materiaallijst.")


async def for_client(user: User, code: str) -> list[str]:
    return of((await scoping.client(user, code)).settings)


async def set_for_client(user: User, code: str, raw: object) -> list[str]:
    _may_edit(user)
    names = clean(raw)
    found = await scoping.client(user, code)
    async with in_transaction() as conn:
        # Locked while read and written: a setting changed meanwhile by someone else stays.
        client = await Client.select_for_update().using_db(conn).get(id=found.id)
        client.settings = {**client.settings, KEY: names}
        await client.save(update_fields=["settings"], using_db=conn)
    return names


async def _contractor(user: User, contractor_id: int) -> Contractor:
    if user.role not in DESK_ROLES:
        raise Forbidden("Uw rol heeft geen toegang tot de gegevens van aannemers.")
    found = await Contractor.get_or_none(id=contractor_id)
    if found is None:
        raise NotFound(f"Aannemer {contractor_id} niet gevonden.", "contractor")
    return found


async def for_contractor(user: User, contractor_id: int) -> list[str]:
    return of((await _contractor(user, contractor_id)).settings)


async def set_for_contractor(user: User, contractor_id: int, raw: object) -> list[str]:
    _may_edit(user)
    names = clean(raw)
    await _contractor(user, contractor_id)
    async with in_transaction() as conn:
        contractor = await Contractor.select_for_update().using_db(conn).get(id=contractor_id)
        contractor.settings = {**contractor.settings, KEY: names}
        await contractor.save(update_fields=["settings"], using_db=conn)
    return names
