"""Loading and removing the demo data set."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from tortoise.models import Model
from tortoise.transactions import in_transaction

from server import db
from server.demo.call_surveys import write_call_surveys
from server.demo.chain import write_integrations
from server.demo.contacts import write_contacts
from server.demo.contractor_portal import write_contractor_portal
from server.demo.history import write_history
from server.demo.knowledge import write_knowledge
from server.demo.scenarios import Crew, Site, plan_history
from server.demo.staff import (
    DEMO_CONTRACTOR_CODES,
    DEMO_USERNAMES,
    MAIL_DOMAIN,
    Staff,
    logins,
    write_absences,
    write_staff,
)
from server.demo.stock import DEMO_CLIENT_CODES, plan_stock, write_stock
from server.domain.errors import Conflict
from server.dossiers import ordernumbers
from server.dossiers.ordernumbers import PREFIX
from server.models import (
    Address,
    AddressParty,
    Client,
    Contact,
    Contractor,
    Dossier,
    KnowledgeArticle,
    KnowledgeVersion,
    Technician,
    User,
)

SEED = 2026
MARKER_CLIENT = "WST"


async def load_demo(
    reset: bool = False, *, now: datetime | None = None
) -> list[tuple[str, str, str]]:
    """Load the demo once (all of it or nothing); return the demo logins.

    With `reset`, earlier demo data is removed first. Without it, a database that already has
    the demo is left alone. The history ends at `now` (default: this minute); the same `now`
    gives the same data.
    """
    if reset:
        await remove_demo()
    else:
        marker = await Client.get_or_none(code=MARKER_CLIENT)
        if marker is not None and (marker.settings or {}).get("demo"):
            return logins()
    await _check_names_free()
    now = now or datetime.now(UTC).replace(second=0, microsecond=0)
    async with in_transaction():
        clients = await write_stock(plan_stock(random.Random(SEED)))
        staff = await write_staff(clients)
        await write_integrations()
        await write_absences(staff.technicians, now)
        sites = await _sites(list(clients.values()))
        stories = plan_history(random.Random(SEED + 1), sites, _crew(staff), now)
        await write_history(stories, staff, now)
        await write_contacts(clients, staff.users, now)
        await write_knowledge(clients, staff.users["sanne.supervisie"], now)
        await write_call_surveys(now)
        await write_contractor_portal(
            staff.users["anna.agent"], staff.password_hash, MAIL_DOMAIN, now
        )
    return logins()


async def _check_names_free() -> None:
    """Refuse, changing nothing, when real data already uses a name the demo needs."""
    taken = [
        *[f"opdrachtgever {c}" for c in await _taken(Client, "code", DEMO_CLIENT_CODES)],
        *[f"gebruiker {u}" for u in await _taken(User, "username", DEMO_USERNAMES)],
        *[f"aannemer {c}" for c in await _taken(Contractor, "code", DEMO_CONTRACTOR_CODES)],
    ]
    if taken:
        raise Conflict(
            "De demo kan niet geladen worden: al in gebruik door eigen gegevens: "
            + ", ".join(taken)
            + "."
        )


async def _taken(model: type[Model], field: str, names: tuple[str, ...]) -> list[str]:
    rows = await model.filter(**{f"{field}__in": names}).values_list(field, flat=True)
    return sorted(str(name) for name in rows)


async def _sites(clients: list[Client]) -> list[Site]:
    names = {c.id: (c.code, c.name) for c in clients}
    parties: dict[tuple[str, int], dict[str, str]] = {}
    for party in await AddressParty.filter(client_id__in=list(names)).order_by("id"):
        if party.complex_id is not None:  # type: ignore[attr-defined]
            target = ("complex", party.complex_id)  # type: ignore[attr-defined]
        else:
            target = ("address", party.address_id)  # type: ignore[attr-defined]
        parties.setdefault(target, {})[party.kind] = party.name
    sites = []
    for address in await Address.filter(client_id__in=list(names)).order_by("id"):
        code, name = names[address.client_id]  # type: ignore[attr-defined]
        registered = {
            **parties.get(("complex", address.complex_id), {}),  # type: ignore[attr-defined]
            **parties.get(("address", address.id), {}),
        }
        assert address.latitude is not None and address.longitude is not None
        sites.append(Site(address.id, code, name, address.latitude, address.longitude, registered))
    return sites


def _crew(staff: Staff) -> list[Crew]:
    crew = []
    for tech in staff.technicians:
        assert tech.home_latitude is not None and tech.home_longitude is not None
        crew.append(
            Crew(
                tech.id,
                tech.contractor_id,  # type: ignore[attr-defined]
                tuple(tech.trades),
                tech.home_latitude,
                tech.home_longitude,
            )
        )
    return crew


async def remove_demo() -> None:
    """Remove the demo clients (with their stock and dossiers), users and contractors.

    Only rows that carry the demo's marks are touched: the demo client codes with
    settings.demo, and users and contractors with an e-mail address under the demo domain.
    """
    async with in_transaction():
        clients = [
            c.id
            for c in await Client.filter(code__in=DEMO_CLIENT_CODES)
            if (c.settings or {}).get("demo")
        ]
        await Contact.filter(client_id__in=clients).delete()
        await Dossier.filter(client_id__in=clients).delete()
        users = await User.filter(
            username__in=DEMO_USERNAMES, email__endswith=f"@{MAIL_DOMAIN}"
        ).values_list("id", flat=True)
        contractors = await Contractor.filter(
            code__in=DEMO_CONTRACTOR_CODES, email__endswith=f".{MAIL_DOMAIN}"
        ).values_list("id", flat=True)
        await Technician.filter(user_id__in=list(users)).delete()
        await Technician.filter(contractor_id__in=list(contractors), user_id__isnull=True).delete()
        # The demo's articles: its clients' own, and the shared ones its users wrote first.
        written = await KnowledgeVersion.filter(version=1, saved_by_id__in=list(users)).values_list(
            "article_id", flat=True
        )
        await KnowledgeArticle.filter(client_id__in=clients).delete()
        await KnowledgeArticle.filter(id__in=list(written), client_id=None).delete()
        await User.filter(id__in=list(users)).delete()
        await Contractor.filter(id__in=list(contractors)).delete()
        await Client.filter(id__in=clients).delete()
        await _recount_order_numbers()


async def _recount_order_numbers() -> None:
    """Let each year's numbering continue from the highest number still in use."""
    highest: dict[int, int] = {}
    for year in sorted(await ordernumbers.years_numbered(db.connection())):
        numbers = await Dossier.filter(order_number__startswith=f"{PREFIX}-{year}-").values_list(
            "order_number", flat=True
        )
        highest[year] = max((int(str(n).rsplit("-", 1)[1]) for n in numbers), default=0)
    await ordernumbers.continue_after(db.connection(), highest)
