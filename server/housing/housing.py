"""Looking up a client's housing stock and the parties registered for an address."""

from __future__ import annotations

from typing import Any

from tortoise.expressions import Q

from server import scoping
from server.domain import normalise
from server.models import Address, AddressParty, User

SUFFIX_MAX = 10  # the column's length


async def find_addresses(
    user: User, client: str, postcode: str, house_number: int | None, suffix: str | None
) -> list[dict[str, Any]]:
    owner = await scoping.client(user, client)
    qs = Address.filter(client_id=owner.id, postcode=normalise.normalise_postcode(postcode))
    if house_number is not None:
        qs = qs.filter(house_number=house_number)
    if suffix is not None and house_number is not None:
        wanted = scoping.key(suffix, SUFFIX_MAX)
        if wanted is None:  # longer than any stored suffix
            return []
        qs = qs.filter(suffix=wanted)
    rows = await qs.order_by("house_number", "suffix").limit(50).prefetch_related("complex")
    return [await _address_json(a) for a in rows]


async def parties_for(address: Address) -> list[AddressParty]:
    """Parties registered for the address itself or for its whole complex."""
    condition = Q(address_id=address.id)
    if address.complex_id is not None:  # type: ignore[attr-defined]
        condition |= Q(complex_id=address.complex_id)  # type: ignore[attr-defined]
    return await AddressParty.filter(condition).order_by("kind", "name")


async def _address_json(a: Address) -> dict[str, Any]:
    return {
        "id": a.id,
        "label": str(a),
        "street": a.street,
        "house_number": a.house_number,
        "suffix": a.suffix,
        "postcode": a.postcode,
        "city": a.city,
        "bag_id": a.bag_id,
        "latitude": a.latitude,
        "longitude": a.longitude,
        "complex": a.complex.code if a.complex else None,
        "parties": [
            {"kind": p.kind, "name": p.name, "phone": p.phone, "email": p.email, "note": p.note}
            for p in await parties_for(a)
        ],
    }
