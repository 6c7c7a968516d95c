"""Recognising a caller by number or e-mail address: earlier contacts, the addresses of his
reports and the dossiers still open there ("is dit een herhaalmelding?").

Recognition informs the agent; it never stands in for the protocol. A known caller with an
open dossier may be reporting something new or something worse, so a new report goes through
triage like any other (docs/contacts.md).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from functools import reduce

from tortoise.expressions import Q

from server import scoping
from server.contacts.lines import party
from server.domain.lifecycle import FINAL_PHASES
from server.models import Contact, Dossier, User

SHOWN = 5


@dataclass
class Recognised:
    caller: str
    name: str = ""
    earlier: list[Contact] = field(default_factory=list)
    dossiers: list[Dossier] = field(default_factory=list)
    # Open dossiers at the caller's addresses, reported by him or by someone else there.
    open_there: list[Dossier] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return bool(self.earlier or self.dossiers)


def recognisable(caller: str) -> bool:
    return caller.startswith("+") or "@" in caller


async def recognise(user: User, raw: str, exclude: int | None = None) -> Recognised | None:
    """What the user may see of earlier contacts and dossiers of this number or address;
    None when it is neither (anonymous, or not a number)."""
    caller = party(raw)
    if not recognisable(caller):
        return None
    earlier_qs = scoping.contacts(user).filter(caller=caller)
    if exclude is not None:
        earlier_qs = earlier_qs.exclude(id=exclude)
    earlier = (
        await earlier_qs.order_by("-offered_at", "-id")
        .limit(SHOWN)
        .prefetch_related("client", "agent")
    )
    by = Q(contact_email=caller) if "@" in caller else Q(contact_phone=caller)
    dossiers = (
        await scoping.dossiers(user)
        .filter(by)
        .order_by("-created_at", "-id")
        .limit(SHOWN)
        .prefetch_related("client")
    )
    found = Recognised(caller, earlier=earlier, dossiers=dossiers)
    names = [d.contact_name for d in dossiers if d.contact_name] + [
        c.caller_name for c in earlier if c.caller_name
    ]
    found.name = names[0] if names else ""
    places = {
        (d.postcode, d.house_number, d.suffix): d.address_line for d in dossiers if d.postcode
    }
    found.addresses = [
        f"{line}, {postcode[:4]} {postcode[4:]}" for (postcode, _, _), line in places.items()
    ]
    if places:
        there = reduce(
            operator.or_, (Q(postcode=p, house_number=n, suffix=s) for p, n, s in places)
        )
        found.open_there = (
            await scoping.dossiers(user)
            .filter(there)
            .exclude(phase__in=[p.value for p in FINAL_PHASES])
            .order_by("-created_at", "-id")
            .limit(SHOWN)
            .prefetch_related("client")
        )
    return found
