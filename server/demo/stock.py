"""The demo clients and their housing stock: complexes, addresses and registered parties.

`plan_stock` is plain Python (the same seed gives the same stock); `write_stock` stores it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from server.demo import places
from server.demo.places import District
from server.demo.texts import FIRST_NAMES, SURNAMES
from server.domain.normalise import normalise_phone
from server.fieldwork import materials
from server.models import Address, AddressParty, Client, Complex

HEATING_SEASON = {"heating_season": {"start": "10-01", "end": "04-30"}}
# Letters as they occur in Dutch postcodes (F, I, O, Q, U and Y are not used).
POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
KM_LAT = 1 / 111.2
KM_LON = 1 / (111.2 * math.cos(math.radians(52.08)))

LIFT_COMPANIES = (
    ("Liftservice Midden-Nederland", "030 662 4100"),
    ("Domstad Liften", "030 241 8800"),
    ("Van Lingen Liftonderhoud", "0348 43 2100"),
)
MONITORING_COMPANIES = (
    ("SensaWoon Monitoring", "088 240 7700"),
    ("Alarmcentrale Veilig Wonen", "030 750 3300"),
)


@dataclass(frozen=True)
class ClientSpec:
    code: str
    name: str
    kind: str
    domain: str
    phone: str
    oncall_name: str
    oncall_phone: str
    # District, number of addresses, building types to choose from.
    stock: tuple[tuple[District, int, tuple[str, ...]], ...]


CLIENTS = (
    ClientSpec(
        "WST",
        "Woonstad Utrecht",
        "woningcorporatie",
        "woonstad-utrecht.example",
        "030 720 1400",
        "Piketdienst Woonstad Utrecht",
        "06 5320 1400",
        (
            (places.OVERVECHT, 70, ("galerijflat", "galerijflat", "portiekflat")),
            (places.KANALENEILAND, 50, ("portiekflat", "portiekflat", "galerijflat")),
            (places.LOMBOK, 25, ("eengezinswoningen", "portiekflat")),
            (places.ZUILEN, 30, ("eengezinswoningen", "portiekflat")),
            (places.HOOGRAVEN, 25, ("portiekflat", "eengezinswoningen")),
        ),
    ),
    ClientSpec(
        "LVD",
        "Lichtveld Wonen",
        "woningcorporatie",
        "lichtveld-wonen.example",
        "030 604 2200",
        "Storingsdienst Lichtveld Wonen",
        "06 4810 2200",
        (
            (places.NIEUWEGEIN_NOORD, 55, ("galerijflat", "eengezinswoningen", "portiekflat")),
            (places.NIEUWEGEIN_ZUID, 35, ("eengezinswoningen", "appartementen")),
            (
                places.HOUTEN_DISTRICT,
                50,
                ("eengezinswoningen", "eengezinswoningen", "appartementen"),
            ),
        ),
    ),
    ClientSpec(
        "VBM",
        "VvE Beheer Midden",
        "vve",
        "vvebeheer-midden.example",
        "030 699 5500",
        "Calamiteitenlijn VvE Beheer Midden",
        "06 2240 5500",
        (
            (places.ZEIST_DISTRICT, 40, ("appartementen",)),
            (places.LEIDSCHE_RIJN, 25, ("appartementen",)),
        ),
    ),
)
DEMO_CLIENT_CODES = tuple(spec.code for spec in CLIENTS)


@dataclass
class AddressPlan:
    street: str
    house_number: int
    suffix: str
    postcode: str
    city: str
    bag_id: str
    latitude: float
    longitude: float


@dataclass
class PartyPlan:
    kind: str
    name: str
    phone: str


@dataclass
class ComplexPlan:
    code: str
    name: str
    kind: str
    addresses: list[AddressPlan] = field(default_factory=list)
    parties: list[PartyPlan] = field(default_factory=list)


@dataclass
class StockPlan:
    spec: ClientSpec
    complexes: list[ComplexPlan]


class _Numbering:
    """Postcodes and BAG ids that are unique across the whole demo."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.postcodes: set[str] = set()
        self.bag: dict[str, int] = {}
        # Highest house number used per (town, street): complexes on one street do not overlap.
        self.highest: dict[tuple[str, str], int] = {}

    def postcode(self, district: District) -> str:
        while True:
            digits = self.rng.randint(*district.postcodes)
            letters = self.rng.choice(POSTCODE_LETTERS[:12]) + self.rng.choice(POSTCODE_LETTERS)
            code = f"{digits}{letters}"
            if letters not in ("SA", "SD", "SS") and code not in self.postcodes:
                self.postcodes.add(code)
                return code

    def next_postcode(self, current: str) -> str:
        """The postcode for the next stretch of the same street."""
        letter = POSTCODE_LETTERS.index(current[5])
        for step in range(1, len(POSTCODE_LETTERS)):
            code = current[:5] + POSTCODE_LETTERS[(letter + step) % len(POSTCODE_LETTERS)]
            if code not in self.postcodes:
                self.postcodes.add(code)
                return code
        raise RuntimeError(f"no postcode left after {current}")

    def bag_id(self, municipality: str) -> str:
        serial = self.bag.get(municipality, 0) or self.rng.randrange(10_000, 90_000) * 10_000
        self.bag[municipality] = serial + 1 + self.rng.randrange(3)
        return f"{municipality}20{serial:010d}"


