"""Building a small, known world for a test: clients, addresses, people, dossiers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from server.auth.passwords import hash_password
from server.dossiers.dossiers import AddressInput, DossierInput
from server.models import Address, Client, Contractor, Technician, User

PASSWORD = "correct horse battery"
# Hashing is slow by design; one hash serves every test user.
_HASH = hash_password(PASSWORD)


@dataclass
class World:
    woonstad: Client
    lichtveld: Client
    addresses: list[Address]
    admin: User
    supervisor: User
    agent: User
    client_user: User
    other_client_user: User
    tech_user: User
    other_tech_user: User
    technician: Technician
    other_technician: Technician
    contractor: Contractor  # piet's and kees's employer; bas.aannemer works in its portal
    other_contractor: Contractor  # another contractor, with dirk.aannemer
    contractor_user: User
    other_contractor_user: User


async def user(
    username: str, role: str, client: Client | None = None, contractor: Contractor | None = None
) -> User:
    return await User.create(
        username=username,
        full_name=username.replace(".", " ").title(),
        role=role,
        client=client,
        contractor=contractor,
        password_hash=_HASH,
    )


async def build() -> World:
    woonstad = await Client.create(code="WST", name="Woonstad Utrecht")
    lichtveld = await Client.create(code="LVD", name="Lichtveld Wonen")
    addresses = [
        await Address.create(
            client=woonstad,
            street="Biltstraat",
            house_number=10,
            postcode="3572AB",
            city="Utrecht",
            latitude=52.09,
            longitude=5.13,
        ),
        await Address.create(
            client=woonstad,
            street="Biltstraat",
            house_number=10,
            suffix="A",
            postcode="3572AB",
            city="Utrecht",
        ),
        await Address.create(
            client=lichtveld,
            street="Dorpsstraat",
            house_number=3,
            postcode="3451BC",
            city="Vleuten",
        ),
    ]
    contractor = await Contractor.create(code="INST", name="Installatiebedrijf Noord")
    other_contractor = await Contractor.create(code="DAKZ", name="Dakwerken Zuid")
    tech_user = await user("piet.monteur", "technician")
    other_tech_user = await user("kees.monteur", "technician")
    technician = await Technician.create(
        name="Piet Monteur", user=tech_user, contractor=contractor, trades=["CVI", "LOO"]
    )
    other = await Technician.create(
        name="Kees Monteur", user=other_tech_user, contractor=contractor, trades=["ELE"]
    )
    return World(
        woonstad=woonstad,
        lichtveld=lichtveld,
        addresses=addresses,
        admin=await user("admin", "admin"),
        supervisor=await user("sanne.supervisie", "supervisor"),
        agent=await user("anna.agent", "agent"),
        client_user=await user("wim.woonstad", "client", woonstad),
        other_client_user=await user("lisa.lichtveld", "client", lichtveld),
        tech_user=tech_user,
        other_tech_user=other_tech_user,
        technician=technician,
        other_technician=other,
        contractor=contractor,
        other_contractor=other_contractor,
        contractor_user=await user("bas.aannemer", "contractor", contractor=contractor),
        other_contractor_user=await user(
            "dirk.aannemer", "contractor", contractor=other_contractor
        ),
    )


async def token_for(http: httpx.AsyncClient, username: str) -> dict[str, str]:
    response = await http.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def dossier_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "client": "WST",
        "address": {"postcode": "3572 ab", "house_number": 10, "suffix": ""},
        "contact": {"name": "Fatima el Amrani", "phone": "06 12345678", "email": ""},
        "channel": "telefoon",
        "category": "lekkage_woning",
        "description": "Water loopt langs de lamp in de keuken.",
    }
    body.update(overrides)
    return body


def intake(client: str = "WST", **overrides: Any) -> DossierInput:
    """A report at the world's stock address of `client` (Biltstraat 10 or Dorpsstraat 3)."""
    address = (
        AddressInput(postcode="3572AB", house_number=10)
        if client == "WST"
        else AddressInput(postcode="3451BC", house_number=3)
    )
    values: dict[str, Any] = {
        "client": client,
        "address": address,
        "contact_name": "Fatima el Amrani",
        "contact_phone": "0612345678",
        "category": "lekkage_woning",
        "description": "Water loopt langs de lamp in de keuken.",
    }
    values.update(overrides)
    return DossierInput(**values)