def plan_stock(rng: random.Random) -> list[StockPlan]:
    numbering = _Numbering(rng)
    plans = []
    for index, spec in enumerate(CLIENTS):
        complexes: list[ComplexPlan] = []
        for district, count, kinds in spec.stock:
            streets = list(district.streets)
            rng.shuffle(streets)
            left = count
            while left > 0:
                kind = rng.choice(kinds)
                size = min(left, _size(rng, kind))
                street = streets[len(complexes) % len(streets)]
                code = f"{index + 1}{len(complexes) + 1:03d}"
                complexes.append(_complex(rng, numbering, district, street, kind, size, code))
                left -= size
        plans.append(StockPlan(spec, complexes))
    return plans


def _size(rng: random.Random, kind: str) -> int:
    low, high = {
        "galerijflat": (14, 28),
        "portiekflat": (8, 16),
        "eengezinswoningen": (6, 14),
        "appartementen": (8, 20),
    }[kind]
    return rng.randint(low, high)


def _numbers(rng: random.Random, kind: str, size: int, after: int) -> list[tuple[int, str]]:
    """House numbers and suffixes as a building of this kind has them, all above `after`."""
    if kind == "galerijflat":
        first = max(rng.choice((1, 2, 101, 201)), after + 1)
        return [(first + i, "") for i in range(size)]
    if kind == "portiekflat":
        floors = rng.choice((("", "A", "B", "C"), ("1", "2", "3", "4"), ("", "BIS")))
        first = max(rng.randrange(1, 80, 2), after + 1 + after % 2)
        return [(first + 2 * (i // len(floors)), floors[i % len(floors)]) for i in range(size)]
    if kind == "appartementen":
        first = max(rng.randrange(2, 200, 2), after + 2 - after % 2)
        return [(first, str(i + 1)) for i in range(size)]
    first = max(rng.randrange(2, 60, 2), after + 2 - after % 2)
    return [(first + 2 * i, "") for i in range(size)]


def _complex(
    rng: random.Random,
    numbering: _Numbering,
    district: District,
    street: str,
    kind: str,
    size: int,
    code: str,
) -> ComplexPlan:
    key = (district.town, street)
    numbers = _numbers(rng, kind, size, numbering.highest.get(key, 0))
    numbering.highest[key] = numbers[-1][0]
    name = f"{street} {numbers[0][0]}" + (
        f"-{numbers[-1][0]}" if numbers[-1][0] != numbers[0][0] else ""
    )
    plan = ComplexPlan(code, f"{name} ({kind})", kind)
    lat, lon = _spot(rng, district.centre, district.spread_km)
    bearing = rng.uniform(0, math.pi)
    postcode = numbering.postcode(district)
    spacing_km = 0.007 if kind == "eengezinswoningen" else 0.0015
    for i, (number, suffix) in enumerate(numbers):
        if i and i % 16 == 0:
            postcode = numbering.next_postcode(postcode)
        along = i * spacing_km
        plan.addresses.append(
            AddressPlan(
                street=street,
                house_number=number,
                suffix=suffix,
                postcode=postcode,
                city=district.town,
                bag_id=numbering.bag_id(district.municipality),
                latitude=round(lat + along * math.cos(bearing) * KM_LAT, 6),
                longitude=round(lon + along * math.sin(bearing) * KM_LON, 6),
            )
        )
    plan.parties = _parties(rng, district, kind, name)
    return plan


def _spot(rng: random.Random, centre: tuple[float, float], spread_km: float) -> tuple[float, float]:
    """A point around a centre, denser near it, as housing is."""
    north = max(-2 * spread_km, min(2 * spread_km, rng.gauss(0, spread_km / 1.5)))
    east = max(-2 * spread_km, min(2 * spread_km, rng.gauss(0, spread_km / 1.5)))
    return centre[0] + north * KM_LAT, centre[1] + east * KM_LON


def _mobile(rng: random.Random) -> str:
    return f"06 {rng.randint(1, 5)}{rng.randint(0, 9_999_999):07d}"


def _parties(rng: random.Random, district: District, kind: str, name: str) -> list[PartyPlan]:
    parties = []
    if kind == "appartementen":
        parties.append(PartyPlan("vve", f"VvE {name}", f"030 699 {rng.randint(5501, 5599)}"))
    if kind in ("galerijflat", "appartementen") and rng.random() < 0.8:
        parties.append(PartyPlan("lift", *rng.choice(LIFT_COMPANIES)))
    if rng.random() < {"galerijflat": 0.9, "portiekflat": 0.35}.get(kind, 0.0):
        caretaker = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        parties.append(
            PartyPlan("huismeester", f"Huismeester {district.name}, {caretaker}", _mobile(rng))
        )
    if kind in ("galerijflat", "appartementen") and rng.random() < 0.3:
        parties.append(PartyPlan("monitoring", *rng.choice(MONITORING_COMPANIES)))
    return parties


async def write_stock(plans: list[StockPlan]) -> dict[str, Client]:
    """Store clients, complexes, addresses and parties; returns the clients by code."""
    clients = {}
    for plan in plans:
        spec = plan.spec
        client = await Client.create(
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            email=f"servicedesk@{spec.domain}",
            phone=normalise_phone(spec.phone),
            oncall_name=spec.oncall_name,
            oncall_phone=normalise_phone(spec.oncall_phone),
            oncall_email=f"piket@{spec.domain}",
            settings={
                **HEATING_SEASON,
                "demo": True,
                materials.KEY: materials.DEFAULT,
                # Tenants report online at /melden/woonstad, /melden/lichtveld, …
                "online_melden": {"adres": spec.name.split()[0].lower()},
            },
        )
        clients[spec.code] = client
        await Complex.bulk_create(
            [Complex(client=client, code=c.code, name=c.name) for c in plan.complexes]
        )
        ids = dict(await Complex.filter(client=client).values_list("code", "id"))
        await Address.bulk_create(
            [
                Address(client=client, complex_id=ids[c.code], **vars(a))
                for c in plan.complexes
                for a in c.addresses
            ]
        )
        await AddressParty.bulk_create(
            [
                AddressParty(client=client, complex_id=ids[c.code], **_party_fields(p))
                for c in plan.complexes
                for p in c.parties
            ]
        )
    return clients


def _party_fields(party: PartyPlan) -> dict[str, Any]:
    return {"kind": party.kind, "name": party.name, "phone": normalise_phone(party.phone)}
